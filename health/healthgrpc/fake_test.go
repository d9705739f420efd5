package healthgrpc

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/test/bufconn"

	"github.com/nines-sre/nines/health"
)

// fakeSource is a scripted registry: set and drain change its state and
// notify listeners outside its lock, as the registry does.
type fakeSource struct {
	mu        sync.Mutex
	checks    map[string]health.Status
	groups    map[health.Group]health.Status
	draining  bool
	listeners map[int]func(health.Change)
	next      int
}

func newFakeSource() *fakeSource {
	return &fakeSource{
		checks:    map[string]health.Status{},
		groups:    map[health.Group]health.Status{},
		listeners: map[int]func(health.Change){},
	}
}

func (f *fakeSource) Status(g health.Group) health.Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	if g == health.Readiness && f.draining {
		return health.StatusDraining
	}
	return f.groups[g]
}

func (f *fakeSource) CheckStatus(name string) (health.Status, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.checks[name]
	return s, ok
}

func (f *fakeSource) Checks() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	names := make([]string, 0, len(f.checks))
	for n := range f.checks {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (f *fakeSource) OnChange(fn func(health.Change)) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.next
	f.next++
	f.listeners[id] = fn
	return func() {
		f.mu.Lock()
		delete(f.listeners, id)
		f.mu.Unlock()
	}
}

func (f *fakeSource) listenerCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.listeners)
}

// update applies edit under the lock, then notifies outside it.
func (f *fakeSource) update(c health.Change, edit func()) {
	f.mu.Lock()
	edit()
	ls := make([]func(health.Change), 0, len(f.listeners))
	for _, l := range f.listeners {
		ls = append(ls, l)
	}
	f.mu.Unlock()
	for _, l := range ls {
		l(c)
	}
}

func (f *fakeSource) setCheck(name string, s health.Status) {
	f.update(health.Change{Check: name, Current: s}, func() { f.checks[name] = s })
}

func (f *fakeSource) setGroup(g health.Group, s health.Status) {
	f.update(health.Change{Group: g, Current: s}, func() { f.groups[g] = s })
}

func (f *fakeSource) drain(on bool) {
	f.update(health.Change{Group: health.Readiness}, func() { f.draining = on })
}

// serve runs srv on an in-memory listener and returns grpc-go's own health
// client connected to it; everything is torn down at the end of the test.
func serve(t *testing.T, srv *Server) healthpb.HealthClient {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	gs := grpc.NewServer()
	healthpb.RegisterHealthServer(gs, srv)
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = gs.Serve(lis)
	}()
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		gs.Stop()
		<-served
	})
	return healthpb.NewHealthClient(conn)
}
