package healthgrpc

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/health"
)

const (
	serving    = healthpb.HealthCheckResponse_SERVING
	notServing = healthpb.HealthCheckResponse_NOT_SERVING
	unknown    = healthpb.HealthCheckResponse_UNKNOWN
	svcUnknown = healthpb.HealthCheckResponse_SERVICE_UNKNOWN
)

func newServer(t *testing.T, src Source, opts ...Option) *Server {
	t.Helper()
	s, err := New(src, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCheckMapping(t *testing.T) {
	tests := []struct {
		name     string
		ready    health.Status
		check    health.Status
		draining bool
		group    health.Group
		wantAll  healthpb.HealthCheckResponse_ServingStatus // service ""
		wantDB   healthpb.HealthCheckResponse_ServingStatus // service "db"
	}{
		{"all pass", health.StatusPass, health.StatusPass, false, 0, serving, serving},
		{"warn still serves", health.StatusWarn, health.StatusWarn, false, 0, serving, serving},
		{"check fails", health.StatusFail, health.StatusFail, false, 0, notServing, notServing},
		{"not settled yet", health.StatusUnknown, health.StatusUnknown, false, 0, notServing, unknown},
		{"draining withdraws all", health.StatusPass, health.StatusPass, true, 0, notServing, notServing},
		{"liveness overall ignores drain", health.StatusPass, health.StatusPass, true, health.Liveness, serving, notServing},
		{"liveness overall fails", health.StatusFail, health.StatusPass, false, health.Liveness, notServing, serving},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := newFakeSource()
			g := tt.group
			if g == 0 {
				g = health.Readiness
			}
			src.setGroup(g, tt.ready)
			src.setCheck("db", tt.check)
			src.drain(tt.draining)
			client := serve(t, newServer(t, src, WithGroup(g)))
			for svc, want := range map[string]healthpb.HealthCheckResponse_ServingStatus{"": tt.wantAll, "db": tt.wantDB} {
				resp, err := client.Check(t.Context(), &healthpb.HealthCheckRequest{Service: svc})
				if err != nil {
					t.Fatalf("Check(%q): %v", svc, err)
				}
				if resp.GetStatus() != want {
					t.Errorf("Check(%q) = %v, want %v", svc, resp.GetStatus(), want)
				}
			}
		})
	}
}

func TestCheckUnknownServiceIsNotFound(t *testing.T) {
	client := serve(t, newServer(t, newFakeSource()))
	_, err := client.Check(t.Context(), &healthpb.HealthCheckRequest{Service: "nope"})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("Check(nope) err = %v, want NotFound", err)
	}
}

func TestList(t *testing.T) {
	src := newFakeSource()
	src.setGroup(health.Readiness, health.StatusPass)
	src.setCheck("cache", health.StatusFail)
	src.setCheck("db", health.StatusPass)
	client := serve(t, newServer(t, src))
	resp, err := client.List(t.Context(), &healthpb.HealthListRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]healthpb.HealthCheckResponse_ServingStatus{}
	for k, v := range resp.GetStatuses() {
		got[k] = v.GetStatus()
	}
	want := map[string]healthpb.HealthCheckResponse_ServingStatus{"": serving, "cache": notServing, "db": serving}
	if len(got) != len(want) {
		t.Fatalf("List = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("List[%q] = %v, want %v", k, got[k], v)
		}
	}

	for i := range maxListed {
		src.setCheck(string(rune('a'+i%26))+string(rune('a'+i/26)), health.StatusPass)
	}
	if _, err := client.List(t.Context(), &healthpb.HealthListRequest{}); status.Code(err) != codes.ResourceExhausted {
		t.Errorf("List over %d services err = %v, want ResourceExhausted", maxListed, err)
	}
}

// recv reads the next message of a Watch stream, failing the test after a
// generous bound so a missing push shows as a failure, not a hang.
func recv(t *testing.T, stream grpc.ServerStreamingClient[healthpb.HealthCheckResponse]) (healthpb.HealthCheckResponse_ServingStatus, error) {
	t.Helper()
	type msg struct {
		s   healthpb.HealthCheckResponse_ServingStatus
		err error
	}
	ch := make(chan msg, 1)
	go func() {
		r, err := stream.Recv()
		ch <- msg{r.GetStatus(), err}
	}()
	select {
	case m := <-ch:
		return m.s, m.err
	case <-time.After(10 * time.Second):
		t.Fatal("no Watch message within 10s")
		return 0, nil
	}
}

