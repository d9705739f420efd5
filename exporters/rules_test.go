package exporters

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nines-sre/nines/slo"
)

const day = 24 * time.Hour

func parseRules(t *testing.T, b []byte) ruleFile {
	t.Helper()
	var f ruleFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("generated rules are not YAML: %v\n%s", err, b)
	}
	return f
}

func TestPrometheusRulesShape(t *testing.T) {
	for _, tc := range []struct {
		name       string
		obj        slo.Objective
		rules      int
		windows    []string
		thresholds []string
	}{
		{
			name:       "30d default tiers",
			obj:        slo.Objective{Name: "a", Target: 0.999, Window: slo.Window{Rolling: 30 * day}},
			rules:      19,
			windows:    []string{"5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"},
			thresholds: []string{"14.4", "6", "3", "1"},
		},
		{
			name:       "28d default tiers",
			obj:        slo.Objective{Name: "b", Target: 0.99, Window: slo.Window{Rolling: 28 * day}, Latency: time.Second},
			rules:      19,
			windows:    []string{"5m", "30m", "1h", "2h", "6h", "1d", "3d", "28d"},
			thresholds: []string{"13.44", "5.6", "2.8", "0.933333333333"},
		},
		{
			name:       "calendar month: no period window, no budget",
			obj:        slo.Objective{Name: "c", Target: 0.999, Window: slo.Window{Calendar: slo.CalendarMonth}},
			rules:      17,
			windows:    []string{"5m", "30m", "1h", "2h", "6h", "1d", "3d"},
			thresholds: []string{"14.4", "6", "3", "1"},
		},
		{
			name: "custom tier window joins the standard ones",
			obj: slo.Objective{Name: "d", Target: 0.99, Window: slo.Window{Rolling: 7 * day},
				Tiers: []slo.Tier{{Severity: slo.SeverityTicket, BudgetPercent: 50, Long: 2 * day, Short: 10 * time.Minute}}},
			rules:      18,
			windows:    []string{"5m", "10m", "30m", "1h", "2h", "6h", "1d", "2d", "3d", "7d"},
			thresholds: []string{"1.75"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := PrometheusRules([]slo.Objective{tc.obj})
			if err != nil {
				t.Fatal(err)
			}
			f := parseRules(t, b)
			if len(f.Groups) != 1 {
				t.Fatalf("%d groups, want 1", len(f.Groups))
			}
			rules := f.Groups[0].Rules
			if len(rules) != tc.rules {
				t.Errorf("%d rules, want %d", len(rules), tc.rules)
			}
			var windows, thresholds []string
			for _, r := range rules {
				if r.Labels["slo_name"] != tc.obj.Name {
					t.Errorf("rule %s%s lacks slo_name=%s", r.Record, r.Alert, tc.obj.Name)
				}
				if r.Record == RecordIncrease {
					windows = append(windows, r.Labels["slo_window"])
				}
				if r.Alert != "" {
					_, after, _ := strings.Cut(r.Expr, " > ")
					thr, _, _ := strings.Cut(after, "\n")
					thresholds = append(thresholds, thr)
					if strings.Count(r.Expr, ") > "+thr+"\n") != 2 || strings.Count(r.Expr, ") >= ") != 2 {
						t.Errorf("alert %q does not compare both windows with > %s and both event counts with >=", r.Expr, thr)
					}
					if r.Labels["long_window"] == "" || r.Labels["short_window"] == "" || r.Labels["severity"] == "" {
						t.Errorf("alert labels %v lack severity, long_window or short_window", r.Labels)
					}
				}
			}
			if strings.Join(windows, ",") != strings.Join(tc.windows, ",") {
				t.Errorf("windows %v, want %v", windows, tc.windows)
			}
			if strings.Join(thresholds, ",") != strings.Join(tc.thresholds, ",") {
				t.Errorf("thresholds %v, want %v", thresholds, tc.thresholds)
			}
		})
	}
}

