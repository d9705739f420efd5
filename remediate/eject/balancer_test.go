package eject

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeBase answers every request itself, 500 for the hosts in bad.
type fakeBase struct {
	seen map[string]int
	bad  map[string]bool
	err  error
}

func (f *fakeBase) RoundTrip(req *http.Request) (*http.Response, error) {
	f.seen[req.URL.Host]++
	if f.err != nil {
		return nil, f.err
	}
	code := http.StatusOK
	if f.bad[req.URL.Host] {
		code = http.StatusInternalServerError
	}
	return &http.Response{StatusCode: code, Body: http.NoBody, Request: req}, nil
}

func newBalancer(t *testing.T, n int, base http.RoundTripper) (*Balancer, *Ejector, *Stats) {
	t.Helper()
	st, err := NewStats(StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ej, err := NewEjector(EjectorConfig{Replicas: replicas(n), MaxEjectedPercent: 50})
	if err != nil {
		t.Fatal(err)
	}
	clock := t0
	b, err := NewBalancer(BalancerConfig{Ejector: ej, Stats: st, Base: base, Now: func() time.Time { clock = clock.Add(time.Millisecond); return clock }})
	if err != nil {
		t.Fatal(err)
	}
	return b, ej, st
}

func TestBalancerSkipsEjected(t *testing.T) {
	base := &fakeBase{seen: map[string]int{}, bad: map[string]bool{"127.0.0.1:8001": true}}
	b, ej, st := newBalancer(t, 4, base)
	if err := ej.EjectAt(t0, "127.0.0.1:8002"); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://inventory/items", nil)
	for range 300 {
		resp, err := b.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if req.URL.Host != "inventory" {
		t.Fatalf("the caller's request was changed: host %q", req.URL.Host)
	}
	if base.seen["127.0.0.1:8002"] != 0 || base.seen["127.0.0.1:8000"] != 100 || base.seen["127.0.0.1:8001"] != 100 || base.seen["127.0.0.1:8003"] != 100 {
		t.Fatalf("requests per backend = %v, want 100 each and none to the ejected one", base.seen)
	}
	got := stepMap(st.Step(nil))
	if s := got["127.0.0.1:8001"]; s.Calls != 100 || s.Bad != 100 {
		t.Fatalf("stats of the 5xx backend = %+v, want 100 bad of 100", s)
	}
	if s := got["127.0.0.1:8000"]; s.Bad != 0 || s.Latency < 0.0009 || s.Latency > 0.0011 {
		t.Fatalf("stats of a healthy backend = %+v, want no errors and 1ms", s)
	}
}

func TestBalancerTransportErrorsAndCancel(t *testing.T) {
	base := &fakeBase{seen: map[string]int{}, err: errors.New("connection refused")}
	b, _, st := newBalancer(t, 2, base)
	req, _ := http.NewRequest(http.MethodGet, "http://inventory/", nil)
	if _, err := b.RoundTrip(req); err == nil {
		t.Fatal("want the transport error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	base.err = context.Canceled
	if _, err := b.RoundTrip(req.WithContext(ctx)); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	steps := st.Step(nil)
	if len(steps) != 1 || steps[0].Bad != 1 || steps[0].Calls != 1 {
		t.Fatalf("steps = %+v, want one bad call (the cancelled one not counted)", steps)
	}
}

// Real servers on 127.0.0.1: the request reaches the chosen backend with
// the logical Host header.
func TestBalancerReal(t *testing.T) {
	var addrs []string
	for i := range 3 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, r.Host+" "+string(rune('a'+i)))
		}))
		t.Cleanup(srv.Close)
		addrs = append(addrs, strings.TrimPrefix(srv.URL, "http://"))
	}
	st, _ := NewStats(StatsConfig{})
	ej, err := NewEjector(EjectorConfig{Replicas: addrs, MaxEjectedPercent: 50})
	if err != nil {
		t.Fatal(err)
	}
	if err := ej.EjectAt(t0, addrs[1]); err != nil {
		t.Fatal(err)
	}
	b, err := NewBalancer(BalancerConfig{Ejector: ej, Stats: st})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: b}
	defer client.CloseIdleConnections()
	seen := map[string]bool{}
	for range 6 {
		resp, err := client.Get("http://inventory.internal/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		seen[string(body)] = true
	}
	if len(seen) != 2 || !seen["inventory.internal a"] || !seen["inventory.internal c"] {
		t.Fatalf("answers = %v, want backends a and c with the logical host", seen)
	}
}

func TestBalancerConfigErrors(t *testing.T) {
	st, _ := NewStats(StatsConfig{})
	ej, _ := NewEjector(EjectorConfig{Replicas: replicas(2)})
	for _, cfg := range []BalancerConfig{{Stats: st}, {Ejector: ej}} {
		if _, err := NewBalancer(cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("NewBalancer(%+v) = %v, want ErrInvalidConfig", cfg, err)
		}
	}
}

func TestPickAllocs(t *testing.T) {
	b, ej, _ := newBalancer(t, 10, &fakeBase{})
	_ = ej.EjectAt(t0, "127.0.0.1:8004")
	if n := testing.AllocsPerRun(1000, func() { _ = b.Pick() }); n != 0 {
		t.Fatalf("Pick allocates %v, want 0", n)
	}
}
