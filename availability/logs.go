package availability

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/logpattern"
	"github.com/nines-sre/nines/remediate"
)

// MaxLogTemplateSeries bounds the per-template rate series a Monitor with
// WithLogMiner feeds to its detectors; templates past it are counted as
// refused by the detectors and not scored.
const MaxLogTemplateSeries = 256

// LogTemplateSeries is the prefix of the detector series (and of the
// signal Source and timeline Subject) of a log template: the series of
// template id is LogTemplateSeries + id.String().
const LogTemplateSeries = "log.template."

// maxSignalTemplate bounds the template text carried in an event message
// or a signal attribute.
const maxSignalTemplate = 200

// WithLogMiner attaches a log-template miner (feed it with its slog
// handler or writer): at the end of every detector step (WithDetectorStep)
// the lines of each template since the previous step go to a detector per
// template (a burst of an error template, a heartbeat template that stops), and each anomaly, like a
// template first seen after the miner's warm-up, reaches the timeline as
// an EventAnomaly and the remediation engine as a SignalAnomaly whose
// Source is LogTemplateSeries + the template ID and whose "template"
// attribute is its text. A nil miner is an invalid configuration. Attach a
// miner to one Monitor.
func WithLogMiner(lm *logpattern.Miner) Option {
	return optionFunc(func(c *config) { c.logs = &logFeed{miner: lm} })
}

// logFeed is the Monitor's side of an attached miner.
type logFeed struct {
	miner *logpattern.Miner
	det   *detect.Monitor

	mu     sync.Mutex // serialises the ticks' reads of the miner's counts
	counts []logpattern.Count
	names  map[logpattern.ID]string
	texts  map[string]string // series -> template text, for messages
}

// attachLogs wires the attached miner, if any: its own detector monitor
// (so templates never take the endpoints' series), its anomalies and its
// novel templates into the timeline and the engine. The Monitor's stop
// removes the hooks.
func (m *Monitor) attachLogs() error {
	f := m.cfg.logs
	if f == nil {
		return nil
	}
	if f.miner == nil {
		return invalid("WithLogMiner", "nil", "want a *logpattern.Miner")
	}
	det, err := detect.NewMonitor(m.cfg.newDetector, detect.WithMaxSeries(MaxLogTemplateSeries),
		detect.WithMeterProvider(m.cfg.meterProvider))
	if err != nil {
		return fmt.Errorf("availability: %w", err)
	}
	f.det = det
	f.names = map[logpattern.ID]string{}
	f.texts = map[string]string{}
	det.OnAnomaly(func(a detect.Anomaly) {
		text := f.text(a.Series)
		m.anomalies.add(AnomalyStatus{Time: a.Time, Series: a.Series, Detector: a.Detector, Value: a.Value, Score: a.Result.Score})
		m.timeline.emit(Event{Time: a.Time, Kind: EventAnomaly, Subject: a.Series,
			Message: fmt.Sprintf("log template rate anomaly on %s: %.4g lines this step, score %.2f (%s): %s",
				a.Series, a.Value, a.Result.Score, a.Detector, text)})
		s := remediate.SignalFromAnomaly(a)
		s.Attributes["template"] = text
		m.signals.send(s)
	})
	removeMiner := f.miner.OnEvent(func(e logpattern.Event) {
		if e.Kind != logpattern.TemplateCreated || !e.Novel {
			return
		}
		series := LogTemplateSeries + e.ID.String()
		text := clip(e.Template)
		now := m.cfg.clock()
		m.timeline.emit(Event{Time: now, Kind: EventAnomaly, Subject: series,
			Message: newTemplatePrefix + series + ": " + text})
		m.signals.send(remediate.Signal{Kind: remediate.SignalAnomaly, Source: series, State: "new_template",
			Severity: remediate.SeverityInfo, Value: 1, Time: now,
			Attributes: map[string]string{"detector": "new_template", "template": text}})
	})
	prev := m.removeHook
	m.removeHook = func() {
		prev()
		removeMiner()
		_ = det.Shutdown(context.Background())
	}
	return nil
}

// tickLogs feeds each template's lines since the previous step to its
// detector, and forgets the series of templates the miner evicted.
func (m *Monitor) tickLogs(t time.Time) {
	f := m.cfg.logs
	if f == nil {
		return
	}
	type point struct {
		series string
		lines  float64
	}
	f.mu.Lock()
	f.counts = f.miner.TakeCounts(f.counts[:0])
	points := make([]point, 0, len(f.counts))
	live := make(map[logpattern.ID]bool, len(f.counts))
	for _, c := range f.counts {
		name, ok := f.names[c.ID]
		if !ok {
			name = LogTemplateSeries + c.ID.String()
			f.names[c.ID] = name
		}
		live[c.ID] = true
		if c.ID == logpattern.OverflowID {
			f.texts[name] = "(evicted templates)"
		} else {
			f.texts[name] = clip(c.Template)
		}
		points = append(points, point{name, float64(c.Lines)})
	}
	var gone []string
	for id, name := range f.names {
		if !live[id] {
			gone = append(gone, name)
			delete(f.names, id)
			delete(f.texts, name)
		}
	}
	f.mu.Unlock()
	for _, name := range gone {
		f.det.Forget(name)
	}
	for _, p := range points {
		// Errors are ErrTooManySeries, counted by the detector monitor.
		_, _ = f.det.ObserveAt(p.series, t, p.lines)
	}
}

func (f *logFeed) text(series string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.texts[series]
}

func clip(s string) string {
	if len(s) <= maxSignalTemplate {
		return s
	}
	return s[:maxSignalTemplate] + "..."
}
