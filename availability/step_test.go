package availability

import (
	"errors"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// flagAll flags every point, so that the detector monitor's OnAnomaly
// listeners see every point fed, with its series name.
type flagAll struct{}

func (flagAll) ObserveAt(time.Time, float64) detect.Result {
	return detect.Result{Score: 1, Anomaly: true}
}
func (flagAll) Name() string { return "all" }
func (flagAll) Reset()       {}

// fedLog records every point fed to the detectors, by series.
type fedLog struct {
	mu     sync.Mutex
	points map[string][]fedPoint
}

type fedPoint struct {
	t time.Time
	v float64
}

func newFedLog(m *Monitor) *fedLog {
	l := &fedLog{points: map[string][]fedPoint{}}
	m.Detectors().OnAnomaly(func(a detect.Anomaly) {
		l.mu.Lock()
		l.points[a.Series] = append(l.points[a.Series], fedPoint{a.Time, a.Value})
		l.mu.Unlock()
	})
	return l
}

func (l *fedLog) values(series string) []float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []float64
	for _, p := range l.points[series] {
		out = append(out, p.v)
	}
	return out
}

func (l *fedLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, ps := range l.points {
		n += len(ps)
	}
	return n
}

// calls finishes n calls of e admitted at t, the first bad ones bad, each
// taking latency.
func calls(t *testing.T, e *Endpoint, at time.Time, n, bad int, latency time.Duration) {
	t.Helper()
	for i := range n {
		c, err := e.AdmitAt(at, admit.Normal)
		if err != nil {
			t.Fatalf("call %d refused: %v", i, err)
		}
		c.DoneAt(at.Add(latency), i < bad)
	}
}

