package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// daySummary is one simulated day of a run.
type daySummary struct {
	date                    time.Time
	requests, shed, points  uint64
	pages, tickets, actions int
	reverts                 int
	anomalies, falseAnoms   int
	maxPerEndpoint          int // the most anomaly events of one endpoint
	readiness               int // readiness transitions
}

// afterFault is how long after a fault its anomalies still belong to it.
const afterFault = time.Hour

// days summarises a run per day. Anomalies within a fault or the hour after
// it are the fault's; every other one is a false alarm.
func days(o *outcome) []daySummary {
	out := make([]daySummary, o.cfg.days)
	for i := range out {
		out[i] = daySummary{date: o.cfg.start.Add(time.Duration(i) * 24 * time.Hour),
			requests: o.requests[i], shed: o.shed[i], points: o.points[i], readiness: o.health[i]}
	}
	day := func(t time.Time) int { return min(o.cfg.days-1, max(0, int(t.Sub(o.cfg.start)/(24*time.Hour)))) }
	for _, p := range o.alerts {
		if p.isPage() {
			out[day(p.fired)].pages++
		} else {
			out[day(p.fired)].tickets++
		}
	}
	for _, a := range o.actions {
		out[day(a.Time)].actions++
	}
	for _, a := range o.reverts {
		out[day(a.Time)].reverts++
	}
	per := map[int]map[string]int{}
	for _, a := range o.anomalies {
		d := day(a.Time)
		out[d].anomalies++
		if !duringFault(o, a.Time) {
			out[d].falseAnoms++
		}
		if per[d] == nil {
			per[d] = map[string]int{}
		}
		per[d][endpointOf(a.Series)]++
	}
	for d, m := range per {
		for _, n := range m {
			out[d].maxPerEndpoint = max(out[d].maxPerEndpoint, n)
		}
	}
	return out
}

func duringFault(o *outcome, t time.Time) bool {
	for _, f := range o.cfg.faults {
		d := t.Sub(o.cfg.start)
		if d >= f.start && d < f.start+f.dur+afterFault {
			return true
		}
	}
	return false
}

// faultResult is how the Monitor met one fault.
type faultResult struct {
	fault    fault
	expected expectation
	paged    bool
	after    time.Duration // first page since the fault's start
	by       string        // the objective that paged first
	// outlast is the longest a page of the fault fired past the fault's
	// end, and limit what it may: the page's short window plus one tick.
	outlast, limit time.Duration
	outlastBy      string
}

// pageWindow is how long after a fault's end a page that fires still
// belongs to it: the longest short window of the page tiers.
const pageWindow = 30 * time.Minute

// faults measures each fault's detection delay and how long its pages
// outlast it.
func faults(o *outcome) []faultResult {
	var out []faultResult
	for _, f := range o.cfg.faults {
		r := faultResult{fault: f, expected: workbook(serviceRate, o.cfg.start, o.cfg.faults, f)}
		start, end := o.cfg.start.Add(f.start), o.cfg.start.Add(f.start+f.dur)
		for _, p := range o.alerts {
			if !p.isPage() || p.fired.Before(start) || p.fired.After(end.Add(pageWindow)) {
				continue
			}
			if d := p.fired.Sub(start); !r.paged || d < r.after {
				r.paged, r.after, r.by = true, d, p.objective+" "+tierName(p)
			}
			resolved := p.resolved
			if resolved.IsZero() {
				resolved = o.cfg.start.Add(time.Duration(o.cfg.days) * 24 * time.Hour)
			}
			limit := p.tier.Short + tickEvery
			if over := resolved.Sub(end); over-limit > r.outlast-r.limit || r.outlastBy == "" {
				r.outlast, r.limit, r.outlastBy = over, limit, p.objective+" "+tierName(p)
			}
		}
		out = append(out, r)
	}
	return out
}

func tierName(p pageSpan) string {
	return fmt.Sprintf("%s/%s", short(p.tier.Long), short(p.tier.Short))
}

// short formats a window as time.Duration.String without its zero
// trailing units: 30m, 1h, 72h, but 1h30m and 30s.
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// falsePages are the pages of a run that belong to no fault.
func falsePages(o *outcome) []pageSpan {
	var out []pageSpan
	for _, p := range o.alerts {
		if !p.isPage() {
			continue
		}
		owned := false
		for _, f := range o.cfg.faults {
			start, end := o.cfg.start.Add(f.start), o.cfg.start.Add(f.start+f.dur)
			if !p.fired.Before(start) && !p.fired.After(end.Add(pageWindow)) {
				owned = true
			}
		}
		if !owned {
			out = append(out, p)
		}
	}
	return out
}

// printDays prints the per-day table of a run.
func printDays(w io.Writer, title string, o *outcome) {
	fmt.Fprintf(w, "%s\n", title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "day\trequests\tshed\tpages\ttickets\tactions\treverts\tanomalies\t(false)\tmax/endpoint\treadiness flips\tdetector points\tfalse alarms/10k points\t")
	var tot daySummary
	for _, d := range days(o) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.2f\t\n", d.date.Format("Mon 01-02"),
			d.requests, d.shed, d.pages, d.tickets, d.actions, d.reverts, d.anomalies, d.falseAnoms, d.maxPerEndpoint,
			d.readiness, d.points, per10k(d.falseAnoms, d.points))
		tot.requests += d.requests
		tot.shed += d.shed
		tot.pages += d.pages
		tot.tickets += d.tickets
		tot.actions += d.actions
		tot.reverts += d.reverts
		tot.anomalies += d.anomalies
		tot.falseAnoms += d.falseAnoms
		tot.readiness += d.readiness
		tot.points += d.points
	}
	fmt.Fprintf(tw, "week\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\t%d\t%d\t%.2f\t\n", tot.requests, tot.shed, tot.pages,
		tot.tickets, tot.actions, tot.reverts, tot.anomalies, tot.falseAnoms, tot.readiness, tot.points, per10k(tot.falseAnoms, tot.points))
	tw.Flush()
	if ps := falsePages(o); len(ps) > 0 {
		for _, p := range ps {
			fmt.Fprintf(w, "  false page: %s %s at %s (burn %.1f)\n", p.objective, tierName(p), p.fired.Format("Mon 15:04:05"), p.burnLong)
		}
	}
	byEndpoint := map[string]int{}
	for _, a := range o.anomalies {
		byEndpoint[endpointOf(a.Series)]++
	}
	names := make([]string, 0, len(byEndpoint))
	for n := range byEndpoint {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  anomalies of %s: %d\n", n, byEndpoint[n])
	}
}

func per10k(n int, points uint64) float64 {
	if points == 0 {
		return 0
	}
	return 1e4 * float64(n) / float64(points)
}

// printFaults prints the detection of each fault of a run.
func printFaults(w io.Writer, o *outcome) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "fault\tstart\tWorkbook pages after\tpaged after\tfirst page\tpages outlast the fault by (limit)\t")
	for _, r := range faults(o) {
		exp := "never (burn too low)"
		if r.expected.pages {
			exp = fmt.Sprintf("%v (%s)", r.expected.after, r.expected.objective)
		}
		got, by, outlast := "not paged", "", ""
		if r.paged {
			got, by = r.after.String(), r.by
			outlast = fmt.Sprintf("%v (%v)", r.outlast, r.limit)
		}
		fmt.Fprintf(tw, "%v\t%s\t%s\t%s\t%s\t%s\t\n", r.fault, o.cfg.start.Add(r.fault.start).Format("Mon 15:04"), exp, got, by, outlast)
	}
	tw.Flush()
}
