package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nines-sre/nines/examples/internal/harness"
)

// checkConfig is what check's flags set.
type checkConfig struct {
	apps, ops []string // one per replica
	prom      string
	job       string
	requests  int
	rate      int
	badEvery  []int // per replica: its every Nth request answers 500
	scrape    time.Duration
	eval      time.Duration
	save      string // file to write the replicas' /statusz objective to, for restart
}

func check(ctx context.Context, args []string) error {
	var (
		c                   checkConfig
		apps, ops, badEvery string
	)
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	fs.StringVar(&apps, "app", "", "base URLs of the service's replicas, comma-separated")
	fs.StringVar(&ops, "ops", "", "base URLs of their operational endpoints, in the same order")
	fs.StringVar(&c.prom, "prom", "", "base URL of Prometheus")
	fs.StringVar(&c.job, "job", "nines", "the scrape job of the service")
	fs.IntVar(&c.requests, "requests", 600, "requests to send, spread round-robin over the replicas")
	fs.IntVar(&c.rate, "rate", 20, "requests per second, in all")
	fs.StringVar(&badEvery, "bad-every", "5", "per replica, comma-separated: its every Nth request answers 500")
	fs.DurationVar(&c.scrape, "scrape", time.Second, "Prometheus's scrape interval")
	fs.DurationVar(&c.eval, "eval", 0, "Prometheus's rule evaluation interval; 0 means the scrape interval")
	fs.StringVar(&c.save, "save", "", "write the replicas' final /statusz objective (JSON) to this file, for restart -before")
	_ = fs.Parse(args)
	if c.eval <= 0 {
		c.eval = c.scrape
	}
	c.apps, c.ops = harness.SplitList(apps), harness.SplitList(ops)
	for _, s := range harness.SplitList(badEvery) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2 {
			return fmt.Errorf("check: -bad-every %q: want integers of at least 2", badEvery)
		}
		c.badEvery = append(c.badEvery, n)
	}
	if len(c.apps) == 0 || len(c.ops) != len(c.apps) || len(c.badEvery) != len(c.apps) ||
		c.prom == "" || c.requests < 1 || c.rate < 1 {
		return fmt.Errorf("check: need -app, -ops and -bad-every with one entry per replica, -prom, and positive -requests and -rate")
	}
	p := promClient{base: c.prom, client: &http.Client{Timeout: 10 * time.Second}}
	slo, err := availabilitySLO(ctx, c.ops[0])
	if err != nil {
		return err
	}
	logf("objective %s (target %v), %d replicas", slo.Name, slo.Target, len(c.apps))

	// Both outcome series exist on every replica (rules sent each a good
	// and a bad request); wait until Prometheus holds two samples of each,
	// so that the rules have seen every series before the traffic.
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	n := float64(len(c.apps))
	if err := p.waitFor(waitCtx, fmt.Sprintf(`count(up{job=%q} == 1)`, c.job), n, c.scrape/2); err != nil {
		return fmt.Errorf("replicas never up in Prometheus: %w", err)
	}
	baseline := fmt.Sprintf(`count(count_over_time(slo_events_total{slo_name=%q}[5m]) >= 2)`, slo.Name)
	if err := p.waitFor(waitCtx, baseline, 2*n, c.scrape/2); err != nil {
		return fmt.Errorf("no baseline of both outcomes: %w", err)
	}
	// And until the rules have seen every series (the fleet total counts
	// growth from the value the previous evaluation saw), plus one more
	// evaluation, so the traffic is counted from its first request.
	seen := fmt.Sprintf(`count(slo:events:seen{slo_name=%q})`, slo.Name)
	if err := p.waitFor(waitCtx, seen, 2*n, c.eval/2); err != nil {
		return fmt.Errorf("the rules never saw every series: %w", err)
	}
	time.Sleep(c.eval + c.scrape)
	logf("Prometheus scrapes every replica; sending %d requests at %d/s round-robin, replica k's every %v-th answers 500",
		c.requests, c.rate, c.badEvery)

	sent, bad, err := drive(ctx, c)
	if err != nil {
		return err
	}
	// Quiet: two scrapes so the last counters are in, and two rule
	// evaluations after them.
	quiet := 2*c.scrape + 2*c.eval + 500*time.Millisecond
	logf("sent %d requests (%d bad); quiet for %v", sent, bad, quiet)
	time.Sleep(quiet)

	replicas := make([]sloStatus, len(c.ops))
	for i, ops := range c.ops {
		if replicas[i], err = statusOf(ctx, ops, slo.Name); err != nil {
			return err
		}
		logf("replica %d: /statusz good %d, bad %d, 5m burn rate %.4g", i, replicas[i].Good, replicas[i].Bad, replicas[i].BurnRates["5m"])
	}
	var good, badOwn uint64
	for _, r := range replicas {
		good += r.Good
		badOwn += r.Bad
	}
	exp := expectation{exported: [2]uint64{good, badOwn}, injected: float64(bad) / float64(sent)}
	if err := compare(ctx, p, c, replicas, exp); err != nil {
		return err
	}
	if c.save != "" {
		return saveStatus(c.save, replicas)
	}
	return nil
}

