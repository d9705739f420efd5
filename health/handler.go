package health

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// HandlerOption configures a probe handler made by Registry.Handler. It is
// made by WithDetailsAuthorizer or WithBasePath, and is immutable and
// safe for concurrent use; a nil HandlerOption is ignored.
type HandlerOption interface{ applyHandler(*handlerConfig) }

type handlerConfig struct {
	authorize func(*http.Request) bool
	base      string
}

type handlerOptionFunc func(*handlerConfig)

func (f handlerOptionFunc) applyHandler(c *handlerConfig) { f(c) }

// WithDetailsAuthorizer lets the handler show details, failure reasons
// (the error text of warn and fail results) and the observedValue and
// observedUnit of application/health+json, to the requests for which
// allow returns true; every other request reads "reason withheld" and gets
// no observed values, so that probe endpoints reachable from outside leak
// no internal error text or measurement (a check may put a DSN there).
// allow is called at most once per request, and only when a detail would
// be shown.
// The default withholds every reason; nil keeps the default.
func WithDetailsAuthorizer(allow func(*http.Request) bool) HandlerOption {
	return handlerOptionFunc(func(c *handlerConfig) { c.authorize = allow })
}

// WithBasePath sets the path the handler is mounted at, from which
// per-check sub-paths are read: with base "/readyz", "/readyz/db" reports
// the check "db" alone. The default is "/livez", "/readyz" or
// "/startupz" after the group. A request whose path does not start with
// the base gets the aggregate report. Trailing slashes are ignored.
func WithBasePath(base string) HandlerOption {
	return handlerOptionFunc(func(c *handlerConfig) {
		c.base = strings.TrimRight(base, "/")
		if c.base != "" && c.base[0] != '/' {
			c.base = "/" + c.base
		}
	})
}

// Handler returns the HTTP probe handler of group g, which must be one of
// Liveness, Readiness or Startup. It follows the Kubernetes conventions:
//
//   - GET /readyz answers "ok" with 200 while the group is StatusPass or
//     StatusWarn, and 503 with the per-check listing while it is
//     StatusFail, StatusUnknown or StatusDraining;
//   - ?verbose lists every check ("[+]name ok", "[-]name failed: ...");
//   - ?exclude=NAME (repeatable, or comma-separated) leaves checks out of
//     the aggregate; names matching no check of the group get a
//     "warn: some health checks cannot be excluded" line, as in Kubernetes;
//   - while readiness is draining the listing ends with the pseudo-check
//     line "[-]draining failed: readiness withdrawn";
//   - /readyz/NAME reports the check NAME alone (404 if it is not in the
//     group); mount the handler at both "/readyz" and "/readyz/", or with a
//     pattern "/readyz/{check}";
//   - Accept: application/health+json (or application/json) selects the
//     JSON format of draft-inadarei-api-health-check-06, with checks keyed
//     "name" or "name:measurement".
//
// Only GET and HEAD are allowed. The handler reads cached state only: it
// never runs a check. Answering the plain aggregate ("ok") does not
// allocate. Failure reasons and observed values are withheld unless
// WithDetailsAuthorizer allows them for the request.
func (r *Registry) Handler(g Group, opts ...HandlerOption) http.Handler {
	cfg := handlerConfig{base: "/" + g.endpoint()}
	for _, o := range opts {
		if o != nil {
			o.applyHandler(&cfg)
		}
	}
	return &probeHandler{r: r, g: g, gi: g.index(), cfg: cfg, endpoint: g.endpoint()}
}

type probeHandler struct {
	r        *Registry
	g        Group
	gi       int
	cfg      handlerConfig
	endpoint string
}

// Preallocated header values: assigning them does not allocate.
var (
	hdrText    = []string{"text/plain; charset=utf-8"}
	hdrJSON    = []string{"application/health+json"}
	hdrNoStore = []string{"no-store"}
	hdrNosniff = []string{"nosniff"}
	hdrAllow   = []string{"GET, HEAD"}
	bodyOK     = []byte("ok\n")
)

func (h *probeHandler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	hdr := w.Header()
	hdr["Cache-Control"] = hdrNoStore
	hdr["X-Content-Type-Options"] = hdrNosniff
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		hdr["Allow"] = hdrAllow
		plain(w, http.StatusMethodNotAllowed, "health: method not allowed\n")
		return
	}
	if h.gi < 0 {
		plain(w, http.StatusNotFound, "health: no such group\n")
		return
	}
	now := time.Now()
	tab := h.r.tab.Load()
	f := negotiate(req.Header.Get("Accept"))
	if name, sub := h.subPath(req); sub {
		e := tab.byName[name]
		if e == nil || e.check.Groups&h.g == 0 {
			plain(w, http.StatusNotFound, "health: no such check in this group\n")
			return
		}
		h.serveReport(w, req, f, h.checkReport(e, now))
		return
	}
	var q probeQuery
	if req.URL.RawQuery != "" {
		q = parseProbeQuery(req.URL.RawQuery)
	}
	draining := h.g == Readiness && h.r.withdrawn()
	if f == formatText && !q.verbose && len(q.exclude) == 0 && !draining {
		// The fast path: most probes end here, without allocating.
		if s := aggregate(h.g, tab.groups[h.gi], now, nil); s == StatusPass || s == StatusWarn {
			hdr["Content-Type"] = hdrText
			w.WriteHeader(http.StatusOK)
			w.Write(bodyOK)
			return
		}
	}
	h.serveReport(w, req, f, h.groupReport(tab.groups[h.gi], now, q, draining))
}

