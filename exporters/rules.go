package exporters

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nines-sre/nines/slo"
)

// Names of the recorded series and alerts. Every series carries slo_name;
// the window series also carry slo_window (5m, 30m, 1h, 2h, 6h, 1d, 3d,
// the period, and any tier window).
const (
	RecordSeen            = "slo:events:seen"            // each scraped counter series as last seen (per replica)
	RecordTotal           = "slo:events:total"           // by slo_name, slo_outcome: fleet events counted since RecordOrigin, never reset
	RecordOrigin          = "slo:events:origin"          // Unix time RecordTotal started counting
	RecordIncrease        = "slo:events:increase"        // by slo_name, slo_outcome, slo_window: events in the window
	RecordErrorRatio      = "slo:error_ratio"            // bad/total over slo_window
	RecordSLI             = "slo:sli"                    // 1 - slo:error_ratio
	RecordBurnRate        = "slo:burn_rate"              // slo:error_ratio / (1 - target)
	RecordBudgetRemaining = "slo:error_budget:remaining" // 1 - period burn rate x observed share
	AlertName             = "SLOErrorBudgetBurn"         // severity, slo_name, long_window, short_window
	AbsentAlertName       = "SLOEventsAbsent"            // severity, slo_name (WithAbsentAlert)
)

// How long the rules carry their own state across a gap in evaluation (a
// Prometheus restart) and a scraped series across a gap in scrapes. Longer
// gaps start over: the fleet total from the next evaluation (windows then
// count from there, as for a young fleet), a series from its next scrape.
// Both are lookbacks each evaluation reads, so they are kept short.
const (
	carryTotal  = time.Hour
	carrySeries = 10 * time.Minute
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
// objective: recording rules that keep, fleet-wide over every replica's
// slo.events counter, a running total of events that never resets, and
// from it the events, error ratio, SLI and burn rate of each window and the
// budget remaining; and one alert per tier that fires when both of its
// windows burn faster than the tier's factor (strict >) and both hold at
// least the tier's minimum event count (slo.Tier.MinEventCount). With the
// default tiers an objective has 19 rules (20 with WithAbsentAlert).
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
// documentation for how the windows are built and how close they are to
// the exact definition.
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
	raw := cfg.metric + sel("")
	zero := func(label, value string) string {
		return `label_replace(label_replace(vector(0), "slo_name", ` + name + `, "", ""), "` + label + `", "` + value + `", "", "")`
	}

	// Rules in a group run in order and see each other's samples of the
	// same evaluation: total reads seen as the previous evaluation left it,
	// then seen is overwritten.
	add(rule{Record: RecordTotal, Expr: totalExpr(raw, sel, zero)})
	add(rule{Record: RecordSeen, Expr: raw})
	add(rule{
		Record: RecordOrigin,
		Expr: "last_over_time(" + RecordOrigin + sel("") + "[" + promDuration(carryTotal) + "])\nor\n" +
			"max by (slo_name) (" + raw + ") * 0 + time()",
	})
	for _, w := range windowsFor(tiers, period, rolling) {
		add(rule{
			Record: RecordIncrease,
			Expr:   increaseExpr(sel, w),
			Labels: map[string]string{"slo_window": slo.WindowLabel(w)},
		})
	}
	all := "sum by (slo_name, slo_window) (" + RecordIncrease + sel("") + ")"
	add(rule{
		Record: RecordErrorRatio,
		Expr: "sum by (slo_name, slo_window) (" + RecordIncrease + sel(`,slo_outcome="bad"`) + ")\n/\n(" + all + " > 0)\n" +
			"or\n" + all + " * 0",
	})
	add(rule{Record: RecordSLI, Expr: "1 - " + RecordErrorRatio + sel("")})
	budget := formatFloat(1 - o.Target)
	add(rule{Record: RecordBurnRate, Expr: RecordErrorRatio + sel("") + " / " + budget})
	if rolling {
		add(rule{Record: RecordBudgetRemaining, Expr: budgetExpr(sel, period, o.Name)})
	}
	for _, t := range tiers {
		add(alertRule(cfg, sel, t, o.Target, period))
	}
	if cfg.absentFor > 0 {
		add(rule{
			Alert:  AbsentAlertName,
			Expr:   "absent(" + raw + ")",
			For:    promDuration(cfg.absentFor),
			Labels: map[string]string{"severity": "ticket"},
			Annotations: map[string]string{
				"summary": "SLO {{ $labels.slo_name }} has no events: nothing scrapes its " + cfg.metric + " counter",
				"description": "No series of " + cfg.metric + sel("") + " for " + promDuration(cfg.absentFor) +
					": the burn-rate alerts of this objective cannot fire.",
			},
		})
	}
	return g
}

