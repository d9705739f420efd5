package synthetic

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Instrument and attribute names: the telemetry schema in the root
// package documentation (go doc github.com/nines-sre/nines).
const (
	scopeName = "github.com/nines-sre/nines/synthetic"

	metricDuration = "synthetic.check.duration"
	metricRuns     = "synthetic.check.runs"

	attrCheck   = "synthetic.check.name"
	attrStep    = "synthetic.step"
	attrPhase   = "synthetic.phase"
	attrOutcome = "synthetic.outcome"
)

// durationBounds suit a step: milliseconds on a loopback, seconds over
// the internet, a Timeout of tens of seconds.
var durationBounds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type instruments struct {
	duration metric.Float64Histogram
	runs     metric.Int64Counter
}

func newInstruments(mp metric.MeterProvider) (instruments, error) {
	m := mp.Meter(scopeName)
	d, err := m.Float64Histogram(metricDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of a synthetic check's steps by phase, and of the whole run (step and phase total)."),
		metric.WithExplicitBucketBoundaries(durationBounds...))
	if err != nil {
		return instruments{}, err
	}
	r, err := m.Int64Counter(metricRuns, metric.WithUnit("{run}"),
		metric.WithDescription("Synthetic check runs by outcome."))
	if err != nil {
		return instruments{}, err
	}
	return instruments{duration: d, runs: r}, nil
}

// record adds one run: each step's phases and total, the run's total
// (step "total") and the outcome. It runs once per run, off the request
// path, so building attribute sets here is fine; their values are check
// and step names the developer wrote, never taken from a response.
func (in instruments) record(res Result) {
	ctx := context.Background()
	obs := func(step, phase string, seconds float64) {
		in.duration.Record(ctx, seconds, metric.WithAttributes(
			attribute.String(attrCheck, res.Check), attribute.String(attrStep, step), attribute.String(attrPhase, phase)))
	}
	for _, s := range res.Steps {
		p := s.Phases
		obs(s.Name, "resolve", p.Resolve.Seconds())
		obs(s.Name, "connect", p.Connect.Seconds())
		obs(s.Name, "tls", p.TLS.Seconds())
		obs(s.Name, "processing", p.Processing.Seconds())
		obs(s.Name, "transfer", p.Transfer.Seconds())
		obs(s.Name, "total", s.Duration.Seconds())
	}
	obs("total", "total", res.Duration.Seconds())
	in.runs.Add(ctx, 1, metric.WithAttributes(attribute.String(attrCheck, res.Check), attribute.String(attrOutcome, res.Outcome.String())))
}
