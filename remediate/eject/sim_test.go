package eject

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate"
)

// fleet simulates ten replicas answering in about 10ms with realistic
// noise (log-normal, sigma 0.3, and 0.1% errors), recording into Stats as
// the Balancer would. slow and errs make chosen replicas sick.
type fleet struct {
	rng   *rand.Rand
	names []string
	stats *Stats
	ej    *Ejector
	slow  map[string]float64
	errs  map[string]float64
}

func newFleet(t *testing.T, n int, seed uint64, ecfg EjectorConfig) *fleet {
	t.Helper()
	st, err := NewStats(StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ecfg.Replicas = replicas(n)
	ej, err := NewEjector(ecfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fleet{rng: rand.New(rand.NewPCG(seed, seed)), names: ecfg.Replicas, stats: st, ej: ej,
		slow: map[string]float64{}, errs: map[string]float64{}}
}

// step sends calls requests per replica not ejected (round-robin skips
// the ejected, so the others take their share).
func (f *fleet) step(calls int) {
	for _, r := range f.names {
		if f.ej.Ejected(r) {
			continue
		}
		for range calls {
			lat := 10 * time.Millisecond.Seconds() * math.Exp(0.3*f.rng.NormFloat64())
			if k := f.slow[r]; k > 0 {
				lat *= k
			}
			bad := f.rng.Float64() < 0.001 || f.rng.Float64() < f.errs[r]
			f.stats.Record(r, time.Duration(lat*1e9), bad)
		}
	}
}

func newDetector(t *testing.T, f *fleet) *Detector {
	t.Helper()
	d, err := NewDetector(DetectorConfig{Dependency: "inventory", Stats: f.stats, Ejector: f.ej})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newEngine(t *testing.T, ej *Ejector, dryRun bool) *remediate.Engine {
	t.Helper()
	e, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name:   "eject-peer-outliers",
		When:   remediate.Match{Predicate: func(s remediate.Signal) bool { return strings.HasPrefix(s.Source, "peer:") }},
		Action: Action(ej),
		Pool:   ej.Replicas(),
		DryRun: dryRun,
	}}}, remediate.WithAuditLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	return e
}

// run steps the fleet, the detector and the engine once per second for n
// steps from *now, calling before(i) first, and returns every signal and
// decision as "step kind detail" lines.
func run(t *testing.T, f *fleet, d *Detector, e *remediate.Engine, now *time.Time, n int, before func(i int)) []string {
	t.Helper()
	var log []string
	ctx := context.Background()
	for i := range n {
		if before != nil {
			before(i)
		}
		f.step(50)
		*now = now.Add(time.Second)
		sigs, err := d.StepAt(*now)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sigs {
			log = append(log, s.Phase.String()+" "+s.Target+" "+s.State+" "+s.Attributes["metric"])
			if e != nil {
				for _, dec := range e.HandleAt(ctx, *now, s) {
					log = append(log, dec.String())
				}
			}
		}
		if e != nil {
			for _, dec := range e.TickAt(ctx, *now) {
				log = append(log, dec.String())
			}
		}
	}
	return log
}
