package availability

import (
	"errors"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
)

// retryAfterSeconds is the Retry-After of shed requests: one tick interval
// would be too precise a promise, a second is what shedders refill by.
const retryAfterSeconds = 1

var retryAfterValue = []string{strconv.Itoa(retryAfterSeconds)}

// Middleware returns next wrapped in the server middleware. Per request it:
//
//   - admits the request through the shedder (WithShedder; priority from
//     WithPriority, default normal). A shed request gets 429 Too Many
//     Requests (rate) or 503 Service Unavailable (priority) with
//     Retry-After: 1, is counted as shed, and is never an SLO event;
//   - calls next, recovering a panic: the request is answered 500, without
//     the headers next had set, if no header was sent yet (otherwise the
//     connection is aborted), and counts as bad; http.ErrAbortHandler is
//     re-raised after being counted;
//   - attributes the request to its route, the pattern the Go 1.22+
//     http.ServeMux matched (r.Pattern, read after next returns); requests
//     no pattern matched share the route RouteUnmatched, routes past
//     WithMaxRoutes share RouteOther. The middleware sees only the pattern
//     set on its own *http.Request: wrap the innermost ServeMux. A handler
//     in between that passes the mux a copy of the request (r.WithContext,
//     http.StripPrefix) hides the pattern the inner mux matched: with
//     nothing matched outside, the requests count as RouteUnmatched; with
//     nested muxes (outer.Handle("/api/", http.StripPrefix("/api", inner)))
//     they all count as the outer pattern "/api/". Mount the middleware
//     inside instead (http.StripPrefix("/api", m.Middleware(inner))): the
//     routes are then the inner patterns, without the stripped prefix;
//   - counts the route's SLO events (5xx and panics are bad; latency
//     against RouteObjectives.Latency) and the aggregates the ticks feed to
//     the detectors;
//   - records http.server.request.duration (OTel HTTP semantic
//     conventions: http.request.method, http.route,
//     http.response.status_code, error.type).
//
// A request that is the service's own traffic (its context is marked by
// OwnTraffic, or it carries OwnTrafficHeader and WithOwnTrafficHeader is
// set) skips all of that: it is neither shed nor measured, and next gets
// it with a marked context, so that the calls it makes are own traffic too.
//
// The writer passed to next keeps http.Flusher, http.Hijacker and
// io.ReaderFrom working, and implements Unwrap for http.ResponseController.
// A hijacked request is counted as good, without a status code. next must
// not use the writer after it returns (writers are pooled).
func (m *Monitor) Middleware(next http.Handler) http.Handler {
	return &serverHandler{m: m, next: next}
}

type serverHandler struct {
	m      *Monitor
	next   http.Handler
	series seriesCache
}

func (h *serverHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := h.m
	if m.ownServerRequest(r) {
		m.serveOwn(h.next, w, r)
		return
	}
	start := m.since() // one monotonic read; the end is the other (clock.go)
	method := methodIndex(r.Method)
	if m.shedder != nil {
		p := admit.Normal
		if m.cfg.priority != nil {
			p = m.cfg.priority(r)
		}
		if err := m.admitAt(m.epoch.Add(start), p); err != nil {
			status := shedStatus(err)
			w.Header()["Retry-After"] = retryAfterValue
			w.WriteHeader(status)
			m.durations.record(r.Context(), m.shedAttrs.series(method, status, false), seconds(m.since()-start))
			return
		}
	}
	rw := getWriter(w)
	defer h.finish(rw, r, start, method)
	h.next.ServeHTTP(rw, r)
}

// finish runs deferred, so that it sees a panic of next. start is the
// admission instant as the monotonic time since the Monitor's epoch.
func (h *serverHandler) finish(rw *responseWriter, r *http.Request, start time.Duration, method int) {
	v := recover()
	panicked := v != nil
	headersOut := rw.wrote || rw.hijacked
	if panicked && v != http.ErrAbortHandler {
		h.m.cfg.logger.Error("availability: handler panicked", "method", r.Method, "pattern", r.Pattern,
			"panic", v, "stack", string(debug.Stack()))
		if !headersOut {
			// The headers set so far describe an answer that will never
			// come (Content-Length, Cache-Control...): the 500 goes
			// without them.
			clear(rw.Header())
			rw.WriteHeader(http.StatusInternalServerError)
		}
	}
	d := h.m.since() - start
	status := rw.status
	switch {
	case rw.hijacked:
		status = 0
	case !rw.wrote:
		// The handler sent no final status (nothing, or only 1xx
		// informational answers): net/http answers 200.
		status = http.StatusOK
	}
	s := h.series.get(r.Pattern, durationKey(method, status, panicked))
	if s == nil {
		s = h.m.Endpoint(ServerEndpoint, r.Pattern).durAttrs.series(method, status, panicked)
		if s.pattern == r.Pattern { // not a route past WithMaxRoutes, which shares RouteOther
			h.series.put(s)
		}
	}
	// The request was admitted by the Monitor's shedder before routing:
	// its Call is bound to the endpoint now that the route is known.
	call := Call{e: s.e}
	call.finish(d, time.Time{}, panicked || status >= 500)
	h.m.durations.record(r.Context(), s, seconds(d))
	putWriter(rw)
	if panicked {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		if headersOut {
			// Headers were out: the only honest end is to abort the
			// connection, as net/http does for a panic.
			panic(http.ErrAbortHandler)
		}
	}
}

// shedStatus maps an admission error to its HTTP status: 429 for a rate
// limit, 503 for everything else (a priority shed).
func shedStatus(err error) int {
	if errors.Is(err, admit.ErrRateLimited) {
		return http.StatusTooManyRequests
	}
	return http.StatusServiceUnavailable
}
