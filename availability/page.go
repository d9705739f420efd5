package availability

import (
	_ "embed"
	"html/template"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nines-sre/nines/slo"
)

// The status page is one html/template (page.gohtml), self-contained:
// inline CSS, inline SVG plots, no script and no external asset. Every
// text reaches it through html/template's escaping; the plots' point
// lists are numbers the page computes.

//go:embed page.gohtml
var pageText string

var pageTemplate = template.Must(template.New("page").Parse(pageText))

func renderPage(w io.Writer, v pageView) error { return pageTemplate.Execute(w, v) }

// Plot geometry, in SVG user units (the plots scale to the page width).
const (
	plotW = 300
	plotH = 60
	// plotMaxPoints bounds a polyline: one point per 5 units of width.
	plotMaxPoints = plotW / 5
)

// pageView is what the template shows, top to bottom.
type pageView struct {
	Time      string
	State     string // "ok", "degraded" or "failing"
	Why       []string
	SLOs      []pageSLO
	Deps      []pageDep
	Checks    []pageCheck
	Anomalies []pageAnomaly
	Decisions []pageDecision
	Actions   []pageAction
	Endpoints []EndpointStatus
	Synthetic []pageSynthetic // page_sections.go
	Logs      *pageLogs
	Peers     []pagePeers
	Shed      uint64
	Draining  bool
	Details   bool
}

type pageSLO struct {
	Name, Objective, Availability, Budget, Exhaustion string
	Firing, Low                                       bool
	BurnDown                                          plot
	Burn                                              plot
	Windows                                           []pageWindow
	Tiers                                             []AlertStatus
}

type pageWindow struct {
	Label, Rate string
	Threshold   string
	Over        bool
	Width       float64 // percent of the bar, log scale to 1000x
	Mark        float64 // the threshold's place on the bar, percent
}

type pageDep struct {
	Name, State, Mode string
	Timeline          []segment
	Changes           []pageChange
}

type segment struct {
	X, W  float64
	State string
}

type pageChange struct{ Time, State string }

type pageCheck struct {
	Name, State string
	Changes     []pageChange
}

type pageAnomaly struct {
	Series, Last string
	Count        int
	Spark        plot
}

type pageDecision struct {
	Time, Age string
	RemediationStatus
}

type pageAction struct {
	Age string
	ActiveActionStatus
}

// plot is an SVG plot: polylines over a fixed box, flagged points as dots.
type plot struct {
	Lines []plotLine
	Dots  []plotDot
	Y0    float64 // the y of a reference line (a threshold, budget 0); <0 none
	Max   string  // the value at the top of the box
	Span  string  // the time the plot covers
}

type plotLine struct{ Points, Class string }
type plotDot struct{ X, Y int }

// pageView builds the page from the document and the history.
func (m *Monitor) pageView(st Statusz, details bool) pageView {
	v := pageView{Time: st.Time.UTC().Format("2006-01-02 15:04:05 MST"), State: "ok", Endpoints: st.Endpoints,
		Shed: st.Shed, Draining: st.Health.Draining, Details: details}
	if g := st.Health.Groups["ready"]; g != "" && g != "pass" {
		v.State = "failing"
		v.Why = append(v.Why, "readiness "+g)
	}
	for _, name := range sortedKeys(st.Health.Checks) {
		s := st.Health.Checks[name]
		if s != "pass" {
			v.Why = append(v.Why, "check "+name+" "+s)
		}
		pc := pageCheck{Name: name, State: s}
		for _, c := range m.hist.changesOf(name) {
			pc.Changes = append(pc.Changes, pageChange{c.at.UTC().Format("15:04:05"), c.state})
		}
		v.Checks = append(v.Checks, pc)
	}
	for _, s := range st.SLOs {
		ps := m.pageSLO(s, st.Time)
		for _, a := range s.ActiveAlerts {
			v.Why = append(v.Why, a.Severity+" alert "+s.Name+" ("+a.Long+"/"+a.Short+" burn rate "+formatNumber(a.LongBurnRate)+")")
		}
		v.SLOs = append(v.SLOs, ps)
	}
	for _, b := range st.Breakers {
		if b.State != "closed" {
			v.Why = append(v.Why, "breaker "+b.Name+" "+b.State)
		}
		v.Deps = append(v.Deps, m.pageDep(b, st.Time))
	}
	if len(v.Why) > 0 && v.State == "ok" {
		v.State = "degraded"
	}
	v.Anomalies = m.pageAnomalies(st)
	v.Synthetic, v.Logs, v.Peers = pageSyntheticChecks(st.Synthetic), pageLogsSection(st.Logs), pagePeerGroups(st.Peers)
	for i := len(st.Remediation) - 1; i >= 0 && len(v.Decisions) < 10; i-- {
		r := st.Remediation[i]
		v.Decisions = append(v.Decisions, pageDecision{Time: r.Time.UTC().Format("15:04:05"),
			Age: age(st.Time.Sub(r.Time)), RemediationStatus: r})
	}
	for _, a := range st.ActiveActions {
		v.Actions = append(v.Actions, pageAction{Age: age(time.Duration(a.AgeSeconds * float64(time.Second))), ActiveActionStatus: a})
		v.Why = append(v.Why, "action "+a.Action+" on "+a.Target+" in effect")
	}
	return v
}

