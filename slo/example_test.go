package slo_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/nines-sre/nines/slo"
)

var start = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func Example() {
	s, err := slo.New(slo.Objective{
		Name:   "checkout",
		Target: 0.999,
		Window: slo.Window{Rolling: 30 * 24 * time.Hour},
	}, slo.WithClock(func() time.Time { return start }))
	if err != nil {
		panic(err)
	}
	// One hour at 0.5% errors: five times the sustainable rate.
	for m := range 60 {
		at := start.Add(time.Duration(m) * time.Minute)
		for i := range 200 {
			s.RecordAt(at, i != 0)
		}
	}
	st := s.StatusAt(start.Add(59*time.Minute + 30*time.Second))
	w, _ := st.Window(time.Hour)
	fmt.Printf("1h: %d good, %d bad, burn rate %.1f\n", w.Good, w.Bad, w.BurnRate)
	fmt.Printf("budget remaining %.4f, exhausted in %v\n", st.BudgetRemaining, st.TimeToExhaustion.Round(time.Hour))
	// A burn rate of 5 is above both tickets' thresholds, but an
	// objective that started an hour ago has not yet spent their share of
	// the budget: they are warming up.
	for _, tr := range st.Tiers {
		fmt.Printf("%s %v/%v above %.1f: %s\n", tr.Tier.Severity, tr.Tier.Long, tr.Tier.Short, tr.Threshold, tr.Reason())
	}
	// Output:
	// 1h: 11940 good, 60 bad, burn rate 5.0
	// budget remaining 0.9931, exhausted in 143h0m0s
	// page 1h0m0s/5m0s above 14.4: ok
	// page 6h0m0s/30m0s above 6.0: ok
	// ticket 24h0m0s/2h0m0s above 3.0: warming up
	// ticket 72h0m0s/6h0m0s above 1.0: warming up
}

func ExampleDefaultTiers() {
	for _, days := range []int{30, 28} {
		period := time.Duration(days) * 24 * time.Hour
		fmt.Printf("%dd:", days)
		for _, t := range slo.DefaultTiers(period) {
			fmt.Printf(" %s %.4g", t.Severity, t.BurnRateThreshold(period))
		}
		fmt.Println()
	}
	// Output:
	// 30d: page 14.4 page 6 ticket 3 ticket 1
	// 28d: page 13.44 page 5.6 ticket 2.8 ticket 0.9333
}

func ExampleSet_OnAlert() {
	set, _ := slo.NewSet()
	s, _ := slo.New(slo.Objective{Name: "api", Target: 0.999, Window: slo.Window{Rolling: 30 * 24 * time.Hour}},
		slo.WithClock(func() time.Time { return start }))
	_ = set.Add(s)
	set.OnAlert(func(e slo.AlertEvent) {
		state := "resolved"
		if e.Firing {
			state = "firing"
		}
		fmt.Printf("%s %s %v/%v %s at +%v (short burn %.0f)\n", e.Objective, e.Tier.Severity,
			e.Tier.Long, e.Tier.Short, state, e.At.Sub(start), e.Short.BurnRate)
	})
	// Ten minutes of total outage after an hour of good traffic, then recovery.
	for m := range 90 {
		at := start.Add(time.Duration(m) * time.Minute)
		s.AddAt(at, 100, 0)
		if m >= 60 && m < 70 {
			s.AddAt(at, 0, 1000)
		}
		set.TickAt(at.Add(30 * time.Second))
	}
	// Output:
	// api page 1h0m0s/5m0s firing at +1h0m30s (short burn 667)
	// api page 6h0m0s/30m0s firing at +1h0m30s (short burn 250)
	// api ticket 24h0m0s/2h0m0s firing at +1h0m30s (short burn 141)
	// api ticket 72h0m0s/6h0m0s firing at +1h0m30s (short burn 141)
	// api page 1h0m0s/5m0s resolved at +1h14m30s (short burn 0)
}

func ExampleSLO_WriteTo() {
	obj := slo.Objective{Name: "api", Target: 0.99, Window: slo.Window{Rolling: 7 * 24 * time.Hour}}
	clock := slo.WithClock(func() time.Time { return start })
	before, _ := slo.New(obj, clock)
	before.AddAt(start, 990, 10)
	var snap bytes.Buffer
	if _, err := before.WriteTo(&snap); err != nil {
		panic(err)
	}
	after, _ := slo.New(obj, clock)
	if _, err := after.ReadFrom(&snap); err != nil {
		panic(err)
	}
	good, bad := after.Events()
	fmt.Println(good, bad)
	// Output:
	// 990 10
}
