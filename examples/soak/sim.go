package main

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/slo"
)

// The simulation's cadences, on the simulated clock. A real Monitor ticks
// every second; the SLOs keep their windows per minute and walk three days
// of minutes on every tick, so the simulation ticks every 30 s, which moves
// an alert's timing by at most one tick (the assertions allow it) and keeps
// a simulated week within seconds. The readiness check runs every 10 s.
const (
	tickEvery  = 30 * time.Second
	checkEvery = 10 * time.Second
)

// objectives are the SLOs of every route and of the inventory: 99.9%
// available, 99% within 300 ms, over 30 days.
var objectives = availability.RouteObjectives{
	Availability:  0.999,
	Latency:       300 * time.Millisecond,
	LatencyTarget: 0.99,
}

// dependency is the inventory as the service declares it.
var dependency = availability.Dependency{Name: "inventory", Hosts: []string{"inventory.internal:8080"}}

// simClock is the simulated clock the Monitor reads.
type simClock struct{ ns atomic.Int64 }

func (c *simClock) now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *simClock) set(t time.Time) { c.ns.Store(t.UnixNano()) }

// weekConfig describes one simulated run.
type weekConfig struct {
	start  time.Time // a Monday, 00:00
	days   int
	faults []fault
	seed   uint64
}

// pageSpan is one alert tier of one objective from firing to resolving
// (resolved is zero while it still fires at the end).
type pageSpan struct {
	objective       string
	tier            slo.Tier
	fired, resolved time.Time
	burnLong        float64
}

// outcome is everything a run observed.
type outcome struct {
	cfg       weekConfig
	requests  []uint64 // per day
	shed      []uint64
	health    []int              // readiness transitions per day
	alerts    []pageSpan         // every tier that fired, page and ticket
	anomalies []detect.Anomaly   // every anomaly
	points    []uint64           // detector points fed, per day
	actions   []remediate.Record // executed decisions
	reverts   []remediate.Record // reverted ones
	decisions int                // all decisions
}

