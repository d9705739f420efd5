package logpattern

import (
	"strconv"
	"sync"
	"unicode/utf8"

	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/listeners"
)

// ID identifies a template. It is the 64-bit FNV-1a hash of the masked
// text of the line that created the template, so the same first line gives
// the same ID in every process and after every restart; it does not change
// as the template generalises (its text changes, its ID stays), and a
// [Snapshot] carries it across restarts exactly.
type ID uint64

// OverflowID is the overflow template: the lines of templates evicted by
// [WithMaxTemplates] are counted under it.
const OverflowID ID = 0

// String returns the ID as 16 hex digits, the form used in metrics.
func (id ID) String() string {
	var b [16]byte
	s := strconv.AppendUint(b[:0], uint64(id), 16)
	if len(s) == 16 {
		return string(s)
	}
	var p [16]byte
	for i := range p {
		p[i] = '0'
	}
	copy(p[16-len(s):], s)
	return string(p[:])
}

// Match is what [Miner.Observe] returns for one line.
type Match struct {
	ID ID
	// Template is the template text after this line, with "<*>" for
	// every variable part.
	Template string
	// Created is set when this line created the template, Changed when it
	// generalised an existing one (Template is then the new text).
	Created, Changed bool
}

// EventKind says what happened to a template.
type EventKind uint8

// Kinds of [Event].
const (
	TemplateCreated EventKind = iota + 1
	TemplateChanged
	TemplateEvicted
)

func (k EventKind) String() string {
	switch k {
	case TemplateCreated:
		return "created"
	case TemplateChanged:
		return "changed"
	case TemplateEvicted:
		return "evicted"
	}
	return "unknown"
}

// Event reports a template created, changed or evicted, to the listeners
// of [WithListener].
type Event struct {
	Kind     EventKind
	ID       ID
	Template string
	// Previous is the text before a change.
	Previous string
	// Novel is set on a template created after the warm-up
	// ([WithWarmup]): a kind of line the service had not written before.
	Novel bool
}

// Stats are the miner's counters.
type Stats struct {
	Lines     uint64 // lines observed
	Templates int    // templates kept now
	Created   uint64 // templates created
	Evicted   uint64 // templates evicted into the overflow template
	Overflow  uint64 // lines counted under OverflowID (those of evicted templates)
	Truncated uint64 // lines longer than WithMaxLineBytes or MaxTokens, cut
}

type bucketKey struct {
	n int
	h uint64
}

// Miner mines templates from a stream of log lines. Build it with [New];
// the zero value is not usable. It is safe for concurrent use: one mutex
// serialises lines, and listeners run after it is released. Most callers
// want [Miner.Observe], or the [Miner.Handler] and [Miner.Writer] inputs.
type Miner struct {
	cfg minerConfig

	mu        sync.Mutex
	buckets   map[bucketKey][]*template
	byID      map[ID]*template
	exact     map[uint64]*template
	lru       template // sentinel: lru.next is the most recently seen
	toks      []maskedToken
	mk        masker
	stats     Stats
	overStep  uint64
	pending   []Event // events of the current line, emitted after unlock
	metricReg metric.Registration
	seriesSt  map[ID]*seriesState // metric series granted (see metrics.go)

	listeners listeners.List[Event]
}

