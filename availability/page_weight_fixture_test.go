package availability

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/logpattern"
	"github.com/nines-sre/nines/remediate/eject"
	"github.com/nines-sre/nines/synthetic"
)

// sectionsFixture fills the optional sections of the status page to their
// bounds, for the page weight test.
type sectionsFixture struct {
	opts   []Option
	runner *synthetic.Runner
	shop   *phasedTransport
	miner  *logpattern.Miner
	groups []weightGroup
}

type weightGroup struct {
	stats *eject.Stats
	ej    *eject.Ejector
}

func weightSections(t *testing.T) *sectionsFixture {
	t.Helper()
	t.Setenv("NINES_TEST_SHOP_TOKEN", shopSecret)
	fx := &sectionsFixture{}
	miner, err := logpattern.New(logpattern.WithWarmup(10))
	if err != nil {
		t.Fatal(err)
	}
	fx.miner = miner
	fx.opts = append(fx.opts, WithLogMiner(miner))
	var dets []*eject.Detector
	for g := range 3 {
		var replicas []string
		for i := range 200 {
			replicas = append(replicas, fmt.Sprintf("backend-%d-%03d.inventory.svc.cluster.local:8080", g, i))
		}
		stats, _ := eject.NewStats(eject.StatsConfig{})
		ej, err := eject.NewEjector(eject.EjectorConfig{Replicas: replicas})
		if err != nil {
			t.Fatal(err)
		}
		det, err := eject.NewDetector(eject.DetectorConfig{Dependency: fmt.Sprintf("inventory-%d", g), Stats: stats, Ejector: ej})
		if err != nil {
			t.Fatal(err)
		}
		dets = append(dets, det)
		fx.groups = append(fx.groups, weightGroup{stats, ej})
	}
	fx.opts = append(fx.opts, WithPeerDetectors(dets...))
	return fx
}

// fill runs three five-step checks twelve times each, two steps of calls
// to every replica, ejecting the most allowed, and feeds the miner 40
// long templates, most of them after its warm-up.
func (fx *sectionsFixture) fill(t *testing.T, m *Monitor, clk *fakeClock) {
	t.Helper()
	fx.shop = &phasedTransport{clk: clk, failCheckout: true}
	var checks []synthetic.Check
	for i := range 3 {
		c := shopCheck()
		c.Name = fmt.Sprintf("shop-flow-%d", i)
		c.Steps = append(c.Steps, c.Steps[1], c.Steps[1])
		c.Steps[3].Name, c.Steps[4].Name = "search-again", "search-more"
		c.Steps[2], c.Steps[4] = c.Steps[4], c.Steps[2] // checkout last: every step runs
		checks = append(checks, c)
	}
	runner, err := synthetic.NewRunner(checks, synthetic.WithTransport(fx.shop), synthetic.WithClock(clk.Now),
		synthetic.WithMeterProvider(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddSynthetic(runner); err != nil {
		t.Fatal(err)
	}
	for range 12 {
		for _, c := range checks {
			if _, err := runner.Run(context.Background(), c.Name); err != nil {
				t.Fatal(err)
			}
		}
	}
	for step := range 2 {
		for _, g := range fx.groups {
			for _, r := range g.ej.Replicas() {
				g.stats.Record(r, 3*time.Millisecond, false)
			}
			for _, r := range g.ej.Replicas()[:g.ej.MaxEjected()] {
				_ = g.ej.EjectAt(clk.Now(), r)
			}
		}
		m.TickAt(clk.Add(time.Duration(step+1) * time.Minute))
	}
	// The lines come last: the test's next tick counts them.
	for i := range 40 {
		w := strings.Repeat(string(rune('g'+i%20)), 4+i/20)
		for j := range 1 + i {
			fx.miner.Observe(fmt.Sprintf("%s retry %d", strings.TrimSpace(strings.Repeat(w+" ", 30)), j))
		}
	}
}
