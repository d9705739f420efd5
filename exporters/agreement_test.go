package exporters

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/exporters/internal/samples"
	"github.com/nines-sre/nines/slo"
)

// TestRulesAgreeWithInProcess replays the promtool test's input series (the
// one definition of the stream) into in-process slo objectives and checks
// that every error ratio, SLI, burn rate and budget remaining promtool expects
// from the generated rules is what the process computes itself, and that
// the same alert tiers fire: a tier's rule condition at T is the process's
// own decision at T (burn rates and the low-traffic guard), and with for:
// 1m the rules fire it at T when the process fired it at T-1m and at T.
// The stream includes a low-traffic objective (quiet-api) that burns fast
// on too few events: both must stay silent.
//
// Prometheus's minute m holds events in (m-1, m]; the process's minute
// bucket m-1 holds [m-1, m). Events are recorded at m-1 plus 30 s, and the
// process is asked at T minus 1 ns, so both cover exactly (T-w, T].
func TestRulesAgreeWithInProcess(t *testing.T) {
	streams, exps, alerts := loadPromtoolTest(t)
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday, on a 5m boundary
	objs := map[string]*slo.SLO{}
	for _, o := range samples.Objectives() {
		s, err := slo.New(o, slo.WithClock(func() time.Time { return t0 }))
		if err != nil {
			t.Fatal(err)
		}
		objs[o.Name] = s
	}

	fed := 0 // minutes of the stream recorded so far
	feedTo := func(at time.Duration) {
		for ; fed < int(at/time.Minute); fed++ {
			m := fed + 1
			for name, st := range streams {
				if m < len(st.good) && st.good[m]+st.bad[m] > 0 {
					objs[name].AddAt(t0.Add(time.Duration(fed)*time.Minute+30*time.Second), uint32(st.good[m]), uint32(st.bad[m]))
				}
			}
		}
	}
	// statusAt reports every objective at T, feeding the stream up to T.
	// Times only go forward, as they do for a real objective.
	statuses := map[time.Duration]map[string]slo.Status{}
	statusAt := func(at time.Duration) map[string]slo.Status {
		if st, ok := statuses[at]; ok {
			return st
		}
		feedTo(at)
		st := map[string]slo.Status{}
		for name, s := range objs {
			st[name] = s.StatusAt(t0.Add(at - time.Nanosecond))
		}
		statuses[at] = st
		return st
	}
	var times []time.Duration
	for _, e := range exps {
		times = append(times, e.at)
	}
	for _, a := range alerts {
		times = append(times, a.at-time.Minute, a.at)
	}
	slices.Sort(times)
	for _, at := range slices.Compact(times) {
		statusAt(at)
	}

	checked := 0
	for _, e := range exps {
		st := statuses[e.at][e.name]
		var got float64
		if e.metric == RecordBudgetRemaining {
			got = st.BudgetRemaining
		} else {
			w, err := parseWindow(e.window)
			if err != nil {
				t.Fatal(err)
			}
			ws, ok := st.Window(w)
			if !ok && w == objs[e.name].Objective().Window.Period() {
				ws, ok = st.Period, true
			}
			if !ok {
				t.Fatalf("%s has no window %s in process", e.name, e.window)
			}
			switch e.metric {
			case RecordErrorRatio:
				got = ws.ErrorRatio
			case RecordSLI:
				got = 1 - ws.ErrorRatio
			case RecordBurnRate:
				got = ws.BurnRate
			}
		}
		if !closeTo(got, e.value) {
			t.Errorf("%s{slo_name=%q,slo_window=%q} at %v: rules give %v (promtool test), the process %v", e.metric, e.name, e.window, e.at, e.value, got)
		}
		checked++
	}

	// ruleFiring lists the tiers the process's burn rates and low-traffic
	// guard fire at T. The process also holds a tier silent while its own
	// history is too short to have spent the tier's share of the budget
	// (slo.TierStatus.WarmingUp); the rules, reading the fleet's history,
	// which a process's start does not reset, have no such warm-up, so a
	// warming-up tier counts here as the rules see it.
	silenced, warming := 0, 0
	ruleFiring := func(name string, at time.Duration) []string {
		var out []string
		for _, ts := range statuses[at][name].Tiers {
			if ts.WarmingUp {
				warming++
			}
			if ts.Firing || ts.WarmingUp {
				out = append(out, ts.Tier.Severity.String()+" "+slo.WindowLabel(ts.Tier.Long)+"/"+slo.WindowLabel(ts.Tier.Short))
			}
			if ts.TooFewEvents && ts.Long.BurnRate > ts.Threshold && ts.Short.BurnRate > ts.Threshold {
				silenced++
			}
		}
		return out
	}
	for _, a := range alerts {
		for name := range objs {
			var want []string
			before := ruleFiring(name, a.at-time.Minute)
			for _, f := range ruleFiring(name, a.at) {
				if slices.Contains(before, f) {
					want = append(want, f)
				}
			}
			got := slices.Clone(a.firing[name])
			slices.Sort(got)
			slices.Sort(want)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s at %v: promtool expects firing [%s], the process's burn rates give [%s]", name, a.at, strings.Join(got, ", "), strings.Join(want, ", "))
			}
			checked++
		}
	}
	if warming == 0 {
		t.Error("no tier was warming up: the stream does not exercise the process's warm-up")
	}
	if silenced == 0 {
		t.Error("no tier burned above its threshold on too few events: the stream does not exercise the low-traffic guard")
	}
	t.Logf("%d values and alert sets agree", checked)
}
