package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/examples/internal/runapp"
	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// priorityHeader lets the load generator mark its recommendation requests
// as sheddable, as a real client or gateway would.
const priorityHeader = "X-Priority"

// The script, as shares of the run: the inventory fails from faultAt to
// recoverAt.
const (
	faultAt   = 0.20
	recoverAt = 0.42
)

// run is the whole demo: it returns when the run is over (or ctx ends) and
// everything it started has stopped.
func run(ctx context.Context, cfg config, out io.Writer) (err error) {
	if err := cfg.validate(); err != nil {
		return err
	}
	start := time.Now()
	speed := float64(time.Hour) / float64(cfg.duration)
	sloClock := func() time.Time { return start.Add(time.Duration(float64(time.Since(start)) * speed)) }
	tl := &timeline{out: out, start: start, sloStart: start, sloClock: sloClock}

	// Everything below is stopped by the deferred functions, in reverse.
	prov, err := exporters.New(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, bounded(ctx, prov.Shutdown)) }()
	mp := prov.MeterProvider()

	inv, invLn, err := newInventory()
	if err != nil {
		return err
	}
	stopInventory := runapp.Serve(inv.srv, invLn)
	defer func() { err = errors.Join(err, bounded(ctx, stopInventory)) }()
	// Before the inventory stops (defers run last first), once the shop and
	// its checks are done with it: close the connections the shop's client
	// and the checks (http.DefaultTransport) keep to it, those being dialled
	// for requests the shutdown cancelled included (the transport closes
	// them as they arrive). Left open, the inventory's server sees
	// connections that never sent a request, which http.Server.Shutdown
	// waits 5 s for, as long as the bound on each shutdown step.
	defer closeIdleConnections(http.DefaultTransport)

	// Real-time knobs scale with the run so that a short run tells the
	// same story: health checks, breaker probes, the health policy's cooldown.
	step := cfg.duration / 60
	drain := cfg.drainDelay()
	reg := health.NewRegistry(health.WithMeterProvider(mp), health.WithDrainDelay(drain))
	shedder, err := admit.NewShedder("shop", admit.ShedderConfig{}, admit.WithMeterProvider(mp))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, bounded(ctx, shedder.Shutdown)) }()
	engine, err := newEngine(reg, shedder, mp)
	if err != nil {
		return err
	}
	// Deferred before the Monitor's Shutdown, so it runs after it: the
	// engine reverts what is still in effect once no request is left.
	defer func() { err = errors.Join(err, bounded(ctx, engine.Shutdown)) }()
	m, err := availability.New(append(objectives(strings.TrimPrefix(inv.url, "http://")),
		availability.WithMeterProvider(mp),
		availability.WithHealth(reg),
		availability.WithShedder(shedder),
		availability.WithPriority(requestPriority),
		availability.WithDrainDelay(drain),
		availability.WithEngine(engine),
		availability.WithClientBreakers(breaker.Config{
			ConsecutiveFailures: 5,
			OpenTimeout:         max(3*step, 50*time.Millisecond),
		}),
		availability.WithMetricsHandler(prov.MetricsHandler()),
		availability.WithClock(sloClock),
		availability.WithTickInterval(max(cfg.duration/240, 5*time.Millisecond)),
	)...)
	if err != nil {
		return err
	}
	app := &shop{inventoryURL: inv.url, client: &http.Client{Transport: m.RoundTripper(http.DefaultTransport)}}
	// The readiness check uses the shop's own client, as the docs suggest:
	// its calls are the library's own traffic, so they reach the inventory
	// even through an open breaker and count in no SLO.
	check, err := inventoryCheck(app.client, inv.url, max(step, 100*time.Millisecond))
	if err != nil {
		return err
	}
	if err := reg.Register(check); err != nil {
		return err
	}
	ms := &milestones{}
	removeListener := m.OnEvent(func(e availability.Event) { ms.observe(e); tl.event(e) })
	defer removeListener()

	appLn, err := listen(cfg.addr, tl)
	if err != nil {
		return err
	}
	opsLn, err := listen(cfg.ops, tl)
	if err != nil {
		appLn.Close()
		return err
	}
	stopOps := runapp.Serve(runapp.Server(m.Handler()), opsLn)
	defer func() { err = errors.Join(err, bounded(ctx, stopOps)) }()
	stopApp := runapp.Serve(runapp.Server(m.Middleware(app.routes())), appLn)
	defer func() { err = errors.Join(err, bounded(ctx, stopApp)) }()

	if err := m.Start(ctx); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, bounded(ctx, m.Shutdown)) }()

	base, ops := "http://"+appLn.Addr().String(), "http://"+opsLn.Addr().String()
	tl.printf("START", "shop on %s (GET /products/{id} calls the inventory; GET /recommendations is sheddable)", base)
	tl.printf("START", "ops endpoints: curl %s/statusz  |  %s/metrics  |  %s/readyz?verbose", ops, ops, ops)
	tl.printf("START", "SLO clock runs %.0fx: SLO windows, burn rates and detectors see %v as one hour", speed, cfg.duration)
	tl.printf("START", "objectives per route and for the inventory dependency: 99.9%% available, 99%% within 250ms (30 days); %d req/s of traffic", cfg.rate)

	load := newTraffic(base, cfg.rate)
	loadCtx, stopLoad := context.WithCancel(ctx)
	loadDone := make(chan struct{})
	go func() { defer close(loadDone); load.run(loadCtx) }()
	defer func() { stopLoad(); <-loadDone }()

	script(ctx, cfg.duration, start, tl, inv, load, ms)
	stopLoad()
	<-loadDone
	tl.printf("TRAFFIC", "total %v", load.counts())
	report(tl, m.Statusz())

	// What happens during shutdown is the checks being cancelled: not news.
	removeListener()
	tl.printf("STOP", "shutting down: readiness withdrawn for %v while the servers keep serving, exporters flushed last", drain)
	if err := bounded(ctx, m.Shutdown); err != nil {
		return err
	}
	probe(tl, ops+"/readyz")
	return nil
}

