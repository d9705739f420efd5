package availability

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/breaker"
)

func TestRoundTripperBreakerOpensAndNeverRetries(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	m, _, _ := newTestMonitor(t, WithClientBreakers(breaker.Config{ConsecutiveFailures: 3, OpenTimeout: time.Hour}),
		WithRouteObjectives(RouteObjectives{Availability: 0.99}))
	var log eventLog
	m.OnEvent(log.add)
	client := &http.Client{Transport: m.RoundTripper(srv.Client().Transport)}

	var opened int
	for i := range 6 {
		resp, err := client.Post(srv.URL+"/x", "text/plain", strings.NewReader("body"))
		switch {
		case i < 3:
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("call %d: status %d", i, resp.StatusCode)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		default:
			if !errors.Is(err, breaker.ErrOpen) {
				t.Fatalf("call %d: err %v, want one wrapping breaker.ErrOpen", i, err)
			}
			opened++
		}
	}
	if got := hits.Load(); got != 3 {
		t.Errorf("server hit %d times, want 3 (no retries, nothing while open)", got)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	e := m.Endpoint(ClientEndpoint, host)
	if st := e.avail.Status(); st.Bad != 3 || st.Good != 0 {
		t.Errorf("client SLO good/bad %d/%d, want 0/3", st.Good, st.Bad)
	}
	if es := e.status(); es.Rejected != uint64(opened) || es.Shed != 0 {
		t.Errorf("client endpoint rejected %d shed %d, want %d rejections and no shed", es.Rejected, es.Shed, opened)
	}
	ev := log.ofKind(EventBreaker)
	if len(ev) != 1 || !strings.Contains(ev[0].Message, "closed -> open") {
		t.Errorf("breaker events %v, want one closed -> open", ev)
	}
	st := m.Statusz()
	if len(st.Breakers) != 1 || st.Breakers[0].State != "open" || st.Breakers[0].Name != "client:"+host {
		t.Errorf("statusz breakers %+v", st.Breakers)
	}
}

func TestRoundTripperTransportErrorAndSuccess(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.99}))
	client := &http.Client{Transport: m.RoundTripper(srv.Client().Transport)}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	url := srv.URL
	srv.Close()
	if _, err := client.Get(url); err == nil {
		t.Fatal("want a transport error from a closed server")
	}
	e := m.Endpoint(ClientEndpoint, strings.TrimPrefix(url, "http://"))
	if st := e.avail.Status(); st.Good != 1 || st.Bad != 1 {
		t.Errorf("client SLO good/bad %d/%d, want 1/1", st.Good, st.Bad)
	}
}
