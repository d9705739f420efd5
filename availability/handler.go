package availability

import (
	"encoding/json"
	"net/http"

	"github.com/nines-sre/nines/health"
)

// Handler returns the operational endpoints, meant for a port of their own:
//
//   - /livez, /readyz, /startupz and their per-check sub-paths
//     (/readyz/<check>): the health registry's probe handlers;
//   - /statusz: the Statusz document as JSON;
//   - /metrics: the handler given to WithMetricsHandler, 404 without one.
//
// Everything else is 404. The handler reads cached state only.
func (m *Monitor) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, g := range []struct {
		path  string
		group health.Group
	}{{"/livez", health.Liveness}, {"/readyz", health.Readiness}, {"/startupz", health.Startup}} {
		h := m.health.Handler(g.group, health.WithBasePath(g.path))
		mux.Handle(g.path, h)
		mux.Handle(g.path+"/", h)
	}
	mux.HandleFunc("GET /statusz", m.serveStatusz)
	if m.cfg.metrics != nil {
		mux.Handle("/metrics", m.cfg.metrics)
	}
	return mux
}

func (m *Monitor) serveStatusz(w http.ResponseWriter, _ *http.Request) {
	b, err := json.MarshalIndent(m.Statusz(), "", "  ")
	if err != nil {
		http.Error(w, "availability: encoding status: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(append(b, '\n'))
}