func plain(w http.ResponseWriter, code int, body string) {
	w.Header()["Content-Type"] = hdrText
	w.WriteHeader(code)
	w.Write([]byte(body))
}

// subPath returns the check name of a per-check request.
func (h *probeHandler) subPath(req *http.Request) (name string, ok bool) {
	if v := req.PathValue("check"); v != "" {
		return v, true
	}
	rest, found := strings.CutPrefix(req.URL.Path, h.cfg.base)
	if !found || len(rest) < 2 || rest[0] != '/' {
		return "", false
	}
	return strings.TrimSuffix(rest[1:], "/"), true
}

// probeQuery is what the handler reads from a query string.
type probeQuery struct {
	verbose bool
	exclude []string
}

// parseProbeQuery reads verbose and exclude from a raw query, ignoring
// malformed pairs and everything else.
func parseProbeQuery(raw string) probeQuery {
	var q probeQuery
	vals, _ := url.ParseQuery(raw) // keeps the well-formed pairs
	_, q.verbose = vals["verbose"]
	for _, v := range vals["exclude"] {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				q.exclude = append(q.exclude, name)
			}
		}
	}
	return q
}

// report is everything a response shows.
type report struct {
	status    Status
	checks    []checkLine
	draining  bool
	single    bool     // a per-check request
	unmatched []string // excluded names that match no check of the group
	subject   string
}

// checkLine is one check as a response shows it.
type checkLine struct {
	e        *entry
	st       *checkState
	v        view
	impact   Status
	excluded bool
}

func (h *probeHandler) groupReport(checks []*entry, now time.Time, q probeQuery, draining bool) *report {
	rep := &report{draining: draining, subject: h.endpoint, status: StatusPass, checks: make([]checkLine, 0, len(checks))}
	for _, e := range checks {
		st := e.state.Load()
		v := st.at(now, e.check.MaxAge)
		l := checkLine{e: e, st: st, v: v, impact: impact(h.g, &e.check, v), excluded: slices.Contains(q.exclude, e.check.Name)}
		if !l.excluded {
			rep.status = worse(rep.status, l.impact)
		}
		rep.checks = append(rep.checks, l)
	}
	for _, name := range q.exclude {
		if !slices.ContainsFunc(checks, func(e *entry) bool { return e.check.Name == name }) {
			rep.unmatched = append(rep.unmatched, name)
		}
	}
	if draining {
		rep.status = StatusDraining
	}
	return rep
}

func (h *probeHandler) checkReport(e *entry, now time.Time) *report {
	st := e.state.Load()
	v := st.at(now, e.check.MaxAge)
	return &report{
		status:  v.status,
		checks:  []checkLine{{e: e, st: st, v: v, impact: v.status}},
		single:  true,
		subject: e.check.Name,
	}
}

// httpCode maps a status to the probe's HTTP status code: 200 for pass and
// warn, 503 for everything else.
func httpCode(s Status) int {
	if s == StatusPass || s == StatusWarn {
		return http.StatusOK
	}
	return http.StatusServiceUnavailable
}

func (h *probeHandler) serveReport(w http.ResponseWriter, req *http.Request, f format, rep *report) {
	reasons := reasonGate{req: req, allow: h.cfg.authorize}
	var body []byte
	if f == formatJSON {
		w.Header()["Content-Type"] = hdrJSON
		body = rep.json(&reasons)
	} else {
		w.Header()["Content-Type"] = hdrText
		body = rep.text(&reasons)
	}
	w.WriteHeader(httpCode(rep.status))
	w.Write(body)
}

// reasonGate decides once per request whether failure reasons are shown.
type reasonGate struct {
	req     *http.Request
	allow   func(*http.Request) bool
	decided bool
	allowed bool
}

const reasonWithheld = "reason withheld"

// authorized reports whether the request may see details: failure
// reasons and observed values, which can name hosts and credentials alike
// (a DSN put in ObservedValue). It asks allow once, on first need.
func (g *reasonGate) authorized() bool {
	if !g.decided {
		g.decided = true
		g.allowed = g.allow != nil && g.allow(g.req)
	}
	return g.allowed
}

// reason returns the text explaining why l is not passing.
func (g *reasonGate) reason(l *checkLine) string {
	switch {
	case l.v.stale:
		return "last result is stale"
	case l.v.status == StatusUnknown:
		return "no result yet"
	case l.v.status == StatusPass:
		return ""
	}
	if !g.authorized() {
		return reasonWithheld
	}
	if err := l.st.reason(); err != nil {
		return err.Error()
	}
	return l.v.status.String()
}
