package healthgrpc

import (
	"context"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/config"
)

// maxListed bounds List's answer, as grpc-go's own health server does; a
// larger set is refused with RESOURCE_EXHAUSTED.
const maxListed = 100

// Source is the registry state the server answers from; *health.Registry
// satisfies it. Every method must read cached state only: the server calls
// them on each RPC and after each change.
type Source interface {
	Status(g health.Group) health.Status
	CheckStatus(name string) (health.Status, bool)
	Checks() []string
	OnChange(fn func(health.Change)) (remove func())
}

var _ Source = (*health.Registry)(nil)

// Server implements grpc.health.v1.Health (Check, Watch and List) from a
// health registry's cached state: no RPC ever runs a check. Service "" is
// the overall status (readiness unless WithGroup says otherwise), and so
// is each service name given with WithService (the gRPC services a
// process serves); every registered check name is a service of its own. Watch is push-based: the
// server subscribes to the registry's changes and wakes only the streams
// whose status may have moved.
//
// Create it with New; the zero value is not usable. It is safe for
// concurrent use. Most callers want
//
//	grpc_health_v1.RegisterHealthServer(grpcServer, srv)
//
// and, at the end of the process, Shutdown before stopping grpcServer
// gracefully, so open Watch streams end instead of holding GracefulStop.
type Server struct {
	healthpb.UnimplementedHealthServer

	src      Source
	overall  health.Group
	services map[string]health.Group // WithService; immutable
	remove   func()

	mu       sync.Mutex // guards watchers and closed; held only around map edits
	watchers map[*watcher]struct{}
	closed   bool
	done     chan struct{} // closed by Shutdown
	streams  sync.WaitGroup
}

// watcher is one open Watch stream; wake holds at most one pending signal,
// so a burst of changes costs the stream one recomputation.
type watcher struct{ wake chan struct{} }

// New returns a Server answering from src (normally a *health.Registry).
// It subscribes to src's changes at once (no goroutine is started); call
// Shutdown to unsubscribe and end open streams.
func New(src Source, opts ...Option) (*Server, error) {
	if src == nil {
		return nil, config.Error(ErrInvalidConfig, "src", nil, "required")
	}
	c := serverConfig{overall: health.Readiness}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if !validGroup(c.overall) {
		return nil, config.Error(ErrInvalidConfig, "WithGroup", uint8(c.overall), "want exactly one of health.Liveness, health.Readiness, health.Startup")
	}
	if c.err != nil {
		return nil, c.err
	}
	s := &Server{
		src:      src,
		overall:  c.overall,
		services: c.services,
		watchers: make(map[*watcher]struct{}),
		done:     make(chan struct{}),
	}
	s.remove = src.OnChange(s.changed)
	return s, nil
}

// changed is the registry listener: it must not block, so it only signals.
func (s *Server) changed(health.Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for w := range s.watchers {
		select {
		case w.wake <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

// Check answers the current status of req.Service; an unknown service is
// NOT_FOUND, as the protocol requires.
func (s *Server) Check(_ context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	st, ok := s.serving(req.GetService())
	if !ok {
		return nil, status.Errorf(codes.NotFound, "healthgrpc: unknown service %q", req.GetService())
	}
	return &healthpb.HealthCheckResponse{Status: st}, nil
}

// List answers every service: "", each WithService name and each
// registered check.
func (s *Server) List(context.Context, *healthpb.HealthListRequest) (*healthpb.HealthListResponse, error) {
	names := append([]string{""}, s.src.Checks()...)
	for name := range s.services {
		names = append(names, name)
	}
	if len(names) > maxListed {
		return nil, status.Errorf(codes.ResourceExhausted, "healthgrpc: %d services exceed the list limit of %d", len(names), maxListed)
	}
	out := make(map[string]*healthpb.HealthCheckResponse, len(names))
	for _, name := range names {
		if st, ok := s.serving(name); ok {
			out[name] = &healthpb.HealthCheckResponse{Status: st}
		}
	}
	return &healthpb.HealthListResponse{Statuses: out}, nil
}

// Watch sends the current status of req.Service at once (SERVICE_UNKNOWN
// for a service not registered yet, without ending the call), then each
// change. Shutdown sends NOT_SERVING and ends the stream with OK; a
// cancelled client ends it with CANCELED.
func (s *Server) Watch(req *healthpb.HealthCheckRequest, stream grpc.ServerStreamingServer[healthpb.HealthCheckResponse]) error {
	w := &watcher{wake: make(chan struct{}, 1)}
	if !s.add(w) {
		return stream.Send(&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_NOT_SERVING})
	}
	defer s.drop(w)
	service := req.GetService()
	last := healthpb.HealthCheckResponse_ServingStatus(-1)
	for {
		// Subscribed before reading: a change after this read wakes us.
		st, _ := s.serving(service)
		if st != last {
			if err := stream.Send(&healthpb.HealthCheckResponse{Status: st}); err != nil {
				return status.Error(codes.Canceled, "healthgrpc: stream ended")
			}
			last = st
		}
		select {
		case <-w.wake:
		case <-s.done:
			if last != healthpb.HealthCheckResponse_NOT_SERVING {
				_ = stream.Send(&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_NOT_SERVING})
			}
			return nil
		case <-stream.Context().Done():
			return status.Error(codes.Canceled, "healthgrpc: stream ended")
		}
	}
}

// add registers w, reporting false after Shutdown.
func (s *Server) add(w *watcher) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.watchers[w] = struct{}{}
	s.streams.Add(1)
	return true
}

func (s *Server) drop(w *watcher) {
	s.mu.Lock()
	delete(s.watchers, w)
	s.mu.Unlock()
	s.streams.Done()
}

// Shutdown unsubscribes from the registry, answers NOT_SERVING for every
// service from now on, and ends every open Watch stream after sending it
// NOT_SERVING. It waits for the streams' handlers to return or ctx to be
// done (returning ctx.Err()). It is idempotent.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
	s.mu.Unlock()
	s.remove()
	idle := make(chan struct{})
	go func() {
		s.streams.Wait()
		close(idle)
	}()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
