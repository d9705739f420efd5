package grpccheck_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/synthetic"
	"github.com/nines-sre/nines/synthetic/grpccheck"
)

// runOnce runs a one-check runner once and returns the result.
func runOnce(t *testing.T, c synthetic.Check) synthetic.Result {
	t.Helper()
	r, err := synthetic.NewRunner([]synthetic.Check{c})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), c.Name)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustCall(t *testing.T) func(synthetic.Call, error) synthetic.Call {
	return func(c synthetic.Call, err error) synthetic.Call {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

func TestHealthServing(t *testing.T) {
	tg := newTarget(t)
	tg.health.SetServingStatus("shop", healthpb.HealthCheckResponse_SERVING)
	call := mustCall(t)(grpccheck.Health(tg.addr, "shop"))
	r, err := synthetic.NewRunner([]synthetic.Check{{Name: "grpc", Steps: []synthetic.Step{{Name: "health", Call: call,
		Assert: []synthetic.Assertion{{Code: "SERVING"}, {JSONPath: "$.status", Value: "SERVING"}, {BodyContains: `"status":"SERVING"`}, {Header: "x-session", Value: "s-"}}}}}},
		synthetic.WithClock(tickClock()))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), "grpc")
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != synthetic.Pass {
		t.Fatalf("outcome %v: %s", res.Outcome, res.Err())
	}
	s := res.Steps[0]
	if s.Code != "SERVING" || s.Status != 0 {
		t.Errorf("code %q status %d, want SERVING and 0", s.Code, s.Status)
	}
	// On the ticking clock the dial spans two readings: 1ms.
	if s.Phases.Connect != time.Millisecond || s.Phases.Processing <= 0 || s.Phases.TLS != 0 || s.Phases.Resolve != 0 {
		t.Errorf("phases %+v: want connect 1ms and some processing, no TLS or resolve (an IP over plaintext)", s.Phases)
	}
}

func TestHealthNotServingFails(t *testing.T) {
	tg := newTarget(t)
	tg.health.SetServingStatus("shop", healthpb.HealthCheckResponse_NOT_SERVING)
	res := runOnce(t, synthetic.Check{Name: "grpc", Steps: []synthetic.Step{{Name: "health", Call: mustCall(t)(grpccheck.Health(tg.addr, "shop"))}}})
	if res.Outcome != synthetic.Fail || res.Steps[0].Code != "NOT_SERVING" || !strings.Contains(res.Err(), "code NOT_SERVING") {
		t.Fatalf("outcome %v code %q: %s, want fail with NOT_SERVING", res.Outcome, res.Steps[0].Code, res.Err())
	}
}

func TestCodeAssertion(t *testing.T) {
	tg := newTarget(t) // the health server answers NOT_FOUND for an unknown service
	call := mustCall(t)(grpccheck.Health(tg.addr, "nope"))
	res := runOnce(t, synthetic.Check{Name: "grpc", Steps: []synthetic.Step{{Name: "health", Call: call,
		Assert: []synthetic.Assertion{{Code: "NOT_FOUND"}}}}})
	if res.Outcome != synthetic.Pass || res.Steps[0].Code != "NOT_FOUND" {
		t.Fatalf("asserting NOT_FOUND: outcome %v code %q: %s", res.Outcome, res.Steps[0].Code, res.Err())
	}
	res = runOnce(t, synthetic.Check{Name: "grpc", Steps: []synthetic.Step{{Name: "health", Call: call,
		Assert: []synthetic.Assertion{{Code: "SERVING"}}}}})
	if res.Outcome != synthetic.Fail || !strings.Contains(res.Err(), "code NOT_FOUND, want SERVING") {
		t.Fatalf("asserting SERVING: outcome %v: %s", res.Outcome, res.Err())
	}
	soft := runOnce(t, synthetic.Check{Name: "grpc", Steps: []synthetic.Step{{Name: "health", Call: call,
		Assert: []synthetic.Assertion{{Code: "NOT_FOUND"}, {Code: "OK", Soft: true}}}}})
	if soft.Outcome != synthetic.Degraded {
		t.Fatalf("a soft code assertion: outcome %v: %s", soft.Outcome, soft.Err())
	}
}

