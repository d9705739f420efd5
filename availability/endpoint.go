package availability

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/internal/latencyhist"
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
// events and the per-step aggregates fed to the detectors.
//
// Get one from Monitor.Endpoint; the zero value is not usable. An Endpoint is
// safe for concurrent use and lives as long as its Monitor. Most callers (gRPC
// interceptors, custom transports) call Admit before the call and finish the
// Call it returns with Done after it; the net/http middleware and
// RoundTripper do that for you.
type Endpoint struct {
	// Read by every call, written only at construction.
	m          *Monitor
	kind       EndpointKind
	name       string
	id         string   // the one spelling of the endpoint (spellID)
	avail, lat *slo.SLO // nil when the objective is not configured
	breaker    *breaker.Breaker[struct{}]
	// a client endpoint's refusals (open; half-open without a probe slot),
	// built once so that a refusal does not allocate.
	openErr, probesErr error
	// series names, computed once so that the tick does not build strings.
	seriesErr, seriesP99, seriesRate string
	// the http.server.request.duration series of a route, by method and
	// status.
	durAttrs durationAttrs

	// Written by every call (the latency histogram, whose buckets also
	// count the calls, and bad) or every refusal (refused: shed by
	// admission for a server, rejected by the breaker for a client): each
	// on cache
	// lines of its own, so that the writes of concurrent calls do not keep
	// evicting the fields above from the other cores.
	_       [cacheLine]byte
	bad     atomic.Uint64
	_       [cacheLine - 8]byte
	refused atomic.Uint64
	_       [cacheLine - 8]byte
	hist    latencyhist.Hist

	// step-owned state, under tickMu (read by Statusz; see step.go).
	tickMu   sync.Mutex
	drained  uint64 // calls counted by the steps so far (the histogram holds the rest)
	prevBad  uint64
	prevShed uint64
	last     stepStats
	counts   [latencyhist.Bins]uint32
}

// cacheLine is the padding that keeps counters written by every call on
// cache lines of their own (64 bytes on amd64 and arm64).
const cacheLine = 64

// Name returns the endpoint's name (a route pattern, a method, a host, or
// RouteUnmatched / RouteOther).
func (e *Endpoint) Name() string { return e.name }

// ID returns the endpoint's one spelling in every name nines makes of it:
// SLO names ("route:<id>:availability"), detector series ("route:<id>:p99"),
// the breaker ("client:<id>"), events and /statusz. A dependency's ID is its
// Name; a route's is its pattern in the SLO name alphabet
// ("GET /products/{id}" is "GET:products.id"; see WithRoutes). Metrics keep
// the OTel semantic conventions' attributes (http.route is the path
// template).
func (e *Endpoint) ID() string { return e.id }

// Kind returns the endpoint's kind.
func (e *Endpoint) Kind() EndpointKind { return e.kind }

// record counts one call in the SLOs and the step aggregates.
func (e *Endpoint) record(latency time.Duration, bad bool) {
	// The histogram counts the call: no separate request counter to
	// contend on. It is added before bad (see step).
	e.hist.Record(latency)
	if bad {
		e.bad.Add(1)
	}
	if e.avail != nil {
		e.avail.Record(!bad)
	}
	if e.lat != nil {
		e.lat.RecordLatency(latency)
	}
}

// requests returns how many calls the endpoint has counted.
func (e *Endpoint) requests() uint64 {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	return e.drained + e.hist.Count()
}

func (e *Endpoint) lastStats() stepStats {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	return e.last
}
