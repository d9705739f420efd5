package availability

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	iconfig "github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/internal/lifecycle"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/slo"
)

// Errors Start returns: the same values in every nines package, so that
// errors.Is works across them.
var (
	// ErrStarted is returned by Start when the Monitor already runs.
	ErrStarted = lifecycle.ErrStarted
	// ErrClosed is returned by Start after Shutdown.
	ErrClosed = lifecycle.ErrClosed
)

// instrumentationName is the meter name of the Monitor's own instruments.
const instrumentationName = "github.com/nines-sre/nines/availability"

// Monitor wires health checks, SLOs, anomaly detection and remediation
// around a service: its middleware and RoundTripper measure each route and
// outbound host, its ticks feed the SLO windows and the detectors, and their
// signals reach the remediation engine and the OnEvent timeline.
//
// Build one with New; the zero value is not usable. A Monitor is safe for
// concurrent use. Most callers wrap their mux with Middleware, their client
// transport with RoundTripper, mount Handler on an operational port, call
// Start, and Shutdown on exit.
type Monitor struct {
	cfg        config
	health     *health.Registry
	slos       *slo.Set
	detectors  *detect.Monitor
	engine     *remediate.Engine
	shedder    *admit.Shedder
	duration   metric.Float64Histogram
	durations  *durationQueue // hands request durations to the recorder goroutine
	timeline   *timeline
	signals    *signalFeed
	incidents  remediate.SLOIncidents // folds alert tiers into one signal stream per objective
	anomalies  *ring[AnomalyStatus]
	removeHook func()
	state      *stateStore // nil without WithStateDir

	endpoints [2]endpointTable
	ids       idSet        // endpoint IDs handed out, unique per kind
	statuses  *statusTable // bounds http.response.status_code (statuscode.go)
	epoch     time.Time    // the request path's clock origin (clock.go)

	// shedding outside any route (the middleware admits before routing):
	// written by every refused request, so on cache lines of its own.
	_             [cacheLine]byte
	shedTotal     atomic.Uint64
	shedBurst     atomic.Bool
	_             [cacheLine - 9]byte
	prevShedTotal uint64 // tick-owned

	life lifecycle.Lifecycle
	// A Shutdown during a Start runs stop beside Start's start function:
	// runMu makes them agree on whether the loops exist.
	runMu    sync.Mutex
	stopped  bool
	stopFeed func()
	loops    sync.WaitGroup // the tick loop and the event delivery, waited for by stop

	// the detector step's start (step.go), under tickMu.
	stepStart time.Time
	tickMu    sync.Mutex
}

