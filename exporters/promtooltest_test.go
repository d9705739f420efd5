package exporters

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// promtoolTest is the part of testdata/rules_test.yml the Go tests read:
// the input series (the event stream) and the expected PromQL samples.
type promtoolTest struct {
	Tests []struct {
		Interval    string `yaml:"interval"`
		InputSeries []struct {
			Series string `yaml:"series"`
			Values string `yaml:"values"`
		} `yaml:"input_series"`
		PromQLExprTest []struct {
			Expr       string `yaml:"expr"`
			EvalTime   string `yaml:"eval_time"`
			ExpSamples []struct {
				Labels string  `yaml:"labels"`
				Value  float64 `yaml:"value"`
			} `yaml:"exp_samples"`
		} `yaml:"promql_expr_test"`
		AlertRuleTest []struct {
			EvalTime  string `yaml:"eval_time"`
			ExpAlerts []struct {
				ExpLabels map[string]string `yaml:"exp_labels"`
			} `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	} `yaml:"tests"`
}

// fleetStream is the per-minute event count of one objective summed over
// every replica: good[m] and bad[m] happened in minute (m-1, m].
type fleetStream struct {
	good, bad []float64
}

// expectation is one expected sample: metric{slo_name, slo_window} at At.
type expectation struct {
	metric, name, window string
	at                   time.Duration
	value                float64
}

var labelPair = regexp.MustCompile(`([a-z_]+)="([^"]*)"`)

func parseLabels(s string) (metric string, labels map[string]string) {
	metric, rest, _ := strings.Cut(s, "{")
	labels = map[string]string{}
	for _, m := range labelPair.FindAllStringSubmatch(rest, -1) {
		labels[m[1]] = m[2]
	}
	return metric, labels
}

// expandValues expands promtool's series notation: "a+bxn" is a, a+b, ...,
// a+n*b (n+1 values), "a-bxn" likewise, and a bare number is itself.
func expandValues(s string) ([]float64, error) {
	var out []float64
	for _, tok := range strings.Fields(s) {
		start, stepN, found := strings.Cut(tok, "x")
		if !found {
			v, err := strconv.ParseFloat(tok, 64)
			if err != nil {
				return nil, fmt.Errorf("value %q: %w", tok, err)
			}
			out = append(out, v)
			continue
		}
		n, err := strconv.Atoi(stepN)
		if err != nil {
			return nil, fmt.Errorf("repeat count in %q: %w", tok, err)
		}
		sign := 1.0
		i := strings.LastIndexAny(start, "+-")
		if i <= 0 {
			return nil, fmt.Errorf("unsupported token %q", tok)
		}
		if start[i] == '-' {
			sign = -1
		}
		a, err1 := strconv.ParseFloat(start[:i], 64)
		b, err2 := strconv.ParseFloat(start[i+1:], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("unsupported token %q", tok)
		}
		for k := 0; k <= n; k++ {
			out = append(out, a+sign*b*float64(k))
		}
	}
	return out, nil
}

// alertExpectation is the set of firing alerts promtool expects at At,
// each as "severity long/short" for slo_name.
type alertExpectation struct {
	at     time.Duration
	firing map[string][]string // by slo_name
}

// loadPromtoolTest reads testdata/rules_test.yml and returns, per
// slo_name, the fleet stream (counter increments per minute, counter resets
// taken as restarts from zero, as Prometheus's increase() does), every
// expected sample of slo:error_ratio, slo:sli, slo:burn_rate and
// slo:error_budget:remaining, and the expected firing alerts.
func loadPromtoolTest(t *testing.T) (map[string]*fleetStream, []expectation, []alertExpectation) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rules_test.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var f promtoolTest
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Tests) != 1 || f.Tests[0].Interval != "1m" {
		t.Fatalf("want exactly one test group with interval 1m")
	}
	tc := f.Tests[0]
	streams := map[string]*fleetStream{}
	for _, s := range tc.InputSeries {
		metric, labels := parseLabels(s.Series)
		if metric != DefaultEventsMetric {
			t.Fatalf("input series %q is not %s", s.Series, DefaultEventsMetric)
		}
		values, err := expandValues(s.Values)
		if err != nil {
			t.Fatalf("series %s: %v", s.Series, err)
		}
		st := streams[labels["slo_name"]]
		if st == nil {
			st = &fleetStream{}
			streams[labels["slo_name"]] = st
		}
		dst := &st.good
		if labels["slo_outcome"] == "bad" {
			dst = &st.bad
		}
		for len(*dst) < len(values) {
			*dst = append(*dst, 0)
		}
		for m := 1; m < len(values); m++ {
			inc := values[m] - values[m-1]
			if inc < 0 { // counter reset: the process restarted from zero
				inc = values[m]
			}
			(*dst)[m] += inc
		}
	}
	var exps []expectation
	for _, e := range tc.PromQLExprTest {
		at, err := time.ParseDuration(e.EvalTime)
		if err != nil {
			t.Fatalf("eval_time %q: %v", e.EvalTime, err)
		}
		for _, s := range e.ExpSamples {
			metric, labels := parseLabels(s.Labels)
			if metric != RecordErrorRatio && metric != RecordSLI && metric != RecordBurnRate && metric != RecordBudgetRemaining {
				continue
			}
			exps = append(exps, expectation{metric: metric, name: labels["slo_name"], window: labels["slo_window"], at: at, value: s.Value})
		}
	}
	if len(exps) < 20 {
		t.Fatalf("only %d error ratio and burn rate expectations in the promtool test", len(exps))
	}
	var alerts []alertExpectation
	for _, a := range tc.AlertRuleTest {
		at, err := time.ParseDuration(a.EvalTime)
		if err != nil {
			t.Fatalf("eval_time %q: %v", a.EvalTime, err)
		}
		ae := alertExpectation{at: at, firing: map[string][]string{}}
		for _, e := range a.ExpAlerts {
			l := e.ExpLabels
			ae.firing[l["slo_name"]] = append(ae.firing[l["slo_name"]], l["severity"]+" "+l["long_window"]+"/"+l["short_window"])
		}
		alerts = append(alerts, ae)
	}
	return streams, exps, alerts
}

