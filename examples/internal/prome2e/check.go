package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
)

// checkConfig is what check's flags set.
type checkConfig struct {
	app, ops, prom string
	job            string
	requests       int
	rate           int
	badEvery       int
	scrape         time.Duration
}

func check(ctx context.Context, args []string) error {
	var c checkConfig
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	fs.StringVar(&c.app, "app", "", "base URL of the service")
	fs.StringVar(&c.ops, "ops", "", "base URL of its operational endpoints")
	fs.StringVar(&c.prom, "prom", "", "base URL of Prometheus")
	fs.StringVar(&c.job, "job", "nines", "the scrape job of the service")
	fs.IntVar(&c.requests, "requests", 600, "requests to send")
	fs.IntVar(&c.rate, "rate", 20, "requests per second")
	fs.IntVar(&c.badEvery, "bad-every", 5, "every Nth request answers 500")
	fs.DurationVar(&c.scrape, "scrape", time.Second, "Prometheus's scrape (and rule evaluation) interval")
	_ = fs.Parse(args)
	if c.app == "" || c.ops == "" || c.prom == "" || c.requests < 1 || c.rate < 1 || c.badEvery < 2 {
		return fmt.Errorf("check: need -app, -ops, -prom, and positive -requests, -rate, -bad-every >= 2")
	}
	p := promClient{base: c.prom, client: &http.Client{Timeout: 10 * time.Second}}
	slo, err := availabilitySLO(ctx, c.ops)
	if err != nil {
		return err
	}
	logf("objective %s (target %v)", slo.Name, slo.Target)

	// Both outcome series exist (rules sent a good and a bad request);
	// wait until Prometheus holds two samples of each, so that increase()
	// has a baseline before the traffic.
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := p.waitFor(waitCtx, fmt.Sprintf(`up{job=%q}`, c.job), 1, c.scrape/2); err != nil {
		return fmt.Errorf("service never up in Prometheus: %w", err)
	}
	baseline := fmt.Sprintf(`count(count_over_time(slo_events_total{slo_name=%q}[5m]) >= 2)`, slo.Name)
	if err := p.waitFor(waitCtx, baseline, 2, c.scrape/2); err != nil {
		return fmt.Errorf("no baseline of both outcomes: %w", err)
	}
	logf("Prometheus scrapes the service; sending %d requests at %d/s, every %dth answers 500", c.requests, c.rate, c.badEvery)

	sent, bad, err := drive(ctx, c)
	if err != nil {
		return err
	}
	// Quiet: two scrapes so the last counters are in, and two rule
	// evaluations after them.
	quiet := 4*c.scrape + 500*time.Millisecond
	logf("sent %d requests (%d bad); quiet for %v", sent, bad, quiet)
	time.Sleep(quiet)

	proc, err := statusOf(ctx, c.ops, slo.Name)
	if err != nil {
		return err
	}
	return compare(ctx, p, c, proc, sent, bad)
}