// probe GETs url and prints the answer, as a load balancer would see it.
func probe(tl *timeline, url string) {
	resp, err := http.Get(url)
	if err != nil {
		tl.printf("STOP", "GET %s: %v", url, err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1000))
	text := strings.ReplaceAll(strings.TrimSpace(string(body)), "\n", "\n                               ")
	tl.printf("STOP", "GET %s -> %d\n                               %s", url, resp.StatusCode, text)
}

// closeIdleConnections closes rt's idle connections, if it has any.
func closeIdleConnections(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// bounded runs a shutdown step with a deadline of its own: it must run
// even when ctx is done (an interrupted run), and must not hang. The bound
// is against a hang, not a speed requirement: each step takes milliseconds
// on an idle machine, and a loaded one (CI, load average 20 on two cores)
// must not turn a slow step into a failed run.
func bounded(ctx context.Context, stop func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return stop(ctx)
}

// requestPriority classifies requests from the X-Priority header.
func requestPriority(r *http.Request) admit.Priority {
	switch r.Header.Get(priorityHeader) {
	case "sheddable":
		return admit.Sheddable
	case "critical":
		return admit.Critical
	}
	return admit.Normal
}

// script injects the fault at faultAt and removes it at recoverAt, and
// prints a traffic summary every sixth of the run, until the run is over.
// On a machine so busy that the Monitor has not yet seen the fault (or the
// recovery) when the next phase is due, it holds the phase for up to
// another run's length, and says so.
func script(ctx context.Context, d time.Duration, start time.Time, tl *timeline, inv *inventory, load *traffic, ms *milestones) {
	summaries, stopSummaries := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(d / 6)
		defer tick.Stop()
		var last counts
		for {
			select {
			case <-summaries.Done():
				return
			case <-tick.C:
				now := load.counts()
				tl.printf("TRAFFIC", "%v", now.sub(last))
				last = now
			}
		}
	}()
	defer func() { stopSummaries(); <-done }()

	sleep := func(until time.Time) bool {
		t := time.NewTimer(time.Until(until))
		defer t.Stop()
		select {
		case <-ctx.Done():
			tl.printf("STOP", "interrupted: %v", context.Cause(ctx))
			return false
		case <-t.C:
			return true
		}
	}
	hold := func(what string, seen func() bool) bool {
		if seen() {
			return true
		}
		tl.printf("NOTE", "the machine is slow: waiting for the Monitor to see the %s", what)
		if !await(ctx, seen, time.Now().Add(d)) && ctx.Err() == nil {
			tl.printf("NOTE", "gave up waiting for the %s", what)
		}
		return ctx.Err() == nil
	}

	if !sleep(start.Add(time.Duration(float64(d) * faultAt))) {
		return
	}
	ms.faulty.Store(true)
	inv.faulty.Store(true)
	tl.printf("FAULT", "inventory starts answering 503 to everything")
	if !sleep(start.Add(time.Duration(float64(d)*recoverAt))) || !hold("fault", ms.faultSeen) {
		return
	}
	ms.fixed.Store(true)
	inv.faulty.Store(false)
	tl.printf("FAULT", "inventory fixed: answering normally again")
	if sleep(start.Add(d)) {
		hold("recovery", ms.recoverySeen)
	}
}