// totalExpr is the fleet's event count since the rules started, per
// outcome, as a series that never resets: the previous total plus, for
// each scraped counter series, its growth since the value seen at the
// previous evaluation (the counter itself after a reset, 0 for a series
// not seen before). Successive evaluations therefore tile the scrapes
// exactly: no event between two scrapes falls between two evaluations,
// whatever the scrape offset, and a replica's restart loses only what it
// counted after its last scrape. The per-series terms and the previous
// total have different label sets, so "or" keeps them all and sum adds
// them; the zeros start an objective with no series yet.
func totalExpr(raw string, sel func(string) string, zero func(string, string) string) string {
	seen := "last_over_time(" + RecordSeen + sel("") + "[" + promDuration(carrySeries) + "])"
	return "sum by (slo_name, slo_outcome) (\n" +
		"    (" + raw + " - " + seen + ") >= 0\n" +
		"  or\n    (" + raw + " and " + seen + ")\n" +
		"  or\n    last_over_time(" + RecordTotal + sel("") + "[" + promDuration(carryTotal) + "])\n" +
		"  or\n    " + zero("slo_outcome", "good") + "\n" +
		"  or\n    " + zero("slo_outcome", "bad") + "\n)"
}

// increaseExpr is the events of each outcome in the window w: the total
// now minus the total w ago, or the whole total while the fleet's history
// (RecordOrigin) is younger than w. The total w ago is the last one at or
// before then, which Prometheus 2 (closed ranges) and 3 (left-open) agree
// on, so every window covers exactly the scrapes in (T-w, T] up to the
// scrape interval at each end.
func increaseExpr(sel func(string) string, w time.Duration) string {
	total := RecordTotal + sel("")
	return "(\n  " + total + " - last_over_time(" + total + "[" + promDuration(carryTotal) + "] offset " + promDuration(w) + ")\n)\n" +
		"and on (slo_name) (" + RecordOrigin + sel("") + " <= time() - " + strconv.FormatInt(int64(w/time.Second), 10) + ")\n" +
		"or\n" + total
}

// budgetExpr is the share of the period's budget left, as slo.Status
// computes it: 1 - burn rate over the period x the observed share of the
// period (time since RecordOrigin, at most 1), so a young fleet is not
// judged as if its error ratio had lasted the whole period, and a steady
// burn rate of 1 reaches 0 exactly at the period's end.
func budgetExpr(sel func(string) string, period time.Duration, name string) string {
	secs := strconv.FormatInt(int64(period/time.Second), 10)
	return "1 - (\n  " + RecordBurnRate + sel(",slo_window="+strconv.Quote(slo.WindowLabel(period))) +
		"\n* on (slo_name)\n  (\n    clamp_max((time() - " + RecordOrigin + sel("") + ") / " + secs + ", 1)\n    or " +
		`label_replace(vector(0), "slo_name", ` + strconv.Quote(name) + `, "", "")` + "\n  )\n)"
}

func alertRule(cfg ruleConfig, sel func(string) string, t slo.Tier, target float64, period time.Duration) rule {
	factor := formatFloat(t.BurnRateThreshold(period))
	minEvents := strconv.FormatUint(t.MinEventCount(target, period), 10)
	long, short := slo.WindowLabel(t.Long), slo.WindowLabel(t.Short)
	burn := func(w string) string {
		return "max without (slo_window) (" + RecordBurnRate + sel(",slo_window="+strconv.Quote(w)) + ") > " + factor
	}
	events := func(w string) string {
		return "sum by (slo_name) (" + RecordIncrease + sel(",slo_window="+strconv.Quote(w)) + ") >= " + minEvents
	}
	severity := "page"
	if t.Severity == slo.SeverityTicket {
		severity = "ticket"
	}
	r := rule{
		Alert: AlertName,
		Expr: burn(long) + "\nand on (slo_name)\n" + burn(short) +
			"\nand on (slo_name)\n" + events(long) + "\nand on (slo_name)\n" + events(short),
		Labels: map[string]string{
			"severity":     severity,
			"long_window":  long,
			"short_window": short,
		},
		Annotations: map[string]string{
			"summary": "SLO {{ $labels.slo_name }} is burning its error budget too fast",
			"description": "Error budget burn rate over " + long + " is {{ $value | printf \"%.3g\" }}, above " + factor +
				" there and over " + short + " (each holding at least " + minEvents + " events): at this rate " +
				formatFloat(t.BudgetPercent) + "% of the " + slo.WindowLabel(period) + " budget is spent every " + long + ".",
		},
	}
	if cfg.alertFor > 0 {
		r.For = promDuration(cfg.alertFor)
	}
	return r
}
