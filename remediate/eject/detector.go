package eject

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/remediate"
)

// Detector defaults used for zero DetectorConfig fields.
const (
	DefaultMinCalls      = 10
	DefaultMinErrorRatio = 0.05
	DefaultLatencyFactor = 1.5
	DefaultRecoverSteps  = 3
	DefaultForgetSteps   = 10
)

// DetectorConfig configures a [Detector].
type DetectorConfig struct {
	// Dependency names the dependency the replicas serve: the Source of
	// every signal is "peer:" plus it. Required, [A-Za-z0-9_.:-]+.
	Dependency string
	// Stats is where the client path records each call. Required.
	Stats *Stats
	// Ejector, when set, lets the Detector resolve an ejected replica's
	// incident when its ejection time is over, which returns it to
	// rotation through the engine's revert; without it an incident
	// resolves only once the replica has been measured healthy.
	Ejector *Ejector
	// Errors and Latency configure the two peer groups (see
	// detect.PeerConfig), Metrics the one of each user metric the Stats
	// declares (StatsConfig.Metrics). A zero Errors.MinDeviation means
	// DefaultMinErrorRatio (0.05): a replica must fail at least five
	// points more often than the median to deviate. MaxMembers is set to
	// the Stats' MaxReplicas when zero.
	Errors, Latency, Metrics detect.PeerConfig
	// LatencyFactor is how many times the group's median latency a
	// replica's must be, besides its z-score, to deviate: the MAD of
	// replicas that agree closely is tiny, and 10% slower is not sick.
	// Zero means DefaultLatencyFactor (1.5).
	LatencyFactor float64
	// MinCalls is the fewest calls a replica needs in a step to be judged
	// in it. Zero means DefaultMinCalls (10).
	MinCalls uint64
	// RecoverSteps is how many consecutive judged steps without deviation
	// resolve the incident of a replica that was not ejected. Zero means
	// DefaultRecoverSteps (3).
	RecoverSteps int
	// ForgetSteps is how many consecutive steps an outlier that is neither
	// judged nor ejected stays firing before its incident resolves as
	// gone. Zero means DefaultForgetSteps (10).
	ForgetSteps int
	// MeterProvider receives the peer.outliers counters. Nil means
	// otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
}

// Detector compares, every step, the replicas of one dependency with each
// other (error ratio and latency quantile, two detect.PeerGroups) and
// turns the replicas that deviate for Persistence steps into remediation
// signals: one incident per outlier replica, firing when it is found and
// resolved when its ejection time is over (it returns, on probation) or
// when it has recovered. Build one with [NewDetector]; StepAt is meant to
// be called by one goroutine at a time, once per step.
type Detector struct {
	cfg    DetectorConfig
	source string
	errs   *detect.PeerGroup
	lat    *detect.PeerGroup
	// user holds one peer group per user metric, in StatsConfig.Metrics
	// order.
	user []userMetric
	met  detectorMetrics

	mu      sync.Mutex
	steps   []ReplicaStep
	errVals []detect.PeerValue
	latVals []detect.PeerValue
	firing  map[string]*outlierState
}

// userMetric is the peer group of one user metric and its last step.
type userMetric struct {
	MetricConfig
	group *detect.PeerGroup
	vals  []detect.PeerValue
	out   []detect.PeerOutlier
}

// worse reports whether o deviates in the metric's bad direction.
func (u *userMetric) worse(o detect.PeerOutlier) bool {
	if u.LowerIsWorse {
		return o.Z < 0
	}
	return o.Z > 0
}

// Names of the built-in metrics in signals and counters.
const (
	metricErrors  = "error_ratio"
	metricLatency = "latency"
)

type outlierState struct {
	metric  string
	healthy int // consecutive judged steps without deviation
	unseen  int // consecutive steps neither judged nor ejected
}

