package availgrpc

import (
	"context"
	"errors"
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
	methods       *methodTable[*availability.Endpoint] // nil value: not measured
}

func newInterceptor(m *availability.Monitor, kind availability.EndpointKind, defaultBad CodeSet, opts []Option) (interceptor, error) {
	if m == nil {
		return interceptor{}, errors.New("availgrpc: Monitor is nil")
	}
	c, err := newConfig(defaultBad, opts)
	if err != nil {
		return interceptor{}, err
	}
	in := interceptor{bad: c.bad, priority: c.priority,
		streamLatency: c.streamLatency, panicHook: c.panicHook}
	filter := c.filter
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

// admit returns the endpoint of a call, the instant it started and nil, or
// the error that answers a refused call; a nil endpoint with a nil error
// means the method is not measured. The start instant is the call's one
// wall-clock read: it drives the shedder's buckets and the latency, which
// time.Since then measures on the cheaper monotonic clock alone.
func (in *interceptor) admit(ctx context.Context, fullMethod string) (*availability.Endpoint, time.Time, error) {
	ep := in.methods.get(fullMethod)
	if ep == nil {
		return nil, time.Time{}, nil
	}
	p := admit.Normal
	if in.priority != nil {
		p = in.priority(ctx, fullMethod)
	}
	start := time.Now()
	if err := ep.AdmitAt(start, p); err != nil {
		return nil, start, RejectionError(err)
	}
	return ep, start, nil
}

// streamSince is the latency a stream reports: zero without
// WithStreamLatency.
func (in *interceptor) streamSince(start time.Time) time.Duration {
	if !in.streamLatency {
		return 0
	}
	return time.Since(start)
}
