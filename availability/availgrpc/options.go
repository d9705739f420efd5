package availgrpc

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	iconfig "github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/remediate/admit"
)

// Defaults and limits of the interceptors' configuration.
const (
	// DefaultMaxMethods bounds the methods an interceptor names an endpoint
	// after; later methods share OtherMethod.
	DefaultMaxMethods = 100
	// MaxMaxMethods is the largest WithMaxMethods accepts.
	MaxMaxMethods = 10000
)

// ErrInvalidConfig is wrapped by every error NewServer and NewClient return
// for a nil Monitor or an invalid option; it wraps the root
// invalid-configuration error shared by every nines package. The message
// names the option and the value: "availgrpc: invalid config: WithMaxMethods
// = 0: ...".
var ErrInvalidConfig = iconfig.New("availgrpc")

func invalid(field string, value any, why string) error {
	return iconfig.Error(ErrInvalidConfig, field, value, why)
}

// ServerOption configures NewServer.
type ServerOption interface{ applyServer(*config) }

// ClientOption configures NewClient.
type ClientOption interface{ applyClient(*config) }

// Option configures both NewServer and NewClient. An option that only one
// side has (WithPriority, WithPanicHook, ...) is a ServerOption or a
// ClientOption alone, so giving it to the other constructor does not
// compile. Options are immutable values, safe to share.
type Option interface {
	ServerOption
	ClientOption
}

// option is an Option, serverOption a ServerOption only.
type (
	option       func(*config)
	serverOption func(*config)
	clientOption func(*config)
)

func (o option) applyServer(c *config)       { o(c) }
func (o option) applyClient(c *config)       { o(c) }
func (o serverOption) applyServer(c *config) { o(c) }
func (o clientOption) applyClient(c *config) { o(c) }

type config struct {
	bad           CodeSet
	maxMethods    int
	priority      func(ctx context.Context, fullMethod string) admit.Priority
	filter        func(fullMethod string) bool
	streamLatency bool
	panicHook     func(fullMethod string, recovered any)
	badKey        *string // the key of a WithPriorityMetadata that is not valid
	trustOwn      bool    // WithOwnTrafficMetadata
	dependency    *string // WithDependency
}

func newConfig(defaultBad CodeSet) config {
	return config{bad: defaultBad, maxMethods: DefaultMaxMethods, filter: DefaultFilter, panicHook: logPanic}
}

// validate checks the options and fills in what nil means.
func (c *config) validate() error {
	if c.maxMethods < 1 || c.maxMethods > MaxMaxMethods {
		return invalid("WithMaxMethods", c.maxMethods, fmt.Sprintf("must be in [1, %d]", MaxMaxMethods))
	}
	if c.badKey != nil {
		return invalid("WithPriorityMetadata", *c.badKey, "must be a non-empty metadata key without spaces")
	}
	if c.dependency != nil && *c.dependency == "" {
		return invalid("WithDependency", "", "must name a dependency")
	}
	if c.panicHook == nil {
		c.panicHook = logPanic
	}
	if c.filter == nil {
		c.filter = func(string) bool { return true }
	}
	return nil
}

// WithBadCodes sets the status codes recorded as bad SLO events, replacing
// ServerBadCodes (server) or ClientBadCodes (client). A panic is always bad.
func WithBadCodes(s CodeSet) Option {
	return option(func(c *config) { c.bad = s })
}

// WithMaxMethods bounds the distinct methods that get an endpoint (and SLOs,
// detector series) of their own, 1 to MaxMaxMethods; the default is
// DefaultMaxMethods. Methods beyond it, and malformed method names, share
// the endpoint OtherMethod. Methods that WithFilter leaves out take a place
// too (it remembers the verdict). The Monitor's own WithMaxRoutes bounds the
// total again.
func WithMaxMethods(n int) Option {
	return option(func(c *config) { c.maxMethods = n })
}

// WithPriority sets how a server call's priority class is chosen for
// admission (load shedding drops lower classes first; a client endpoint's
// admission is its breaker's, so it is a server option only). It is called
// once per call, outside every lock, and must be safe for concurrent use. Nil or absent
// means admit.Normal for every call.
func WithPriority(fn func(ctx context.Context, fullMethod string) admit.Priority) ServerOption {
	return serverOption(func(c *config) { c.priority = fn })
}

// WithPriorityMetadata makes a server take each call's priority from the
// incoming metadata key (for example "x-priority"), parsed by ParsePriority;
// calls without it are normal. Use it only for trusted callers: a client
// may otherwise promote its own traffic to critical. It replaces
// WithPriority. A call carrying the key costs one small allocation (grpc-go
// copies the value). An empty key, or one with spaces, is an error.
func WithPriorityMetadata(key string) ServerOption {
	return serverOption(func(c *config) {
		if key == "" || strings.ContainsAny(key, " \t\r\n") {
			c.badKey = &key
			return
		}
		c.badKey = nil
		c.priority = metadataPriority(key)
	})
}

// WithDependency measures every method the client calls under one client
// endpoint, the named dependency (declare it with
// availability.WithDependencies to give it its objectives at New): one SLO
// pair, one breaker "client:<name>" that Monitor.Breaker(name) finds, one
// set of detector series, instead of one per method. When the dependency
// has Replicas (availability.Dependency.Replicas), each unary call is also
// recorded there under the address of the peer that served it
// (grpc.Peer), for an eject.Detector to compare the replicas, and so is
// each stream (see the package documentation, Replicas); a call that
// reached no peer counts as unattributed. An empty name is an error. Absent, each
// method is an endpoint of its own.
func WithDependency(name string) ClientOption {
	return clientOption(func(c *config) { c.dependency = &name })
}

// WithFilter chooses the methods the interceptor measures and admits:
// methods for which fn returns false pass straight through. fn is called
// once per method name (not per call) while the method table has room and
// per call for methods beyond it. Nil means every method. The default is
// DefaultFilter.
func WithFilter(fn func(fullMethod string) bool) Option {
	return option(func(c *config) { c.filter = fn })
}

// WithStreamLatency makes stream interceptors report a stream's whole
// lifetime as its latency. By default a stream reports latency zero, so it
// counts for availability only: the lifetime of a server-streaming watch is
// not a response time, and it would burn any latency SLO.
func WithStreamLatency() Option {
	return option(func(c *config) { c.streamLatency = true })
}

// WithPanicHook sets what a server does with a handler's panic after
// recovering it (the call answers codes.Internal and counts as bad either
// way). fn runs on the handler's goroutine, inside the deferred recovery,
// so runtime/debug.Stack still shows where the panic happened. Nil or absent
// means logging the method, the value and the stack with slog.Error, as
// the Monitor's net/http middleware does.
func WithPanicHook(fn func(fullMethod string, recovered any)) ServerOption {
	return serverOption(func(c *config) { c.panicHook = fn })
}

func logPanic(fullMethod string, recovered any) {
	slog.Error("availgrpc: handler panicked", "method", fullMethod, "panic", recovered,
		"stack", string(debug.Stack()))
}

// DefaultFilter measures every method except the gRPC health and reflection
// services: probes are frequent, cheap and answered from cached state, and
// counting them would dilute the SLOs of the real methods.
func DefaultFilter(fullMethod string) bool {
	return !strings.HasPrefix(fullMethod, "/grpc.health.v1.Health/") &&
		!strings.HasPrefix(fullMethod, "/grpc.reflection.")
}
