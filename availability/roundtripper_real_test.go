package availability

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/breaker"
)

// closeTracker is a request body that records Close.
type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

// TestRoundTripperCancelledAndRejected: a call its caller cancels counts in
// neither the SLO nor the breaker, and a call the open breaker rejects has
// its body closed without reaching the server.
func TestRoundTripperCancelledAndRejected(t *testing.T) {
	unblock := make(chan struct{})
	inHandler := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang" {
			inHandler <- struct{}{}
			select {
			case <-unblock:
			case <-r.Context().Done():
			}
			return
		}
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	defer close(unblock)
	m, _, _ := newTestMonitor(t, WithClientBreakers(breaker.Config{ConsecutiveFailures: 1, OpenTimeout: time.Hour}),
		WithRouteObjectives(RouteObjectives{Availability: 0.99}))
	rt := m.RoundTripper(srv.Client().Transport)
	host := strings.TrimPrefix(srv.URL, "http://")

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/hang", nil)
	go func() { <-inHandler; cancel() }()
	if _, err := rt.RoundTrip(req); err == nil {
		t.Fatal("cancelled call: no error")
	}
	e := m.Endpoint(ClientEndpoint, host)
	if st := e.avail.Status(); st.Good+st.Bad != 0 || e.requests() != 0 {
		t.Errorf("cancelled call counted: SLO %d/%d, requests %d", st.Good, st.Bad, e.requests())
	}
	if s := e.breaker.State(); s != breaker.Closed {
		t.Fatalf("breaker %v after a cancelled call, want closed", s)
	}

	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/bad", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if s := e.breaker.State(); s != breaker.Open {
		t.Fatalf("breaker %v after a 502, want open", s)
	}
	body := &closeTracker{Reader: strings.NewReader("payload")}
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/bad", body)
	if _, err := rt.RoundTrip(req); !errors.Is(err, breaker.ErrOpen) {
		t.Fatalf("rejected call: %v, want ErrOpen", err)
	}
	if !body.closed {
		t.Error("rejected call's body not closed")
	}
}