// New builds a Monitor from the options, validating every one of them (the
// error names the option and the value). It starts nothing: see Start.
func New(opts ...Option) (*Monitor, error) {
	var c config
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	if c.meterProvider == nil {
		c.meterProvider = otel.GetMeterProvider()
	}
	if err := c.breakers.Validate(); err != nil {
		return nil, iconfig.Errorf(ErrInvalidConfig, "WithClientBreakers: %w", err)
	}
	m := &Monitor{cfg: c, health: c.health, engine: c.engine, shedder: c.shedder, timeline: newTimeline(),
		epoch: time.Now(), stepStart: c.clock(), statuses: newStatusTable(c.statusCodes)}
	if m.health == nil {
		m.health = health.NewRegistry(health.WithMeterProvider(c.meterProvider), health.WithDrainDelay(*c.drainDelay))
	}
	var err error
	m.slos, err = slo.NewSet(slo.WithMeterProvider(c.meterProvider), slo.WithClock(c.clock))
	if err != nil {
		return nil, fmt.Errorf("availability: %w", err)
	}
	// Three series per endpoint: maxRoutes named endpoints of each kind,
	// plus "other" for both kinds and "unmatched" for servers.
	series := 3 * (2*c.maxRoutes + 3)
	m.detectors, err = detect.NewMonitor(c.newDetector, detect.WithMaxSeries(series),
		detect.WithMeterProvider(c.meterProvider))
	if err != nil {
		_ = m.slos.Shutdown(context.Background())
		return nil, fmt.Errorf("availability: %w", err)
	}
	m.duration, err = c.meterProvider.Meter(instrumentationName).Float64Histogram("http.server.request.duration",
		metric.WithUnit("s"), metric.WithDescription("Duration of HTTP server requests."),
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
	if err != nil {
		_ = m.slos.Shutdown(context.Background())
		return nil, fmt.Errorf("availability: %w", err)
	}
	if c.state != nil {
		m.state = newStateStore(*c.state, c.logger, c.clock)
	}
	m.durations = newDurationQueue(m.duration)
	m.anomalies = newRing[AnomalyStatus](maxRecentAnomalies)
	m.signals = &signalFeed{engine: c.engine, now: c.clock, onDone: m.decided}
	for k := range m.endpoints {
		m.endpoints[k].init(EndpointKind(k), c.maxRoutes)
	}

	// Declared routes and dependencies exist from now on, with their
	// SLOs: Objectives lists them all before any traffic.
	for _, p := range c.routes {
		m.Endpoint(ServerEndpoint, p)
	}
	for _, d := range c.deps {
		m.Endpoint(ClientEndpoint, d.Name)
	}

	m.slos.OnAlert(func(a slo.AlertEvent) {
		m.timeline.emit(alertEvent(a))
		if s, ok := m.incidents.Signal(a); ok {
			m.signals.send(s)
		}
	})
	m.detectors.OnAnomaly(func(a detect.Anomaly) {
		m.anomalies.add(AnomalyStatus{Time: a.Time, Series: a.Series, Detector: a.Detector, Value: a.Value, Score: a.Result.Score})
		m.timeline.emit(anomalyEvent(a))
		m.signals.send(remediate.SignalFromAnomaly(a))
	})
	m.removeHook = m.health.OnChange(func(ch health.Change) {
		m.timeline.emit(healthEvent(ch))
		m.signals.send(remediate.SignalFromHealth(ch))
	})
	if err := m.attachLogs(); err != nil {
		m.removeHook()
		_ = m.detectors.Shutdown(context.Background())
		_ = m.slos.Shutdown(context.Background())
		return nil, err
	}
	return m, nil
}

func (m *Monitor) decided(t time.Time, ds []remediate.Decision) {
	for _, d := range ds {
		m.timeline.emit(decisionEvent(t, d))
	}
}

// Health returns the health registry the Monitor drives.
func (m *Monitor) Health() *health.Registry { return m.health }

// SLOs returns the set holding every endpoint's objectives.
func (m *Monitor) SLOs() *slo.Set { return m.slos }

// Detectors returns the detector monitor fed on every tick.
func (m *Monitor) Detectors() *detect.Monitor { return m.detectors }

// OnEvent registers fn to be called with every later Event: health
// transitions, SLO alerts firing and resolving, anomalies, breaker state
// changes, remediation decisions and shedding. Events reach listeners one at
// a time, in the order they were emitted, outside every lock. While the
// Monitor runs they are delivered by a goroutine of its own, so a slow
// listener delays only the timeline (at most 4096 events wait; more are
// dropped); before Start and after Shutdown the goroutine that emits an
// event delivers it.
//
// Shedding is reported once per burst: the first request shed after a tick
// interval without shedding emits an EventShed; the rest of the burst is only
// counted (Statusz, load_shedding.rejections).
//
// A listener that panics is recovered (and counted in Statusz as
// ListenerPanics); the other listeners still get the event. remove
// unregisters fn; it is idempotent. A nil fn is ignored.
func (m *Monitor) OnEvent(fn func(Event)) (remove func()) {
	return m.timeline.listeners.Add(fn)
}

// Start starts, in order, the health registry (one already started by its
// owner is accepted), the event delivery, the signal feed to the engine, and
// the ticks (SLO windows and alerts, detector feed). It returns ctx.Err() if
// ctx is done, ErrClosed after Shutdown and ErrStarted on a second call. The
// ticks run until Shutdown; ctx's values reach the health checks and the
// engine's actions, its cancellation stops nothing.
func (m *Monitor) Start(ctx context.Context) error {
	return m.life.Start(ctx, func(run context.Context) error {
		// Restore first, before the ticks and the first recorded event; an
		// unusable directory fails Start with nothing started.
		if m.state != nil {
			if err := m.state.start(m.slos); err != nil {
				return err
			}
		}
		if err := m.health.Start(ctx); err != nil && !errors.Is(err, health.ErrStarted) {
			return fmt.Errorf("availability: starting health: %w", err)
		}
		m.runMu.Lock()
		defer m.runMu.Unlock()
		if m.stopped {
			return nil
		}
		m.timeline.setAsync(true)
		m.loops.Add(1)
		if !m.life.Go(func(run context.Context) {
			defer m.loops.Done()
			m.timeline.run(run.Done())
		}) {
			// Shutdown has begun and waits for runMu: no loop starts.
			m.loops.Done()
			m.timeline.setAsync(false)
			return nil
		}
		m.stopFeed = m.signals.start(run)
		m.loops.Add(1)
		if !m.life.Go(func(run context.Context) {
			defer m.loops.Done()
			t := time.NewTicker(durationDrainEvery)
			defer t.Stop()
			m.durations.run(run.Done(), t.C)
		}) {
			m.loops.Done()
		}
		m.loops.Add(1)
		if !m.life.Go(func(run context.Context) {
			defer m.loops.Done()
			m.tickLoop(run.Done())
		}) {
			m.loops.Done()
		}
		if m.state != nil {
			m.loops.Add(1)
			if !m.life.Go(func(run context.Context) {
				defer m.loops.Done()
				m.state.run(run.Done())
			}) {
				m.loops.Done()
			}
		}
		return nil
	})
}

func (m *Monitor) tickLoop(stop <-chan struct{}) {
	t := time.NewTicker(m.cfg.tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			m.Tick()
		}
	}
}

