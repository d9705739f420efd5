package exporters

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/slo"
)

// FuzzPrometheusRules feeds arbitrary objective fields to the generator: it
// never panics, and whatever it accepts is valid YAML whose every rule
// names the objective and every window is a whole number of 5m steps.
func FuzzPrometheusRules(f *testing.F) {
	f.Add("checkout", 0.999, int64(30*day), uint8(0), int64(0), uint8(0), false, uint8(0), 2.0, int64(time.Hour), int64(5*time.Minute))
	f.Add("x", 0.5, int64(0), uint8(2), int64(time.Second), uint8(0), true, uint8(1), 100.0, int64(3*day), int64(6*time.Hour))
	f.Add("", math.NaN(), int64(-1), uint8(9), int64(-1), uint8(1), true, uint8(7), math.Inf(1), int64(0), int64(-5))
	f.Fuzz(func(t *testing.T, name string, target float64, rolling int64, calendar uint8, latency int64,
		budgeting uint8, customTier bool, sev uint8, pct float64, long, short int64) {
		o := slo.Objective{
			Name: name, Target: target,
			Window:    slo.Window{Rolling: time.Duration(rolling), Calendar: slo.CalendarUnit(calendar)},
			Latency:   time.Duration(latency),
			Budgeting: slo.Budgeting(budgeting),
		}
		if customTier {
			o.Tiers = []slo.Tier{{Severity: slo.Severity(sev), BudgetPercent: pct, Long: time.Duration(long), Short: time.Duration(short)}}
		}
		b, err := PrometheusRules([]slo.Objective{o})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "exporters: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		f := parseRules(t, b)
		if len(f.Groups) != 1 || len(f.Groups[0].Rules) < 6 {
			t.Fatalf("accepted objective %+v gave %d groups", o, len(f.Groups))
		}
		for _, r := range f.Groups[0].Rules {
			if r.Labels["slo_name"] != name {
				t.Fatalf("rule %s%s lacks slo_name %q", r.Record, r.Alert, name)
			}
			if w, ok := r.Labels["slo_window"]; ok {
				d, err := parseWindow(w)
				if err != nil || d <= 0 || d%step != 0 {
					t.Fatalf("window %q is not a positive multiple of 5m", w)
				}
			}
		}
	})
}