// expectation is what compare wants besides the replicas' /statusz: the
// sums of the exported counters (the events the running processes counted
// themselves, restored history excluded) and the bad ratio the traffic
// injected (NaN: not checked).
type expectation struct {
	exported [2]uint64 // good, bad
	injected float64
}

// drive sends c.requests requests at c.rate per second, round-robin over
// the replicas, each replica's every badEvery-th to /status/500 and the rest
// to /status/200, a few at a time; it returns how many were sent and how many
// of them were bad.
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
	defer wg.Wait()
	for i := range c.requests {
		select {
		case <-ctx.Done():
			return sent, bad, ctx.Err()
		case <-tick.C:
		}
		k, j := i%len(c.apps), i/len(c.apps)+1 // replica, its request number
		code := 200
		if j%c.badEvery[k] == 0 {
			code = 500
			bad++
		}
		sent++
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := harness.Get(ctx, client, fmt.Sprintf("%s/status/%d", c.apps[k], code), code); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return sent, bad, firstErr
}

// compare checks Prometheus's fleet numbers against the replicas' own: the
// fleet's counts are the sum of the replicas' counts, and its error ratio
// is bad over all events, never an average of the replicas' ratios.
func compare(ctx context.Context, p promClient, c checkConfig, replicas []sloStatus, exp expectation) error {
	name, target := replicas[0].Name, replicas[0].Target
	sel := fmt.Sprintf(`slo_name=%q`, name)
	var good, badOwn uint64
	for _, r := range replicas {
		// Each replica runs for less than five minutes, so its 5m window
		// holds every event it counted: its ratio is its counts'.
		// /statusz rounds to 6 significant digits: a relative 1e-5.
		counted := float64(r.Bad) / float64(r.Good+r.Bad)
		if own := r.BurnRates["5m"] * (1 - target); math.Abs(own-counted) > 1e-5*counted {
			return fmt.Errorf("/statusz: 5m burn rate %v means error ratio %v, but its counts say %v", r.BurnRates["5m"], own, counted)
		}
		good += r.Good
		badOwn += r.Bad
	}
	total := float64(good + badOwn)
	fleetRatio := float64(badOwn) / total
	// One scrape's worth of events at each end of a window (the rules count
	// scrapes, not events), plus the warm-up events each replica counted
	// before Prometheus first saw it, which the rules never count.
	slack := 2*float64(c.rate)*c.scrape.Seconds() + 2*float64(len(replicas))
	ratioTol := slack / total

	var failures []string
	row := func(what string, prom, own, tol float64) {
		mark := "ok"
		if math.IsNaN(prom) || math.Abs(prom-own) > tol {
			mark = "FAIL"
			failures = append(failures, what)
		}
		fmt.Printf("  %-46s %12.5g %12.5g %10.3g %10.3g  %s\n", what, prom, own, prom-own, tol, mark)
	}
	fmt.Printf("  %-46s %12s %12s %10s %10s\n", "quantity", "Prometheus", "exact", "difference", "tolerance")
	for _, o := range []struct {
		outcome string
		own     uint64
	}{{"good", exp.exported[0]}, {"bad", exp.exported[1]}} {
		raw, err := p.scalar(ctx, fmt.Sprintf(`sum(slo_events_total{%s,slo_outcome=%q})`, sel, o.outcome))
		if err != nil {
			return err
		}
		row("sum(slo_events_total) "+o.outcome, raw, float64(o.own), 0)
	}
	// Every window the rules record, against the exact value: the replicas
	// ran for less than five minutes, so each window holds every event
	// they counted (bad/total over (T-w, T] is their counts' ratio).
	incs, err := p.query(ctx, fmt.Sprintf(`slo:events:increase{%s}`, sel))
	if err != nil {
		return err
	}
	ratios, err := p.query(ctx, fmt.Sprintf(`slo:error_ratio{%s}`, sel))
	if err != nil {
		return err
	}
	if len(incs) < 2*7 || len(ratios) < 7 {
		return fmt.Errorf("slo:events:increase has %d series and slo:error_ratio %d, want every window", len(incs), len(ratios))
	}
	for _, w := range ratios {
		win := w.Metric["slo_window"]
		for _, o := range []struct {
			outcome string
			own     uint64
		}{{"good", good}, {"bad", badOwn}} {
			for _, inc := range incs {
				if inc.Metric["slo_window"] == win && inc.Metric["slo_outcome"] == o.outcome {
					row(fmt.Sprintf("slo:events:increase{%s} %s", win, o.outcome), inc.Value, float64(o.own), slack)
				}
			}
		}
		row(fmt.Sprintf("slo:error_ratio{%s}", win), w.Value, fleetRatio, ratioTol)
	}
	for _, q := range []struct {
		record     string
		own, scale float64
	}{
		{"slo:sli", 1 - fleetRatio, 1},
		{"slo:burn_rate", fleetRatio / (1 - target), 1 / (1 - target)},
	} {
		v, err := p.scalar(ctx, fmt.Sprintf(`%s{%s,slo_window="5m"}`, q.record, sel))
		if err != nil {
			return err
		}
		row(q.record+`{slo_window="5m"}`, v, q.own, ratioTol*q.scale)
	}
	// Each replica's own burn-rate gauge, as Prometheus scraped it.
	gauges, err := p.query(ctx, fmt.Sprintf(`slo_burn_rate_ratio{%s,slo_window="5m"}`, sel))
	if err != nil {
		return err
	}
	if len(gauges) != len(replicas) {
		return fmt.Errorf("slo_burn_rate_ratio: %d series, want one per replica (%d)", len(gauges), len(replicas))
	}
	for i, r := range replicas {
		want := strings.TrimPrefix(c.ops[i], "http://")
		found := false
		for _, g := range gauges {
			if g.Metric["instance"] == want {
				// The exact burn rate is the counts', which the 5m
				// window holds whole (checked above); /statusz's is
				// rounded.
				exact := float64(r.Bad) / float64(r.Good+r.Bad) / (1 - target)
				row(fmt.Sprintf("slo_burn_rate_ratio{5m} replica %d (scraped)", i), g.Value, exact, 1e-9)
				found = true
			}
		}
		if !found {
			return fmt.Errorf("slo_burn_rate_ratio: no series of instance %s", want)
		}
	}
	// The injected ratio (the warm-up requests aside).
	if !math.IsNaN(exp.injected) {
		er, err := p.scalar(ctx, fmt.Sprintf(`slo:error_ratio{%s,slo_window="5m"}`, sel))
		if err != nil {
			return err
		}
		row("injected bad ratio", er, exp.injected, ratioTol)
	}
	if len(failures) > 0 {
		return fmt.Errorf("check: Prometheus disagrees with /statusz on %s", strings.Join(failures, ", "))
	}
	logf("Prometheus's fleet SLI and burn rates agree with the replicas' /statusz")
	return nil
}

func logf(format string, args ...any) {
	fmt.Printf("prome2e: "+format+"\n", args...)
}
