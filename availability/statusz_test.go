package availability

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/breaker"
)

// thresholdDetector flags every value at or above its limit: a stand-in for
// the real ensemble, whose verdicts need long histories.
type thresholdDetector struct{ limit float64 }

func (d *thresholdDetector) ObserveAt(_ time.Time, v float64) detect.Result {
	if v != v { // NaN: no data
		return detect.Result{Skipped: true}
	}
	if v >= d.limit {
		return detect.Result{Score: 1, Anomaly: true}
	}
	return detect.Result{}
}
func (d *thresholdDetector) Name() string { return "threshold" }
func (d *thresholdDetector) Reset()       {}

// scenario builds a Monitor with a health check, an engine, a breaker, and
// drives a failing route through two ticks. It returns the monitor and the
// event log.
func scenario(t *testing.T) (*Monitor, *eventLog) {
	t.Helper()
	var acted []string
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{
		{Name: "page-on-burn", When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalSLOAlert}},
			Action: remediate.ReversibleFunc("notify", func(context.Context, string, remediate.Signal) error { return nil },
				func(context.Context, string, remediate.Signal) error { return nil }), DryRun: true,
			Cooldown: time.Hour},
		{Name: "anomaly-shed", When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalAnomaly}},
			Action: remediate.Func("record", func(_ context.Context, target string, _ remediate.Signal) error {
				acted = append(acted, target)
				return nil
			}), Cooldown: time.Hour},
	}}, remediate.WithAuditLogger(discardLogger))
	if err != nil {
		t.Fatal(err)
	}
	reg := health.NewRegistry(health.WithJitter(0))
	dbUp := true
	if err := reg.Register(health.Check{Name: "db", Func: func(context.Context) health.Result {
		if dbUp {
			return health.Pass()
		}
		return health.Fail(errors.New("connection refused"))
	}}); err != nil {
		t.Fatal(err)
	}
	m, _, clk := newTestMonitor(t, WithHealth(reg), WithEngine(engine), WithDetectorMinRequests(1),
		WithDetector(func() detect.Detector { return &thresholdDetector{limit: 0.5} }),
		WithRouteObjectives(RouteObjectives{Availability: 0.99, Latency: time.Second}),
		WithClientBreakers(breaker.Config{ConsecutiveFailures: 100, OpenTimeout: time.Hour}))
	log := &eventLog{}
	m.OnEvent(log.add)
	ctx := context.Background()
	if err := reg.RunChecks(ctx); err != nil {
		t.Fatal(err)
	}
	h := m.Middleware(testMux())
	client := &http.Client{Transport: m.RoundTripper(roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("dial: connection refused")
	}))}
	m.TickAt(clk.Now())
	// The endpoints exist an hour before their failures: an objective's
	// history starts with its endpoint, and an hour of it covers the
	// 1h/5m tier, so every tier has spent its share of the budget at the
	// tick below (see slo.TierStatus.WarmingUp).
	m.Endpoint(ServerEndpoint, "GET /fail")
	m.Endpoint(ClientEndpoint, "payments.internal")
	m.TickAt(clk.Add(time.Hour))
	for range 4 {
		serve(h, "GET", "/users/1")
	}
	// 100 failures: enough events for every tier's low-traffic guard
	// (slo.Tier.MinEventCount is at most 100 for a 99% objective).
	for range 100 {
		serve(h, "GET", "/fail")
		_, _ = client.Get("http://payments.internal/charge")
	}
	dbUp = false
	if err := reg.RunChecks(ctx); err != nil {
		t.Fatal(err)
	}
	// A 4-minute interval keeps the rates (104/240, 100/240 per second)
	// under the stub detector's limit: only the error ratios are flagged.
	m.TickAt(clk.Add(4 * time.Minute))
	if len(acted) == 0 {
		t.Error("the anomaly policy never ran")
	}
	return m, log
}

func TestStatuszGolden(t *testing.T) {
	m, _ := scenario(t)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/statusz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var st Statusz
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatalf("decoding /statusz: %v", err)
	}
	// Latencies are measured by the real clock: blank them, re-encode as
	// the handler does, and compare the rest.
	for i := range st.Endpoints {
		if st.Endpoints[i].P99Seconds <= 0 {
			t.Errorf("endpoint %s: p99 %v, want > 0", st.Endpoints[i].Name, st.Endpoints[i].P99Seconds)
		}
		st.Endpoints[i].P99Seconds = 0
	}
	out, _ := json.MarshalIndent(st, "", "  ")
	golden(t, "statusz.golden.json", string(out)+"\n")
}

func TestTimelineOrder(t *testing.T) {
	_, log := scenario(t)
	var lines []string
	for _, e := range log.events {
		lines = append(lines, e.Kind.String()+" "+e.Subject+": "+e.Message)
	}
	golden(t, "timeline.golden", strings.Join(lines, "\n")+"\n")
}
