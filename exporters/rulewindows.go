package exporters

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nines-sre/nines/slo"
)

// step is the resolution of the generated rules: increments are recorded
// over 5 minutes and every longer window is a sum of them, so every window
// must be a multiple of step.
const step = 5 * time.Minute

// windowsFor lists, ascending and without duplicates, the windows recorded
// for an objective: the standard ones up to period, every tier window, and
// period itself when includePeriod.
func windowsFor(tiers []slo.Tier, period time.Duration, includePeriod bool) []time.Duration {
	var ws []time.Duration
	// slo.Windows are what the in-process Status and slo.burn_rate report;
	// the rules record the same ones (up to the period) so both line up.
	for _, w := range slo.Windows {
		if w <= period {
			ws = append(ws, w)
		}
	}
	for _, t := range tiers {
		ws = append(ws, t.Long, t.Short)
	}
	if includePeriod {
		ws = append(ws, period)
	}
	slices.Sort(ws)
	return slices.Compact(ws)
}

// promDuration writes d as a PromQL duration with compound units
// (29d23h59m59s999ms); Prometheus 2.x parses these, and its model.Duration
// has millisecond resolution, so d is truncated to milliseconds.
func promDuration(d time.Duration) string {
	if d < time.Millisecond {
		return "0s"
	}
	var b strings.Builder
	for _, u := range []struct {
		d time.Duration
		s string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}} {
		if n := d / u.d; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(u.s)
			d -= n * u.d
		}
	}
	return b.String()
}

// formatFloat prints a threshold or budget with 12 significant digits, so
// float noise (1-0.999 = 0.0010000000000000009) does not reach the rules.
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', 12, 64)
}