// NewDetector validates cfg and returns a Detector.
func NewDetector(cfg DetectorConfig) (*Detector, error) {
	if cfg.Stats == nil {
		return nil, invalid("DetectorConfig.Stats", "nil", "is required")
	}
	if cfg.Dependency == "" || !validName(cfg.Dependency) {
		return nil, invalid("DetectorConfig.Dependency", cfg.Dependency, "must be 1 or more characters of [A-Za-z0-9_.:-]")
	}
	if cfg.Errors.MinDeviation == 0 {
		cfg.Errors.MinDeviation = DefaultMinErrorRatio
	}
	for _, pc := range []*detect.PeerConfig{&cfg.Errors, &cfg.Latency, &cfg.Metrics} {
		if pc.MaxMembers == 0 {
			pc.MaxMembers = cfg.Stats.cfg.MaxReplicas
		}
	}
	if cfg.LatencyFactor == 0 {
		cfg.LatencyFactor = DefaultLatencyFactor
	}
	if cfg.MinCalls == 0 {
		cfg.MinCalls = DefaultMinCalls
	}
	if cfg.RecoverSteps == 0 {
		cfg.RecoverSteps = DefaultRecoverSteps
	}
	if cfg.ForgetSteps == 0 {
		cfg.ForgetSteps = DefaultForgetSteps
	}
	switch {
	case !(cfg.LatencyFactor >= 1) || !finite(cfg.LatencyFactor):
		return nil, invalid("DetectorConfig.LatencyFactor", cfg.LatencyFactor, "must be finite and at least 1")
	case cfg.RecoverSteps < 0:
		return nil, invalid("DetectorConfig.RecoverSteps", cfg.RecoverSteps, "must be positive")
	case cfg.ForgetSteps < 0:
		return nil, invalid("DetectorConfig.ForgetSteps", cfg.ForgetSteps, "must be positive")
	}
	errs, err := detect.NewPeerGroup(cfg.Errors)
	if err != nil {
		return nil, fmt.Errorf("eject: DetectorConfig.Errors: %w", err)
	}
	lat, err := detect.NewPeerGroup(cfg.Latency)
	if err != nil {
		return nil, fmt.Errorf("eject: DetectorConfig.Latency: %w", err)
	}
	var user []userMetric
	names := []string{metricErrors, metricLatency}
	for _, mc := range cfg.Stats.cfg.Metrics {
		g, err := detect.NewPeerGroup(cfg.Metrics)
		if err != nil {
			return nil, fmt.Errorf("eject: DetectorConfig.Metrics: %w", err)
		}
		user = append(user, userMetric{MetricConfig: mc, group: g})
		names = append(names, mc.Name)
	}
	met, err := newDetectorMetrics(cfg.MeterProvider, cfg.Dependency, names)
	if err != nil {
		return nil, fmt.Errorf("eject: metrics: %w", err)
	}
	return &Detector{cfg: cfg, source: "peer:" + cfg.Dependency, errs: errs, lat: lat, user: user, met: met, firing: make(map[string]*outlierState)}, nil
}

