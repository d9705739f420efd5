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

// admit asks ep to admit a call and returns its Call and the admission
// instant, or the error that answers a refused call. The instant is the
// call's one wall-clock read: it drives the shedder's buckets and starts the
// latency, which Call.Done then measures on the cheaper monotonic clock.
func (in *interceptor) admit(ctx context.Context, ep *availability.Endpoint, fullMethod string) (availability.Call, time.Time, error) {
	p := admit.Normal
	if in.priority != nil {
		p = in.priority(ctx, fullMethod)
	}
	start := time.Now()
	call, err := ep.AdmitAt(start, p)
	if err != nil {
		return call, start, RejectionError(err)
	}
	return call, start, nil
}

// doneStream ends a stream's call: with its lifetime as latency under
// WithStreamLatency, with latency zero otherwise (DoneAt the admission
// instant, which also spares the clock read).
func (in *interceptor) doneStream(call *availability.Call, start time.Time, bad bool) {
	if in.streamLatency {
		call.Done(bad)
		return
	}
	call.DoneAt(start, bad)
}
