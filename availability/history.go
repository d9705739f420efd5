package availability

import (
	"strings"
	"sync"
	"time"

	"github.com/nines-sre/nines/slo"
	"github.com/nines-sre/nines/synthetic"
)

// The status page's history is kept in process, in fixed memory per item,
// and fed only from the tick and from the timeline's delivery: a request
// never touches it.
const (
	// historyPoints is the samples a history series keeps: an SLO's budget
	// burn-down and its burn rates, a detector series' recent values.
	historyPoints = 120
	// historyChanges is the state changes kept per breaker and health
	// check or group.
	historyChanges = 16
	// historyBytesPerSLO is the memory of one objective's history: two
	// series of historyPoints samples (checked by a test).
	historyBytesPerSLO = 2 * historyBytesPerSeries
	// historyBytesPerSeries is the memory of one detector series' history
	// (1,944 bytes); an objective's is twice that (3,888 bytes).
	historyBytesPerSeries = historyPoints*16 + 24
	// historyBytesPerSubject is the memory of one breaker's or check's
	// state changes (656 bytes), their texts aside (states are short constant
	// strings: "open", "fail"...). The log templates first seen after the
	// miner's warm-up are kept in one more such ring (their series names
	// as the states).
	historyBytesPerSubject = historyChanges*40 + 16
)

// newTemplatePrefix starts the message of a timeline event that reports a
// log template first seen after the miner's warm-up (logs.go).
const newTemplatePrefix = "new log template "

// histPoint is one sample: an instant (Unix nanoseconds) and up to two
// values (float32: a plot needs no more precision).
type histPoint struct {
	t int64
	v [2]float32
}

// histSeries keeps at most historyPoints samples covering at most span.
// When full it halves its resolution (keeps every other sample, doubles
// its step) while the samples would still cover less than span, and drops
// the oldest sample after: early samples are dense, and a day-long series
// still fits in the same array.
type histSeries struct {
	span time.Duration
	step time.Duration
	n    int
	pts  [historyPoints]histPoint
}

func newHistSeries(step, span time.Duration) *histSeries {
	return &histSeries{step: max(step, time.Millisecond), span: span}
}

// due reports whether a sample at t would be kept.
func (s *histSeries) due(t time.Time) bool {
	return s.n == 0 || t.UnixNano() >= s.pts[s.n-1].t+int64(s.step)
}

func (s *histSeries) add(t time.Time, a, b float64) {
	if !s.due(t) {
		return
	}
	if s.n == len(s.pts) {
		if time.Duration(2*len(s.pts))*s.step <= s.span {
			for i := range s.n / 2 {
				s.pts[i] = s.pts[2*i+1]
			}
			s.n /= 2
			s.step *= 2
		} else {
			copy(s.pts[:], s.pts[1:])
			s.n--
		}
	}
	s.pts[s.n] = histPoint{t: t.UnixNano(), v: [2]float32{float32(a), float32(b)}}
	s.n++
}

// points returns a copy of the samples, oldest first.
func (s *histSeries) points() []histPoint { return append([]histPoint(nil), s.pts[:s.n]...) }

// stateChange is one transition of a breaker or a health check or group.
type stateChange struct {
	at    time.Time
	state string
}

// changeRing keeps the last historyChanges transitions of one subject.
type changeRing struct {
	n, next int
	buf     [historyChanges]stateChange
}

func (r *changeRing) add(c stateChange) {
	r.buf[r.next] = c
	r.next = (r.next + 1) % len(r.buf)
	r.n = min(r.n+1, len(r.buf))
}

// values returns the transitions oldest first.
func (r *changeRing) values() []stateChange {
	out := make([]stateChange, 0, r.n)
	start := (r.next - r.n + len(r.buf)) % len(r.buf)
	for i := range r.n {
		out = append(out, r.buf[(start+i)%len(r.buf)])
	}
	return out
}

// sloHistory is one objective's history: its error budget remaining over
// its period, and its 5m and 1h burn rates over the last day.
type sloHistory struct {
	budget *histSeries
	burn   *histSeries
}

// history is the status page's memory. Its maps are bounded by what
// creates their keys: objectives and series by the endpoint tables
// (WithMaxRoutes), subjects by the breakers and the health registry.
type history struct {
	tick time.Duration

	mu      sync.Mutex
	slos    map[string]*sloHistory
	series  map[string]*histSeries
	changes map[string]*changeRing
	// newTemplates are the last log templates first seen after the
	// miner's warm-up, their series names as the states.
	newTemplates changeRing
	// synthetic are the Runners of AddSynthetic: each keeps its checks'
	// last runs itself (synthetic.Runner.Last), in fixed memory.
	synthetic []*synthetic.Runner
}

func newHistory(tick time.Duration) *history {
	return &history{tick: tick, slos: map[string]*sloHistory{}, series: map[string]*histSeries{},
		changes: map[string]*changeRing{}}
}

// slo returns name's history, created with the objective's period.
func (h *history) slo(name string, period time.Duration) *sloHistory {
	s := h.slos[name]
	if s == nil {
		// An objective's windows move by the minute (slo's coarse
		// clock): a sample per tick would repeat itself.
		step := max(h.tick, time.Minute)
		s = &sloHistory{budget: newHistSeries(step, period), burn: newHistSeries(step, 24*time.Hour)}
		h.slos[name] = s
	}
	return s
}