// simulate runs one week and returns what the Monitor did.
func simulate(cfg weekConfig) (*outcome, error) {
	clk := &simClock{}
	clk.set(cfg.start)
	w := newWorld(cfg.seed)
	out := &outcome{cfg: cfg, requests: make([]uint64, cfg.days), shed: make([]uint64, cfg.days),
		health: make([]int, cfg.days), points: make([]uint64, cfg.days)}
	day := func(t time.Time) int { return min(cfg.days-1, max(0, int(t.Sub(cfg.start)/(24*time.Hour)))) }

	var dep depState // the inventory now; read by the readiness check
	var depMu sync.Mutex
	reg := health.NewRegistry(health.WithMeterProvider(noop.NewMeterProvider()))
	if err := reg.Register(health.Check{
		Name:   "inventory",
		Groups: health.Readiness,
		// The simulation runs the check (RunChecks every checkEvery
		// simulated seconds); the registry's own bounds are on the wall
		// clock, which has nothing to do with the simulated one: hours,
		// so that a starved goroutine on a busy machine never makes a
		// timeout or a stale result that the simulated inventory did not.
		Interval: time.Hour,
		Timeout:  time.Hour,
		MaxAge:   3 * time.Hour,
		// The check asks the inventory's own health endpoint: it
		// fails when the inventory refuses connections.
		Func: func(context.Context) health.Result {
			depMu.Lock()
			down := dep.down
			depMu.Unlock()
			if down {
				return health.Fail(errors.New("connection refused"))
			}
			return health.Pass()
		},
	}); err != nil {
		return nil, err
	}
	shedder, err := admit.NewShedder("shop", admit.ShedderConfig{}, admit.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		return nil, err
	}
	defer shedder.Shutdown(context.Background())
	engine, err := newEngine(shedder)
	if err != nil {
		return nil, err
	}
	var fed atomic.Uint64
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithClock(clk.now),
		availability.WithTickInterval(tickEvery),
		availability.WithHealth(reg),
		availability.WithRouteObjectives(objectives),
		availability.WithRoutes(routeNames()...),
		availability.WithDependencies(dependency),
		availability.WithShedder(shedder),
		availability.WithEngine(engine),
		// The breaker times its open state on the wall clock (gobreaker
		// has no clock to inject), which a simulation running thousands
		// of times faster cannot drive: it is set never to trip, so that
		// a run is the same on every machine.
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: math.MaxUint32}),
		availability.WithDetector(func() detect.Detector { return counted{detect.NewDefault(), &fed} }),
	)
	if err != nil {
		return nil, err
	}
	defer m.Shutdown(context.Background())

	open := map[string]int{} // objective and tier -> index in out.alerts
	m.SLOs().OnAlert(func(a slo.AlertEvent) {
		key := a.Objective + "/" + a.Tier.Long.String()
		if a.Firing {
			open[key] = len(out.alerts)
			out.alerts = append(out.alerts, pageSpan{objective: a.Objective, tier: a.Tier, fired: a.At, burnLong: a.Long.BurnRate})
			return
		}
		if i, ok := open[key]; ok {
			out.alerts[i].resolved = a.At
			delete(open, key)
		}
	})
	m.Detectors().OnAnomaly(func(a detect.Anomaly) { out.anomalies = append(out.anomalies, a) })
	removeHealth := reg.OnChange(func(c health.Change) {
		if c.Group == health.Readiness && c.Check == "" {
			out.health[day(clk.now())]++
		}
	})

	eps := make([]*availability.Endpoint, len(routes))
	for i, r := range routes {
		eps[i] = m.Endpoint(availability.ServerEndpoint, r.name)
	}
	depEp := m.Endpoint(availability.ClientEndpoint, dependency.Name)

	ctx := context.Background()
	end := cfg.start.Add(time.Duration(cfg.days) * 24 * time.Hour)
	var lastFed uint64
	for now := cfg.start; now.Before(end); now = now.Add(time.Second) {
		clk.set(now)
		d := day(now)
		s := stateAt(cfg.faults, now.Sub(cfg.start))
		depMu.Lock()
		dep = s
		depMu.Unlock()
		rate := serviceRate(now)
		for i, r := range routes {
			n := w.poisson(rate * r.share)
			for k := range n {
				t := now.Add(time.Duration((float64(k) + w.rng.Float64()) / float64(n) * float64(time.Second)))
				if !serve(w, eps[i], depEp, r, s, t) {
					out.shed[d]++
				}
				out.requests[d]++
			}
		}
		since := now.Sub(cfg.start)
		if since%checkEvery == 0 {
			if err := reg.RunChecks(ctx); err != nil {
				return nil, err
			}
		}
		if since%tickEvery == 0 {
			m.TickAt(now)
			f := fed.Load()
			out.points[d] += f - lastFed
			lastFed = f
		}
	}
	removeHealth() // Shutdown's drain is not news
	for _, r := range engine.Records() {
		out.decisions++
		switch r.Outcome {
		case remediate.OutcomeExecuted:
			out.actions = append(out.actions, r)
		case remediate.OutcomeReverted:
			out.reverts = append(out.reverts, r)
		}
	}
	return out, nil
}

// serve runs one request of route r arriving at t, the inventory in state
// s, through the Monitor's endpoints as the middleware and the
// RoundTripper would; it reports whether the request was served (not shed).
func serve(w *world, e, depEp *availability.Endpoint, r route, s depState, t time.Time) bool {
	p := admit.Normal
	if r.sheddable {
		p = admit.Sheddable
	}
	call, err := e.AdmitAt(t, p)
	if err != nil {
		return false
	}
	lat := seconds(w.lognormal(r.own, ownSigma))
	bad := false
	if r.callsDep {
		dc, err := depEp.AdmitAt(t.Add(lat), admit.Normal)
		if err != nil {
			// The breaker is open: the route answers 503 at once.
			bad = true
		} else {
			dl, dbad := w.call(s)
			dc.DoneAt(t.Add(lat+dl), dbad)
			lat += dl
			bad = dbad
		}
	}
	call.DoneAt(t.Add(lat), bad)
	return true
}

func routeNames() []string {
	var out []string
	for _, r := range routes {
		out = append(out, r.name)
	}
	return out
}

// counted counts the points a detector observes.
type counted struct {
	detect.Detector
	n *atomic.Uint64
}

func (c counted) ObserveAt(t time.Time, v float64) detect.Result {
	c.n.Add(1)
	return c.Detector.ObserveAt(t, v)
}

// isPage reports whether the span is a page tier.
func (p pageSpan) isPage() bool { return p.tier.Severity == slo.SeverityPage }

// endpointOf returns the endpoint part of a detector series name
// ("route:GET /a:p99" -> "route:GET /a").
func endpointOf(series string) string {
	if i := strings.LastIndexByte(series, ':'); i > 0 {
		return series[:i]
	}
	return series
}