// drive sends c.requests requests at c.rate per second, every
// c.badEvery-th to /status/500 and the rest to /status/200, a few at a
// time, and returns how many were sent and how many of them were bad.
func drive(ctx context.Context, c checkConfig) (sent, bad int, err error) {
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(time.Second / time.Duration(c.rate))
	defer tick.Stop()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	slots := make(chan struct{}, 8)
	for i := 1; i <= c.requests; i++ {
		select {
		case <-ctx.Done():
			return sent, bad, ctx.Err()
		case <-tick.C:
		}
		code := 200
		if i%c.badEvery == 0 {
			code = 500
			bad++
		}
		sent++
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := get(ctx, client, fmt.Sprintf("%s/status/%d", c.app, code), code); err != nil {
				mu.Lock()
				firstErr = cmpErr(firstErr, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return sent, bad, firstErr
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// get GETs url and wants status want.
func get(ctx context.Context, client *http.Client, url string, want int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("GET %s: %s, want %d", url, resp.Status, want)
	}
	return nil
}

// compare checks Prometheus's fleet numbers against the service's own.
func compare(ctx context.Context, p promClient, c checkConfig, proc sloStatus, sent, bad int) error {
	sel := fmt.Sprintf(`slo_name=%q`, proc.Name)
	// One scrape's worth of events: what the 5m increase may gain or lose
	// by extrapolating to its range's edges.
	slack := float64(c.rate) * c.scrape.Seconds()
	var failures []string
	row := func(what string, prom, own, tol float64) {
		ok := math.Abs(prom-own) <= tol
		mark := "ok"
		if !ok {
			mark = "FAIL"
			failures = append(failures, what)
		}
		fmt.Printf("  %-44s %12.5g %12.5g %10.3g  %s\n", what, prom, own, tol, mark)
	}
	fmt.Printf("  %-44s %12s %12s %10s\n", "quantity (Prometheus vs own)", "Prometheus", "/statusz", "tolerance")

	for _, o := range []struct {
		outcome string
		own     uint64
	}{{"good", proc.Good}, {"bad", proc.Bad}} {
		raw, err := p.scalar(ctx, fmt.Sprintf(`sum(slo_events_total{%s,slo_outcome=%q})`, sel, o.outcome))
		if err != nil {
			return err
		}
		row("slo_events_total "+o.outcome+" (raw, summed)", raw, float64(o.own), 0)
		// The service runs for less than five minutes, so its 5m window
		// holds every event it counted.
		inc, err := p.scalar(ctx, fmt.Sprintf(`slo:events:increase5m{%s,slo_outcome=%q}`, sel, o.outcome))
		if err != nil {
			return err
		}
		row("slo:events:increase5m "+o.outcome, inc, float64(o.own), slack)
	}
	total := float64(proc.Good + proc.Bad)
	ratioTol := slack / total
	burn5m, ok := proc.BurnRates["5m"]
	if !ok {
		return fmt.Errorf("/statusz: objective %s has no 5m burn rate: %v", proc.Name, proc.BurnRates)
	}
	ownRatio := burn5m * (1 - proc.Target)
	// The in-process 5m window is the whole run: its ratio is the counts'.
	if counted := float64(proc.Bad) / total; math.Abs(ownRatio-counted) > 1e-9 {
		return fmt.Errorf("/statusz: 5m burn rate %v means error ratio %v, but its counts say %v", burn5m, ownRatio, counted)
	}
	for _, q := range []struct {
		record string
		own    float64
		scale  float64
	}{
		{"slo:error_ratio", ownRatio, 1},
		{"slo:sli", 1 - ownRatio, 1},
		{"slo:burn_rate", burn5m, 1 / (1 - proc.Target)},
	} {
		v, err := p.scalar(ctx, fmt.Sprintf(`%s{%s,slo_window="5m"}`, q.record, sel))
		if err != nil {
			return err
		}
		row(q.record+`{slo_window="5m"}`, v, q.own, ratioTol*q.scale)
	}
	// The process's own burn-rate gauge, as Prometheus scraped it.
	gauge, err := p.scalar(ctx, fmt.Sprintf(`slo_burn_rate_ratio{%s,slo_window="5m"}`, sel))
	if err != nil {
		return err
	}
	row(`slo_burn_rate_ratio{slo_window="5m"} (scraped)`, gauge, burn5m, ratioTol/(1-proc.Target))
	// The injected ratio, against both sides' own counts.
	injected := float64(bad) / float64(sent)
	er, err := p.scalar(ctx, fmt.Sprintf(`slo:error_ratio{%s,slo_window="5m"}`, sel))
	if err != nil {
		return err
	}
	row("injected bad ratio vs prometheus", er, injected, ratioTol)
	if len(failures) > 0 {
		return fmt.Errorf("check: Prometheus disagrees with /statusz on %s", strings.Join(failures, ", "))
	}
	logf("Prometheus's fleet SLI and burn rates agree with /statusz")
	return nil
}

func logf(format string, args ...any) {
	fmt.Printf("prome2e: "+format+"\n", args...)
}
