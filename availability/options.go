package availability

import (
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	iconfig "github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/remediate/eject"
	"github.com/nines-sre/nines/slo"
)

// Defaults and limits of the Monitor's configuration.
const (
	// DefaultTickInterval is how often a started Monitor ticks.
	DefaultTickInterval = time.Second
	// MinTickInterval and MaxTickInterval bound WithTickInterval.
	MinTickInterval = time.Millisecond
	MaxTickInterval = time.Minute
	// DefaultDetectorStep is the detector step of a Monitor built without
	// WithDetectorStep: one point per series per minute.
	DefaultDetectorStep = time.Minute
	// MaxDetectorStep bounds WithDetectorStep.
	MaxDetectorStep = time.Hour
	// DefaultDetectorMinRequests is the fewest served requests a detector
	// step must hold for its error ratio and p99 to be fed, without
	// WithDetectorMinRequests: a p99 of 1000 requests has ten beyond it
	// (of 150, it is the second slowest, so two slow requests in a
	// minute move it), and one failure among 1000 is 0.1%, the budget of a
	// 99.9% objective, not ten times it. The rate needs a tenth of it:
	// 100 requests, whose count varies by about 10% by chance alone.
	DefaultDetectorMinRequests = 1000
	// MaxDetectorMinRequests bounds WithDetectorMinRequests.
	MaxDetectorMinRequests = 1 << 30
	// DefaultMaxRoutes bounds the endpoint names of each kind (server
	// routes, client hosts) of a Monitor built without WithMaxRoutes.
	DefaultMaxRoutes = 100
	// MaxMaxRoutes is the largest WithMaxRoutes accepts.
	MaxMaxRoutes = 10000
	// DefaultLatencyTarget is the LatencyTarget of RouteObjectives that set
	// a Latency but leave LatencyTarget zero.
	DefaultLatencyTarget = 0.99
)

// ErrInvalidConfig is wrapped by every error New returns for an invalid
// option; it wraps the root invalid-configuration error shared by every
// nines package. The message names the option and the value:
// "availability: invalid config: WithMaxRoutes = 0: ...".
var ErrInvalidConfig = iconfig.New("availability")

func invalid(field string, value any, why string) error {
	return iconfig.Error(ErrInvalidConfig, field, value, why)
}

// Option configures New. Options are made by the WithX functions of this
// package; they are immutable values, safe to share.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options set; New validates it.
type config struct {
	meterProvider metric.MeterProvider
	health        *health.Registry
	objectives    RouteObjectives
	shedder       *admit.Shedder
	engine        *remediate.Engine
	newDetector   func() detect.Detector
	breakers      breaker.Config
	metrics       http.Handler
	clock         func() time.Time
	tick          time.Duration
	step          time.Duration
	minRequests   int
	maxRoutes     int
	priority      func(*http.Request) admit.Priority
	logger        *slog.Logger
	// trustOwnHeader makes the middleware honour OwnTrafficHeader.
	trustOwnHeader bool
	routes         []string                       // WithRoutes, in order
	overrides      map[string]RouteObjectives     // WithObjectivesFor, by endpoint name
	overrideOrder  []string                       // the names of overrides, as given (for errors)
	overrideDup    string                         // a name WithObjectivesFor was given twice
	deps           []Dependency                   // WithDependencies
	depHosts       map[string]string              // lower-cased host -> dependency name, built by validate
	depReplicas    map[string]*replicaAttribution // dependency name -> its Replicas, built by validate
	state          *StateDir                      // WithStateDir
	statusCodes    []int                          // WithStatusCodes; nil: the registered codes
	drainDelay     *time.Duration                 // WithDrainDelay; nil: DefaultDrainDelay
	peers          []*eject.Detector              // WithPeerDetectors
	logs           *logFeed                       // WithLogMiner (logs.go)
}

// objectivesFor returns the objectives of the endpoint named name (a route
// pattern, a gRPC method, a dependency name or a host): its
// WithObjectivesFor override, or the WithRouteObjectives defaults.
func (c *config) objectivesFor(name string) RouteObjectives {
	if o, ok := c.overrides[name]; ok {
		return o
	}
	return c.objectives
}

