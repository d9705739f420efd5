package eject

import (
	"errors"
	"net/http"
	"sync/atomic"
	"time"
)

// Balancer is an http.RoundTripper that spreads requests round-robin over
// a static list of backends (host:port), skips the ejected ones, and
// records each call in Stats under the backend that served it. Build one
// with [NewBalancer]; it is safe for concurrent use.
//
// Each request is sent to base with its URL's host replaced by the
// backend's (a shallow copy of the request and its URL, two allocations:
// an http.RoundTripper must leave the caller's request untouched); the
// Host header keeps the logical name.
// A transport error or a 5xx answer counts as bad; a request cancelled by
// its caller is not counted.
type Balancer struct {
	base     http.RoundTripper
	backends []string
	ejector  *Ejector
	stats    *Stats
	now      func() time.Time
	next     atomic.Uint64
	rotation atomic.Pointer[rotation]
}

// rotation is the backends in rotation as of one Ejector generation.
type rotation struct {
	gen      uint64
	backends []string
}

// BalancerConfig configures a [Balancer].
type BalancerConfig struct {
	// Ejector holds the backends (its Replicas) and which are ejected.
	// Required.
	Ejector *Ejector
	// Stats records each call. Required.
	Stats *Stats
	// Base sends the requests. Nil means http.DefaultTransport.
	Base http.RoundTripper
	// Now reads the clock for call latencies. Nil means time.Now.
	Now func() time.Time
}

// NewBalancer validates cfg and returns a Balancer.
func NewBalancer(cfg BalancerConfig) (*Balancer, error) {
	switch {
	case cfg.Ejector == nil:
		return nil, invalid("BalancerConfig.Ejector", "nil", "is required")
	case cfg.Stats == nil:
		return nil, invalid("BalancerConfig.Stats", "nil", "is required")
	}
	if cfg.Base == nil {
		cfg.Base = http.DefaultTransport
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Balancer{base: cfg.Base, backends: cfg.Ejector.Replicas(), ejector: cfg.Ejector, stats: cfg.Stats, now: cfg.Now}, nil
}

// Pick returns the next backend in rotation, round-robin over those not
// ejected, so each healthy backend takes an equal share of an ejected
// one's traffic. The Ejector never ejects every backend. It allocates
// only the first time after an ejection or a return (the rotation is
// rebuilt). A picker of the user's own uses Ejector.Ejected, or
// Ejector.OnChange, the same way.
func (b *Balancer) Pick() string {
	r := b.rotation.Load()
	if gen := b.ejector.gen.Load(); r == nil || r.gen != gen {
		r = b.rebuild(gen)
	}
	return r.backends[b.next.Add(1)%uint64(len(r.backends))]
}

func (b *Balancer) rebuild(gen uint64) *rotation {
	r := &rotation{gen: gen}
	for _, be := range b.backends {
		if !b.ejector.Ejected(be) {
			r.backends = append(r.backends, be)
		}
	}
	if len(r.backends) == 0 {
		r.backends = b.backends
	}
	// Racing rebuilds store equivalent rotations; a stale one is replaced
	// on the next Pick.
	b.rotation.Store(r)
	return r
}

// RoundTrip sends req to the backend Pick chooses.
func (b *Balancer) RoundTrip(req *http.Request) (*http.Response, error) {
	backend := b.Pick()
	// A shallow copy with its own URL: the caller's request stays as it
	// was, and the headers and body are shared, not copied.
	out := *req
	u := *req.URL
	u.Host = backend
	out.URL = &u
	if out.Host == "" {
		out.Host = req.URL.Host
	}
	start := b.now()
	resp, err := b.base.RoundTrip(&out)
	if err != nil && errors.Is(err, req.Context().Err()) && req.Context().Err() != nil {
		return resp, err
	}
	b.stats.Record(backend, b.now().Sub(start), err != nil || resp.StatusCode >= 500)
	return resp, err
}
