package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// The phases, in blackbox_exporter's order and spelling.
const (
	resolve = iota
	connect
	tlsPhase
	processing
	transfer
	numPhases
)

var phaseNames = [numPhases]string{"resolve", "connect", "tls", "processing", "transfer"}

// outcome is what must agree exactly between the two probers.
type outcome struct {
	success   bool
	status    int
	redirects int
	// conns is how many TCP connections the target accepted during the
	// probe: both must open a fresh one per request of the chain, or
	// their connect and tls phases measure different things.
	conns int
}

func (o outcome) String() string {
	verdict := "fail"
	if o.success {
		verdict = "ok"
	}
	return fmt.Sprintf("%s %d r%d c%d", verdict, o.status, o.redirects, o.conns)
}

// observation is one probe by one side.
type observation struct {
	outcome
	phases [numPhases]time.Duration
	// total is the probe's own end-to-end figure (probe_duration_seconds,
	// or the step's Duration); shown, not compared, as the two do not
	// cover the same work (see the package comment).
	total time.Duration
}

// tolerance is how far two medians of a phase may differ: abs plus rel
// times the larger median.
type tolerance struct {
	abs time.Duration
	rel float64
}

func (t tolerance) of(a, b time.Duration) time.Duration {
	return t.abs + time.Duration(t.rel*float64(max(a, b)))
}

// blackboxObservation reads a /probe answer. Every figure the comparison
// uses must be present: a missing one is an error naming it, not a zero.
func blackboxObservation(samples []sample) (observation, error) {
	var o observation
	var seen [numPhases]bool
	found := map[string]bool{}
	for _, s := range samples {
		switch s.name {
		case "probe_success":
			o.success = s.value == 1
		case "probe_http_status_code":
			o.status = int(s.value)
		case "probe_http_redirects":
			o.redirects = int(s.value)
		case "probe_duration_seconds":
			o.total = seconds(s.value)
		case "probe_http_duration_seconds":
			i := slices.Index(phaseNames[:], s.labels["phase"])
			if i < 0 {
				return o, fmt.Errorf("probe_http_duration_seconds has an unknown phase %q", s.labels["phase"])
			}
			o.phases[i], seen[i] = seconds(s.value), true
		default:
			continue
		}
		found[s.name] = true
	}
	for _, name := range []string{"probe_success", "probe_http_status_code", "probe_http_redirects", "probe_duration_seconds"} {
		if !found[name] {
			return o, fmt.Errorf("%s is missing", name)
		}
	}
	for i, ok := range seen {
		if !ok {
			return o, fmt.Errorf("probe_http_duration_seconds{phase=%q} is missing", phaseNames[i])
		}
	}
	return o, nil
}

// seconds converts a gauge value; a value no duration can hold (NaN, ±Inf,
// negative, beyond 290 years) becomes -1ns so that it cannot agree with
// anything by accident.
func seconds(v float64) time.Duration {
	if math.IsNaN(v) || v < 0 || v > float64(math.MaxInt64)/1e9 {
		return -1
	}
	return time.Duration(v * 1e9)
}

// median of ds (not modified); 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return s[m-1] + (s[m]-s[m-1])/2
}

// phaseRow is one phase of one case in the report.
type phaseRow struct {
	phase             string
	blackbox, nines   time.Duration // medians
	diff, tolerance   time.Duration
	agree             bool
	blackboxSpread    time.Duration // interquartile range, shown to judge the tolerance
	ninesSpread       time.Duration
	blackboxN, ninesN int
}

// caseReport compares one case's probes.
type caseReport struct {
	name                      string
	blackbox, nines           outcome // of the first probe of each side
	blackboxTotal, ninesTotal time.Duration
	outcomesAgree             bool // every probe of both sides had blackbox's first outcome
	phases                    []phaseRow
	problems                  []string // each names the case and the phase or run
}

func (r caseReport) agree() bool { return len(r.problems) == 0 }

// compareCase checks that every probe of both sides had the same outcome
// and that each phase's medians are within its tolerance.
func compareCase(name string, bb, nn []observation, tol [numPhases]tolerance) caseReport {
	r := caseReport{name: name}
	if len(bb) == 0 || len(nn) == 0 {
		r.problems = append(r.problems, fmt.Sprintf("case %s: no probes (blackbox %d, nines %d)", name, len(bb), len(nn)))
		return r
	}
	r.blackbox, r.nines = bb[0].outcome, nn[0].outcome
	want := bb[0].outcome
	r.outcomesAgree = true
	for side, obs := range map[string][]observation{"blackbox": bb, "nines": nn} {
		for i, o := range obs {
			if o.outcome != want {
				r.outcomesAgree = false
				r.problems = append(r.problems, fmt.Sprintf("case %s: outcome of %s probe %d is %v, blackbox's first is %v", name, side, i+1, o.outcome, want))
			}
		}
	}
	slices.Sort(r.problems) // map order must not reorder the report
	column := func(obs []observation, f func(observation) time.Duration) []time.Duration {
		out := make([]time.Duration, len(obs))
		for i, o := range obs {
			out[i] = f(o)
		}
		return out
	}
	r.blackboxTotal = median(column(bb, func(o observation) time.Duration { return o.total }))
	r.ninesTotal = median(column(nn, func(o observation) time.Duration { return o.total }))
	for p := range numPhases {
		b := column(bb, func(o observation) time.Duration { return o.phases[p] })
		n := column(nn, func(o observation) time.Duration { return o.phases[p] })
		row := phaseRow{phase: phaseNames[p], blackbox: median(b), nines: median(n), blackboxSpread: iqr(b), ninesSpread: iqr(n), blackboxN: len(b), ninesN: len(n)}
		row.diff = row.nines - row.blackbox
		row.tolerance = tol[p].of(row.blackbox, row.nines) + noise(row.blackboxSpread, row.ninesSpread)
		bad := slices.Contains(b, -1) || slices.Contains(n, -1)
		row.agree = !bad && abs(row.diff) <= row.tolerance
		if !row.agree {
			r.problems = append(r.problems, fmt.Sprintf("case %s phase %s: blackbox median %s, nines %s, differ by %s > tolerance %s",
				name, row.phase, ms(row.blackbox), ms(row.nines), ms(abs(row.diff)), ms(row.tolerance)))
		}
		r.phases = append(r.phases, row)
	}
	return r
}

// maxNoise caps what noise adds to a tolerance: a quarter of the
// smallest shift a misplaced phase boundary causes in the slow cases
// (100 ms), so such a bug fails however busy the machine.
const maxNoise = 25 * time.Millisecond

// noise is what the machine's own scatter adds to a phase's tolerance:
// the larger of the two sides' interquartile ranges, capped at maxNoise.
// On a busy machine every loopback phase scatters by milliseconds
// (measured with three CPU hogs on two cores: IQRs of 4-11 ms and
// medians 7-8 ms apart, on phases that take 0.1-1 ms idle); a median
// difference within that scatter says nothing about how either side
// defines the phase.
func noise(a, b time.Duration) time.Duration { return min(max(a, b), maxNoise) }

// iqr is the interquartile range (nearest rank) of ds.
func iqr(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(3*len(s))/4] - s[len(s)/4]
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// ms formats a duration in milliseconds with microsecond resolution.
func ms(d time.Duration) string { return fmt.Sprintf("%.3fms", float64(d)/1e6) }
