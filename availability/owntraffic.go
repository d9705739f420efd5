package availability

import (
	"context"
	"net/http"

	"github.com/nines-sre/nines/internal/owntraffic"
)

// OwnTrafficHeader is the request header (and, lower-cased, the gRPC
// metadata key) that carries the own-traffic mark to another process. The
// RoundTripper and the availgrpc client add it to every marked request; a
// server honours it only with WithOwnTrafficHeader.
const OwnTrafficHeader = owntraffic.Header

// OwnTraffic returns ctx marked as the service's own traffic: health
// checks, synthetic checks, warm-up and probe requests, anything that is
// not a user's request. A call made with a marked context, through the
// RoundTripper, the availgrpc client or a server whose middleware sees the
// mark, is counted in no SLO, breaker, detector series or shedder: a slow
// or failing probe must never page, trip a breaker or shed users. It still
// goes out: the breaker does not refuse it and the shedder does not shed
// it, so a health check sees its dependency fail (and recover) even while
// the breaker is open.
//
// The health registry marks every check run, and checks.HTTPGet its
// request, so a readiness check through the application's own client is
// covered without doing anything. Marking a marked context returns it as
// is.
func OwnTraffic(ctx context.Context) context.Context { return owntraffic.Mark(ctx) }

// IsOwnTraffic reports whether ctx is marked by OwnTraffic (or by the
// health registry). It does not allocate.
func IsOwnTraffic(ctx context.Context) bool { return owntraffic.Is(ctx) }

// ownServerRequest reports whether a server request is own traffic: its
// context is marked (an in-process caller), or it carries
// OwnTrafficHeader and the Monitor trusts it (WithOwnTrafficHeader).
func (m *Monitor) ownServerRequest(r *http.Request) bool {
	if m.cfg.trustOwnHeader {
		if _, ok := r.Header[OwnTrafficHeader]; ok {
			return true
		}
	}
	return owntraffic.Is(r.Context())
}

// serveOwn serves an own-traffic request: not admitted, not measured, with
// its context marked so that the calls the handler makes are own traffic
// too.
func (m *Monitor) serveOwn(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if !owntraffic.Is(r.Context()) {
		r = r.WithContext(owntraffic.Mark(r.Context()))
	}
	next.ServeHTTP(w, r)
}

// markOutbound returns req with OwnTrafficHeader set, copying the request
// and its header (a RoundTripper must not modify its request).
func markOutbound(req *http.Request) *http.Request {
	if _, ok := req.Header[OwnTrafficHeader]; ok {
		return req
	}
	r2 := *req
	r2.Header = req.Header.Clone()
	if r2.Header == nil {
		r2.Header = http.Header{}
	}
	r2.Header[OwnTrafficHeader] = []string{"1"}
	return &r2
}
