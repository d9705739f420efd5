package health

import (
	"context"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
)

// Instrument and attribute names: the telemetry schema in the root
// package documentation (go doc github.com/nines-sre/nines).
const (
	scopeName = "github.com/nines-sre/nines/health"

	metricCheckStatus     = "health.check.status"
	metricCheckDuration   = "health.check.duration"
	metricCheckExecutions = "health.check.executions"
	metricStatus          = "health.status"

	attrCheckName    = "health.check.name"
	attrCheckState   = "health.check.state"
	attrCheckOutcome = "health.check.outcome"
	attrGroup        = "health.group"
	attrState        = "health.state"
)

// durationBounds are health.check.duration's bucket boundaries, in
// seconds: a local check takes microseconds to milliseconds, a dependency
// round trip milliseconds to a second, and a check's Timeout is seconds.
// The SDK's default boundaries (0, 5, 10, ... 10000) suit milliseconds:
// on a histogram in seconds every check would land in le="5".
var durationBounds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// checkStates and groupStates are the series of the two status gauges, one
// per state, value 1 for the current state and 0 otherwise. A group whose
// status is StatusUnknown reads 0 in all four of its series.
var (
	checkStates = [...]Status{StatusPass, StatusWarn, StatusFail, StatusUnknown}
	groupStates = [...]Status{StatusPass, StatusWarn, StatusFail, StatusDraining}
)

// groupAttrs holds the attribute options of health.status, built once.
var groupAttrs = func() (a [len(groupList)][len(groupStates)]metric.MeasurementOption) {
	for i, g := range groupList {
		for j, s := range groupStates {
			a[i][j] = metric.WithAttributeSet(attribute.NewSet(
				attribute.String(attrGroup, g.String()),
				attribute.String(attrState, s.String())))
		}
	}
	return a
}()

// checkAttrs holds one check's attribute options, built at Register so
// that recording and collection do not allocate them.
type checkAttrs struct {
	state   [len(checkStates)]metric.MeasurementOption
	outcome [numOutcomes]metric.MeasurementOption
}

func newCheckAttrs(name string) *checkAttrs {
	a := &checkAttrs{}
	for i, s := range checkStates {
		a.state[i] = metric.WithAttributeSet(attribute.NewSet(
			attribute.String(attrCheckName, name),
			attribute.String(attrCheckState, s.String())))
	}
	for o := range numOutcomes {
		a.outcome[o] = metric.WithAttributeSet(attribute.NewSet(
			attribute.String(attrCheckName, name),
			attribute.String(attrCheckOutcome, o.String())))
	}
	return a
}

// instruments are the registry's OpenTelemetry instruments. The two
// gauges are observed from cached state at collection; collection never
// runs a check.
type instruments struct {
	duration   metric.Float64Histogram
	executions metric.Int64Counter
	reg        metric.Registration
}

func newInstruments(mp metric.MeterProvider, r *Registry) *instruments {
	m := mp.Meter(scopeName)
	in := &instruments{}
	var err error
	report := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	checkStatus, e := m.Int64ObservableGauge(metricCheckStatus, metric.WithUnit("1"),
		metric.WithDescription("Status of a health check: 1 for its current state, 0 for the others."))
	report(e)
	status, e := m.Int64ObservableGauge(metricStatus, metric.WithUnit("1"),
		metric.WithDescription("Status of a probe group: 1 for its current state, 0 for the others; all 0 while unknown."))
	report(e)
	in.duration, e = m.Float64Histogram(metricCheckDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of health check executions."),
		metric.WithExplicitBucketBoundaries(durationBounds...))
	report(e)
	in.executions, e = m.Int64Counter(metricCheckExecutions,
		metric.WithDescription("Health check executions by outcome."))
	report(e)
	in.reg, e = m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		r.observe(o, checkStatus, status)
		return nil
	}, checkStatus, status)
	report(e)
	if err != nil {
		otel.Handle(err)
	}
	if in.duration == nil || in.executions == nil {
		in.duration, _ = noop.Meter{}.Float64Histogram(metricCheckDuration)
		in.executions, _ = noop.Meter{}.Int64Counter(metricCheckExecutions)
	}
	return in
}

// observe reports both status gauges from cached state.
func (r *Registry) observe(o metric.Observer, checkStatus, status metric.Int64Observable) {
	now := time.Now()
	for _, e := range r.tab.Load().all {
		cur := e.view(now).status
		for i, s := range checkStates {
			o.ObserveInt64(checkStatus, b2i(cur == s), e.attrs.state[i])
		}
	}
	for i, g := range groupList {
		cur := r.StatusAt(g, now)
		for j, s := range groupStates {
			o.ObserveInt64(status, b2i(cur == s), groupAttrs[i][j])
		}
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// recordExecution counts one execution and its duration.
func (in *instruments) recordExecution(e *entry, x execution) {
	opt := e.attrs.outcome[x.outcome]
	ctx := context.Background()
	in.executions.Add(ctx, 1, opt)
	in.duration.Record(ctx, x.duration.Seconds(), opt)
}

// unregister stops the gauges' callback.
func (in *instruments) unregister() {
	if in.reg != nil {
		if err := in.reg.Unregister(); err != nil {
			otel.Handle(err)
		}
	}
}