// RouteObjectives describes the SLOs created for every endpoint (a server
// route, a gRPC method, an outbound host) the first time it is seen. The
// zero value creates none. It is a plain value.
type RouteObjectives struct {
	// Availability is the target share of requests that neither answer
	// 5xx (or a failing gRPC code) nor panic, for example 0.999. Zero
	// means no availability SLO; otherwise it must be in (0, 1).
	Availability float64
	// Latency is the threshold of the latency SLO: a request is good when
	// it takes at most Latency. Zero means no latency SLO; negative is an
	// error.
	Latency time.Duration
	// LatencyTarget is the share of requests that must be within Latency,
	// for example 0.99. Zero means DefaultLatencyTarget; otherwise it
	// must be in (0, 1), and it needs a Latency: a LatencyTarget without
	// one makes New fail.
	LatencyTarget float64
	// Window is the compliance period of both SLOs. The zero value means
	// a rolling 30 days.
	Window slo.Window
}

func (o RouteObjectives) window() slo.Window {
	if o.Window == (slo.Window{}) {
		return slo.Window{Rolling: 30 * 24 * time.Hour}
	}
	return o.Window
}

func (o RouteObjectives) latencyTarget() float64 {
	if o.LatencyTarget == 0 {
		return DefaultLatencyTarget
	}
	return o.LatencyTarget
}

// validate checks the objectives by building the ones they describe for a
// placeholder name, so that the rules stay those of package slo.
func (o RouteObjectives) validate(field string) error {
	if o.Availability != 0 && !(o.Availability > 0 && o.Availability < 1) {
		return invalid(field+".Availability", o.Availability, "must be in (0, 1)")
	}
	if o.Latency < 0 {
		return invalid(field+".Latency", o.Latency, "must not be negative")
	}
	if o.Latency == 0 && o.LatencyTarget != 0 {
		return invalid(field+".LatencyTarget", o.LatencyTarget, "is set without a Latency: set Latency for a latency SLO, or leave LatencyTarget zero")
	}
	if o.Latency > 0 {
		if lt := o.latencyTarget(); !(lt > 0 && lt < 1) || math.IsNaN(lt) {
			return invalid(field+".LatencyTarget", o.LatencyTarget, "must be in (0, 1)")
		}
	}
	for _, obj := range o.objectives("route:validate") {
		if err := obj.Validate(); err != nil {
			return iconfig.Errorf(ErrInvalidConfig, "%s: %w", field, err)
		}
	}
	return nil
}

// validRoutes checks declared patterns the way http.ServeMux does, by
// registering them on a throwaway mux (which panics on a bad or
// conflicting pattern: the panic is turned into the error). A pattern
// given twice, or in conflict with an earlier one, is reported on one line
// that names both WithRoutes indices and patterns, without the mux's
// "registered at" source lines.
func validRoutes(patterns []string) error {
	mux := http.NewServeMux()
	seen := make(map[string]int, len(patterns))
	for i, p := range patterns {
		field := fmt.Sprintf("WithRoutes[%d]", i)
		if j, dup := seen[p]; dup {
			return invalid(field, p, fmt.Sprintf("duplicates WithRoutes[%d]", j))
		}
		seen[p] = i
		msg := registerRoute(mux, p)
		if msg == "" {
			continue
		}
		if registerRoute(http.NewServeMux(), p) == "" { // valid alone: a conflict
			for j, q := range patterns[:i] {
				if how, ok := routeConflict(q, p); ok {
					return invalid(field, p, fmt.Sprintf("conflicts with WithRoutes[%d] = %q: %s", j, q, how))
				}
			}
		}
		return invalid(field, p, msg)
	}
	return nil
}

var nopHandler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// registerRoute registers pattern p on mux and returns the message of the
// mux's panic, "" when it accepts p.
func registerRoute(mux *http.ServeMux, p string) (msg string) {
	defer func() {
		if v := recover(); v != nil {
			msg = fmt.Sprint(v)
		}
	}()
	mux.Handle(p, nopHandler)
	return ""
}