// New returns a miner with the one default parameter set, changed by opts.
// It rejects an invalid option with an error wrapping [ErrInvalidConfig].
func New(opts ...Option) (*Miner, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	m := &Miner{cfg: cfg}
	m.init()
	for _, fn := range cfg.listeners {
		m.listeners.Add(fn)
	}
	if cfg.provider != nil {
		if err := m.registerMetrics(cfg.provider); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Miner) init() {
	m.buckets = map[bucketKey][]*template{}
	m.byID = map[ID]*template{}
	m.exact = map[uint64]*template{}
	m.lru.next, m.lru.prev = &m.lru, &m.lru
}

// OnEvent adds a listener like [WithListener] and returns its remove
// function.
func (m *Miner) OnEvent(fn func(Event)) (remove func()) { return m.listeners.Add(fn) }

// Close unregisters the miner's metric callback. The miner stays usable.
func (m *Miner) Close() error {
	m.mu.Lock()
	reg := m.metricReg
	m.metricReg = nil
	m.mu.Unlock()
	if reg != nil {
		return reg.Unregister()
	}
	return nil
}

// Observe mines one line: it returns the line's template, creating or
// generalising one as needed. A line whose template is already known
// allocates nothing.
func (m *Miner) Observe(line string) Match {
	m.mu.Lock()
	t, match := m.observeLocked(line)
	_ = t
	ev := m.pending
	m.pending = nil
	m.mu.Unlock()
	for _, e := range ev {
		m.listeners.Emit(e)
	}
	return match
}

// cutLine cuts line to at most n bytes at a rune boundary (at most 3
// bytes short of n; an invalid sequence is cut anywhere).
func cutLine(line string, n int) string {
	cut := n
	for cut > n-utf8.UTFMax && cut > 0 && !utf8.RuneStart(line[cut]) {
		cut--
	}
	if !utf8.RuneStart(line[cut]) {
		cut = n
	}
	return line[:cut]
}

func (m *Miner) observeLocked(line string) (*template, Match) {
	cut := len(line) > m.cfg.maxLineBytes
	if cut {
		line = cutLine(line, m.cfg.maxLineBytes)
	}
	m.mk.buf = m.mk.buf[:0]
	var h uint64
	var many bool
	m.toks, h, many = maskLine(line, m.toks[:0], &m.mk)
	if cut || many {
		m.stats.Truncated++
	}
	m.stats.Lines++
	var match Match
	t := m.exact[h]
	if t == nil || !t.alive {
		t = m.lookup()
		if t == nil {
			t = m.create()
			match.Created = true
		} else {
			prev := t.text
			if t.merge(m.toks, m.mk.buf) {
				match.Changed = true
				m.emit(Event{Kind: TemplateChanged, ID: t.id, Template: t.text, Previous: prev})
			}
		}
		if len(m.exact) >= 4*m.cfg.maxTemplates+1024 {
			clear(m.exact)
		}
		m.exact[h] = t
	}
	t.count++
	t.step++
	m.touch(t)
	match.ID, match.Template = t.id, t.text
	return t, match
}

func (m *Miner) emit(e Event) { m.pending = append(m.pending, e) }

// key is the line's bucket: its token count and its first depth tokens
// that hold no variable (a token with a variable says little about the
// event: "[instance: <*>] VM Started" is keyed by "[instance:" and "VM").
func (m *Miner) key() bucketKey {
	h := uint64(fnvOffset)
	for i, d := 0, 0; d < m.cfg.depth && i < len(m.toks); i++ {
		if m.toks[i].vars == 0 && wordLike(m.toks[i].raw) {
			h = (h ^ m.toks[i].hash) * fnvPrime
			d++
		}
	}
	return bucketKey{n: len(m.toks), h: h}
}

// wordLike reports whether a token is a plain word: letters, digits, '_'
// and '-', with at most one bracket or quote before and a delimiter
// after ("[instance:", "\"GET", "failed,"). Dotted names and paths are often
// identifiers that vary ("com.example.job:"), so they do not key a bucket.
func wordLike(t string) bool {
	if len(t) > 1 && (t[0] == '"' || t[0] == '\'' || t[0] == '(' || t[0] == '[' || t[0] == '{') {
		t = t[1:]
	}
	if n := len(t); n > 1 && (t[n-1] == ':' || t[n-1] == ',' || t[n-1] == '.' || t[n-1] == ';' ||
		t[n-1] == '"' || t[n-1] == '\'' || t[n-1] == ')' || t[n-1] == ']' || t[n-1] == '}') {
		t = t[:n-1]
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return len(t) > 0
}

// lookup finds the template of the current line in its bucket: the one
// accepting the most tokens, if that is at least the similarity share, or
// all tokens but one in a line of five or more (one differing token is a
// value the masking did not see; this keeps a high WithSimilarity from
// splitting such lines).
//
// A template whose literal word differs from the line's word at one
// position ("VM Started" and "VM Stopped") names another event and is not
// taken, until wordVariants templates of the bucket differ from the line
// only by the word at that position: then the word is a value (a user
// name) and all of them are generalised there (see generaliseWord).
func (m *Miner) lookup() *template {
	var best *template
	bestSim, wSim, wPos := -1, -1, -1
	bucket := m.buckets[m.key()]
	for _, t := range bucket {
		s, p := t.similarity(m.toks, m.mk.buf)
		switch {
		case p == noWordDiff:
			if s > bestSim {
				best, bestSim = t, s
			}
		case p >= 0 && s > wSim:
			wSim, wPos = s, p
		}
	}
	if best != nil && m.accepts(bestSim) {
		return best
	}
	if wPos < 0 || !m.accepts(wSim) {
		return nil
	}
	return m.generaliseWord(bucket, wPos)
}

// accepts reports whether a template accepting sim of the line's tokens
// is similar enough.
func (m *Miner) accepts(sim int) bool {
	n := len(m.toks)
	return n == 0 || float64(sim) >= m.cfg.similarity*float64(n) || (n >= 5 && sim >= n-1)
}

// wordVariants is how many different words at one position of otherwise
// similar lines make that position a variable. Fewer are kept as distinct
// events: states and verbs ("Started", "Stopped", "Paused", "Resumed")
// come in small closed sets, names in open ones.
const wordVariants = 5

// generaliseWord counts the different words at position pos of the
// bucket's templates that would accept the line but for that word; when
// they hold, with the line's, wordVariants different words, it turns pos
// into a wildcard in each of them and returns the one with the most
// lines. The others, now of the same text, are retired: taken out of the
// bucket, they keep their ID and text for lookups but match no more
// lines. Otherwise it returns nil.
func (m *Miner) generaliseWord(bucket []*template, pos int) *template {
	var words [wordVariants]string
	tk := &m.toks[pos]
	b := m.mk.buf[tk.start:tk.end]
	words[0] = string(b)
	nw := 1
	for _, t := range bucket {
		if !m.wordSibling(t, pos) {
			continue
		}
		w := t.slots[pos].text
		seen := false
		for _, x := range words[:nw] {
			seen = seen || x == w
		}
		if !seen {
			words[nw] = w
			nw++
			if nw == wordVariants {
				break
			}
		}
	}
	if nw < wordVariants {
		return nil
	}
	var sibs []*template
	var keep *template
	for _, t := range bucket {
		if m.wordSibling(t, pos) {
			sibs = append(sibs, t)
			if keep == nil || t.count > keep.count {
				keep = t
			}
		}
	}
	for _, t := range sibs {
		prev := t.text
		t.slots[pos].generalise(string(b))
		t.render()
		m.emit(Event{Kind: TemplateChanged, ID: t.id, Template: t.text, Previous: prev})
	}
	kept := bucket[:0]
	for _, t := range bucket {
		if t == keep || t.text != keep.text {
			kept = append(kept, t)
		}
	}
	clear(bucket[len(kept):])
	m.buckets[keep.key] = kept
	clear(m.exact) // lines cached to a retired template look up again
	return keep
}

// wordSibling reports whether t would accept the current line but for a
// different plain word at pos.
func (m *Miner) wordSibling(t *template, pos int) bool {
	s, p := t.similarity(m.toks, m.mk.buf)
	return p == pos && m.accepts(s)
}

func (m *Miner) create() *template {
	if len(m.byID) >= m.cfg.maxTemplates {
		m.evict(m.lru.prev)
	}
	k := m.key()
	t := newTemplate(k, m.toks, m.mk.buf)
	t.id = m.freeID(hashString(t.text))
	m.add(t)
	m.stats.Created++
	m.emit(Event{Kind: TemplateCreated, ID: t.id, Template: t.text, Novel: m.stats.Lines > m.cfg.warmup})
	return t
}

// freeID returns id, or the next free one when another template holds it
// (a second template from the same first text after an eviction).
func (m *Miner) freeID(id ID) ID {
	for id == OverflowID || m.byID[id] != nil {
		id++
	}
	return id
}

func (m *Miner) add(t *template) {
	t.alive = true
	m.buckets[t.key] = append(m.buckets[t.key], t)
	m.byID[t.id] = t
	t.next, t.prev = m.lru.next, &m.lru
	m.lru.next.prev = t
	m.lru.next = t
}

func (m *Miner) evict(t *template) {
	b := m.buckets[t.key]
	for i, x := range b {
		if x == t {
			b = append(b[:i], b[i+1:]...)
			break
		}
	}
	if len(b) == 0 {
		delete(m.buckets, t.key)
	} else {
		m.buckets[t.key] = b
	}
	delete(m.byID, t.id)
	t.prev.next, t.next.prev = t.next, t.prev
	t.alive = false
	m.stats.Evicted++
	m.stats.Overflow += t.count
	m.overStep += t.step
	m.emit(Event{Kind: TemplateEvicted, ID: t.id, Template: t.text})
}

func (m *Miner) touch(t *template) {
	if m.lru.next == t {
		return
	}
	t.prev.next, t.next.prev = t.next, t.prev
	t.next, t.prev = m.lru.next, &m.lru
	m.lru.next.prev = t
	m.lru.next = t
}

func hashString(s string) ID {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return ID(h)
}

// Stats returns the miner's counters.
func (m *Miner) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.stats
	s.Templates = len(m.byID)
	return s
}

// Template is one template as [Miner.Templates] lists it.
type Template struct {
	ID    ID
	Text  string
	Lines uint64 // lines matched since creation or restore
}

// Templates appends every kept template to dst, most recently seen first.
func (m *Miner) Templates(dst []Template) []Template {
	m.mu.Lock()
	defer m.mu.Unlock()
	for t := m.lru.next; t != &m.lru; t = t.next {
		dst = append(dst, Template{ID: t.id, Text: t.text, Lines: t.count})
	}
	return dst
}

// Lookup returns the current text of the template id.
func (m *Miner) Lookup(id ID) (text string, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t := m.byID[id]; t != nil {
		return t.text, true
	}
	return "", false
}
