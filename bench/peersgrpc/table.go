package main

import (
	"fmt"
	"slices"
	"time"
)

func printHeader() {
	fmt.Printf("| scenario | system (transport) | time to eject: median (range, runs that ejected) | failed calls before ejection (median) | false ejections | max ejected at once | failed / calls in phase | calls per backend per interval |\n|---|---|---|---|---|---|---|---|\n")
}

// printRow prints one system's runs of sc: the median time to eject over
// the runs that ejected, false ejections summed, the maximum ejected at
// once over all runs.
func printRow(sc scenario, rs []row) {
	var ejects []time.Duration
	var failedBefore []int64
	var falseEj, maxEj int
	var calls, failed int64
	var perInterval float64
	for _, r := range rs {
		if !r.o.ejectedAt.IsZero() {
			ejects = append(ejects, r.o.ejectedAt.Sub(r.o.faultAt))
			failedBefore = append(failedBefore, r.o.failedBefore)
		}
		falseEj += r.o.falseEjected
		maxEj = max(maxEj, r.o.maxEjected)
		calls += r.calls
		failed += r.failed
		perInterval += r.perInterval / float64(len(rs))
	}
	eject, fb := "never", "—"
	switch {
	case len(sc.faults) == 0:
		eject = "—"
	case len(ejects) > 0:
		eject = median(ejects).Round(100 * time.Millisecond).String()
		if len(rs) > 1 {
			eject += fmt.Sprintf(" (%v–%v, %d/%d)", slices.Min(ejects).Round(100*time.Millisecond),
				slices.Max(ejects).Round(100*time.Millisecond), len(ejects), len(rs))
		}
		fb = fmt.Sprint(median(failedBefore))
	case len(rs) > 1:
		eject = fmt.Sprintf("never (0/%d)", len(rs))
	}
	fmt.Printf("| %s | %s | %s | %s | %d | %d | %d / %d | %.0f |\n", sc.label, rs[0].sys, eject, fb,
		falseEj, maxEj, failed, calls, perInterval)
}

// median is the lower median of xs, which must not be empty.
func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}