func (m *Monitor) pageSLO(s SLOStatus, now time.Time) pageSLO {
	ps := pageSLO{Name: s.Name, Objective: percent(s.Target), Availability: percent(s.Availability),
		Budget: percent(s.BudgetRemaining), Exhaustion: "not burning", Firing: len(s.ActiveAlerts) > 0, Tiers: s.Tiers}
	if s.TimeToExhaustionSeconds != nil {
		ps.Exhaustion = age(time.Duration(*s.TimeToExhaustionSeconds * float64(time.Second)))
	}
	budget, burn := m.hist.sloPoints(s.Name)
	// The plots end now, with the document's own figures.
	budget = append(budget, histPoint{t: now.UnixNano(), v: [2]float32{float32(s.BudgetRemaining)}})
	burn = append(burn, histPoint{t: now.UnixNano(), v: [2]float32{float32(s.BurnRates.Of(5 * time.Minute)), float32(s.BurnRates.Of(time.Hour))}})
	ps.BurnDown = makePlot(budget, []string{"budget"}, 1, false)
	ps.Burn = makePlot(burn, []string{"burn5m", "burn1h"}, 1, false)
	thresholds := map[string]float64{}
	for _, t := range s.Tiers {
		ps.Low = ps.Low || t.State == "too few events"
		for _, w := range []string{t.Long, t.Short} {
			if th, ok := thresholds[w]; !ok || t.Threshold < th {
				thresholds[w] = t.Threshold
			}
		}
	}
	for _, w := range s.BurnRates {
		label := slo.WindowLabel(w.Window)
		pw := pageWindow{Label: label, Rate: formatNumber(w.BurnRate), Width: logBar(w.BurnRate), Mark: -1}
		if th, ok := thresholds[label]; ok {
			pw.Threshold, pw.Over, pw.Mark = formatNumber(th), w.BurnRate > th, logBar(th)
		}
		ps.Windows = append(ps.Windows, pw)
	}
	return ps
}

func (m *Monitor) pageDep(b BreakerStatus, now time.Time) pageDep {
	d := pageDep{Name: b.Name, State: b.State, Mode: b.Mode}
	changes := m.hist.changesOf(b.Name)
	for _, c := range changes {
		d.Changes = append(d.Changes, pageChange{c.at.UTC().Format("15:04:05"), c.state})
	}
	if len(changes) == 0 {
		d.Timeline = []segment{{X: 0, W: plotW, State: b.State}}
		return d
	}
	// The strip spans from the first remembered change to now.
	from, span := changes[0].at, now.Sub(changes[0].at)
	if span <= 0 {
		span = time.Second
	}
	for i, c := range changes {
		end := now
		if i+1 < len(changes) {
			end = changes[i+1].at
		}
		x := plotW * float64(c.at.Sub(from)) / float64(span)
		w := plotW * float64(end.Sub(c.at)) / float64(span)
		d.Timeline = append(d.Timeline, segment{X: math.Round(x*10) / 10, W: math.Max(1, math.Round(w*10)/10), State: c.state})
	}
	return d
}