// Outliers returns the replicas whose incident is firing, sorted.
func (d *Detector) Outliers() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]string, 0, len(d.firing))
	for r := range d.firing {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// StepAt drains the Stats, judges the step that ends at t and returns the
// signals of the incidents that start or end at t (nil if none), for
// remediate.Engine.HandleAt or Submit. Steps must come in increasing
// order of t; an error (a step not after the previous one) changes
// nothing.
func (d *Detector) StepAt(t time.Time) ([]remediate.Signal, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.steps = d.cfg.Stats.Step(d.steps[:0])
	d.errVals, d.latVals = d.errVals[:0], d.latVals[:0]
	for i := range d.user {
		d.user[i].vals = d.user[i].vals[:0]
	}
	for _, s := range d.steps {
		for i := range d.user {
			// A metric is judged in every step it has a sample: it may
			// come once per step from the replica, not once per call.
			if v := s.Metrics[i]; !math.IsNaN(v) {
				d.user[i].vals = append(d.user[i].vals, detect.PeerValue{Member: s.Replica, Value: v})
			}
		}
		if s.Calls < d.cfg.MinCalls {
			continue
		}
		d.errVals = append(d.errVals, detect.PeerValue{Member: s.Replica, Value: s.ErrorRatio})
		d.latVals = append(d.latVals, detect.PeerValue{Member: s.Replica, Value: s.Latency})
	}
	// Every group steps, even after another failed, so that none falls
	// a step behind the others; the first error is returned.
	errOut, err := d.errs.StepAt(t, d.errVals)
	latOut, latErr := d.lat.StepAt(t, d.latVals)
	err = errors.Join(err, latErr)
	for i := range d.user {
		u := &d.user[i]
		var uerr error
		u.out, uerr = u.group.StepAt(t, u.vals)
		err = errors.Join(err, uerr)
	}
	if err != nil {
		return nil, err
	}

	var out []remediate.Signal
	member := func(r string) func(detect.PeerValue) bool {
		return func(v detect.PeerValue) bool { return v.Member == r }
	}
	judged := func(r string) bool {
		if slices.ContainsFunc(d.errVals, member(r)) {
			return true
		}
		for i := range d.user {
			if slices.ContainsFunc(d.user[i].vals, member(r)) {
				return true
			}
		}
		return false
	}
	deviating := func(r string) bool {
		if slices.ContainsFunc(errOut, func(o detect.PeerOutlier) bool { return o.Member == r && o.Z > 0 }) ||
			slices.ContainsFunc(latOut, func(o detect.PeerOutlier) bool { return o.Member == r && d.slow(o) }) {
			return true
		}
		for i := range d.user {
			u := &d.user[i]
			if slices.ContainsFunc(u.out, func(o detect.PeerOutlier) bool { return o.Member == r && u.worse(o) }) {
				return true
			}
		}
		return false
	}
	// Incidents already firing: resolve the due, the recovered and the gone.
	for r, st := range d.firing {
		switch {
		case d.cfg.Ejector != nil && d.cfg.Ejector.Due(t, r):
			out = append(out, d.signal(t, r, st.metric, "returned", remediate.PhaseResolved, 0))
		case judged(r) && !deviating(r):
			st.unseen = 0
			if st.healthy++; st.healthy < d.cfg.RecoverSteps {
				continue
			}
			out = append(out, d.signal(t, r, st.metric, "recovered", remediate.PhaseResolved, 0))
		case judged(r):
			st.healthy, st.unseen = 0, 0
			continue
		case d.cfg.Ejector != nil && d.cfg.Ejector.Ejected(r):
			continue
		default:
			if st.unseen++; st.unseen < d.cfg.ForgetSteps {
				continue
			}
			out = append(out, d.signal(t, r, st.metric, "gone", remediate.PhaseResolved, 0))
		}
		delete(d.firing, r)
		d.met.resolved(st.metric)
	}
	// New outliers: errors first (a failing replica is the clearer case).
	for _, o := range errOut {
		if o.Z > 0 {
			out = d.fire(out, t, o, metricErrors)
		}
	}
	for _, o := range latOut {
		if d.slow(o) {
			out = d.fire(out, t, o, metricLatency)
		}
	}
	for i := range d.user {
		u := &d.user[i]
		for _, o := range u.out {
			if u.worse(o) {
				out = d.fire(out, t, o, u.Name)
			}
		}
	}
	return out, nil
}

// slow reports whether a latency outlier is slower than the group by
// LatencyFactor.
func (d *Detector) slow(o detect.PeerOutlier) bool {
	return o.Z > 0 && o.Value >= d.cfg.LatencyFactor*o.Median
}

func (d *Detector) fire(out []remediate.Signal, t time.Time, o detect.PeerOutlier, metric string) []remediate.Signal {
	if _, ok := d.firing[o.Member]; ok {
		return out
	}
	d.firing[o.Member] = &outlierState{metric: metric}
	d.met.fired(metric)
	return append(out, d.signal(t, o.Member, metric, "outlier", remediate.PhaseFiring, o.Z))
}

// signal builds one incident signal; the incident is per replica, so a
// replica that returns and deviates again opens a new one.
func (d *Detector) signal(t time.Time, replica, metric, state string, phase remediate.Phase, z float64) remediate.Signal {
	if !finite(z) {
		z = 0
	}
	return remediate.Signal{
		Kind:       remediate.SignalCustom,
		Source:     d.source,
		Target:     replica,
		State:      state,
		Phase:      phase,
		Incident:   d.source + "/" + replica,
		Severity:   remediate.SeverityWarning,
		Value:      z,
		Time:       t,
		Attributes: map[string]string{"metric": metric},
	}
}

func validName(s string) bool {
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}