// routeConflict reports whether pattern p conflicts with the valid
// pattern q registered before it, and how, in the mux's words on one line.
// The mux's message is "pattern P (registered at FILE:LINE) conflicts
// with pattern Q (registered at FILE:LINE):" and, on the following lines,
// how the two overlap; only the latter is kept.
func routeConflict(q, p string) (how string, ok bool) {
	mux := http.NewServeMux()
	if registerRoute(mux, q) != "" {
		return "", false
	}
	msg := registerRoute(mux, p)
	if msg == "" {
		return "", false
	}
	if _, how, found := strings.Cut(msg, "\n"); found && how != "" {
		return strings.ReplaceAll(strings.TrimSpace(how), "\n", " "), true
	}
	return "both match some requests and neither is more specific", true
}

// objectives returns the objectives of an endpoint whose SLO names start
// with base.
func (o RouteObjectives) objectives(base string) []slo.Objective {
	var out []slo.Objective
	if o.Availability > 0 {
		out = append(out, slo.Objective{Name: base + ":availability", Target: o.Availability, Window: o.window()})
	}
	if o.Latency > 0 {
		out = append(out, slo.Objective{Name: base + ":latency", Target: o.latencyTarget(), Window: o.window(), Latency: o.Latency})
	}
	return out
}

// WithMeterProvider sets where the Monitor and the parts it creates report
// their metrics. Nil or absent means otel.GetMeterProvider().
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meterProvider = mp })
}

// WithHealth makes the Monitor use r instead of a new registry. The Monitor
// starts it, drains it and shuts it down (a registry already started is
// accepted as is). Nil means a new registry.
func WithHealth(r *health.Registry) Option {
	return optionFunc(func(c *config) { c.health = r })
}

// WithRouteObjectives sets the default SLOs of every endpoint: each
// declared route and dependency (WithRoutes, WithDependencies) at New, and
// every other endpoint on first sight. WithObjectivesFor overrides them for
// one endpoint. Absent means none: the Monitor still counts requests and
// feeds the detectors.
func WithRouteObjectives(o RouteObjectives) Option {
	return optionFunc(func(c *config) { c.objectives = o })
}

// WithObjectivesFor overrides WithRouteObjectives for one endpoint: a
// ServeMux pattern as registered ("GET /products/{id}"), a gRPC full
// method, a Dependency's Name, or an undeclared outbound host. The zero
// RouteObjectives means no SLO for that endpoint (a /healthz route, a
// best-effort dependency): it is still counted and fed to the detectors.
// Giving the same name twice makes New fail.
func WithObjectivesFor(name string, o RouteObjectives) Option {
	return optionFunc(func(c *config) {
		if c.overrides == nil {
			c.overrides = map[string]RouteObjectives{}
		}
		if _, dup := c.overrides[name]; dup {
			c.overrideDup = name
		}
		c.overrides[name] = o
		c.overrideOrder = append(c.overrideOrder, name)
	})
}

// WithRoutes declares the server routes up front: the ServeMux patterns
// the application registers (or gRPC full methods), so that each route's
// endpoint and SLOs exist from New on, Objectives lists them all (for the
// Prometheus rules) and a route that gets no traffic is visible in
// /statusz. Routes not declared are still created on their first request.
// Each pattern must be valid for http.ServeMux, given once and in no
// conflict with another (two patterns ServeMux refuses together, such as
// "GET /x/{a}" and "GET /x/{b}"): New's error then names both indices and
// patterns. They count against WithMaxRoutes. Repeated options add to the
// list.
func WithRoutes(patterns ...string) Option {
	return optionFunc(func(c *config) { c.routes = append(c.routes, patterns...) })
}

// WithDependencies declares the services the application calls, by name,
// with the hosts that reach them (see Dependency): their endpoints,
// objectives and breakers exist from New on and are named after them.
// They count against WithMaxRoutes. Repeated options add to the list.
func WithDependencies(deps ...Dependency) Option {
	return optionFunc(func(c *config) { c.deps = append(c.deps, deps...) })
}

