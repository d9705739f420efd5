package main

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/health/checks"
)

// shop is the demo service: product pages need the inventory service,
// recommendations need nothing but are the first traffic to shed.
type shop struct {
	inventoryURL string
	// client reaches the inventory through the Monitor's RoundTripper: a
	// breaker per host and client-side SLO events.
	client *http.Client
}

// patterns are the shop's routes, declared to the Monitor
// (availability.WithRoutes) so that their SLOs exist at start.
var patterns = []string{"GET /products/{id}", "GET /recommendations"}

func (s *shop) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc(patterns[0], s.product)
	mux.HandleFunc(patterns[1], s.recommendations)
	return mux
}

func (s *shop) product(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.inventoryURL+"/stock/"+r.PathValue("id"), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := s.client.Do(req)
	if err != nil {
		// An open breaker fails fast here instead of waiting on the
		// inventory.
		http.Error(w, "inventory unavailable: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		http.Error(w, "inventory answered "+resp.Status, http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.Copy(w, resp.Body)
}

func (s *shop) recommendations(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"items":[3,14,15]}`+"\n")
}

// inventoryCheck probes the inventory's /healthz with the shop's own
// client for the readiness group. The registry marks the check's calls as
// own traffic: they go out even while the breaker is open (so the check
// sees the recovery) and count in no SLO, breaker or detector.
func inventoryCheck(client *http.Client, url string, interval time.Duration) (health.Check, error) {
	probe, err := checks.HTTPGet(client, url+"/healthz", checks.WithStatusRange(200, 299))
	if err != nil {
		return health.Check{}, err
	}
	return health.Check{
		Name:             "inventory",
		Groups:           health.Readiness,
		External:         true,
		Interval:         interval,
		Timeout:          interval,
		FailureThreshold: 2,
		SuccessThreshold: 2,
		// Generous, so that a busy machine delays results instead of
		// making them stale (unknown).
		MaxAge: 10 * interval,
		Func:   probe,
	}, nil
}