func TestWatchPushesEachChange(t *testing.T) {
	src := newFakeSource()
	src.setCheck("db", health.StatusUnknown)
	client := serve(t, newServer(t, src))
	stream, err := client.Watch(t.Context(), &healthpb.HealthCheckRequest{Service: "db"})
	if err != nil {
		t.Fatal(err)
	}
	// Each step changes the source, then expects the next message. Steps
	// whose serving status does not move send nothing, which the next
	// step's expectation proves (a duplicate would arrive in its place).
	steps := []struct {
		do   func()
		want healthpb.HealthCheckResponse_ServingStatus // -1: expect no message
	}{
		{func() {}, unknown}, // the current status first
		{func() { src.setCheck("db", health.StatusPass) }, serving},
		{func() { src.setCheck("db", health.StatusWarn) }, -1},
		{func() { src.setCheck("other", health.StatusFail) }, -1},
		{func() { src.setCheck("db", health.StatusFail) }, notServing},
		{func() { src.setCheck("db", health.StatusPass) }, serving},
		{func() { src.drain(true) }, notServing},
		{func() { src.drain(false) }, serving},
	}
	for i, s := range steps {
		s.do()
		if s.want == -1 {
			continue
		}
		got, err := recv(t, stream)
		if err != nil || got != s.want {
			t.Fatalf("step %d: got %v, %v; want %v", i, got, err, s.want)
		}
	}
}

func TestWatchUnknownServiceStaysOpen(t *testing.T) {
	src := newFakeSource()
	client := serve(t, newServer(t, src))
	stream, err := client.Watch(t.Context(), &healthpb.HealthCheckRequest{Service: "late"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := recv(t, stream); err != nil || got != svcUnknown {
		t.Fatalf("first = %v, %v; want SERVICE_UNKNOWN", got, err)
	}
	src.setCheck("late", health.StatusPass) // registered after the call began
	if got, err := recv(t, stream); err != nil || got != serving {
		t.Fatalf("after register = %v, %v; want SERVING", got, err)
	}
}

func TestShutdownEndsWatchCleanly(t *testing.T) {
	src := newFakeSource()
	src.setGroup(health.Readiness, health.StatusPass)
	srv := newServer(t, src)
	client := serve(t, srv)
	stream, err := client.Watch(t.Context(), &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := recv(t, stream); err != nil || got != serving {
		t.Fatalf("first = %v, %v; want SERVING", got, err)
	}
	if err := srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, err := recv(t, stream); err != nil || got != notServing {
		t.Fatalf("after Shutdown = %v, %v; want NOT_SERVING", got, err)
	}
	if _, err := recv(t, stream); !errors.Is(err, io.EOF) {
		t.Fatalf("stream end err = %v, want io.EOF (status OK)", err)
	}
	if n := src.listenerCount(); n != 0 {
		t.Errorf("%d listeners left after Shutdown, want 0", n)
	}
	resp, err := client.Check(t.Context(), &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != notServing {
		t.Errorf("Check after Shutdown = %v, %v; want NOT_SERVING", resp.GetStatus(), err)
	}
	// A Watch opened after Shutdown gets NOT_SERVING and ends.
	late, err := client.Watch(t.Context(), &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := recv(t, late); err != nil || got != notServing {
		t.Fatalf("late watch = %v, %v; want NOT_SERVING", got, err)
	}
	if _, err := recv(t, late); !errors.Is(err, io.EOF) {
		t.Fatalf("late watch end err = %v, want io.EOF", err)
	}
	if err := srv.Shutdown(t.Context()); err != nil {
		t.Errorf("second Shutdown = %v, want nil (idempotent)", err)
	}
}

func TestClientCancelReleasesWatcher(t *testing.T) {
	src := newFakeSource()
	srv := newServer(t, src)
	client := serve(t, srv)
	ctx, cancel := context.WithCancel(t.Context())
	stream, err := client.Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := recv(t, stream); err != nil {
		t.Fatal(err)
	}
	cancel()
	// Shutdown waits for every stream handler; a leaked one would hit the
	// deadline.
	sctx, scancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer scancel()
	if err := srv.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown = %v: a cancelled Watch did not return", err)
	}
}

func TestListenerNeverBlocks(t *testing.T) {
	src := newFakeSource()
	srv := newServer(t, src)
	client := serve(t, srv)
	stream, err := client.Watch(t.Context(), &healthpb.HealthCheckRequest{Service: "db"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := recv(t, stream); got != svcUnknown {
		t.Fatalf("first = %v", got)
	}
	// Nobody reads the stream while the registry fires many changes: the
	// listener must return every time (one pending wake-up per stream).
	for range 10_000 {
		srv.changed(health.Change{Check: "db"})
	}
	src.setCheck("db", health.StatusFail)
	if got, err := recv(t, stream); err != nil || got != notServing {
		t.Fatalf("after burst = %v, %v; want NOT_SERVING", got, err)
	}
}

func TestNewValidation(t *testing.T) {
	if _, err := New(nil); !errors.Is(err, ErrInvalidConfig) || err.Error() != "healthgrpc: invalid config: src = <nil>: required" {
		t.Errorf("New(nil) err = %v, want ErrInvalidConfig naming src", err)
	}
	for _, g := range []health.Group{0, health.Liveness | health.Readiness, 1 << 5} {
		_, err := New(newFakeSource(), WithGroup(g))
		if !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("WithGroup(%d) err = %v, want ErrInvalidConfig", g, err)
		}
	}
}