// report prints the end state from the Monitor's /statusz document.
func report(tl *timeline, st availability.Statusz) {
	checks := make([]string, 0, len(st.Health.Checks))
	for name, status := range st.Health.Checks {
		checks = append(checks, name+" "+status)
	}
	slices.Sort(checks)
	tl.printf("STATUS", "health: live %s, ready %s; checks: %s", st.Health.Groups["live"], st.Health.Groups["ready"], strings.Join(checks, ", "))
	for _, s := range st.SLOs {
		alerts := make([]string, 0, len(s.ActiveAlerts))
		for _, a := range s.ActiveAlerts {
			alerts = append(alerts, fmt.Sprintf("%s %s/%s", a.Severity, a.Long, a.Short))
		}
		firing := "none firing"
		if len(alerts) > 0 {
			firing = "still firing: " + strings.Join(alerts, ", ")
		}
		tl.printf("STATUS", "%s: %d good, %d bad, budget left %.1f%%, burn 5m %.1f 1h %.1f; %s",
			s.Name, s.Good, s.Bad, 100*s.BudgetRemaining, s.BurnRates.Of(5*time.Minute), s.BurnRates.Of(time.Hour), firing)
	}
	for _, b := range st.Breakers {
		tl.printf("STATUS", "breaker %s: %s", b.Name, b.State)
	}
	outcomes := map[string]int{}
	for _, r := range st.Remediation {
		outcomes[r.Outcome]++
	}
	decisions := make([]string, 0, len(outcomes))
	for outcome, n := range outcomes {
		decisions = append(decisions, fmt.Sprintf("%d %s", n, outcome))
	}
	slices.Sort(decisions)
	if len(decisions) == 0 {
		decisions = append(decisions, "none")
	}
	tl.printf("STATUS", "%d anomalies, %d requests shed, remediation decisions: %s", len(st.Anomalies), st.Shed, strings.Join(decisions, ", "))
	tl.printf("STATUS", "ticket alerts stay open until their 2h and 6h windows are clean: hours, not a minute")
}

// objectives are the Monitor options that decide its SLOs: the defaults,
// the shop's routes and the inventory dependency (reached at
// inventoryHost), all declared up front. The demo and -rules share them.
func objectives(inventoryHost string) []availability.Option {
	return []availability.Option{
		availability.WithRouteObjectives(availability.RouteObjectives{
			Availability:  0.999,
			Latency:       250 * time.Millisecond,
			LatencyTarget: 0.99,
		}),
		availability.WithRoutes(patterns...),
		availability.WithDependencies(availability.Dependency{Name: "inventory", Hosts: []string{inventoryHost}}),
	}
}

// writeRules writes the Prometheus rules of every objective of the demo
// to path: the -rules flag.
func writeRules(path string) error {
	m, err := availability.New(objectives("inventory.invalid")...)
	if err != nil {
		return err
	}
	defer m.Shutdown(context.Background())
	return runapp.WriteRules(path, m.Objectives())
}
