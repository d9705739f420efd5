package availability

import (
	"context"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/cowmap"
)

// The request duration histogram is the one synchronous instrument call on
// the request path: the OTel metric API has no observable histogram, and a
// histogram cannot be rebuilt from atomics read at collection without
// choosing its buckets for the SDK. To keep the call allocation-free, the
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

// durationAttrs caches the record options of one route in a copy-on-write
// map (lock-free lookup), keyed by method, status and panic flag.
type durationAttrs struct {
	route string // http.route value; "" leaves the attribute out
	sets  cowmap.Map[uint32, []metric.RecordOption]
}

// key packs method index, status code and panic flag.
func durationKey(method, status int, panicked bool) uint32 {
	k := uint32(method)<<16 | uint32(status&0xffff)
	if panicked {
		k |= 1 << 31
	}
	return k
}

func (d *durationAttrs) options(method, status int, panicked bool) []metric.RecordOption {
	key := durationKey(method, status, panicked)
	if o, ok := d.sets.Load(key); ok {
		return o
	}
	o := d.build(method, status, panicked)
	if a, _, _ := d.sets.StoreIf(key, o, func(n int) bool { return n < maxDurationAttrSets }); a != nil {
		return a
	}
	return o
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
	if status != 0 {
		kvs = append(kvs, attrStatus.Int(status))
	}
	switch {
	case panicked:
		kvs = append(kvs, attrErrorType.String(errorTypePanic))
	case status >= 500:
		kvs = append(kvs, attrErrorType.String(strconv.Itoa(status)))
	}
	return []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(kvs...))}
}

// recordDuration records one request of seconds in the histogram.
func recordDuration(ctx context.Context, h metric.Float64Histogram, d *durationAttrs, seconds float64, method, status int, panicked bool) {
	h.Record(ctx, seconds, d.options(method, status, panicked)...)
}