// The detectors get one point per series per step, at the tick that ends
// it, computed over the whole step; the ticks inside a step feed nothing.
// The error ratio and the p99 need the minimum of served requests, the rate
// a tenth of it: a step with fewer feeds nothing, never a zero.
func TestDetectorStepCadence(t *testing.T) {
	m, _, clk := newTestMonitor(t, WithTickInterval(10*time.Second),
		WithDetector(func() detect.Detector { return flagAll{} }), WithDetectorMinRequests(100))
	fed := newFedLog(m)
	e := m.Endpoint(ServerEndpoint, "GET /a")
	steps := []struct {
		good, bad int     // calls in the step, spread over its ticks
		err, rate float64 // the points fed; NaN: none
	}{
		{good: 108, bad: 12, err: 0.1, rate: 2},
		{good: 30, bad: 0, err: math.NaN(), rate: 0.5},       // too few for the ratio, enough for the rate
		{good: 6, bad: 0, err: math.NaN(), rate: math.NaN()}, // too few for both
		{good: 0, bad: 0, err: math.NaN(), rate: math.NaN()}, // none: not fed as zero
		{good: 240, bad: 0, err: 0, rate: 4},
	}
	var wantErr, wantRate []float64
	for i, s := range steps {
		for tick := range 6 {
			// The step's calls come in the first tick, its slow one
			// (the bad calls take 2s) at once.
			if tick == 0 {
				calls(t, e, clk.Now(), s.bad, s.bad, 2*time.Second)
				calls(t, e, clk.Now(), s.good, 0, 10*time.Millisecond)
			}
			before := fed.count()
			m.TickAt(clk.Add(10 * time.Second))
			if tick < 5 && fed.count() != before {
				t.Fatalf("step %d: tick %d inside the step fed the detectors", i, tick)
			}
		}
		if !math.IsNaN(s.err) {
			wantErr = append(wantErr, s.err)
		}
		if !math.IsNaN(s.rate) {
			wantRate = append(wantRate, s.rate)
		}
	}
	if got := fed.values("route:GET:a:error_ratio"); !equalFloats(got, wantErr) {
		t.Errorf("error ratio fed %v, want %v", got, wantErr)
	}
	if got := fed.values("route:GET:a:rate"); !equalFloats(got, wantRate) {
		t.Errorf("rate fed %v, want %v", got, wantRate)
	}
	p99 := fed.values("route:GET:a:p99")
	if len(p99) != 2 || math.Abs(p99[0]-2)/2 > 1.0/16 || math.Abs(p99[1]-0.01)/0.01 > 1.0/16 {
		t.Errorf("p99 fed %v, want [~2 ~0.01]", p99)
	}
	// Points carry the instant of the tick that ended their step.
	for _, p := range fed.points["route:GET:a:rate"] {
		if p.t.Sub(t0)%time.Minute != 0 {
			t.Errorf("point at %v, not at a step's end", p.t)
		}
	}
	// Statusz shows the last step's figures, fed or not.
	if st := m.Statusz().Endpoints[0]; st.Rate != 4 || st.ErrorRatio != 0 {
		t.Errorf("statusz endpoint %+v, want rate 4, error ratio 0", st)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

// The default step is a minute: ticks every second feed nothing until a
// minute has passed since New.
func TestDetectorStepDefault(t *testing.T) {
	m, _, clk := newTestMonitor(t, WithDetector(func() detect.Detector { return flagAll{} }))
	fed := newFedLog(m)
	e := m.Endpoint(ServerEndpoint, "GET /a")
	calls(t, e, clk.Now(), DefaultDetectorMinRequests, 0, time.Millisecond)
	for range 59 {
		m.TickAt(clk.Add(time.Second))
	}
	if n := fed.count(); n != 0 {
		t.Fatalf("%d points fed within the first minute", n)
	}
	m.TickAt(clk.Add(time.Second))
	if got := fed.values("route:GET:a:rate"); len(got) != 1 || math.Abs(got[0]-float64(DefaultDetectorMinRequests)/60) > 1e-9 {
		t.Errorf("rate fed %v after a minute, want [%v]", got, float64(DefaultDetectorMinRequests)/60)
	}
}

// A client endpoint whose breaker opens keeps its offered rate: the
// rejected calls count as calls of the step. Its error ratio and p99, with
// too few served calls, are skipped.
func TestDetectorRateCountsBreakerRejections(t *testing.T) {
	m, _, clk := newTestMonitor(t, WithDetector(func() detect.Detector { return flagAll{} }),
		WithDetectorMinRequests(10), WithClientBreakers(breaker.Config{ConsecutiveFailures: 1, OpenTimeout: time.Hour}))
	fed := newFedLog(m)
	e := m.Endpoint(ClientEndpoint, "dep")
	calls(t, e, clk.Now(), 60, 0, time.Millisecond)
	m.TickAt(clk.Add(time.Minute))
	calls(t, e, clk.Now(), 1, 1, time.Millisecond) // opens the breaker
	for range 59 {
		if _, err := e.AdmitAt(clk.Now(), admit.Normal); !errors.Is(err, breaker.ErrOpen) {
			t.Fatalf("breaker admitted a call: %v", err)
		}
	}
	m.TickAt(clk.Add(time.Minute))
	if got := fed.values("client:dep:rate"); !equalFloats(got, []float64{1, 1}) {
		t.Errorf("rate fed %v, want [1 1]: rejected calls are offered load", got)
	}
	if got := fed.values("client:dep:error_ratio"); !equalFloats(got, []float64{0}) {
		t.Errorf("error ratio fed %v, want [0]: the step with one served call is skipped", got)
	}
}

// Shedding keeps a route's offered rate: calls a server endpoint sheds,
// and requests the middleware sheds (under the route the mux would match),
// count as calls of the step.
func TestDetectorRateAndShedding(t *testing.T) {
	s, err := admit.NewShedder("t", admit.ShedderConfig{})
	if err != nil {
		t.Fatal(err)
	}
	m, _, clk := newTestMonitor(t, WithShedder(s), WithDetector(func() detect.Detector { return flagAll{} }),
		WithDetectorMinRequests(10))
	fed := newFedLog(m)
	e := m.Endpoint(ServerEndpoint, "/svc/M")
	calls(t, e, clk.Now(), 60, 0, time.Millisecond)
	m.TickAt(clk.Add(time.Minute))

	// Step 2: half the calls are shed by the endpoint's admission.
	s.SetLevel(admit.Normal)
	for range 30 {
		if _, err := e.AdmitAt(clk.Now(), admit.Sheddable); !errors.Is(err, admit.ErrShed) {
			t.Fatalf("not shed: %v", err)
		}
	}
	s.SetLevel(admit.Sheddable)
	calls(t, e, clk.Now(), 30, 0, time.Millisecond)
	m.TickAt(clk.Add(time.Minute))
	if got := fed.values("route:svc.M:rate"); !equalFloats(got, []float64{1, 1}) {
		t.Fatalf("rate fed %v, want [1 1]: shed calls are offered load", got)
	}

	// Step 3: the middleware sheds requests to another route: they count
	// as that route's offered load.
	h := m.Middleware(testMux())
	s.SetLevel(admit.Critical)
	for range 60 {
		if code := serve(h, "GET", "/users/1").Code; code != http.StatusServiceUnavailable {
			t.Fatalf("middleware answered %d, want 503", code)
		}
	}
	s.SetLevel(admit.Sheddable)
	calls(t, e, clk.Now(), 60, 0, time.Millisecond)
	m.TickAt(clk.Add(time.Minute))
	if got := fed.values("route:GET:users.id:rate"); !equalFloats(got, []float64{1}) {
		t.Errorf("shed route's rate fed %v, want [1]: requests shed before routing are their route's offered load", got)
	}
	if got := fed.values("route:GET:users.id:error_ratio"); len(got) != 0 {
		t.Errorf("shed route's error ratio fed %v, want none: it served nothing", got)
	}
	if got := fed.values("route:svc.M:rate"); !equalFloats(got, []float64{1, 1, 1}) {
		t.Errorf("rate fed %v, want [1 1 1]", got)
	}
}

func TestDetectorStepOptionsValidated(t *testing.T) {
	for _, c := range []struct {
		opt   Option
		field string
	}{
		{WithDetectorStep(-time.Second), "WithDetectorStep"},
		{WithDetectorStep(time.Microsecond), "WithDetectorStep"},
		{WithDetectorStep(2 * time.Hour), "WithDetectorStep"},
		{WithDetectorMinRequests(-1), "WithDetectorMinRequests"},
		{WithDetectorMinRequests(MaxDetectorMinRequests + 1), "WithDetectorMinRequests"},
	} {
		_, err := New(c.opt)
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: New returned %v, want ErrInvalidConfig naming it", c.field, err)
		}
	}
}