func TestPrometheusRulesRejects(t *testing.T) {
	ok := slo.Objective{Name: "ok", Target: 0.999, Window: slo.Window{Rolling: 30 * day}}
	with := func(f func(*slo.Objective)) []slo.Objective {
		o := ok
		f(&o)
		return []slo.Objective{o}
	}
	tier := func(f func(*slo.Tier)) func(*slo.Objective) {
		return func(o *slo.Objective) {
			tr := slo.Tier{Severity: slo.SeverityPage, BudgetPercent: 2, Long: time.Hour, Short: 5 * time.Minute}
			f(&tr)
			o.Tiers = []slo.Tier{tr}
		}
	}
	for _, tc := range []struct {
		objs  []slo.Objective
		opts  []RuleOption
		is    error
		field string
	}{
		{with(func(o *slo.Objective) { o.Name = "" }), nil, ErrInvalidConfig, "Name"},
		{with(func(o *slo.Objective) { o.Name = `a"b` }), nil, ErrInvalidConfig, "Name"},
		{with(func(o *slo.Objective) { o.Target = 1 }), nil, ErrInvalidConfig, "Target"},
		{with(func(o *slo.Objective) { o.Target = math.NaN() }), nil, ErrInvalidConfig, "Target"},
		{with(func(o *slo.Objective) { o.Window = slo.Window{} }), nil, ErrInvalidConfig, "Window"},
		{with(func(o *slo.Objective) { o.Window.Calendar = slo.CalendarWeek }), nil, ErrInvalidConfig, "Window"},
		{with(func(o *slo.Objective) { o.Window.Rolling = 30*day + time.Minute }), nil, ErrInvalidConfig, "Window.Rolling"},
		{with(func(o *slo.Objective) { o.Window = slo.Window{Calendar: 9} }), nil, ErrInvalidConfig, "Window.Calendar"},
		{with(func(o *slo.Objective) { o.Window.Rolling = 401 * day }), nil, ErrInvalidConfig, "Window.Rolling"},
		{with(func(o *slo.Objective) { o.Latency = -1 }), nil, ErrInvalidConfig, "Latency"},
		{with(func(o *slo.Objective) { o.Budgeting = slo.Timeslices }), nil, ErrUnsupported, "Budgeting"},
		{with(func(o *slo.Objective) { o.Budgeting = 7 }), nil, ErrInvalidConfig, "Budgeting"},
		{with(func(o *slo.Objective) {
			o.Window.Rolling = 2 * day
			o.Tiers = []slo.Tier{{Severity: slo.SeverityTicket, BudgetPercent: 10, Long: 3 * day, Short: 6 * time.Hour}}
		}), nil, ErrInvalidConfig, "Tiers[0].Long"},
		{with(tier(func(t *slo.Tier) { t.Severity = 5 })), nil, ErrInvalidConfig, "Tiers[0].Severity"},
		{with(tier(func(t *slo.Tier) { t.BudgetPercent = 0 })), nil, ErrInvalidConfig, "Tiers[0].BudgetPercent"},
		{with(tier(func(t *slo.Tier) { t.BudgetPercent = math.Inf(1) })), nil, ErrInvalidConfig, "Tiers[0].BudgetPercent"},
		{with(tier(func(t *slo.Tier) { t.Short = 7 * time.Minute })), nil, ErrInvalidConfig, "Tiers[0].Short"},
		{with(tier(func(t *slo.Tier) { t.Long = t.Short })), nil, ErrInvalidConfig, "Tiers[0].Long"},
		{with(tier(func(t *slo.Tier) { t.Long = 31 * day })), nil, ErrInvalidConfig, "Tiers[0].Long"},
		{[]slo.Objective{ok, ok}, nil, ErrInvalidConfig, "Name: duplicates objectives[0]"},
		{[]slo.Objective{ok}, []RuleOption{WithEventsMetric("slo.events")}, ErrInvalidConfig, "WithEventsMetric"},
		{[]slo.Objective{ok}, []RuleOption{WithEvaluationInterval(2 * time.Minute)}, ErrInvalidConfig, "WithEvaluationInterval"},
		{[]slo.Objective{ok}, []RuleOption{WithAlertFor(-time.Second)}, ErrInvalidConfig, "WithAlertFor"},
	} {
		b, err := PrometheusRules(tc.objs, tc.opts...)
		if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.field) || b != nil {
			t.Errorf("PrometheusRules(%+v) = %v; want %v naming %s", tc.objs, err, tc.is, tc.field)
		}
	}
}

