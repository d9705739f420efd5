package synthetic_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/synthetic"
)

func TestInvalidChecksNameStepAndField(t *testing.T) {
	ok := synthetic.Step{Name: "s", URL: "http://127.0.0.1/"}
	for _, tc := range []struct {
		name  string
		check synthetic.Check
		want  string
	}{
		{"no name", synthetic.Check{Steps: []synthetic.Step{ok}}, `Name = "": must be 1 to 53`},
		{"no steps", synthetic.Check{Name: "c"}, `check "c" Steps = 0`},
		{"timeout over interval", synthetic.Check{Name: "c", Interval: time.Second, Timeout: 2 * time.Second, Steps: []synthetic.Step{ok}}, `check "c" Timeout = 2s`},
		{"target", synthetic.Check{Name: "c", SuccessTarget: 1, Steps: []synthetic.Step{ok}}, `check "c" SuccessTarget = 1`},
		{"no url", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s"}}}, `check "c" step "s" URL = "": required`},
		{"relative url", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "/x"}}}, `step "s" URL = "/x": must be an absolute`},
		{"unknown ref", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/${token}"}}}, `step "s" URL = "${token}": refers to a value no Var defines`},
		{"ref extracted later", synthetic.Check{Name: "c", Steps: []synthetic.Step{
			{Name: "a", URL: "http://h/", Header: map[string]string{"X": "${tok}"}},
			{Name: "b", URL: "http://h/", Extract: []synthetic.Extract{{Name: "tok", Header: "X"}}}}}, `step "a" Header.X = "${tok}"`},
		{"unterminated ref", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/", Body: "${x"}}}, `step "s" Body = "${x": unterminated`},
		{"duplicate step", synthetic.Check{Name: "c", Steps: []synthetic.Step{ok, ok}}, `step "s" Name = "s": duplicate`},
		{"reserved step", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "total", URL: "http://h/"}}}, `Steps[0].Name = "total": reserved`},
		{"two tests", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/", Assert: []synthetic.Assertion{{Status: 200, BodyContains: "x"}}}}}, `step "s" Assert[0] = 2: exactly one`},
		{"bad status", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/", Assert: []synthetic.Assertion{{Status: 42}}}}}, `Assert[0].Status = 42`},
		{"bad regex", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/", Assert: []synthetic.Assertion{{BodyRegex: "("}}}}}, `Assert[0].BodyRegex = "("`},
		{"bad path", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/", Assert: []synthetic.Assertion{{JSONPath: "$.a[x]"}}}}}, `Assert[0].JSONPath = "$.a[x]"`},
		{"bad extract name", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/", Extract: []synthetic.Extract{{Name: "1x", Header: "X"}}}}}, `Extract[0].Name = "1x"`},
		{"extract two sources", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/", Extract: []synthetic.Extract{{Name: "x", Header: "X", Cookie: "c"}}}}}, `Extract[0] = 2`},
		{"bad method", synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", Method: "GE T", URL: "http://h/"}}}, `Method = "GE T"`},
		{"empty env var", synthetic.Check{Name: "c", Vars: map[string]string{"pw": "env:"}, Steps: []synthetic.Step{ok}}, `Vars.pw = "env:"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := synthetic.NewRunner([]synthetic.Check{tc.check})
			if !errors.Is(err, synthetic.ErrInvalidConfig) {
				t.Fatalf("err = %v, want ErrInvalidConfig", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "synthetic: invalid config") {
				t.Errorf("err = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestDuplicateCheckAndBadJitter(t *testing.T) {
	c := synthetic.Check{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h/"}}}
	if _, err := synthetic.NewRunner([]synthetic.Check{c, c}); !errors.Is(err, synthetic.ErrInvalidConfig) {
		t.Errorf("duplicate check: %v", err)
	}
	if _, err := synthetic.NewRunner(nil, synthetic.WithJitter(1)); err == nil || !strings.Contains(err.Error(), "WithJitter = 1") {
		t.Errorf("jitter 1: %v", err)
	}
}

func TestDefaults(t *testing.T) {
	r := newRunner(t, []synthetic.Check{{Name: "c", Interval: 10 * time.Second, Steps: []synthetic.Step{{Name: "s", URL: "http://h/"}}}})
	c := r.Checks()[0]
	if c.Timeout != 10*time.Second || c.LatencyBound != 5*time.Second || c.SuccessTarget != 0.99 || c.Steps[0].Method != "GET" {
		t.Errorf("defaults: %+v", c)
	}
	slos := r.SLOs()
	if len(slos) != 2 || slos[0].Name() != "synthetic.c.success" || slos[1].Name() != "synthetic.c.latency" || slos[1].Objective().Latency != 5*time.Second {
		t.Errorf("SLOs: %v %v", slos[0].Name(), slos[1].Objective())
	}
}
