package exporters

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nines-sre/nines/slo"
)

// Names of the recorded series. Each carries slo_name; the window series
// also carry slo_window (5m, 30m, 1h, 2h, 6h, 1d, 3d, the period, and any
// tier window).
const (
	RecordIncrease5m      = "slo:events:increase5m"      // by slo_name, slo_outcome
	RecordErrorRatio      = "slo:error_ratio"            // bad/total over slo_window
	RecordSLI             = "slo:sli"                    // 1 - slo:error_ratio
	RecordBurnRate        = "slo:burn_rate"              // slo:error_ratio / (1 - target)
	RecordBudgetRemaining = "slo:error_budget:remaining" // 1 - period burn rate x observed share
	AlertName             = "SLOErrorBudgetBurn"         // severity, slo_name, slo_window (long), slo_short_window
)

type ruleFile struct {
	Groups []ruleGroup `yaml:"groups"`
}

type ruleGroup struct {
	Name     string `yaml:"name"`
	Interval string `yaml:"interval,omitempty"`
	Rules    []rule `yaml:"rules"`
}

type rule struct {
	Record      string            `yaml:"record,omitempty"`
	Alert       string            `yaml:"alert,omitempty"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

// PrometheusRules returns a Prometheus rule file (YAML) with one group per
// objective: recording rules that compute, fleet-wide over every replica's
// slo.events counter, the error ratio, SLI and burn rate of each window, the
// budget remaining, and one alert per tier that fires when both of its
// windows burn faster than the tier's factor (strict >). With the default
// tiers an objective has 16 rules.
//
// Objectives are validated as slo does, plus the rules' own constraints;
// errors wrap ErrInvalidConfig or ErrUnsupported and name the objective
// and field. Latency objectives are supported (their events are classified
// in process). Timeslice budgeting is not. Calendar windows get every
// window and alert (factors from the unit's nominal length: 7, 30 or 90
// days) but no period error ratio or budget remaining, which PromQL cannot
// compute over a range that starts at a calendar boundary.
//
// The recorded names are the Record* constants; see the package
// documentation for how the windows are built.
func PrometheusRules(objs []slo.Objective, opts ...RuleOption) ([]byte, error) {
	cfg := defaultRuleConfig()
	for _, o := range opts {
		if o != nil {
			o.applyRule(&cfg)
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	file := ruleFile{Groups: []ruleGroup{}}
	seen := make(map[string]int, len(objs))
	for i, o := range objs {
		tiers, period, err := validateObjective(i, o)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[o.Name]; dup {
			return nil, fmt.Errorf("%w: objectives[%d] %q: Name: duplicates objectives[%d]", ErrInvalidConfig, i, o.Name, j)
		}
		seen[o.Name] = i
		file.Groups = append(file.Groups, objectiveGroup(cfg, o, tiers, period))
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(file); err != nil {
		return nil, fmt.Errorf("exporters: encoding rules: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("exporters: encoding rules: %w", err)
	}
	return buf.Bytes(), nil
}

func objectiveGroup(cfg ruleConfig, o slo.Objective, tiers []slo.Tier, period time.Duration) ruleGroup {
	rolling := o.Window.Rolling > 0
	name := strconv.Quote(o.Name)
	sel := func(extra string) string { return "{slo_name=" + name + extra + "}" }
	g := ruleGroup{Name: "nines-slo-" + o.Name}
	if cfg.interval > 0 {
		g.Interval = promDuration(cfg.interval)
	}
	// Every rule also carries slo_name as a static label: the series have it
	// anyway, and it keeps rules of different objectives distinct for
	// promtool's duplicate-rule lint.
	add := func(r rule) {
		if r.Labels == nil {
			r.Labels = make(map[string]string, 1)
		}
		r.Labels["slo_name"] = o.Name
		g.Rules = append(g.Rules, r)
	}

	// The raw counters are read once, here. increase() handles counter
	// resets (restarts) per series before the replicas are summed, and
	// otel_scope_*, instance and job are aggregated away.
	add(rule{
		Record: RecordIncrease5m,
		Expr:   "sum by (slo_name, slo_outcome) (increase(" + cfg.metric + sel("") + "[5m]))",
	})
	for _, w := range windowsFor(tiers, period, rolling) {
		add(rule{
			Record: RecordErrorRatio,
			Expr:   errorRatioExpr(sel, w, name),
			Labels: map[string]string{"slo_window": slo.WindowLabel(w)},
		})
	}
	add(rule{Record: RecordSLI, Expr: "1 - " + RecordErrorRatio + sel("")})
	budget := formatFloat(1 - o.Target)
	add(rule{Record: RecordBurnRate, Expr: RecordErrorRatio + sel("") + " / " + budget})
	if rolling {
		add(rule{Record: RecordBudgetRemaining, Expr: budgetExpr(sel, period, name)})
	}
	for _, t := range tiers {
		add(alertRule(cfg, sel, t, period))
	}
	return g
}

// errorRatioExpr is bad/total over w, both sums of recorded 5m increments,
// so the ratio is weighted by occurrences. A window with no events is 0,
// not NaN: the division keeps only positive totals and the fallback adds a
// 0 for the objective.
//
// The subquery's range is w minus 1ms so it holds exactly w/5m steps in both
// Prometheus 2 (closed ranges: [t-w, t] would count a step twice when t
// falls on a 5m boundary) and Prometheus 3 (left-open ranges).
func errorRatioExpr(sel func(string) string, w time.Duration, name string) string {
	sum := func(extra string) string {
		if w == step {
			return "sum by (slo_name) (" + RecordIncrease5m + sel(extra) + ")"
		}
		return "sum by (slo_name) (sum_over_time(" + RecordIncrease5m + sel(extra) +
			"[" + promDuration(w-time.Millisecond) + ":5m]))"
	}
	var b strings.Builder
	b.WriteString("(\n  " + sum(`,slo_outcome="bad"`) + "\n/\n  (" + sum("") + " > 0)\n)\n")
	b.WriteString(`or label_replace(vector(0), "slo_name", ` + name + `, "", "")`)
	return b.String()
}

// budgetExpr is the share of the period's budget left, as slo.Status
// computes it: 1 - burn rate over the period x the observed share of the
// period, so a young fleet is not judged as if its error ratio had lasted
// the whole period, and a steady burn rate of 1 reaches 0 exactly at the
// period's end. The observed share is the number of 5m steps holding a
// recorded increment (0 when there are none).
func budgetExpr(sel func(string) string, period time.Duration, name string) string {
	steps := strconv.FormatInt(int64(period/step), 10)
	return "1 - (\n  " + RecordBurnRate + sel(",slo_window="+strconv.Quote(slo.WindowLabel(period))) +
		"\n* on (slo_name)\n  clamp_max(\n    (max by (slo_name) (count_over_time(" + RecordIncrease5m + sel("") +
		"[" + promDuration(period-time.Millisecond) + ":5m])) / " + steps + ")\n    or label_replace(vector(0), \"slo_name\", " +
		name + ", \"\", \"\"),\n  1)\n)"
}

func alertRule(cfg ruleConfig, sel func(string) string, t slo.Tier, period time.Duration) rule {
	factor := formatFloat(t.BurnRateThreshold(period))
	long, short := slo.WindowLabel(t.Long), slo.WindowLabel(t.Short)
	burn := func(w string) string {
		return RecordBurnRate + sel(",slo_window="+strconv.Quote(w)) + " > " + factor
	}
	severity := "page"
	if t.Severity == slo.SeverityTicket {
		severity = "ticket"
	}
	r := rule{
		Alert: AlertName,
		Expr:  burn(long) + "\nand ignoring (slo_window)\n" + burn(short),
		Labels: map[string]string{
			"severity":         severity,
			"slo_short_window": short,
		},
		Annotations: map[string]string{
			"summary": "SLO {{ $labels.slo_name }} is burning its error budget too fast",
			"description": "Error budget burn rate over " + long + " is {{ $value | printf \"%.3g\" }}, above " + factor +
				" there and over " + short + ": at this rate " + formatFloat(t.BudgetPercent) + "% of the " +
				slo.WindowLabel(period) + " budget is spent every " + long + ".",
		},
	}
	if cfg.alertFor > 0 {
		r.For = promDuration(cfg.alertFor)
	}
	return r
}
