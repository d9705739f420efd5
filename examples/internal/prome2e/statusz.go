package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/nines-sre/nines/slo"
)

// sloStatus is what check compares of one objective in /statusz, read as
// any client would read the JSON.
type sloStatus struct {
	Name      string             `json:"name"`
	Target    float64            `json:"target"`
	Good      uint64             `json:"good"`
	Bad       uint64             `json:"bad"`
	BurnRates map[string]float64 `json:"burn_rates"`
}

// statusRoute is the SLO name prefix of the service's GET /status/{code}
// route, the one the traffic goes to; its availability objective is the
// one compared.
const statusRoute = "route:GET:status.code:"

// period is the compliance period of httpservice's route objectives
// (RouteObjectives.Window left zero: 30 days). /statusz reports names and
// targets, not periods.
const period = 30 * 24 * time.Hour

func fetchStatusz(ctx context.Context, ops string) ([]sloStatus, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ops+"/statusz", nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s/statusz: %s", ops, resp.Status)
	}
	var doc struct {
		SLOs []sloStatus `json:"slos"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("GET %s/statusz: %w", ops, err)
	}
	return doc.SLOs, nil
}

// objectives returns every objective /statusz reports, with the service's
// period; the rules of a latency objective are those of a request one
// (its events are classified in process).
func objectives(ctx context.Context, ops string) ([]slo.Objective, error) {
	sts, err := fetchStatusz(ctx, ops)
	if err != nil {
		return nil, err
	}
	if len(sts) == 0 {
		return nil, fmt.Errorf("GET %s/statusz: no objectives", ops)
	}
	objs := make([]slo.Objective, 0, len(sts))
	for _, s := range sts {
		objs = append(objs, slo.Objective{Name: s.Name, Target: s.Target, Window: slo.Window{Rolling: period}})
	}
	return objs, nil
}

// availabilitySLO finds the /status/{code} route's availability objective.
func availabilitySLO(ctx context.Context, ops string) (sloStatus, error) {
	sts, err := fetchStatusz(ctx, ops)
	if err != nil {
		return sloStatus{}, err
	}
	var names []string
	for _, s := range sts {
		if strings.Contains(s.Name, statusRoute) && strings.HasSuffix(s.Name, ":availability") {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return sloStatus{}, fmt.Errorf("/statusz has no availability objective for %s among %q", statusRoute, names)
}

// statusOf returns objective name from /statusz.
func statusOf(ctx context.Context, ops, name string) (sloStatus, error) {
	sts, err := fetchStatusz(ctx, ops)
	if err != nil {
		return sloStatus{}, err
	}
	for _, s := range sts {
		if s.Name == name {
			return s, nil
		}
	}
	return sloStatus{}, fmt.Errorf("/statusz lost objective %s", name)
}