// window returns bad and total events of s in (at-w, at].
func (s *fleetStream) window(at, w time.Duration) (bad, total float64) {
	for m := int((at - w) / time.Minute); m < int(at/time.Minute); m++ {
		if m+1 >= 0 && m+1 < len(s.good) {
			bad += s.bad[m+1]
			total += s.good[m+1] + s.bad[m+1]
		}
	}
	return bad, total
}

// TestPromtoolExpectationsAreExactRatios checks the promtool test's expected
// values against a direct count of the stream in its input series: every
// expected error ratio is bad/total over exactly the window (0 when idle),
// and every burn rate that ratio over the budget. This keeps the hand-written
// expectations honest and pins what "agree" means for the in-process check.
func TestPromtoolExpectationsAreExactRatios(t *testing.T) {
	streams, exps, _ := loadPromtoolTest(t)
	budgets := map[string]float64{"checkout": 0.001, "search-latency": 0.01, "billing-monthly": 0.005, "quiet-api": 0.001}
	for _, e := range exps {
		if e.metric == RecordBudgetRemaining {
			continue // checked against the in-process objective
		}
		w, err := parseWindow(e.window)
		if err != nil {
			t.Fatal(err)
		}
		var ratio float64
		if st := streams[e.name]; st != nil {
			if bad, total := st.window(e.at, w); total > 0 {
				ratio = bad / total
			}
		}
		want := ratio
		switch e.metric {
		case RecordBurnRate:
			want = ratio / budgets[e.name]
		case RecordSLI:
			want = 1 - ratio
		}
		if !closeTo(e.value, want) {
			t.Errorf("%s{slo_name=%q,slo_window=%q} at %v: promtool test expects %v, the stream gives %v", e.metric, e.name, e.window, e.at, e.value, want)
		}
	}
}

func parseWindow(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		return time.Duration(n) * day, err
	}
	return time.ParseDuration(s)
}

func closeTo(a, b float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= 1e-9*max(1, a, -a)
}