// value records a detector series' value at a tick and whether it was
// flagged. A series keeps its last historyPoints ticks.
func (h *history) value(series string, t time.Time, v float64, flagged bool) {
	f := 0.0
	if flagged {
		f = 1
	}
	h.mu.Lock()
	s := h.series[series]
	if s == nil {
		s = newHistSeries(h.tick, 0)
		h.series[series] = s
	}
	s.add(t, v, f)
	h.mu.Unlock()
}

// event records the state changes of the timeline: a breaker's, a health
// check's or group's. It is an OnEvent listener, so it runs on the
// timeline's delivery, never on a request.
func (h *history) event(e Event) {
	if e.Kind == EventAnomaly && strings.HasPrefix(e.Message, newTemplatePrefix) {
		h.mu.Lock()
		h.newTemplates.add(stateChange{at: e.Time, state: e.Subject})
		h.mu.Unlock()
		return
	}
	if e.Kind != EventBreaker && e.Kind != EventHealth {
		return
	}
	state := changeState(e.Message)
	h.mu.Lock()
	r := h.changes[e.Subject]
	if r == nil {
		r = &changeRing{}
		h.changes[e.Subject] = r
	}
	r.add(stateChange{at: e.Time, state: state})
	h.mu.Unlock()
}

// newTemplatesSeen returns the last log templates first seen after the
// warm-up, oldest first: their series names (as states) and instants.
func (h *history) newTemplatesSeen() []stateChange {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.newTemplates.values()
}

// addSynthetic keeps a Runner of AddSynthetic for the status page.
func (h *history) addSynthetic(r *synthetic.Runner) {
	h.mu.Lock()
	h.synthetic = append(h.synthetic, r)
	h.mu.Unlock()
}

// syntheticRunners returns the Runners of AddSynthetic, in the order added.
func (h *history) syntheticRunners() []*synthetic.Runner {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*synthetic.Runner(nil), h.synthetic...)
}

// changeState is the state a breaker's or health event changes to: the
// one after "-> " of a transition ("check db: pass -> fail"), the outcome
// of an AddSynthetic event ("synthetic check shop: fail: step checkout:
// ...", "synthetic check shop passes again"), whose reason is a detail the
// page shows only in the synthetic section, to clients allowed details.
func changeState(msg string) string {
	if rest, ok := strings.CutPrefix(msg, "synthetic check "); ok {
		// A check's name has neither a space nor a colon.
		if name, ok := strings.CutSuffix(rest, " passes again"); ok && !strings.ContainsAny(name, " :") {
			return "pass"
		}
		if _, rest, ok := strings.Cut(rest, ": "); ok {
			outcome, _, _ := strings.Cut(rest, ": ")
			return outcome
		}
		return "changed"
	}
	if i := strings.LastIndex(msg, "-> "); i >= 0 {
		return msg[i+3:]
	}
	return "changed"
}

// seriesPoints returns a copy of a detector series' samples.
func (h *history) seriesPoints(name string) []histPoint {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.series[name]; s != nil {
		return s.points()
	}
	return nil
}

// sloPoints returns copies of an objective's budget and burn samples.
func (h *history) sloPoints(name string) (budget, burn []histPoint) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.slos[name]; s != nil {
		return s.budget.points(), s.burn.points()
	}
	return nil, nil
}

// changesOf returns a copy of a subject's state changes, oldest first.
func (h *history) changesOf(subject string) []stateChange {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r := h.changes[subject]; r != nil {
		return r.values()
	}
	return nil
}

// sampleSLO records an objective's budget and burn rates at a tick, when
// either series is due a sample: computing its status costs tens of
// microseconds, so it is done once per step, not once per tick.
func (h *history) sampleSLO(t time.Time, s *slo.SLO) {
	h.mu.Lock()
	sh := h.slos[s.Name()]
	due := sh == nil || sh.budget.due(t) || sh.burn.due(t)
	h.mu.Unlock()
	if !due {
		return
	}
	st := s.StatusAt(t)
	w5m, _ := st.Window(5 * time.Minute)
	w1h, _ := st.Window(time.Hour)
	h.mu.Lock()
	sh = h.slo(st.Name, st.PeriodEnd.Sub(st.PeriodStart))
	sh.budget.add(t, st.BudgetRemaining, 0)
	sh.burn.add(t, w5m.BurnRate, w1h.BurnRate)
	h.mu.Unlock()
}

// observe feeds a tick's value of one endpoint series to the detectors
// and records it with whether it was flagged.
func (m *Monitor) observe(series string, t time.Time, v float64) {
	// Errors are ErrTooManySeries, counted by the detector monitor.
	r, err := m.detectors.ObserveAt(series, t, v)
	m.hist.value(series, t, v, err == nil && r.Anomaly)
}

// sampleHistory records an endpoint's objectives at a tick.
func (m *Monitor) sampleHistory(t time.Time, e *Endpoint) {
	for _, s := range []*slo.SLO{e.avail, e.lat} {
		if s != nil {
			m.hist.sampleSLO(t, s)
		}
	}
}
