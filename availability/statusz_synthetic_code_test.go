package availability

import (
	"testing"
	"time"

	"github.com/nines-sre/nines/synthetic"
)

// A gRPC step has no HTTP status: its code is what the section reports,
// in the JSON and in the page's status column.
func TestSyntheticSectionShowsCallCode(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	runs := []synthetic.Result{{Check: "orders", Start: start, Duration: time.Second, Outcome: synthetic.Fail,
		Steps: []synthetic.StepResult{
			{Name: "login", Outcome: synthetic.Pass, Status: 200, Duration: 10 * time.Millisecond},
			{Name: "health", Outcome: synthetic.Fail, Code: "UNAVAILABLE", Duration: 5 * time.Millisecond},
		}}}
	st := checkStatus("orders", runs)
	if len(st.Steps) != 2 || st.Steps[0].Status != 200 || st.Steps[0].Code != "" || st.Steps[1].Code != "UNAVAILABLE" {
		t.Fatalf("steps = %+v, want login 200 without code and health UNAVAILABLE", st.Steps)
	}
	page := pageSyntheticChecks([]SyntheticStatus{st})
	if len(page) != 1 || len(page[0].Steps) != 2 {
		t.Fatalf("page = %+v", page)
	}
	if got := page[0].Steps[1].Code; got != "UNAVAILABLE" {
		t.Errorf("page step code = %q, want UNAVAILABLE", got)
	}
}
