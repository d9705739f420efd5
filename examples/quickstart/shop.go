package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/nines-sre/nines/health"
)

// shop is the demo service: product pages need the inventory service,
// recommendations need nothing but are the first traffic to shed.
type shop struct {
	inventoryURL string
	// client reaches the inventory through the Monitor's RoundTripper: a
	// breaker per host and client-side SLO events.
	client *http.Client
}

func (s *shop) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /products/{id}", s.product)
	mux.HandleFunc("GET /recommendations", s.recommendations)
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

// inventoryCheck probes the inventory directly (not through the breaker,
// so that it sees the recovery) for the readiness group.
func inventoryCheck(url string, interval time.Duration) health.Check {
	client := &http.Client{}
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
		Func: func(ctx context.Context) health.Result {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/healthz", nil)
			if err != nil {
				return health.Fail(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				return health.Fail(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
				return health.Fail(fmt.Errorf("GET /healthz: %s: %s", resp.Status, strings.TrimSpace(string(body))))
			}
			return health.Pass()
		},
	}
}