// Shutdown stops the Monitor in the order a graceful stop needs. It drains
// first: readiness is withdrawn (probes answer 503, gRPC health
// NOT_SERVING) and, if the Monitor was started, everything keeps running
// for the drain delay (WithDrainDelay, DefaultDrainDelay), so that load
// balancers and kubelets polling readiness stop sending before any
// listener closes: call Shutdown before stopping the servers, with a ctx
// that allows the delay plus the requests in flight. Then it stops the
// ticks, hands the signals still queued to the engine (cancelling
// pending approvals), delivers the events still queued, saves the SLO
// state (WithStateDir), unregisters the SLO and breaker metrics, shuts the
// health registry down, and last flushes the MeterProvider if it has a
// ForceFlush(ctx) error method (the OTel SDK's does), so push exporters get
// the final counts; the provider itself is the caller's to shut down. It
// waits for everything the Monitor started, or
// for ctx, whose error it returns. It is idempotent, and valid without
// Start: a later or concurrent call (a signal handler beside main's defer)
// waits for the first one, or for its own ctx, and returns the first one's
// error.
func (m *Monitor) Shutdown(ctx context.Context) error {
	return m.life.Shutdown(ctx, m.stop)
}

// stop is Shutdown's work, run once.
func (m *Monitor) stop(ctx context.Context) error {
	var errs []error
	m.runMu.Lock()
	started := m.stopFeed != nil
	m.runMu.Unlock()
	if err := m.drain(ctx, started); err != nil {
		errs = append(errs, err)
	}
	m.runMu.Lock()
	m.stopped = true
	stopFeed := m.stopFeed
	m.runMu.Unlock()
	// Cancel the run context so the loops end, then wait for them here:
	// the teardown below needs them gone (the lifecycle waits only after
	// stop returns).
	m.life.Cancel()
	done := make(chan struct{})
	go func() {
		if stopFeed != nil {
			// The feed hands its queued signals to the engine with a
			// cancelled context, which denies pending approvals.
			stopFeed()
		}
		m.loops.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		errs = append(errs, ctx.Err())
	}
	if m.state != nil {
		// After the ticks, so the last save holds every event counted.
		if err := m.state.close(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := m.slos.Shutdown(ctx); err != nil {
		errs = append(errs, err)
	}
	m.endpoints[ClientEndpoint].each(func(e *Endpoint) {
		if e.breaker != nil {
			_ = e.breaker.Shutdown(ctx)
		}
	})
	if err := m.detectors.Shutdown(ctx); err != nil {
		errs = append(errs, err)
	}
	m.removeHook()
	if err := m.health.Shutdown(ctx); err != nil {
		errs = append(errs, err)
	}
	// Last, flush the MeterProvider if it can (the OTel SDK's can), so the
	// final counts reach push exporters; the Monitor does not own the
	// provider, so it never shuts it down.
	if f, ok := m.cfg.meterProvider.(interface{ ForceFlush(context.Context) error }); ok {
		if err := f.ForceFlush(ctx); err != nil {
			errs = append(errs, fmt.Errorf("availability: flush metrics: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Tick is TickAt with the Monitor's clock (see WithClock). A started Monitor
// calls it every tick interval.
func (m *Monitor) Tick() { m.TickAt(m.cfg.clock()) }

// TickAt runs one tick at instant t: it advances every SLO to t and
// evaluates their alerts, ends a shedding burst when no request was shed
// since the previous tick, and, when t ends a detector step (WithDetectorStep),
// feeds each endpoint's aggregates over the step (error ratio, p99 latency
// in seconds, offered requests per second) to the detectors, skipping the
// series whose step held too few requests (WithDetectorMinRequests), and
// last hands the engine the reverts due at t (WithEngine). The
// first step starts at New, on the Monitor's clock; a t before the step's
// start starts a new step there. Tests and simulations call it with
// scripted instants instead of Start. Concurrent calls each take their own
// interval; the SLO tick and the detectors run with no Monitor lock held,
// so a detector (see WithDetector) or a listener may call the Monitor,
// TickAt included.
func (m *Monitor) TickAt(t time.Time) {
	// The step's aggregates are taken under tickMu, so that each call
	// gets its own interval; the SLO tick and the detectors (user code with
	// WithDetector, and through them the anomaly listeners) run after it is
	// released, so that they may call the Monitor, TickAt included.
	m.tickMu.Lock()
	feed, stepEnded := m.endStep(t)
	shed := m.shedTotal.Load()
	if shed == m.prevShedTotal {
		m.shedBurst.Store(false)
	}
	m.prevShedTotal = shed
	m.tickMu.Unlock()

	m.slos.TickAt(t)
	m.feed(t, feed)
	if stepEnded {
		// Template counts reach their detectors at the same cadence as
		// the endpoints' series: one point per step, not per tick.
		m.tickLogs(t)
	}
	// Last, so that the reverts due at t see this tick's alerts first.
	m.signals.tick(t)
}

// admitAt asks the shedder to admit a server request.
func (m *Monitor) admitAt(t time.Time, p admit.Priority) error {
	if m.shedder == nil {
		return nil
	}
	err := m.shedder.AllowAt(t, "", p)
	if err == nil {
		return nil
	}
	m.shedTotal.Add(1)
	if !m.shedBurst.Load() && m.shedBurst.CompareAndSwap(false, true) {
		m.timeline.emit(Event{Time: m.cfg.clock(), Kind: EventShed, Subject: m.shedderName(),
			Message: fmt.Sprintf("shedding requests: %v", err)})
	}
	return err
}

func (m *Monitor) shedderName() string { return "shedder" }

// Endpoint returns the endpoint of the given kind and name, creating it
// (with its SLOs, and for a client its breaker) on first use. Names are
// developer-chosen: route patterns, gRPC full method names, dependency
// names (WithDependencies), hosts; never raw request data. Endpoint.ID is
// the name's spelling in SLO, series and breaker names. Past WithMaxRoutes names of a kind, new names share the
// endpoint RouteOther; the empty name is RouteUnmatched for a server and
// RouteOther for a client. Lookups of known names are lock-free and do not
// allocate.
func (m *Monitor) Endpoint(kind EndpointKind, name string) *Endpoint {
	if kind != ClientEndpoint {
		kind = ServerEndpoint
	}
	if name == "" {
		name = RouteOther
		if kind == ServerEndpoint {
			name = RouteUnmatched
		}
	}
	t := &m.endpoints[kind]
	if e := t.get(name); e != nil {
		return e
	}
	return t.create(m, name)
}

// Objectives returns the objectives of every endpoint's SLOs, sorted by
// name: with WithRoutes and WithDependencies, all of them from New on, so
// that exporters.PrometheusRules(m.Objectives()) emits the recording and
// alert rules of the whole service before it serves (endpoints first seen
// later add theirs).
func (m *Monitor) Objectives() []slo.Objective {
	var out []slo.Objective
	for k := range m.endpoints {
		for _, e := range m.endpoints[k].all() {
			for _, s := range []*slo.SLO{e.avail, e.lat} {
				if s != nil {
					out = append(out, s.Objective())
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Breaker returns the circuit breaker of a client endpoint, by the name it
// was created under: a Dependency's Name (WithDependencies), an undeclared
// host or a gRPC method; ok is false when there is none. A remediation
// policy reaches a dependency's breaker through it, for example
//
//	remediate.Func("open-breaker", func(_ context.Context, target string, _ remediate.Signal) error {
//		b, ok := m.Breaker(target) // "inventory"
//		if !ok {
//			return remediate.ErrUnknownTarget
//		}
//		b.SetMode(breaker.ModeForcedOpen)
//		return nil
//	})
func (m *Monitor) Breaker(name string) (b *breaker.Breaker[struct{}], ok bool) {
	e := m.endpoints[ClientEndpoint].get(name)
	if e == nil || e.breaker == nil {
		return nil, false
	}
	return e.breaker, true
}
