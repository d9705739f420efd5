package health

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
)

type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("marshal broke") }

// One health+json request with a self-referencing ObservedValue used to
// overflow the stack in the fmt.Sprint fallback (fatal, unrecoverable).
// Each unencodable value is shown by its type alone; the others keep theirs.
func TestJSONUnencodableObservedValue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		loop := map[string]any{}
		loop["self"] = loop
		list := []any{nil}
		list[0] = list
		values := map[string]any{
			"cyclemap":   loop,
			"cycleslice": list,
			"chan":       make(chan int),
			"panics":     panicky{},
			"plain":      42,
		}
		for name, v := range values {
			mustRegister(t, r, Check{Name: name, Func: func(context.Context) Result {
				return Result{Status: StatusPass, ObservedValue: v}
			}})
		}
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		code, body := serve(r.Handler(Readiness, allowAll), "/readyz", "application/health+json")
		var doc struct {
			Checks map[string][]struct {
				ObservedValue any `json:"observedValue"`
			} `json:"checks"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil || code != 200 {
			t.Fatalf("%d %q: %v", code, body, err)
		}
		want := map[string]any{
			"cyclemap":   "unencodable map[string]interface {}",
			"cycleslice": "unencodable []interface {}",
			"chan":       "unencodable chan int",
			"panics":     "unencodable health.panicky",
			"plain":      float64(42),
		}
		for name, w := range want {
			if got := doc.Checks[name][0].ObservedValue; got != w {
				t.Errorf("%s: observedValue = %#v, want %#v", name, got, w)
			}
		}
	})
}

// A check that puts a DSN in ObservedValue leaked it to every caller while
// the error text was withheld: observed values follow the reason's rule.
func TestJSONObservedValueWithheld(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		const dsn = "redis://:password=secret@cache.internal.corp:6379"
		for _, st := range []Status{StatusPass, StatusWarn} {
			mustRegister(t, r, Check{Name: "cache-" + st.String(), Func: func(context.Context) Result {
				return Result{Status: st, ObservedValue: dsn, ObservedUnit: "dsn"}
			}})
		}
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		asked := 0
		deny := WithDetailsAuthorizer(func(*http.Request) bool { asked++; return false })
		for _, h := range []http.Handler{r.Handler(Readiness), r.Handler(Readiness, deny)} {
			_, body := serve(h, "/readyz", "application/health+json")
			if strings.Contains(body, "secret") || strings.Contains(body, "observed") {
				t.Errorf("unauthorised body shows the observed value: %s", body)
			}
		}
		if asked != 1 {
			t.Errorf("authorizer asked %d times for one request, want 1", asked)
		}
		_, body := serve(r.Handler(Readiness, allowAll), "/readyz", "application/health+json")
		if strings.Count(body, dsn) != 2 {
			t.Errorf("authorised body lacks the observed values: %s", body)
		}
	})
}
