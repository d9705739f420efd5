package logpattern

import "strings"

// slot is one token position of a template.
type slot struct {
	// text is the masked text for a literal slot, or prefix+"<*>"+suffix
	// for a wildcard slot.
	text string
	// hash is the masked hash of a literal slot.
	hash uint64
	// wild marks a slot generalised by merging: any token with prefix and
	// suffix matches it (both empty: any token).
	wild           bool
	prefix, suffix string
	// word is set on a literal slot whose text is a plain word (see
	// plainWord), worked out once.
	word bool
}

// template is one mined template: a cluster of lines with the same token
// count and first tokens whose literal slots agree.
type template struct {
	id    ID
	key   bucketKey
	slots []slot
	text  string
	count uint64 // lines since creation (or restore)
	step  uint64 // lines since the last TakeCounts
	// least-recently-seen list
	prev, next *template
	alive      bool
}

// matches reports whether slot s accepts the masked token text b whose
// hash is h.
func (s *slot) matches(b []byte, h uint64) bool {
	if !s.wild {
		return s.hash == h && string(b) == s.text
	}
	return len(b) >= len(s.prefix)+len(s.suffix) && string(b[:len(s.prefix)]) == s.prefix &&
		string(b[len(b)-len(s.suffix):]) == s.suffix
}

// noWordDiff and manyWordDiffs are the word positions similarity reports
// for no and for several differing words.
const (
	noWordDiff    = -1
	manyWordDiffs = -2
)

// similarity returns how many of the line's tokens the template accepts,
// and where a literal slot and the line's token are two different plain
// words (noWordDiff, the position, or manyWordDiffs): a different word
// where the template has a word names a different event ("VM Started",
// "VM Stopped"), where a differing token with digits or punctuation is
// more likely a value the masking did not see.
func (t *template) similarity(toks []maskedToken, buf []byte) (n, wordAt int) {
	wordAt = noWordDiff
	for i := range t.slots {
		tk := &toks[i]
		s := &t.slots[i]
		if s.wild {
			continue
		}
		b := buf[tk.start:tk.end]
		if s.matches(b, tk.hash) || sameKey(s.text, b) {
			n++
			continue
		}
		if tk.vars == 0 && s.word && plainWord(b) && !sameLetters(s.text, b) {
			if wordAt != noWordDiff {
				return n, manyWordDiffs
			}
			wordAt = i
		}
	}
	return n, wordAt
}

// sameKey reports whether a and b are key=value pairs of the same key
// ("tag=\"x\"," and "tag=\"y\","): the value differs, the structure agrees.
func sameKey(a string, b []byte) bool {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] && a[i] != '=' {
		i++
	}
	return i > 0 && i < len(a) && i < len(b) && a[i] == '=' && b[i] == '='
}

// sameLetters reports whether a and b differ in their digits only ("k1"
// and "k2", "en0" and "en1"): instances of one name, a value.
func sameLetters(a string, b []byte) bool {
	i, j := 0, 0
	for {
		for i < len(a) && isDigit(a[i]) {
			i++
		}
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

// plainWord reports whether a masked token is a word of letters (and '_',
// '-' or a lone digit the masking left: "eth0"), perhaps quoted, bracketed
// or followed by punctuation.
func plainWord[T string | []byte](b T) bool {
	for len(b) > 0 && isEdgePunct(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isEdgePunct(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	letters := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		case c == '_' || c == '-' || c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return letters > 0
}

func isEdgePunct(c byte) bool {
	switch c {
	case '"', '\'', '(', ')', '[', ']', '{', '}', ':', ',', ';', '.', '!', '?':
		return true
	}
	return false
}

// merge generalises the template so it accepts the line; it reports
// whether the template text changed.
func (t *template) merge(toks []maskedToken, buf []byte) bool {
	changed := false
	for i := range t.slots {
		s := &t.slots[i]
		tk := &toks[i]
		b := buf[tk.start:tk.end]
		if s.matches(b, tk.hash) {
			continue
		}
		s.generalise(string(b))
		changed = true
	}
	if changed {
		t.render()
	}
	return changed
}

// generalise turns the slot into a wildcard that also accepts masked text
// b, keeping the common prefix and suffix that end at a delimiter ("user="
// in "user=alice" and "user=bob"), so the template keeps its structure.
func (s *slot) generalise(b string) {
	a, tail := s.text, s.text
	if s.wild {
		// the prefix and suffix can only shrink
		a, tail = s.prefix, s.suffix
	}
	p := commonPrefix(a, b)
	if !s.wild {
		tail = a[len(p):]
	}
	q := commonSuffix(tail, b[len(p):])
	// a wildcard at the edge of the prefix or suffix is absorbed by the
	// slot's own: "rhost=<*>" and "rhost=<*>.example.org" give "rhost=<*>"
	p = strings.TrimSuffix(p, wildcard)
	q = strings.TrimPrefix(q, wildcard)
	*s = slot{wild: true, prefix: p, suffix: q, text: p + wildcard + q}
}

// commonPrefix is the longest common prefix of a and b that ends just
// after a hard delimiter or a '.' ("com.example.<*>", a common namespace)
// and does not cut a wildcard.
func commonPrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && !isCut(a[n-1]) && a[n-1] != '.' {
		n--
	}
	if strings.HasSuffix(a[:n], "<") {
		n--
		for n > 0 && !isCut(a[n-1]) {
			n--
		}
	}
	return a[:n]
}

// commonSuffix is the longest common suffix of a and b that starts at a
// hard delimiter and does not cut a wildcard.
func commonSuffix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return cutSuffix(a[len(a)-n:])
}

func cutSuffix(q string) string {
	i := 0
	for i < len(q) && !isCut(q[i]) {
		i++
	}
	if strings.HasPrefix(q[i:], ">") && i == 0 {
		// a wildcard's closing '>' is no delimiter
		i++
		for i < len(q) && !isCut(q[i]) {
			i++
		}
	}
	return q[i:]
}

func isCut(c byte) bool {
	switch c {
	case '=', ',', ';', '(', ')', '[', ']', '{', '}', '<', '>', '"', '\'', ':':
		return true
	}
	return false
}

// render rebuilds the template text from its slots.
func (t *template) render() {
	var sb strings.Builder
	for i := range t.slots {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(t.slots[i].text)
	}
	t.text = sb.String()
}

// newTemplate builds a template from a masked line.
func newTemplate(key bucketKey, toks []maskedToken, buf []byte) *template {
	t := &template{key: key, slots: make([]slot, len(toks)), alive: true}
	for i := range toks {
		tk := &toks[i]
		text := string(buf[tk.start:tk.end])
		t.slots[i] = slot{text: text, hash: tk.hash, word: tk.vars == 0 && plainWord(text)}
	}
	t.render()
	return t
}