// pageAnomalies groups the recent anomalies by series, newest first, at
// most 8, each with its sparkline.
func (m *Monitor) pageAnomalies(st Statusz) []pageAnomaly {
	var out []pageAnomaly
	seen := map[string]int{}
	for i := len(st.Anomalies) - 1; i >= 0; i-- {
		a := st.Anomalies[i]
		if j, ok := seen[a.Series]; ok {
			out[j].Count++
			continue
		}
		if len(out) == 8 {
			continue
		}
		seen[a.Series] = len(out)
		out = append(out, pageAnomaly{Series: a.Series, Count: 1,
			Last:  a.Time.UTC().Format("15:04:05") + " " + formatSeriesValue(a.Series, a.Value) + " (" + a.Detector + ")",
			Spark: makePlot(m.hist.seriesPoints(a.Series), []string{"value"}, 0, true)})
	}
	return out
}

// makePlot draws the samples' first len(classes) values as polylines
// scaled to [0, max(floor, highest value)], NaN samples skipped, and with
// dots the samples whose second value is set.
func makePlot(pts []histPoint, classes []string, floor float64, dots bool) plot {
	p := plot{Y0: -1}
	if len(pts) == 0 {
		return p
	}
	hi, lo := floor, 0.0
	for _, pt := range pts {
		for i := range classes {
			if v := float64(pt.v[i]); !math.IsNaN(v) && !math.IsInf(v, 0) {
				hi, lo = max(hi, v), min(lo, v)
			}
		}
	}
	if hi <= lo {
		hi = lo + 1
	}
	t0, t1 := pts[0].t, pts[len(pts)-1].t
	x := func(t int64) int {
		if t1 == t0 {
			return plotW
		}
		return int(math.Round(plotW * float64(t-t0) / float64(t1-t0)))
	}
	y := func(v float64) int { return int(math.Round(plotH - plotH*(v-lo)/(hi-lo))) }
	// A line needs no more than plotMaxPoints points at this width; the
	// dots keep every flagged sample.
	line := pts
	if stride := (len(pts) + plotMaxPoints - 1) / plotMaxPoints; stride > 1 {
		line = nil
		for i := len(pts) - 1; i >= 0; i -= stride {
			line = append(line, pts[i])
		}
		slices.Reverse(line)
	}
	for i, class := range classes {
		var b strings.Builder
		for _, pt := range line {
			v := float64(pt.v[i])
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(x(pt.t)) + "," + strconv.Itoa(y(v)))
		}
		p.Lines = append(p.Lines, plotLine{Points: b.String(), Class: class})
	}
	if dots {
		for _, pt := range pts {
			if pt.v[1] != 0 && !math.IsNaN(float64(pt.v[0])) {
				p.Dots = append(p.Dots, plotDot{x(pt.t), y(float64(pt.v[0]))})
			}
		}
	}
	if lo < 0 {
		p.Y0 = float64(y(0))
	}
	p.Max = formatNumber(hi)
	p.Span = age(time.Duration(t1 - t0))
	return p
}

// logBar places a burn rate on a bar from 0.1 to 1000 (log scale), in
// percent.
func logBar(v float64) float64 {
	if v <= 0.1 {
		return 0
	}
	return math.Round(math.Min(100, 25*(math.Log10(v)+1))*10) / 10
}

// percent formats a fraction as a percentage with enough digits for nines.
func percent(f float64) string {
	s := formatNumber(f * 100)
	if f > 0.99 && f < 1 {
		s = strings.TrimRight(strings.TrimRight(strconv.FormatFloat(f*100, 'f', 3, 64), "0"), ".")
	}
	return s + "%"
}

// age formats a duration to the second, or to the minute past an hour.
func age(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d >= time.Hour {
		return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	}
	return d.Round(time.Second).String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
