package availability

import (
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/cowmap"
)

// The request duration histogram is the one synchronous instrument of the
// Monitor: the OTel metric API has no observable histogram, and a histogram
// cannot be rebuilt from atomics read at collection without choosing its
// buckets for the SDK. Its Record calls are made off the request path while
// the Monitor runs (durqueue.go). To keep them allocation-free, the
// attribute set of each (route, method, status, error) is built once, as a
// ready []metric.RecordOption, and reused.

// Attribute keys of http.server.request.duration (OTel HTTP semantic
// conventions).
const (
	attrMethod    = attribute.Key("http.request.method")
	attrRoute     = attribute.Key("http.route")
	attrStatus    = attribute.Key("http.response.status_code")
	attrErrorType = attribute.Key("error.type")
)

// errorTypePanic is the error.type of a request whose handler panicked.
const errorTypePanic = "panic"

// maxDurationAttrSets bounds the cached attribute sets of one route; past it
// (a handler answering many distinct status codes) each request builds its
// own, which allocates but stays correct.
const maxDurationAttrSets = 256

// series is one http.server.request.duration series of an endpoint: what a
// finished request records into. It is built once per (route, method,
// status, panic) and immutable afterwards, so the middleware's seriesCache
// can hand it out with one atomic load.
type series struct {
	pattern string // the ServeMux pattern whose requests it counts ("" for RouteUnmatched)
	key     uint32
	e       *Endpoint
	opts    []metric.RecordOption
}

// durationAttrs holds the series of one route in a copy-on-write map
// (lock-free lookup), keyed by method, status and panic flag.
type durationAttrs struct {
	route   string // http.route value; "" leaves the attribute out
	pattern string // series.pattern of this route's series
	e       *Endpoint
	sets    cowmap.Map[uint32, *series]
}

// key packs method index, status code and panic flag.
func durationKey(method, status int, panicked bool) uint32 {
	k := uint32(method)<<16 | uint32(status&0xffff)
	if panicked {
		k |= 1 << 31
	}
	return k
}

// series returns the series of (method, status, panicked), building it on
// first sight. status is already bounded (statusTable.bound).
func (d *durationAttrs) series(method, status int, panicked bool) *series {
	key := durationKey(method, status, panicked)
	if s, ok := d.sets.Load(key); ok {
		return s
	}
	s := &series{pattern: d.pattern, key: key, e: d.e, opts: d.build(method, status, panicked)}
	if a, _, _ := d.sets.StoreIf(key, s, func(n int) bool { return n < maxDurationAttrSets }); a != nil {
		return a
	}
	return s
}

func (d *durationAttrs) build(method, status int, panicked bool) []metric.RecordOption {
	kvs := make([]attribute.KeyValue, 0, 4)
	if method == methodOther {
		kvs = append(kvs, attrMethod.String("_OTHER"))
	} else {
		kvs = append(kvs, attrMethod.String(httpMethods[method]))
	}
	if d.route != "" {
		kvs = append(kvs, attrRoute.String(d.route))
	}
	kvs = statusAttrs(kvs, status, panicked)
	return []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(kvs...))}
}

// seconds converts a request's latency for the histogram: one float
// division, where time.Duration.Seconds splits whole seconds and
// nanoseconds with an integer division first (exact past 2^53 ns, about
// 104 days, which no request takes).
func seconds(d time.Duration) float64 { return float64(d) / 1e9 }

// seriesCache is a direct-mapped cache of series by (pattern, key) in front
// of the endpoint table and the endpoint's series map: one atomic load and
// two comparisons (the pattern comparison is a pointer check when the mux
// hands out the same string each time) instead of two map lookups. Slots
// only ever hold series, which live as long as the Monitor, so a
// replacement allocates nothing; two hot series sharing a slot just take the
// slow path in turn.
type seriesCache struct {
	slots [seriesCacheSlots]atomic.Pointer[series]
}

const seriesCacheSlots = 64

func seriesSlot(pattern string, key uint32) uint32 {
	h := uint32(len(pattern)) * 0x9e3779b1
	if len(pattern) > 0 {
		h ^= uint32(pattern[len(pattern)-1])<<8 | uint32(pattern[len(pattern)/2])
	}
	h ^= key * 0x85ebca6b
	return (h ^ h>>15) % seriesCacheSlots
}

func (c *seriesCache) get(pattern string, key uint32) *series {
	s := c.slots[seriesSlot(pattern, key)].Load()
	if s != nil && s.key == key && s.pattern == pattern {
		return s
	}
	return nil
}

func (c *seriesCache) put(s *series) {
	c.slots[seriesSlot(s.pattern, s.key)].Store(s)
}
