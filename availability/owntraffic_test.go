package availability

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// An own-traffic request through the RoundTripper goes out even while the
// breaker is open, carries the header, and is counted nowhere; a user
// request next to it is counted and refused as usual.
func TestRoundTripperOwnTraffic(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithClientBreakers(breaker.Config{ConsecutiveFailures: 1, OpenTimeout: time.Hour}),
		WithRouteObjectives(RouteObjectives{Availability: 0.99, Latency: time.Second}))
	var hits, headers atomic.Int64
	client := &http.Client{Transport: m.RoundTripper(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		hits.Add(1)
		if r.Header.Get(OwnTrafficHeader) != "" {
			headers.Add(1)
		}
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Body: http.NoBody, Request: r}, nil
	}))}
	get := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://dep.internal/x", nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	own := OwnTraffic(t.Context())
	for range 3 {
		if err := get(own); err != nil {
			t.Fatalf("own request: %v", err)
		}
	}
	e := m.Endpoint(ClientEndpoint, "dep.internal")
	if st := e.avail.Status(); st.Good+st.Bad != 0 {
		t.Fatalf("own 503s counted in the SLO: %+v", st)
	}
	if e.breaker.State() != breaker.Closed || e.requests() != 0 {
		t.Fatalf("own 503s reached the breaker (%v) or the aggregates (%d)", e.breaker.State(), e.requests())
	}
	// One user 503 opens the breaker; user calls are then refused, own
	// calls still go out.
	if err := get(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := get(t.Context()); !errors.Is(err, breaker.ErrOpen) {
		t.Fatalf("user request while open: %v, want breaker.ErrOpen", err)
	}
	if err := get(own); err != nil {
		t.Fatalf("own request while open: %v", err)
	}
	if hits.Load() != 5 || headers.Load() != 4 {
		t.Errorf("base saw %d requests (%d with %s), want 5 (4)", hits.Load(), headers.Load(), OwnTrafficHeader)
	}
	if st := e.avail.Status(); st.Bad != 1 || st.Good != 0 {
		t.Errorf("SLO good/bad %d/%d, want 0/1 (the user call)", st.Good, st.Bad)
	}
}

// The middleware honours the header only with WithOwnTrafficHeader, and a
// marked request context always; an own request is neither shed nor
// measured, and its handler sees a marked context.
func TestMiddlewareOwnTraffic(t *testing.T) {
	for _, trust := range []bool{false, true} {
		shedder, err := admit.NewShedder("test", admit.ShedderConfig{})
		if err != nil {
			t.Fatal(err)
		}
		shedder.SetLevel(admit.Critical) // everything but critical is shed
		opts := []Option{WithShedder(shedder), WithRouteObjectives(RouteObjectives{Availability: 0.99})}
		if trust {
			opts = append(opts, WithOwnTrafficHeader())
		}
		m, _, _ := newTestMonitor(t, opts...)
		var marked atomic.Int64
		mux := http.NewServeMux()
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
			if IsOwnTraffic(r.Context()) {
				marked.Add(1)
			}
		})
		h := m.Middleware(mux)
		serve := func(r *http.Request) int {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Code
		}
		withHeader := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		withHeader.Header.Set(OwnTrafficHeader, "1")
		want := http.StatusServiceUnavailable
		if trust {
			want = http.StatusOK
		}
		if code := serve(withHeader); code != want {
			t.Errorf("trust=%v: header request answered %d, want %d", trust, code, want)
		}
		inProcess := httptest.NewRequestWithContext(OwnTraffic(t.Context()), http.MethodGet, "/healthz", nil)
		if code := serve(inProcess); code != http.StatusOK {
			t.Errorf("trust=%v: marked request answered %d, want 200", trust, code)
		}
		wantMarked := int64(1)
		if trust {
			wantMarked = 2
		}
		if marked.Load() != wantMarked {
			t.Errorf("trust=%v: handler saw %d marked contexts, want %d", trust, marked.Load(), wantMarked)
		}
		if got := m.Endpoint(ServerEndpoint, "GET /healthz").requests(); got != 0 {
			t.Errorf("trust=%v: own requests measured: %d", trust, got)
		}
		_ = shedder.Shutdown(t.Context())
	}
}
