package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nines-sre/nines/examples/internal/harness"
	"github.com/nines-sre/nines/slo"
)

// saveStatus writes the replicas' objective, as /statusz reported it, to
// path: restart's -before.
func saveStatus(path string, replicas []sloStatus) error {
	b, err := json.Marshal(replicas)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// restart runs after one replica was stopped with SIGTERM (saving its
// state) and started again on the same addresses with the same state
// directory. It checks that the restarted replica restored its history
// (/statusz counts it) but exports only what the new process counted, so
// that Prometheus sees one counter reset, which the rules take as growth
// from 0: then it drives mostly good traffic and checks that every fleet
// window still equals the exact value (the restored history is not counted
// again), and that the SLOErrorBudgetBurn alerts pending or firing are
// exactly the tiers the exact definition fires. The traffic is chosen so
// that counting the restored history again would keep the 1h/5m page
// firing when the exact burn rate is already below it.
func restart(ctx context.Context, args []string) error {
	var (
		c                          checkConfig
		apps, ops, badEvery, saved string
		restarted                  int
	)
	fs := flag.NewFlagSet("restart", flag.ExitOnError)
	fs.StringVar(&apps, "app", "", "base URLs of the service's replicas, comma-separated")
	fs.StringVar(&ops, "ops", "", "base URLs of their operational endpoints, in the same order")
	fs.StringVar(&c.prom, "prom", "", "base URL of Prometheus")
	fs.StringVar(&c.job, "job", "nines", "the scrape job of the service")
	fs.IntVar(&c.requests, "requests", 240, "requests to send after the restart, round-robin")
	fs.IntVar(&c.rate, "rate", 20, "requests per second, in all")
	fs.StringVar(&badEvery, "bad-every", "1000", "per replica, comma-separated: its every Nth request answers 500")
	fs.DurationVar(&c.scrape, "scrape", time.Second, "Prometheus's scrape interval")
	fs.DurationVar(&c.eval, "eval", 0, "Prometheus's rule evaluation interval; 0 means the scrape interval")
	fs.StringVar(&saved, "before", "", "the file check -save wrote before the restart")
	fs.IntVar(&restarted, "restarted", 0, "index of the restarted replica in -app and -ops")
	_ = fs.Parse(args)
	if c.eval <= 0 {
		c.eval = c.scrape
	}
	c.apps, c.ops = harness.SplitList(apps), harness.SplitList(ops)
	for _, s := range harness.SplitList(badEvery) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2 {
			return fmt.Errorf("restart: -bad-every %q: want integers of at least 2", badEvery)
		}
		c.badEvery = append(c.badEvery, n)
	}
	if len(c.badEvery) == 1 {
		for len(c.badEvery) < len(c.apps) {
			c.badEvery = append(c.badEvery, c.badEvery[0])
		}
	}
	if len(c.apps) == 0 || len(c.ops) != len(c.apps) || len(c.badEvery) != len(c.apps) ||
		c.prom == "" || c.requests < 1 || c.rate < 1 || restarted < 0 || restarted >= len(c.apps) || saved == "" {
		return fmt.Errorf("restart: need -app and -ops with one entry per replica, -prom, -before, -restarted in range, and positive -requests and -rate")
	}
	raw, err := os.ReadFile(saved)
	if err != nil {
		return fmt.Errorf("restart: -before: %w", err)
	}
	var before []sloStatus
	if err := json.Unmarshal(raw, &before); err != nil || len(before) != len(c.apps) {
		return fmt.Errorf("restart: -before %s: %d replicas, want %d (%v)", saved, len(before), len(c.apps), err)
	}
	restored := before[restarted]
	name := restored.Name
	p := promClient{base: c.prom, client: &http.Client{Timeout: 10 * time.Second}}
	instance := strings.TrimPrefix(c.ops[restarted], "http://")
	sel := fmt.Sprintf(`slo_name=%q,instance=%q`, name, instance)

	// One good and one bad request on the restarted replica, and a wait
	// until Prometheus has scraped both counters from the new process: a
	// reset to a value below what it saw before, so the rules count the
	// new counter from 0.
	client := &http.Client{Timeout: 5 * time.Second}
	for _, code := range []int{200, 500} {
		if err := harness.Get(ctx, client, fmt.Sprintf("%s/status/%d", c.apps[restarted], code), code); err != nil {
			return err
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := p.waitFor(waitCtx, fmt.Sprintf(`count(resets(slo_events_total{%s}[10m]) == 1)`, sel), 2, c.scrape/2); err != nil {
		return fmt.Errorf("Prometheus never saw the restarted replica's counters reset: %w", err)
	}
	time.Sleep(c.eval + c.scrape)
	logf("replica %d restarted (restored %d good, %d bad); sending %d requests at %d/s, replica k's every %v-th answers 500",
		restarted, restored.Good, restored.Bad, c.requests, c.rate, c.badEvery)
	sent, bad, err := drive(ctx, c)
	if err != nil {
		return err
	}
	quiet := 2*c.scrape + 2*c.eval + 500*time.Millisecond
	logf("sent %d requests (%d bad); quiet for %v", sent, bad, quiet)
	time.Sleep(quiet)

	replicas := make([]sloStatus, len(c.ops))
	var good, badOwn uint64
	for i, o := range c.ops {
		if replicas[i], err = statusOf(ctx, o, name); err != nil {
			return err
		}
		good += replicas[i].Good
		badOwn += replicas[i].Bad
		logf("replica %d: /statusz good %d, bad %d, 5m burn rate %.4g", i, replicas[i].Good, replicas[i].Bad, replicas[i].BurnRates["5m"])
	}
	now := replicas[restarted]
	if now.Good < restored.Good || now.Bad < restored.Bad {
		return fmt.Errorf("restart: replica %d's /statusz counts %d good, %d bad after the restart, fewer than the %d, %d it saved: nothing restored",
			restarted, now.Good, now.Bad, restored.Good, restored.Bad)
	}
	var failures []string
	// The restarted replica exports exactly what the new process counted;
	// each replica's counter reset once at most (the restart), never went
	// down otherwise.
	for _, o := range []struct {
		outcome string
		want    uint64
	}{{"good", now.Good - restored.Good}, {"bad", now.Bad - restored.Bad}} {
		v, err := p.scalar(ctx, fmt.Sprintf(`slo_events_total{%s,slo_outcome=%q}`, sel, o.outcome))
		if err != nil {
			return err
		}
		fmt.Printf("  restarted replica's exported %s: %v (its /statusz %v minus restored history)\n", o.outcome, v, o.want)
		if v != float64(o.want) {
			failures = append(failures, fmt.Sprintf("exported %s %v, want %d", o.outcome, v, o.want))
		}
	}
	resets, err := p.query(ctx, fmt.Sprintf(`resets(slo_events_total{slo_name=%q}[10m])`, name))
	if err != nil {
		return err
	}
	for _, r := range resets {
		want := 0.0
		if r.Metric["instance"] == instance {
			want = 1
		}
		fmt.Printf("  resets(slo_events_total{instance=%q,slo_outcome=%q}) = %v, want %v\n", r.Metric["instance"], r.Metric["slo_outcome"], r.Value, want)
		if r.Value != want {
			failures = append(failures, fmt.Sprintf("%v resets of %s %s", r.Value, r.Metric["instance"], r.Metric["slo_outcome"]))
		}
	}
	if len(resets) != 2*len(c.apps) {
		failures = append(failures, fmt.Sprintf("%d slo_events_total series, want %d", len(resets), 2*len(c.apps)))
	}

	exp := expectation{exported: [2]uint64{good - restored.Good, badOwn - restored.Bad}, injected: math.NaN()}
	if err := compare(ctx, p, c, replicas, exp); err != nil {
		failures = append(failures, err.Error())
	}
	if err := alertsMatch(ctx, p, name, replicas); err != nil {
		failures = append(failures, err.Error())
	}
	if len(failures) > 0 {
		return fmt.Errorf("restart: %s", strings.Join(failures, "; "))
	}
	logf("after the restart: one counter reset, restored history not counted again, alerts as the exact definition")
	return nil
}

// alertsMatch checks that the SLOErrorBudgetBurn tiers Prometheus has
// pending or firing now are the tiers the exact definition fires: every
// window holds every event of the run (it lasts less than five minutes),
// so each tier's burn rate is the fleet's bad/total over (1-target). A
// tier whose exact burn rate is within the warm-up events of its threshold
// is not decided either way.
func alertsMatch(ctx context.Context, p promClient, name string, replicas []sloStatus) error {
	target := replicas[0].Target
	var good, bad uint64
	for _, r := range replicas {
		good += r.Good
		bad += r.Bad
	}
	total := float64(good + bad)
	burn := float64(bad) / total / (1 - target)
	margin := float64(2*len(replicas)+1) / total / (1 - target)
	alerts, err := p.query(ctx, fmt.Sprintf(`ALERTS{alertname="SLOErrorBudgetBurn",slo_name=%q}`, name))
	if err != nil {
		return err
	}
	var got []string
	for _, a := range alerts {
		got = append(got, a.Metric["long_window"]+"/"+a.Metric["short_window"])
	}
	var wrong []string
	for _, t := range slo.DefaultTiers(period) {
		tier := slo.WindowLabel(t.Long) + "/" + slo.WindowLabel(t.Short)
		threshold := t.BurnRateThreshold(period)
		enough := total >= float64(t.MinEventCount(target, period))
		prom := slices.Contains(got, tier)
		exact, decided := "fires", true
		switch {
		case enough && burn > threshold+margin:
		case !enough || burn < threshold-margin:
			exact = "quiet"
		default:
			exact, decided = "undecided", false
		}
		mark := "ok"
		if decided && prom != (exact == "fires") {
			mark = "FAIL"
			wrong = append(wrong, tier)
		}
		fmt.Printf("  SLOErrorBudgetBurn %-8s exact burn %.4g vs threshold %.4g: exact %s, Prometheus %v  %s\n",
			tier, burn, threshold, exact, prom, mark)
	}
	if len(wrong) > 0 {
		return fmt.Errorf("SLOErrorBudgetBurn disagrees with the exact definition on %v (pending or firing: %v)", wrong, got)
	}
	return nil
}
