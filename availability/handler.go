package availability

import (
	"net/http"

	"github.com/nines-sre/nines/health"
)

// Handler returns the operational endpoints, meant for a port of their own:
//
//   - /livez, /readyz, /startupz and their per-check sub-paths
//     (/readyz/<check>): the health registry's probe handlers, with
//     failure reasons shown when the Authorizer allows details;
//   - /statusz: the status page, as HTML to a browser (Accept: text/html)
//     and as the Statusz document in JSON otherwise (Accept:
//     application/json, ?format=json, or no preference); served only to
//     requests the Authorizer allows, reasons only with details
//     (WithAuthorizer; the default is loopback only);
//   - /metrics: the handler given to WithMetricsHandler, 404 without one.
//
// Everything else is 404. The handler reads cached state only.
func (m *Monitor) Handler(opts ...HandlerOption) http.Handler {
	c := handlerConfig{authorize: LoopbackOnly}
	for _, o := range opts {
		if o != nil {
			o.applyHandler(&c)
		}
	}
	details := func(r *http.Request) bool {
		_, d := c.authorize(r)
		return d
	}
	mux := http.NewServeMux()
	for _, g := range []struct {
		path  string
		group health.Group
	}{{"/livez", health.Liveness}, {"/readyz", health.Readiness}, {"/startupz", health.Startup}} {
		h := m.health.Handler(g.group, health.WithBasePath(g.path), health.WithDetailsAuthorizer(details))
		mux.Handle(g.path, h)
		mux.Handle(g.path+"/", h)
	}
	mux.HandleFunc("GET /statusz", func(w http.ResponseWriter, r *http.Request) { m.serveStatusz(w, r, c.authorize) })
	if m.cfg.metrics != nil {
		mux.Handle("/metrics", m.cfg.metrics)
	}
	return mux
}