func TestPrometheusRulesOptions(t *testing.T) {
	b, err := PrometheusRules(
		[]slo.Objective{{Name: "a", Target: 0.999, Window: slo.Window{Rolling: 30 * day}}},
		WithEventsMetric("shop_slo_events_total"), WithEvaluationInterval(30*time.Second), WithAlertFor(0),
		WithAbsentAlert(10*time.Minute),
	)
	if err != nil {
		t.Fatal(err)
	}
	g := parseRules(t, b).Groups[0]
	if g.Interval != "30s" {
		t.Errorf("interval %q, want 30s", g.Interval)
	}
	if !strings.Contains(g.Rules[0].Expr, "(shop_slo_events_total{slo_name=\"a\"} - ") {
		t.Errorf("first rule %q does not read shop_slo_events_total", g.Rules[0].Expr)
	}
	absent := 0
	for _, r := range g.Rules {
		switch {
		case r.Alert == AbsentAlertName:
			absent++
			if r.For != "10m" || r.Expr != `absent(shop_slo_events_total{slo_name="a"})` {
				t.Errorf("absent alert for: %q expr %q", r.For, r.Expr)
			}
		case r.For != "":
			t.Errorf("alert has for: %s with WithAlertFor(0)", r.For)
		}
	}
	if absent != 1 {
		t.Errorf("%d absent-data alerts with WithAbsentAlert, want 1", absent)
	}
}

func TestPrometheusRulesEmpty(t *testing.T) {
	b, err := PrometheusRules(nil)
	if err != nil || string(b) != "groups: []\n" {
		t.Fatalf("PrometheusRules(nil) = %q, %v; want an empty rule file", b, err)
	}
}

func TestDurations(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		prom string
	}{
		{5 * time.Minute, "5m"},
		{time.Hour - time.Millisecond, "59m59s999ms"},
		{30*day - time.Millisecond, "29d23h59m59s999ms"},
		{90 * time.Minute, "1h30m"},
		{72 * time.Hour, "3d"},
		{1500 * time.Millisecond, "1s500ms"},
		{0, "0s"},
	} {
		if got := promDuration(tc.d); got != tc.prom {
			t.Errorf("promDuration(%v) = %q, want %q", tc.d, got, tc.prom)
		}
	}
}

// The raw counters are read only to carry the fleet total forward (and by
// the seen and origin bookkeeping), never through increase() or rate(),
// which extrapolate and, on Prometheus 3, miss the interval before the
// range; every window is a ratio of event counts, never an average of
// ratios: the occurrence weighting the issue asks for.
func TestPrometheusRulesReadCountersOnceAndSumIncrements(t *testing.T) {
	b, err := PrometheusRules([]slo.Objective{
		{Name: "a", Target: 0.999, Window: slo.Window{Rolling: 30 * day}},
		{Name: "b", Target: 0.99, Window: slo.Window{Calendar: slo.CalendarWeek}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range parseRules(t, b).Groups {
		var readers []string
		for _, r := range g.Rules {
			if strings.Contains(r.Expr, DefaultEventsMetric) {
				readers = append(readers, r.Record)
			}
			for _, bad := range []string{"avg_over_time", "avg(", "avg by", "increase(", "rate(", "sum_over_time"} {
				if strings.Contains(r.Expr, bad) {
					t.Errorf("%s: rule %s%s uses %s: %s", g.Name, r.Record, r.Alert, bad, r.Expr)
				}
			}
			if r.Record == RecordErrorRatio {
				name := r.Labels["slo_name"]
				bad := "sum by (slo_name, slo_window) (" + RecordIncrease + `{slo_name="` + name + `",slo_outcome="bad"})`
				all := "sum by (slo_name, slo_window) (" + RecordIncrease + `{slo_name="` + name + `"})`
				if !strings.Contains(r.Expr, bad+"\n/\n("+all+" > 0)") {
					t.Errorf("%s: %s is not bad/total event counts: %s", g.Name, r.Record, r.Expr)
				}
			}
		}
		if strings.Join(readers, ",") != RecordTotal+","+RecordSeen+","+RecordOrigin {
			t.Errorf("%s: rules %v read %s, want only the total, seen and origin bookkeeping", g.Name, readers, DefaultEventsMetric)
		}
	}
}