// WithShedder sets the admission control of server requests. Nil or absent
// admits everything.
func WithShedder(s *admit.Shedder) Option {
	return optionFunc(func(c *config) { c.shedder = s })
}

// WithEngine sets the remediation engine that receives the Monitor's
// signals: health changes, SLO alerts (one stream per objective, see
// remediate.SLOIncidents) and anomalies. The Monitor drives the engine:
// it decides each signal, and runs the reverts due on every tick, at the
// Monitor's clock (WithClock), so the engine needs no Start. Shut the
// engine down after the Monitor: that reverts the actions still in
// effect once no request is left to protect. Nil or absent means none.
func WithEngine(e *remediate.Engine) Option {
	return optionFunc(func(c *config) { c.engine = e })
}

// WithDetector sets the factory of the detector of each series (error
// ratio, p99 latency and rate of each endpoint). Nil or absent means
// detect.NewDefault.
func WithDetector(newDetector func() detect.Detector) Option {
	return optionFunc(func(c *config) { c.newDetector = newDetector })
}

// WithClientBreakers sets the Config of the breaker created for each
// outbound host of RoundTripper and of each ClientEndpoint. Absent means
// breaker.Config{} (trip after 5 consecutive failures). An invalid Config
// makes New fail.
func WithClientBreakers(bc breaker.Config) Option {
	return optionFunc(func(c *config) { c.breakers = bc })
}

// WithMetricsHandler sets the handler Handler serves at /metrics, such as
// the Prometheus handler of package exporters. Nil or absent means /metrics
// answers 404.
func WithMetricsHandler(h http.Handler) Option {
	return optionFunc(func(c *config) { c.metrics = h })
}

// WithClock sets the clock of the tick path: SLO windows, detector points,
// event times, and the remediation engine's decisions (its cooldowns and
// the lifetime of its actions). The request path never reads it (latency is measured with
// the monotonic clock). Nil or absent means time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) { c.clock = now })
}

// WithTickInterval sets how often a started Monitor ticks: advances the SLO
// windows, evaluates alerts, and at the end of each detector step
// (WithDetectorStep) feeds the step's aggregates to the detectors. Zero or absent means DefaultTickInterval;
// otherwise it must be between MinTickInterval and MaxTickInterval.
func WithTickInterval(d time.Duration) Option {
	return optionFunc(func(c *config) { c.tick = d })
}

// WithDetectorStep sets the detector step: the span over which each
// endpoint's aggregates (error ratio, p99 latency, offered request rate)
// are computed and fed to the detectors, one point per series per step, on
// the tick that ends it (a step shorter than the tick interval feeds every
// tick). It is measured on the Monitor's clock (WithClock), like the SLO
// windows. Zero or absent means DefaultDetectorStep; otherwise it must be
// between MinTickInterval and MaxDetectorStep.
func WithDetectorStep(d time.Duration) Option {
	return optionFunc(func(c *config) { c.step = d })
}

// WithDetectorMinRequests sets the fewest requests a detector step must
// hold for an endpoint's series to be fed: the error ratio and the p99 need
// n served requests, the rate n/10 offered ones (served plus refused; at
// least 1). A step with fewer is skipped, not fed as zero. Zero or absent
// means DefaultDetectorMinRequests; otherwise it must be between 1 and
// MaxDetectorMinRequests.
func WithDetectorMinRequests(n int) Option {
	return optionFunc(func(c *config) { c.minRequests = n })
}

// WithMaxRoutes bounds the number of endpoint names of each kind (server
// routes, client hosts). Endpoints past the bound share the name "other".
// Zero or absent means DefaultMaxRoutes; otherwise it must be between 1 and
// MaxMaxRoutes.
func WithMaxRoutes(n int) Option {
	return optionFunc(func(c *config) { c.maxRoutes = n })
}

// WithPriority sets the classifier that gives each server request its
// admission priority. Nil or absent means admit.Normal for
// every request. It runs on the request path: it must be quick and must
// not block.
func WithPriority(classify func(*http.Request) admit.Priority) Option {
	return optionFunc(func(c *config) { c.priority = classify })
}

