package availgrpc

import (
	"context"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
)

// interceptor is what the server and client sides share.
type interceptor struct {
	bad           CodeSet
	priority      func(ctx context.Context, fullMethod string) admit.Priority
	streamLatency bool
	panicHook     func(fullMethod string, recovered any)
	trustOwn      bool
	methods       *methodTable[*availability.Endpoint] // nil value: not measured
}

func newInterceptor(m *availability.Monitor, kind availability.EndpointKind, c config) (interceptor, error) {
	if m == nil {
		return interceptor{}, invalid("Monitor", nil, "must not be nil")
	}
	if err := c.validate(); err != nil {
		return interceptor{}, err
	}
	in := interceptor{bad: c.bad, priority: c.priority,
		streamLatency: c.streamLatency, panicHook: c.panicHook, trustOwn: c.trustOwn}
	filter := c.filter
	if c.dependency != nil {
		dep := *c.dependency
		one := func(fullMethod string) *availability.Endpoint {
			if !filter(fullMethod) {
				return nil
			}
			return m.Endpoint(kind, dep)
		}
		in.methods = newMethodTable(c.maxMethods, one, one)
		return in, nil
	}
	in.methods = newMethodTable(c.maxMethods,
		func(fullMethod string) *availability.Endpoint {
			if !filter(fullMethod) {
				return nil
			}
			return m.Endpoint(kind, OtherMethod)
		},
		func(fullMethod string) *availability.Endpoint {
			if !filter(fullMethod) {
				return nil
			}
			return m.Endpoint(kind, fullMethod)
		})
	return in, nil
}

// admit asks ep to admit a unary call (Endpoint.Admit: one monotonic clock
// read now, one more when the call is done), or returns the error that
// answers a refused call.
func (in *interceptor) admit(ctx context.Context, ep *availability.Endpoint, fullMethod string) (availability.Call, error) {
	call, err := ep.Admit(in.priorityOf(ctx, fullMethod))
	if err != nil {
		return call, RejectionError(err)
	}
	return call, nil
}

// admitStream is admit for a stream, which also returns the admission
// instant: without WithStreamLatency the stream ends DoneAt that instant
// (latency zero, and not slow for a client breaker).
func (in *interceptor) admitStream(ctx context.Context, ep *availability.Endpoint, fullMethod string) (availability.Call, time.Time, error) {
	start := time.Now()
	call, err := ep.AdmitAt(start, in.priorityOf(ctx, fullMethod))
	if err != nil {
		return call, start, RejectionError(err)
	}
	return call, start, nil
}

func (in *interceptor) priorityOf(ctx context.Context, fullMethod string) admit.Priority {
	if in.priority == nil {
		return admit.Normal
	}
	return in.priority(ctx, fullMethod)
}

// doneStream ends a stream's call, and returns its latency: its lifetime
// under WithStreamLatency (the clock read at admission, admitStream, and
// here), zero otherwise (DoneAt the admission instant, which also spares
// the clock read).
func (in *interceptor) doneStream(call *availability.Call, start time.Time, bad bool) time.Duration {
	if in.streamLatency {
		end := time.Now()
		call.DoneAt(end, bad)
		return end.Sub(start)
	}
	call.DoneAt(start, bad)
	return 0
}
