package availability

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nines-sre/nines/logpattern"
)

// maxTopTemplates bounds the templates LogsStatus.Top lists.
const maxTopTemplates = 10

// LogsStatus is the log-template miner of WithLogMiner in Statusz. Template
// texts are shown only to clients allowed details: a log line's constant
// part can still carry data (a user name logged as a word). It is a plain
// value.
type LogsStatus struct {
	// Lines, Templates, Created, Evicted, OverflowLines and TruncatedLines
	// are the miner's counters (logpattern.Stats): lines observed,
	// templates kept now, created, evicted into the overflow template,
	// lines counted under it, and lines cut at the maximum length.
	Lines          uint64 `json:"lines"`
	Templates      int    `json:"templates"`
	Created        uint64 `json:"created"`
	Evicted        uint64 `json:"evicted"`
	OverflowLines  uint64 `json:"overflow_lines"`
	TruncatedLines uint64 `json:"truncated_lines"`
	// StepSeconds is the detector step (WithDetectorStep) whose lines Top
	// counts.
	StepSeconds float64 `json:"step_seconds"`
	// Top are the templates with the most lines in the last detector step,
	// most first (ties by ID), at most 10, none without a line; the
	// overflow template (ID 0000000000000000) is among them when its
	// lines are.
	Top []LogTemplateStatus `json:"top"`
	// New are the last templates first seen after the miner's warm-up,
	// oldest first (at most 16).
	New []LogTemplateStatus `json:"new"`
	// Anomalies are the template-rate anomalies among Statusz.Anomalies,
	// oldest first.
	Anomalies []AnomalyStatus `json:"anomalies"`
}

// LogTemplateStatus is one template in LogsStatus. It is a plain value.
type LogTemplateStatus struct {
	// ID is the template's stable ID (16 hex digits); its detector series
	// is LogTemplateSeries + ID.
	ID string `json:"id"`
	// Text is the template, "<*>" for each variable part, clipped to 200
	// bytes; left out without details, and for a template evicted since.
	Text string `json:"text,omitempty"`
	// StepLines and RatePerSecond are the lines of the last detector step
	// (in Top only).
	StepLines     uint64  `json:"step_lines,omitempty"`
	RatePerSecond float64 `json:"rate_per_second,omitempty"`
	// Time is when a new template was first seen (in New only).
	Time *time.Time `json:"time,omitempty"`
}

// logsStatus reports the attached miner; nil without WithLogMiner.
func (m *Monitor) logsStatus(anomalies []AnomalyStatus) *LogsStatus {
	f := m.cfg.logs
	if f == nil || f.miner == nil {
		return nil
	}
	s := f.miner.Stats()
	st := &LogsStatus{Lines: s.Lines, Templates: s.Templates, Created: s.Created, Evicted: s.Evicted,
		OverflowLines: s.Overflow, TruncatedLines: s.Truncated, StepSeconds: round(m.cfg.step.Seconds()),
		Top: []LogTemplateStatus{}, New: []LogTemplateStatus{}, Anomalies: []AnomalyStatus{}}
	f.mu.Lock()
	for _, c := range f.counts {
		if c.Lines > 0 {
			st.Top = append(st.Top, LogTemplateStatus{ID: c.ID.String(), Text: templateText(c), StepLines: c.Lines})
		}
	}
	f.mu.Unlock()
	slices.SortFunc(st.Top, func(a, b LogTemplateStatus) int {
		return cmp.Or(cmp.Compare(b.StepLines, a.StepLines), strings.Compare(a.ID, b.ID))
	})
	st.Top = st.Top[:min(len(st.Top), maxTopTemplates)]
	for i := range st.Top {
		st.Top[i].RatePerSecond = round(float64(st.Top[i].StepLines) / m.cfg.step.Seconds())
	}
	for _, c := range m.hist.newTemplatesSeen() {
		id := strings.TrimPrefix(c.state, LogTemplateSeries)
		at := c.at
		t := LogTemplateStatus{ID: id, Time: &at}
		if n, err := strconv.ParseUint(id, 16, 64); err == nil {
			if text, ok := f.miner.Lookup(logpattern.ID(n)); ok {
				t.Text = clip(text)
			}
		}
		st.New = append(st.New, t)
	}
	for _, a := range anomalies {
		if strings.HasPrefix(a.Series, LogTemplateSeries) {
			st.Anomalies = append(st.Anomalies, a)
		}
	}
	return st
}

var overflowID = logpattern.OverflowID.String()

func templateText(c logpattern.Count) string {
	if c.ID == logpattern.OverflowID {
		return "(evicted templates)"
	}
	return clip(c.Template)
}

// withholdTemplates blanks the templates' texts but the overflow
// template's, which is no log text.
func (l *LogsStatus) withholdTemplates() {
	for i := range l.Top {
		if l.Top[i].ID != overflowID {
			l.Top[i].Text = ""
		}
	}
	for i := range l.New {
		l.New[i].Text = ""
	}
}