// WithLogger sets where the middleware reports recovered handler panics
// (with their stack) and where the StateDir reports restores and failed
// saves. Nil or absent means slog.Default().
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger = l })
}

// WithOwnTrafficHeader makes the server middleware treat a request that
// carries OwnTrafficHeader as own traffic (neither shed nor measured), as
// the RoundTripper of another replica sends for its health checks. Absent,
// the header is ignored, because any client could otherwise send it and
// exclude itself from the SLOs and the shedder: set it only where every
// client reaching the server is trusted (behind a gateway that strips the
// header from outside requests).
func WithOwnTrafficHeader() Option {
	return optionFunc(func(c *config) { c.trustOwnHeader = true })
}

// WithStateDir keeps the SLO state through restarts in a directory: Start
// restores every objective from it, a running Monitor saves them every
// sd.SaveInterval and Shutdown saves them last (see StateDir). An empty
// Path or a SaveInterval out of bounds makes New fail. Absent means every
// start begins with empty SLOs.
func WithStateDir(sd StateDir) Option {
	return optionFunc(func(c *config) {
		own := sd // validate fills in defaults: not in the shared option
		c.state = &own
	})
}

func (c *config) validate() error {
	if c.tick == 0 {
		c.tick = DefaultTickInterval
	}
	if c.tick < MinTickInterval || c.tick > MaxTickInterval {
		return invalid("WithTickInterval", c.tick, fmt.Sprintf("must be in [%v, %v]", MinTickInterval, MaxTickInterval))
	}
	if c.step == 0 {
		c.step = DefaultDetectorStep
	}
	if c.step < MinTickInterval || c.step > MaxDetectorStep {
		return invalid("WithDetectorStep", c.step, fmt.Sprintf("must be in [%v, %v]", MinTickInterval, MaxDetectorStep))
	}
	if c.minRequests == 0 {
		c.minRequests = DefaultDetectorMinRequests
	}
	if c.minRequests < 1 || c.minRequests > MaxDetectorMinRequests {
		return invalid("WithDetectorMinRequests", c.minRequests, fmt.Sprintf("must be in [1, %d]", MaxDetectorMinRequests))
	}
	if c.maxRoutes == 0 {
		c.maxRoutes = DefaultMaxRoutes
	}
	if c.maxRoutes < 1 || c.maxRoutes > MaxMaxRoutes {
		return invalid("WithMaxRoutes", c.maxRoutes, fmt.Sprintf("must be in [1, %d]", MaxMaxRoutes))
	}
	if err := c.objectives.validate("RouteObjectives"); err != nil {
		return err
	}
	if c.overrideDup != "" {
		return invalid("WithObjectivesFor", c.overrideDup, "given twice")
	}
	for _, name := range c.overrideOrder {
		if err := c.overrides[name].validate(fmt.Sprintf("WithObjectivesFor(%q)", name)); err != nil {
			return err
		}
	}
	if err := validRoutes(c.routes); err != nil {
		return err
	}
	hosts, err := dependencyHosts(c.deps)
	if err != nil {
		return err
	}
	c.depHosts = hosts
	c.depReplicas = dependencyReplicas(c.deps)
	if len(c.routes) > c.maxRoutes || len(c.deps) > c.maxRoutes {
		return invalid("WithMaxRoutes", c.maxRoutes, fmt.Sprintf("is below the %d routes and %d dependencies declared", len(c.routes), len(c.deps)))
	}
	if c.state != nil {
		if c.state.SaveInterval == 0 {
			c.state.SaveInterval = DefaultStateSaveInterval
		}
		if err := c.state.validate(); err != nil {
			return err
		}
	}
	if err := c.validateServing(); err != nil {
		return err
	}
	if err := validatePeers(c.peers); err != nil {
		return err
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	if c.newDetector == nil {
		c.newDetector = func() detect.Detector { return detect.NewDefault() }
	}
	return nil
}
