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
//     Requests when it is over its class's rate (admit.ErrRateLimited;
//     an over-rate burst of normal traffic under default settings gets
//     that) or 503 Service Unavailable when shed by priority
//     (admit.ErrShed, the shedder's SetLevel), with Retry-After: 1 either
//     way. It is never an SLO event; it is counted as shed under the route
//     it would have taken: next is asked for the pattern when it is an
//     *http.ServeMux (or has the same Handler(*http.Request) (http.Handler,
//     string) method), otherwise it counts under RouteUnmatched;
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
	h := &serverHandler{m: m, next: next}
	h.router, _ = next.(router)
	return h
}

// router is what the middleware asks for a shed request's route: the
// pattern the request would have matched. *http.ServeMux (Go 1.22+) has it;
// so may any router that names its routes the same way.
type router interface {
	Handler(r *http.Request) (h http.Handler, pattern string)
}

type serverHandler struct {
	m      *Monitor
	next   http.Handler
	router router // next, when it can tell a request's pattern without serving it
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
			h.shed(w, r, err, start, method)
			return
		}
	}
	rw := getWriter(w)
	defer h.finish(rw, r, start, method)
	h.next.ServeHTTP(rw, r)
}

// shed answers a request admission refused, and counts it under the route
// it would have taken. Admission runs before routing (a shed request must
// cost little), so the route is asked of the mux without serving: the
// pattern ServeMux.Handler reports, which is the r.Pattern it would have
// set. A next that cannot tell counts its shed requests as RouteUnmatched.
// Either way every shed request lands on one server endpoint, so their
// Shed counts add up to Statusz.Shed.
func (h *serverHandler) shed(w http.ResponseWriter, r *http.Request, err error, start time.Duration, method int) {
	status := shedStatus(err)
	w.Header()["Retry-After"] = retryAfterValue
	w.WriteHeader(status)
	pattern := ""
	if h.router != nil {
		_, pattern = h.router.Handler(r)
	}
	s := h.lookup(pattern, method, status, false)
	s.e.refused.Add(1)
	h.m.durations.record(r.Context(), s, seconds(h.m.since()-start))
}

// lookup returns the duration series of a request to pattern, through the
// cache.
func (h *serverHandler) lookup(pattern string, method, status int, panicked bool) *series {
	status = h.m.statuses.bound(status)
	s := h.series.get(pattern, durationKey(method, status, panicked))
	if s == nil {
		s = h.m.Endpoint(ServerEndpoint, pattern).durAttrs.series(method, status, panicked)
		if s.pattern == pattern { // not a route past WithMaxRoutes, which shares RouteOther
			h.series.put(s)
		}
	}
	return s
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
	s := h.lookup(r.Pattern, method, status, panicked)
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
// limit (the client is over its class's rate and should slow down), 503 for
// everything else (a priority shed by SetLevel, an overload: the service
// chose to serve less for now). Both carry Retry-After.
func shedStatus(err error) int {
	if errors.Is(err, admit.ErrRateLimited) {
		return http.StatusTooManyRequests
	}
	return http.StatusServiceUnavailable
}
