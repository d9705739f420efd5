package availability

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/slo"
)

// EndpointKind says which side of a call an Endpoint measures. It is a
// plain value; the zero value is ServerEndpoint.
type EndpointKind uint8

const (
	// ServerEndpoint is a route or method this process serves.
	ServerEndpoint EndpointKind = iota
	// ClientEndpoint is a host or service this process calls; it has a
	// circuit breaker.
	ClientEndpoint
)

// String returns "server" or "client".
func (k EndpointKind) String() string {
	if k == ClientEndpoint {
		return "client"
	}
	return "server"
}

// prefix is the kind's prefix of SLO and series names.
func (k EndpointKind) prefix() string {
	if k == ClientEndpoint {
		return "client"
	}
	return "route"
}

// Endpoint measures one route, method or outbound host: admission, SLO
// events and the per-tick aggregates fed to the detectors.
//
// Get one from Monitor.Endpoint; the zero value is not usable. An Endpoint is
// safe for concurrent use and lives as long as its Monitor. Most callers (gRPC
// interceptors, custom transports) call Admit before the call and Done after
// it; the net/http middleware and RoundTripper do that for you.
//
// A client endpoint's Admit has no per-call permit to hand over, so it
// refuses calls only while the breaker is open, and Done reports each
// outcome to the breaker as one call. In the half-open state Admit therefore
// lets every call through rather than the breaker's probe quota, and the
// breaker's slow-call policy does not apply. RoundTripper uses the breaker's
// two-step form and has neither limitation.
type Endpoint struct {
	m    *Monitor
	kind EndpointKind
	name string

	avail, lat *slo.SLO // nil when the objective is not configured
	breaker    *breaker.Breaker[struct{}]
	openErr    error // returned by a client endpoint's Admit while open; built once so a refusal does not allocate

	requests atomic.Uint64
	bad      atomic.Uint64
	shed     atomic.Uint64
	hist     latencyHist

	// series names, computed once so that the tick does not build strings.
	seriesErr, seriesP99, seriesRate string
	// metric attributes of http.server.request.duration, by method and
	// status.
	durAttrs durationAttrs

	// tick-owned state, under tickMu (read by Statusz).
	tickMu                sync.Mutex
	prevRequests, prevBad uint64
	last                  intervalStats
	counts                [latencyBins]uint32
}

// intervalStats are an endpoint's aggregates over the last tick interval.
type intervalStats struct {
	rate, errorRatio, p99 float64 // NaN when the interval had no request
}

// Name returns the endpoint's name (a route pattern, a method, a host, or
// RouteUnmatched / RouteOther).
func (e *Endpoint) Name() string { return e.name }

// Kind returns the endpoint's kind.
func (e *Endpoint) Kind() EndpointKind { return e.kind }

// Admit asks whether a call of priority p may proceed. It returns nil, or an
// error wrapping admit.ErrRateLimited or ErrShed (server: the Monitor's
// shedder, WithShedder, refused it) or breaker.ErrOpen (client: the
// endpoint's breaker is open). A refused call must not call Done: it is
// counted as shed, never as the service's failure.
func (e *Endpoint) Admit(p admit.Priority) error {
	return e.AdmitAt(time.Now(), p)
}

// AdmitAt is Admit at instant t, which drives the shedder's token buckets.
func (e *Endpoint) AdmitAt(t time.Time, p admit.Priority) error {
	if e.kind == ClientEndpoint {
		// Without a per-call permit, a client endpoint's Admit can only
		// look at the state; Done then reports the outcome through
		// Execute. RoundTripper uses the breaker's two-step form instead.
		if e.breaker.State() == breaker.Open {
			e.shed.Add(1)
			return e.openErr
		}
		return nil
	}
	if err := e.m.admitAt(t, p); err != nil {
		e.shed.Add(1)
		return err
	}
	return nil
}

var errBadCall = errors.New("availability: call failed")

func succeed(context.Context) (struct{}, error) { return struct{}{}, nil }
func fail(context.Context) (struct{}, error)    { return struct{}{}, errBadCall }

// Done records a call that Admit let through: its latency, and whether it
// failed (a 5xx, a failing gRPC code, a panic, a transport error). It counts
// the SLO events and the aggregates the next tick feeds to the detectors;
// for a client endpoint it also reports the outcome to the breaker. It does
// not allocate and takes no lock.
func (e *Endpoint) Done(latency time.Duration, bad bool) {
	e.record(latency, bad)
	if e.breaker != nil {
		fn := succeed
		if bad {
			fn = fail
		}
		_, _ = e.breaker.Execute(context.Background(), fn)
	}
}

// record counts one call in the SLOs and the tick aggregates.
func (e *Endpoint) record(latency time.Duration, bad bool) {
	e.requests.Add(1)
	if bad {
		e.bad.Add(1)
	}
	e.hist.record(latency)
	if e.avail != nil {
		e.avail.Record(!bad)
	}
	if e.lat != nil {
		e.lat.RecordLatency(latency)
	}
}

// tick computes the interval's aggregates; interval is its length.
func (e *Endpoint) tick(interval time.Duration) intervalStats {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	// bad before requests: a call adds to requests first, so b <= n.
	bad := e.bad.Load()
	req := e.requests.Load()
	n, b := req-e.prevRequests, bad-e.prevBad
	e.prevRequests, e.prevBad = req, bad
	p99, _ := e.hist.drain(&e.counts, 0.99)
	st := intervalStats{rate: float64(n) / interval.Seconds(), errorRatio: math.NaN(), p99: p99}
	if n > 0 {
		st.errorRatio = float64(b) / float64(n)
	}
	e.last = st
	return st
}

func (e *Endpoint) lastStats() intervalStats {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	return e.last
}