func TestUnreachable(t *testing.T) {
	res := runOnce(t, synthetic.Check{Name: "grpc", Steps: []synthetic.Step{{Name: "health", Call: mustCall(t)(grpccheck.Health(closedAddr(t), ""))}}})
	if res.Outcome != synthetic.Fail || res.Steps[0].Code != "UNAVAILABLE" {
		t.Fatalf("outcome %v code %q: %s, want fail with UNAVAILABLE", res.Outcome, res.Steps[0].Code, res.Err())
	}
}

func TestHungServer(t *testing.T) {
	release := make(chan struct{})
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, hungHealth{release: release})
	hung := serve(t, srv)
	t.Cleanup(func() { close(release) }) // before the server stops (cleanups run last first)
	silent := silentListener(t)
	for _, tc := range []struct {
		name, addr  string
		stepTimeout time.Duration
	}{
		{"handler never returns, step timeout", hung, 50 * time.Millisecond},
		{"handler never returns, run timeout", hung, 0},
		{"no HTTP/2 preface, step timeout", silent, 50 * time.Millisecond},
		{"no HTTP/2 preface, run timeout", silent, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := synthetic.NewRunner([]synthetic.Check{{Name: "hung", Interval: time.Second, Timeout: 200 * time.Millisecond,
				Steps: []synthetic.Step{{Name: "health", Timeout: tc.stepTimeout, Call: mustCall(t)(grpccheck.Health(tc.addr, ""))}}}})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Run(context.Background(), "hung")
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != synthetic.Timeout {
				t.Fatalf("outcome %v: %s, want timeout", res.Outcome, res.Err())
			}
			// The step goroutine returns with the deadline (the call
			// honours it): a later run starts a fresh one instead of
			// finding the previous one still busy. The loop only waits
			// for that goroutine to be scheduled; it bounds nothing.
			for i := 0; ; i++ {
				res, _ = r.Run(context.Background(), "hung")
				if res.Outcome != synthetic.Timeout {
					t.Fatalf("later run: outcome %v: %s", res.Outcome, res.Err())
				}
				if !strings.Contains(res.Failure, "previous run") {
					break
				}
				if i == 1000 {
					t.Fatal("the hung call's goroutine never returned")
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

var traceparentRE = regexp.MustCompile(`^00-[0-9a-f]{32}-[0-9a-f]{16}-01$`)

func TestMetadataMarksOwnTraffic(t *testing.T) {
	tg := newTarget(t)
	call := mustCall(t)(grpccheck.Health(tg.addr, "", grpccheck.WithMetadata(map[string]string{"Authorization": "Bearer ${token}"})))
	res := runOnce(t, synthetic.Check{Name: "grpc", Vars: map[string]string{"token": "t-9"}, Steps: []synthetic.Step{{Name: "a", Call: call}, {Name: "b", Call: call}}})
	if res.Outcome != synthetic.Pass {
		t.Fatalf("outcome %v: %s", res.Outcome, res.Err())
	}
	calls := tg.calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls, want 2", len(calls))
	}
	for i, md := range calls {
		if got := md.Get("nines-own-traffic"); len(got) != 1 || got[0] != "synthetic" {
			t.Errorf("call %d: nines-own-traffic = %q", i, got)
		}
		if got := md.Get("traceparent"); len(got) != 1 || !traceparentRE.MatchString(got[0]) {
			t.Errorf("call %d: traceparent = %q", i, got)
		}
		if got := md.Get("authorization"); len(got) != 1 || got[0] != "Bearer t-9" {
			t.Errorf("call %d: authorization = %q", i, got)
		}
		if got := md.Get("user-agent"); len(got) != 1 || !strings.HasPrefix(got[0], "nines-synthetic") {
			t.Errorf("call %d: user-agent = %q", i, got)
		}
	}
	if calls[0].Get("traceparent")[0] == calls[1].Get("traceparent")[0] {
		t.Error("two calls share a traceparent")
	}
}

// A value extracted from a gRPC response (JSON path and metadata) feeds a
// later HTTP step, and an HTTP value feeds a gRPC request.
func TestExtractionAcrossProtocols(t *testing.T) {
	tg := newTarget(t)
	tg.health.SetServingStatus("shop", healthpb.HealthCheckResponse_SERVING)
	var got string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /service", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"name":"sh\"op"}`)) })
	mux.HandleFunc("GET /report/{status}", func(w http.ResponseWriter, r *http.Request) {
		got = r.PathValue("status") + " " + r.Header.Get("X-Session")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	// HTTP to gRPC: a value with a quote lands JSON-escaped in the
	// request; unescaped it would not parse and the call would not be made.
	fromHTTP := mustCall(t)(grpccheck.Unary(tg.addr, grpccheck.HealthMethod, `{"service":"${raw}"}`))
	res := runOnce(t, synthetic.Check{Name: "mixed", Steps: []synthetic.Step{
		{Name: "name", URL: srv.URL + "/service", Extract: []synthetic.Extract{{Name: "raw", JSONPath: "$.name"}}},
		{Name: "check", Call: fromHTTP, Assert: []synthetic.Assertion{{Code: "NOT_FOUND"}}},
	}})
	if res.Outcome != synthetic.Pass {
		t.Fatalf("HTTP to gRPC: outcome %v: %s", res.Outcome, res.Err())
	}
	// gRPC to HTTP.
	unary := mustCall(t)(grpccheck.Unary(tg.addr, grpccheck.HealthMethod, `{"service":"${svc}"}`))
	res = runOnce(t, synthetic.Check{Name: "mixed", Vars: map[string]string{"svc": "shop"}, Steps: []synthetic.Step{
		{Name: "check", Call: unary, Assert: []synthetic.Assertion{{Code: "OK"}},
			Extract: []synthetic.Extract{{Name: "status", JSONPath: "$.status"}, {Name: "session", Header: "X-Session"}}},
		{Name: "report", URL: srv.URL + "/report/${status}", Header: map[string]string{"X-Session": "${session}"}, Assert: []synthetic.Assertion{{Status: 200}}},
	}})
	if res.Outcome != synthetic.Pass {
		t.Fatalf("outcome %v: %s", res.Outcome, res.Err())
	}
	if got != "SERVING s-42" {
		t.Errorf("the HTTP step got %q, want the gRPC step's status and session", got)
	}
}

// A host name is resolved by the dialer: the resolve phase is measured.
func TestResolvePhase(t *testing.T) {
	tg := newTarget(t)
	_, port, _ := net.SplitHostPort(tg.addr)
	call := mustCall(t)(grpccheck.Health(net.JoinHostPort("localhost", port), ""))
	r, err := synthetic.NewRunner([]synthetic.Check{{Name: "grpc", Steps: []synthetic.Step{{Name: "health", Call: call}}}}, synthetic.WithClock(tickClock()))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), "grpc")
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Steps[0]; s.Outcome != synthetic.Pass || s.Phases.Resolve != time.Millisecond || s.Phases.Connect != time.Millisecond {
		t.Fatalf("%v %v phases %+v, want pass with resolve 1ms and connect 1ms", s.Outcome, s.Failures, s.Phases)
	}
}

// The runner's body bound holds for a gRPC response: the 2-byte health
// response is refused at 1 byte.
func TestMaxBodyBytes(t *testing.T) {
	tg := newTarget(t)
	call := mustCall(t)(grpccheck.Health(tg.addr, ""))
	for limit, want := range map[int64]string{1: "RESOURCE_EXHAUSTED", 2: "SERVING"} {
		r, err := synthetic.NewRunner([]synthetic.Check{{Name: "grpc", Steps: []synthetic.Step{{Name: "health", Call: call}}}}, synthetic.WithMaxBodyBytes(limit))
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Run(context.Background(), "grpc")
		if err != nil {
			t.Fatal(err)
		}
		if res.Steps[0].Code != want {
			t.Errorf("limit %d: code %q (%v), want %s", limit, res.Steps[0].Code, res.Steps[0].Failures, want)
		}
	}
}
