package availability

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/health/checks"
	"github.com/nines-sre/nines/internal/metrictest"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
)

// TestNewcomerScenarioRaisesNothing is the service of issue 10 as a new
// user builds it from the docs, with no fault at all: three routes, one
// dependency called through m.RoundTripper, a checks.HTTPGet readiness
// check on that dependency with the application's client, a "shed on page"
// policy, and check calls that are slow (1.5s against a 250ms latency
// objective). Scripted on synctest's clock for ten minutes at 5 req/s, it
// must raise no page and run no action: the check's calls are the
// library's own traffic.
func TestNewcomerScenarioRaisesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mp := metrictest.NewProvider(t)
		// The dependency: fast stock answers, slow health answers.
		dep := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			d := 10 * time.Millisecond
			if r.URL.Path == "/healthz" {
				d = 1500 * time.Millisecond
			}
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
			return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
		})
		shedder, err := admit.NewShedder("shop", admit.ShedderConfig{})
		if err != nil {
			t.Fatal(err)
		}
		defer shedder.Shutdown(context.Background())
		engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
			Name: "shed-on-page",
			When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalSLOAlert},
				Predicate: func(s remediate.Signal) bool {
					return s.State == "firing" && s.Severity == remediate.SeverityCritical
				}},
			Action: remediate.ShedLevel(admit.Normal, map[string]remediate.LevelSetter{"shop": shedder}),
			Target: func(remediate.Signal) string { return "shop" },
		}}}, remediate.WithAuditLogger(nil))
		if err != nil {
			t.Fatal(err)
		}
		reg := health.NewRegistry(health.WithMeterProvider(mp))
		m, err := New(WithMeterProvider(mp), WithLogger(discardLogger), WithHealth(reg), WithShedder(shedder),
			WithEngine(engine), WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: 250 * time.Millisecond}))
		if err != nil {
			t.Fatal(err)
		}
		client := &http.Client{Transport: m.RoundTripper(dep)}
		check, err := checks.HTTPGet(client, "http://inventory.internal/healthz")
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Register(health.Check{Name: "inventory", Groups: health.Readiness, External: true,
			Interval: 2 * time.Second, Timeout: 2 * time.Second, Func: check}); err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		mux.HandleFunc("GET /products/{id}", func(w http.ResponseWriter, r *http.Request) {
			req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "http://inventory.internal/stock/"+r.PathValue("id"), nil)
			resp, err := client.Do(req)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			resp.Body.Close()
		})
		mux.HandleFunc("GET /recommendations", func(http.ResponseWriter, *http.Request) {})
		mux.HandleFunc("POST /orders", func(http.ResponseWriter, *http.Request) {})
		h := m.Middleware(mux)

		var mu sync.Mutex
		var pages, shed []string
		m.OnEvent(func(e Event) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case e.Kind == EventSLOAlert && strings.Contains(e.Message, "page") && strings.Contains(e.Message, "firing"):
				pages = append(pages, e.Message)
			case e.Kind == EventShed:
				shed = append(shed, e.Message)
			}
		})
		if err := m.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		paths := []string{"GET /products/7", "GET /recommendations", "POST /orders"}
		end := time.Now().Add(10 * time.Minute)
		for i := 0; time.Now().Before(end); i++ {
			method, path, _ := strings.Cut(paths[i%len(paths)], " ")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(method, path, nil))
			if w.Code != http.StatusOK {
				t.Fatalf("%s %s answered %d", method, path, w.Code)
			}
			time.Sleep(200 * time.Millisecond)
		}
		st := m.Statusz()
		if err := m.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		var actions int
		for _, r := range engine.Records() {
			if r.Outcome == remediate.OutcomeExecuted {
				actions++
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(pages) != 0 || actions != 0 || len(shed) != 0 {
			t.Errorf("a healthy service raised %d pages %q, ran %d actions, shed %d bursts", len(pages), pages, actions, len(shed))
		}
		if st.Health.Checks["inventory"] != health.StatusPass.String() {
			t.Errorf("the check ran as %q, want pass: %+v", st.Health.Checks["inventory"], st.Health)
		}
		for _, e := range st.Endpoints {
			if e.Kind == "client" && e.Requests < 900 {
				t.Errorf("client endpoint %s counted %d calls: the user's calls are missing", e.Name, e.Requests)
			}
		}
	})
}
