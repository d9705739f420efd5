package main

import (
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The soak: a healthy week raises no page or ticket (the first day
// included: a cold start's first requests are no burn) and executes no
// action, and its
// detectors raise at most one anomaly event per endpoint per day; in the
// faulty week each fault pages when, and no later than, the SRE Workbook's
// alert on the fault's expected burn rate would (one tick of the
// simulation allowed), no page outlasts its fault by more than its short
// window plus one tick, and nothing pages outside the faults.
//
// It simulates 17 million requests: seconds normally, over ten minutes
// under the race detector, so it runs without it (.ci/checks/50-soak.sh);
// the Monitor's concurrency is the availability package's tests' to check.
func TestSoak(t *testing.T) {
	if raceEnabled {
		t.Skip("the soak runs without -race: go test ./examples/soak (.ci/checks/50-soak.sh)")
	}
	healthy, faulty, err := weeks(1)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	printDays(&out, "healthy week", healthy)
	printDays(&out, "faulty week", faulty)
	printFaults(&out, faulty)
	t.Logf("\n%s", out.String())

	t.Run("healthy week", func(t *testing.T) {
		for _, d := range days(healthy) {
			day := d.date.Format("Mon")
			if d.pages != 0 {
				t.Errorf("%s: %d pages, want 0", day, d.pages)
			}
			if d.tickets != 0 {
				t.Errorf("%s: %d tickets, want 0", day, d.tickets)
			}
			if d.actions != 0 {
				t.Errorf("%s: %d executed actions, want 0", day, d.actions)
			}
			if d.maxPerEndpoint > 1 {
				t.Errorf("%s: an endpoint raised %d anomaly events, want at most 1", day, d.maxPerEndpoint)
			}
		}
	})
	t.Run("faulty week", func(t *testing.T) {
		for _, r := range faults(faulty) {
			switch {
			case r.expected.pages && !r.paged:
				t.Errorf("%v: not paged; the Workbook alert pages after %v", r.fault, r.expected.after)
			case r.expected.pages && r.after > r.expected.after+tickEvery:
				t.Errorf("%v: paged after %v (%s), later than the Workbook's %v plus one tick", r.fault, r.after, r.by, r.expected.after)
			case !r.expected.pages && r.paged:
				t.Errorf("%v: paged after %v (%s); the Workbook alert never pages on its burn rate", r.fault, r.after, r.by)
			}
			if r.paged && r.outlast > r.limit {
				t.Errorf("%v: %s outlasts the fault by %v, more than its short window plus one tick (%v)", r.fault, r.outlastBy, r.outlast, r.limit)
			}
		}
		for _, p := range falsePages(faulty) {
			t.Errorf("page outside every fault: %s %s at %v", p.objective, tierName(p), p.fired)
		}
	})
}

// The Workbook detection time of a constant error ratio under constant
// traffic is its formula: threshold x long window x (1 - target) / ratio,
// 14.4 x 1h x 0.001 = 51.84 s for a full outage of a 99.9% objective on the
// 1h tier; the healthy 0.05% of errors before it in the window (burn 0.5)
// makes it 50.1 s, which the computation finds on its 5 s grid.
func TestWorkbookFormula(t *testing.T) {
	f := fault{name: "outage", start: 14 * time.Hour, dur: time.Hour, apply: func(s *depState, _ time.Duration) { s.down = true }}
	e := workbook(func(time.Time) float64 { return 10 }, weekStart, []fault{f}, f)
	if !e.pages || e.after != 55*time.Second || e.tier.Long != time.Hour {
		t.Errorf("outage: %+v, want a page on the 1h tier after 55 s", e)
	}
}
