package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/nines-sre/nines/examples/internal/harness"
	"github.com/nines-sre/nines/remediate"
)

// The steps of the loop, each bounded.
const (
	fireTimeout    = 90 * time.Second // from the first bad request to the alert firing
	actTimeout     = 30 * time.Second // from firing to both replicas shedding
	resolveTimeout = 90 * time.Second // from the fault's end to both replicas stopping
)

type checker struct {
	client *http.Client
	start  time.Time
	apps   []string
	opses  []string
	prom   string
}

func (c *checker) logf(format string, args ...any) {
	fmt.Printf("%7.1fs  %s\n", time.Since(c.start).Seconds(), fmt.Sprintf(format, args...))
}

func check(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	app := fs.String("app", "", "replicas' service URLs, comma-separated")
	ops := fs.String("ops", "", "replicas' operational URLs, comma-separated")
	prom := fs.String("prom", "", "Prometheus URL")
	_ = fs.Parse(args)
	c := &checker{client: &http.Client{Timeout: 2 * time.Second}, apps: harness.SplitList(*app), opses: harness.SplitList(*ops), prom: *prom}
	if len(c.apps) == 0 || len(c.apps) != len(c.opses) || c.prom == "" {
		return fmt.Errorf("check: need -app and -ops of the same length, and -prom")
	}
	c.start = time.Now()

	trafficCtx, stopTraffic := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stopTraffic()
	if err := c.setFault(ctx, true); err != nil {
		return err
	}
	c.logf("fault on in %d replicas; traffic 20 req/s each", len(c.apps))
	for _, a := range c.apps {
		wg.Go(func() { c.traffic(trafficCtx, a+"/work") })
	}

	if err := c.until(ctx, fireTimeout, "the fleet alert fires in Prometheus", func() (bool, error) { return c.alertFiring(ctx) }); err != nil {
		return err
	}
	if err := c.until(ctx, actTimeout, "every replica sheds (policy shed-on-fleet-page executed)", func() (bool, error) { return c.allShedding(ctx, true) }); err != nil {
		return err
	}
	if err := c.setFault(ctx, false); err != nil {
		return err
	}
	c.logf("fault off")
	if err := c.until(ctx, resolveTimeout, "the fleet alert resolves in Prometheus", func() (bool, error) {
		firing, err := c.alertFiring(ctx)
		return !firing, err
	}); err != nil {
		return err
	}
	if err := c.until(ctx, resolveTimeout, "every replica stops shedding (the engine reverted the shed)", func() (bool, error) { return c.allShedding(ctx, false) }); err != nil {
		return err
	}
	return c.audits(ctx)
}

// until polls cond every 250 ms until it holds, for at most d.
func (c *checker) until(ctx context.Context, d time.Duration, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(d)
	var last error
	for time.Now().Before(deadline) {
		ok, err := cond()
		if ok {
			c.logf("%s", what)
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return fmt.Errorf("not within %v: %s (last error: %v)", d, what, last)
}

func (c *checker) setFault(ctx context.Context, on bool) error {
	v := "0"
	if on {
		v = "1"
	}
	for _, o := range c.opses {
		if err := c.get(ctx, o+"/ame2e/fault?on="+v, nil); err != nil {
			return err
		}
	}
	return nil
}

// traffic sends 20 requests a second until ctx ends; answers are the
// replica's business (500 during the fault).
func (c *checker) traffic(ctx context.Context, url string) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if resp, err := c.client.Get(url); err == nil {
				resp.Body.Close()
			}
		}
	}
}

// pagedTier is the alert tier Alertmanager routes to the replicas: the
// fast page (1h long window, 5m short). The slower tiers' short windows
// (30m and longer) keep them firing long after a short fault; they are not
// routed, so not waited for.
const pagedTier = "1h"

// alertFiring reports whether Prometheus has the objective's
// SLOErrorBudgetBurn alert of the paged tier firing.
func (c *checker) alertFiring(ctx context.Context) (bool, error) {
	var body struct {
		Data struct {
			Alerts []struct {
				Labels map[string]string `json:"labels"`
				State  string            `json:"state"`
			} `json:"alerts"`
		} `json:"data"`
	}
	if err := c.get(ctx, c.prom+"/api/v1/alerts", &body); err != nil {
		return false, err
	}
	for _, a := range body.Data.Alerts {
		if a.Labels["alertname"] == "SLOErrorBudgetBurn" && a.Labels["slo_name"] == objective.Name &&
			a.Labels["long_window"] == pagedTier && a.State == "firing" {
			return true, nil
		}
	}
	return false, nil
}

func (c *checker) allShedding(ctx context.Context, want bool) (bool, error) {
	for _, o := range c.opses {
		var st replicaState
		if err := c.get(ctx, o+"/ame2e/state", &st); err != nil {
			return false, err
		}
		if st.Shedding != want {
			return false, nil
		}
	}
	return true, nil
}

// audits checks every replica's audit: a valid chain, the shed executed
// exactly once for the fleet alert and reverted exactly once.
func (c *checker) audits(ctx context.Context) error {
	for i, o := range c.opses {
		var st replicaState
		if err := c.get(ctx, o+"/ame2e/state", &st); err != nil {
			return err
		}
		if err := remediate.Verify(st.Records); err != nil {
			return fmt.Errorf("replica %d: audit chain: %w", i, err)
		}
		outcomes := map[remediate.DecisionOutcome]int{}
		for _, r := range st.Records {
			c.logf("replica %d audit #%d at %.1fs: %s %s on %s: %s%s (signal %s %s from %s, alert time %.1fs)", i, r.Seq,
				r.Time.Sub(c.start).Seconds(), r.Policy, r.Action, r.Target, r.Outcome, reason(r.Reason), r.Signal.Source,
				r.Signal.State, r.Signal.Attributes["origin"], r.Signal.Time.Sub(c.start).Seconds())
			if r.Policy == "shed-on-fleet-page" && r.Signal.Attributes["origin"] == "alertmanager" {
				outcomes[r.Outcome]++
			}
		}
		if outcomes[remediate.OutcomeExecuted] != 1 || outcomes[remediate.OutcomeReverted] != 1 {
			return fmt.Errorf("replica %d: outcomes %v, want the shed executed and reverted once each", i, outcomes)
		}
	}
	c.logf("audits verified: one shed and one revert per replica")
	return nil
}

func reason(r string) string {
	if r == "" {
		return ""
	}
	return " (" + r + ")"
}

func (c *checker) get(ctx context.Context, url string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if into == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(into)
}
