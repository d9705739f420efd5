package synthetic_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/metrictest"
	"github.com/nines-sre/nines/synthetic"
)

// slowTransport answers after a fixed (synctest) delay and counts how many
// requests are in flight at once.
type slowTransport struct {
	delay  time.Duration
	status int

	mu            sync.Mutex
	inflight, max int
	calls         int
}

func (s *slowTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.inflight++
	s.calls++
	s.max = max(s.max, s.inflight)
	status := s.status
	s.mu.Unlock()
	time.Sleep(s.delay)
	s.mu.Lock()
	s.inflight--
	s.mu.Unlock()
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok")), Request: req}, nil
}

func TestScheduleAndConcurrency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := &slowTransport{delay: time.Second, status: 200}
		var checks []synthetic.Check
		for _, name := range []string{"a", "b", "c"} {
			checks = append(checks, synthetic.Check{Name: name, Interval: 10 * time.Second, Steps: []synthetic.Step{{Name: "s", URL: "http://t.invalid/"}}})
		}
		r := newRunner(t, checks, synthetic.WithTransport(tr), synthetic.WithConcurrency(1), synthetic.WithJitter(0))
		var mu sync.Mutex
		runs := map[string]int{}
		r.OnResult(func(res synthetic.Result) {
			mu.Lock()
			runs[res.Check]++
			mu.Unlock()
		})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		// Runs at 0s, 10s and 20s (each waits for a slot: 1s per run).
		time.Sleep(25 * time.Second)
		if err := r.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, name := range []string{"a", "b", "c"} {
			if runs[name] != 3 {
				t.Errorf("check %s ran %d times in 25s at a 10s interval, want 3", name, runs[name])
			}
		}
		if tr.max != 1 {
			t.Errorf("%d runs at once with WithConcurrency(1)", tr.max)
		}
	})
}

// Jitter moves each start earlier by less than jitter x Interval, and
// never adds runs: in 95s at a 10s interval with jitter 0.5, the runs are
// the first (in [0s, 5s)) and one in each (k*10s-5s, k*10s] for k = 1..9.
func TestJitterKeepsTheRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := &slowTransport{status: 200}
		r := newRunner(t, []synthetic.Check{{Name: "c", Interval: 10 * time.Second, Steps: []synthetic.Step{{Name: "s", URL: "http://t.invalid/"}}}},
			synthetic.WithTransport(tr), synthetic.WithJitter(0.5))
		var mu sync.Mutex
		var starts []time.Duration
		t0 := time.Now()
		r.OnResult(func(res synthetic.Result) {
			mu.Lock()
			starts = append(starts, res.Start.Sub(t0))
			mu.Unlock()
		})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(95 * time.Second)
		if err := r.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(starts) != 10 {
			t.Fatalf("%d runs, want 10: %v", len(starts), starts)
		}
		for k, s := range starts {
			lo, hi := time.Duration(k)*10*time.Second-5*time.Second, time.Duration(k)*10*time.Second
			if k == 0 {
				lo, hi = -1, 5*time.Second
			}
			if !(s > lo && s <= hi) {
				t.Errorf("run %d started at %v, want in (%v, %v]", k, s, lo, hi)
			}
		}
	})
}

func TestHealthSLOsAndMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := &slowTransport{delay: 300 * time.Millisecond, status: 200}
		mp := metrictest.NewProvider(t)
		r := newRunner(t, []synthetic.Check{{Name: "c", Interval: 10 * time.Second, Timeout: time.Second, Readiness: true,
			Steps: []synthetic.Step{{Name: "s", URL: "http://t.invalid/", Assert: []synthetic.Assertion{{Status: 200}, {MaxLatency: 200 * time.Millisecond, Soft: true}}}}}},
			synthetic.WithTransport(tr), synthetic.WithMeterProvider(mp))
		hc := r.HealthChecks()
		if len(hc) != 1 || hc[0].Name != "synthetic.c" || hc[0].Groups != health.Readiness || hc[0].NonCritical || !hc[0].External {
			t.Fatalf("health check %+v", hc)
		}
		if got := hc[0].Func(t.Context()); got.Status != health.StatusPass {
			t.Errorf("before any run: %v", got.Status)
		}
		res, _ := r.Run(t.Context(), "c") // 300ms: soft latency bound missed
		if res.Outcome != synthetic.Degraded || res.Duration != 300*time.Millisecond {
			t.Fatalf("run: %v in %v", res.Outcome, res.Duration)
		}
		if got := hc[0].Func(t.Context()); got.Status != health.StatusWarn || !strings.Contains(got.Err.Error(), "latency 300ms, want at most 200ms") {
			t.Errorf("degraded run: %v %v", got.Status, got.Err)
		}
		tr.mu.Lock()
		tr.status = 500
		tr.mu.Unlock()
		r.Run(t.Context(), "c")
		if got := hc[0].Func(t.Context()); got.Status != health.StatusFail {
			t.Errorf("failed run: %v", got.Status)
		}
		slos := r.SLOs()
		if g, b := slos[0].Events(); g != 1 || b != 1 {
			t.Errorf("success SLO good %d bad %d, want 1 1", g, b)
		}
		if g, b := slos[1].Events(); g != 2 || b != 0 { // both under the 500ms bound
			t.Errorf("latency SLO good %d bad %d, want 2 0", g, b)
		}
		c := mp.Collect(t)
		for _, outcome := range []string{"degraded", "fail"} {
			p, ok := c.Point("synthetic.check.runs", attribute.String("synthetic.check.name", "c"), attribute.String("synthetic.outcome", outcome))
			if !ok || p.Value != 1 {
				t.Errorf("runs{%s} = %+v %v", outcome, p, ok)
			}
		}
		if _, ok := c.Point("synthetic.check.duration", attribute.String("synthetic.check.name", "c"), attribute.String("synthetic.step", "s"), attribute.String("synthetic.phase", "transfer")); !ok {
			t.Errorf("no transfer phase series:\n%s", strings.Join(c.Lines(), "\n"))
		}
	})
}
