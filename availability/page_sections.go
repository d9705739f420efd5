package availability

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The status page's sections of the optional features: synthetic checks,
// log templates and peer outliers. Each is left out of the page when its
// feature is not in use.

// pageMaxReplicas bounds the replicas a peer group's table lists: the
// outliers and the ejected first, then the others by name.
const pageMaxReplicas = 20

type pageSynthetic struct {
	Name, Outcome, Class string
	Runs                 []pageRun // newest first
	Steps                []pageStep
}

type pageRun struct {
	Time, Outcome, Class, Duration, Failure string
}

type pageStep struct {
	Name, Outcome, Class, Duration string
	Status                         int
	Code                           string
	Phases                         []pagePhase
	Failures                       []string
}

// pagePhase is one phase of a step: its share of the bar (percent of the
// longest step of the run) and its time.
type pagePhase struct {
	Name, Time string
	Width      float64
}

type pageLogs struct {
	LogsStatus
	StepLabel string
	Top       []pageLogTemplate
	New       []pageLogTemplate
	Anomalies []pageLogAnomaly
}

type pageLogTemplate struct {
	ID, Text, Time, Lines, Rate string
}

type pageLogAnomaly struct {
	Time, ID, Text, Value, Score, Detector string
}

type pagePeers struct {
	Dependency string
	Count      int
	Outliers   int
	Ejected    int
	MaxEjected int
	Ejecting   bool
	Replicas   []pageReplica
	More       int // replicas not listed
}

type pageReplica struct {
	Name, Calls, ErrorRatio, Latency, State, Class string
}

func pageSyntheticChecks(checks []SyntheticStatus) []pageSynthetic {
	var out []pageSynthetic
	for _, c := range checks {
		ps := pageSynthetic{Name: c.Name, Outcome: "no run yet"}
		for i := len(c.Runs) - 1; i >= 0; i-- {
			r := c.Runs[i]
			ps.Runs = append(ps.Runs, pageRun{Time: r.Start.UTC().Format("15:04:05"), Outcome: r.Outcome, Class: outcomeClass(r.Outcome),
				Duration: formatSeconds(r.DurationSeconds), Failure: r.Failure})
		}
		if len(c.Runs) > 0 {
			ps.Outcome = c.Runs[len(c.Runs)-1].Outcome
		}
		ps.Class = outcomeClass(ps.Outcome)
		longest := 0.0
		for _, s := range c.Steps {
			longest = max(longest, s.DurationSeconds)
		}
		for _, s := range c.Steps {
			step := pageStep{Name: s.Name, Outcome: s.Outcome, Class: outcomeClass(s.Outcome), Duration: formatSeconds(s.DurationSeconds),
				Status: s.Status, Code: s.Code, Failures: s.Failures}
			for _, p := range []struct {
				name string
				v    float64
			}{{"resolve", s.Phases.ResolveSeconds}, {"connect", s.Phases.ConnectSeconds}, {"tls", s.Phases.TLSSeconds},
				{"processing", s.Phases.ProcessingSeconds}, {"transfer", s.Phases.TransferSeconds}} {
				w := 0.0
				if longest > 0 {
					w = float64(int(1000*p.v/longest)) / 10
				}
				step.Phases = append(step.Phases, pagePhase{Name: p.name, Time: formatSeconds(p.v), Width: w})
			}
			ps.Steps = append(ps.Steps, step)
		}
		out = append(out, ps)
	}
	return out
}

// outcomeClass is the page's colour class of a synthetic outcome.
func outcomeClass(o string) string {
	switch o {
	case "pass":
		return "ok"
	case "degraded":
		return "degraded"
	case "no run yet":
		return "muted"
	}
	return "failing"
}

func pageLogsSection(l *LogsStatus) *pageLogs {
	if l == nil {
		return nil
	}
	p := &pageLogs{LogsStatus: *l, StepLabel: age(time.Duration(l.StepSeconds * float64(time.Second)))}
	texts := map[string]string{}
	for _, t := range l.Top {
		texts[t.ID] = t.Text
		p.Top = append(p.Top, pageLogTemplate{ID: t.ID, Text: t.Text, Lines: strconv.FormatUint(t.StepLines, 10),
			Rate: formatNumber(t.RatePerSecond)})
	}
	for i := len(l.New) - 1; i >= 0; i-- {
		t := l.New[i]
		if t.Text != "" {
			texts[t.ID] = t.Text
		}
		pt := pageLogTemplate{ID: t.ID, Text: t.Text}
		if t.Time != nil {
			pt.Time = t.Time.UTC().Format("15:04:05")
		}
		p.New = append(p.New, pt)
	}
	for i := len(l.Anomalies) - 1; i >= 0 && len(p.Anomalies) < maxTopTemplates; i-- {
		a := l.Anomalies[i]
		id := strings.TrimPrefix(a.Series, LogTemplateSeries)
		p.Anomalies = append(p.Anomalies, pageLogAnomaly{Time: a.Time.UTC().Format("15:04:05"), ID: id,
			Text: texts[id], Value: formatNumber(a.Value), Score: formatNumber(a.Score), Detector: a.Detector})
	}
	return p
}

func pagePeerGroups(groups []PeerGroupStatus) []pagePeers {
	var out []pagePeers
	for _, g := range groups {
		p := pagePeers{Dependency: g.Dependency, Count: len(g.Replicas), Outliers: g.Outliers, Ejected: g.Ejected,
			MaxEjected: g.MaxEjected, Ejecting: g.Ejecting}
		// The replicas in trouble first: on a page of 200 healthy
		// replicas the one that is not must not be cut off.
		rs := slices.Clone(g.Replicas)
		slices.SortStableFunc(rs, func(a, b ReplicaStatus) int { return trouble(b) - trouble(a) })
		if len(rs) > pageMaxReplicas {
			p.More = len(rs) - pageMaxReplicas
			rs = rs[:pageMaxReplicas]
		}
		for _, r := range rs {
			pr := pageReplica{Name: r.Replica, Calls: "-", ErrorRatio: "-", Latency: "-", State: "in agreement", Class: "ok"}
			if r.Measured {
				pr.Calls = strconv.FormatUint(r.Calls, 10)
				pr.ErrorRatio, pr.Latency = percent(r.ErrorRatio), formatSeconds(r.LatencySeconds)
			} else {
				pr.State, pr.Class = "not measured", "muted"
			}
			if r.Outlier {
				pr.State, pr.Class = "outlier on "+r.Metric, "degraded"
			}
			if r.Ejected {
				pr.State, pr.Class = "ejected", "failing"
				if r.EjectedUntil != nil {
					pr.State += " until " + r.EjectedUntil.UTC().Format("15:04:05")
				}
				if r.Ejections > 1 {
					pr.State += " (ejection " + strconv.Itoa(r.Ejections) + " in a row)"
				}
			}
			p.Replicas = append(p.Replicas, pr)
		}
		out = append(out, p)
	}
	return out
}

// trouble ranks a replica for the page: ejected, outlier, other.
func trouble(r ReplicaStatus) int {
	switch {
	case r.Ejected:
		return 2
	case r.Outlier:
		return 1
	}
	return 0
}

// formatSeconds formats seconds as a duration to the microsecond: phase
// timings of a loopback call are tens of microseconds.
func formatSeconds(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d == 0:
		return "0"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}
