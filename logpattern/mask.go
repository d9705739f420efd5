package logpattern

// Masking turns one whitespace-separated token into its masked form: the
// token with every variable part replaced by the wildcard "<*>". It is the
// same for every input (no per-source expressions) and runs without
// allocating: masked text is appended to a caller-owned buffer.
//
// A token is cut into parts at hard delimiters (= , ; ( ) [ ] { } < > " '
// and ':' unless it sits between two digits, so times and host:port pairs
// stay whole). A part is a variable when it looks like a number, an
// address, a path, an identifier, a hash, a boolean or null (see
// varWhole and varPiece); otherwise it is
// cut again at soft delimiters ('.' and '/') and each piece is judged the
// same way, so "core.1234" masks to "core.<*>" and "HTTP/1.1" to
// "HTTP/<*>". Variables separated only by a soft delimiter merge into one.

import (
	"encoding/binary"
	"math/bits"
)

const wildcard = "<*>"

// fnv-1a, 64 bit: template IDs and line keys.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Byte classes, one table lookup per byte on the hot path.
const (
	cDigit = 1 << iota
	cHex
	cHard
	cSpace
)

var class = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] |= cDigit | cHex
	}
	for _, c := range "abcdefABCDEF" {
		t[c] |= cHex
	}
	for _, c := range "=,;()[]{}<>\"':" {
		t[c] |= cHard
	}
	for _, c := range " \t\n\r\v\f" {
		t[c] |= cSpace
	}
	return t
}()

func isDigit(c byte) bool { return class[c]&cDigit != 0 }

func isHex(c byte) bool { return class[c]&cHex != 0 }

func isSpace(c byte) bool { return class[c]&cSpace != 0 }

// isHardDelim reports whether t[i] separates parts of a token.
func isHardDelim(t string, i int) bool {
	c := t[i]
	if class[c]&cHard == 0 {
		return false
	}
	return c != ':' || !(i > 0 && i+1 < len(t) && isDigit(t[i-1]) && isDigit(t[i+1]))
}

// hashToken hashes a masked token 8 bytes at a time; vars keeps a "<*>"
// typed in a line apart from a masked variable.
func hashToken(b []byte, vars int) uint64 {
	h := uint64(len(b))*0x9e3779b97f4a7c15 ^ uint64(vars)<<32
	for len(b) >= 8 {
		h = mix(h ^ binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	var tail uint64
	for i := len(b) - 1; i >= 0; i-- {
		tail = tail<<8 | uint64(b[i])
	}
	return mix(h ^ tail ^ 0xa0761d6478bd642f)
}

func mix(x uint64) uint64 {
	hi, lo := bits.Mul64(x^0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3)
	return hi ^ lo
}

// varWhole reports whether a whole part (before soft splitting) is a
// variable: numbers and anything that starts like one (IPs, times,
// durations, sizes, versions), hex literals, paths, and runs of hex digits
// and dashes long enough to be hashes or UUIDs.
func varWhole(p string) bool {
	if len(p) == 0 {
		return false
	}
	if varHead(p) {
		return true
	}
	slashes, hexdash, digits := 0, true, 0
	for i := 0; i < len(p); i++ {
		b := p[i]
		if b == '/' {
			slashes++
		}
		if isDigit(b) {
			digits++
		}
		if !isHex(b) && b != '-' {
			hexdash = false
		}
	}
	if slashes >= 2 {
		return true
	}
	if hexdash && len(p) >= 8 && (digits > 0 || !hasDash(p)) {
		return true
	}
	return isBoolOrNull(p)
}

func hasDash(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] == '-' {
			return true
		}
	}
	return false
}

// isBoolOrNull reports true, false and null in any case: values, not
// words, wherever they appear ("ready=true", "setLightsOn(false)").
func isBoolOrNull(p string) bool {
	switch len(p) {
	case 4:
		return eqFold(p, "true") || eqFold(p, "null")
	case 5:
		return eqFold(p, "false")
	}
	return false
}

// hostName reports whether a dotted name ends in a common top-level
// domain (com, net, org, edu, gov, io, lan, local, internal, localdomain;
// "db-3.eu.example.com"): a host, a value. Dotted names that start with
// one ("com.example.Job") are Java-style names and stay.
func hostName(p string) bool {
	i := len(p)
	for i > 0 && p[i-1] != '.' {
		i--
	}
	last := p[i:]
	switch len(last) {
	case 2:
		return eqFold(last, "io")
	case 3:
		return eqFold(last, "com") || eqFold(last, "net") || eqFold(last, "org") ||
			eqFold(last, "edu") || eqFold(last, "gov") || eqFold(last, "lan")
	case 5:
		return eqFold(last, "local")
	case 8:
		return eqFold(last, "internal")
	case 11:
		return eqFold(last, "localdomain")
	}
	return false
}

// isDateName reports whether p, three bytes long, is an English month or
// weekday abbreviation in any case ("Aug", "THU"): a part of a date
// ("Thu Aug 04 15:29:45 2005"), not a word.
func isDateName(p string) bool {
	k := rune(p[0]|0x20)<<16 | rune(p[1]|0x20)<<8 | rune(p[2]|0x20)
	switch k {
	case 'j'<<16 | 'a'<<8 | 'n', 'f'<<16 | 'e'<<8 | 'b', 'm'<<16 | 'a'<<8 | 'r', 'a'<<16 | 'p'<<8 | 'r',
		'm'<<16 | 'a'<<8 | 'y', 'j'<<16 | 'u'<<8 | 'n', 'j'<<16 | 'u'<<8 | 'l', 'a'<<16 | 'u'<<8 | 'g',
		's'<<16 | 'e'<<8 | 'p', 'o'<<16 | 'c'<<8 | 't', 'n'<<16 | 'o'<<8 | 'v', 'd'<<16 | 'e'<<8 | 'c',
		'm'<<16 | 'o'<<8 | 'n', 't'<<16 | 'u'<<8 | 'e', 'w'<<16 | 'e'<<8 | 'd', 't'<<16 | 'h'<<8 | 'u',
		'f'<<16 | 'r'<<8 | 'i', 's'<<16 | 'a'<<8 | 't', 's'<<16 | 'u'<<8 | 'n':
		return true
	}
	return false
}

func eqFold(a, lower string) bool {
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// varHead reports whether p starts like a variable: a digit, a signed or
// '#' number, a 0x literal, or a path's '/'.
func varHead(p string) bool {
	if len(p) == 0 {
		return false
	}
	c := p[0]
	switch {
	case isDigit(c):
		return true
	case (c == '-' || c == '+' || c == '#') && len(p) > 1 && isDigit(p[1]):
		return true
	case len(p) > 2 && c == '0' && (p[1] == 'x' || p[1] == 'X'):
		return true
	case c == '/' && len(p) > 1:
		return true
	}
	return false
}

// varPiece reports whether a piece (a part cut at soft delimiters) is a
// variable: varWhole, or it holds a run of two or more digits (block and
// job identifiers, "Thread-12"); a single digit inside a word ("ssh2",
// "jk2_init") keeps it a word.
func varPiece(p string) bool {
	if varWhole(p) {
		return true
	}
	run := 0
	for i := 0; i < len(p); i++ {
		if isDigit(p[i]) {
			run++
			if run >= 2 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// slashVar reports whether a part with a '/' has a variable piece: then
// the whole part is one variable ("HTTP/1.1", "a/123"), as a path is.
func slashVar(p string) bool {
	slash := false
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			slash = true
			break
		}
	}
	if !slash {
		return false
	}
	for i := 0; i < len(p); {
		j := i
		for j < len(p) && p[j] != '/' && p[j] != '.' {
			j++
		}
		if j > i && varPiece(p[i:j]) {
			return true
		}
		i = j + 1
	}
	return false
}

// maskedToken is one token of a line after masking: its masked text is
// buf[start:end] of the line's scratch buffer.
type maskedToken struct {
	raw        string
	start, end int
	hash       uint64
	// whole is set when the whole token is one variable (masked "<*>").
	whole bool
	// vars counts the variables in the masked text.
	vars int
}

// masker appends masked text and keeps the running hash.
type masker struct {
	buf      []byte
	vars     int
	lastVar  bool // the last thing appended was a variable
	softOpen int  // len(buf) before a pending soft delimiter after a variable, or -1

	// collect, when set, records the raw text of each variable in spans
	// (for Params); cur is the token being masked.
	collect bool
	cur     string
	spans   []string
	spanLo  int
}

func (m *masker) reset() { m.vars, m.lastVar, m.softOpen = 0, false, -1 }

func (m *masker) lit(s string) {
	m.buf = append(m.buf, s...)
	m.lastVar = false
	m.softOpen = -1
}

func (m *masker) variable(lo, hi int) {
	if m.lastVar {
		m.extend(hi)
		return
	}
	if m.softOpen >= 0 {
		m.extend(hi)
		// "<*>." then a variable: one variable ("1.2", "HTTP/1.1" stays
		// "HTTP/<*>"): undo the delimiter.
		m.buf = m.buf[:m.softOpen]
		m.lastVar, m.softOpen = true, -1
		return
	}
	m.buf = append(m.buf, wildcard...)
	m.vars++
	m.lastVar = true
	if m.collect {
		m.spans = append(m.spans, m.cur[lo:hi])
		m.spanLo = lo
	}
}

// extend grows the last variable's raw span to end at hi.
func (m *masker) extend(hi int) {
	if m.collect && len(m.spans) > 0 {
		m.spans[len(m.spans)-1] = m.cur[m.spanLo:hi]
	}
}

func (m *masker) soft(c byte) {
	wasVar := m.lastVar
	at := len(m.buf)
	m.buf = append(m.buf, c)
	m.lastVar = false
	if wasVar {
		m.softOpen = at
	} else {
		m.softOpen = -1
	}
}

// token masks one token, appending its masked text.
func (m *masker) token(t string) {
	m.cur = t
	for i := 0; i < len(t); {
		if t[i] == ',' {
			// "10.0.0.1,10.0.0.2" is one variable; "a,b" stays literal
			m.soft(',')
			i++
			continue
		}
		if isHardDelim(t, i) {
			m.lit(t[i : i+1])
			i++
			continue
		}
		j := i + 1
		for j < len(t) && (class[t[j]]&cHard == 0 || !isHardDelim(t, j)) {
			j++
		}
		m.part(t[i:j], i)
		i = j
	}
}

// part masks one part in a single pass over its bytes for the common case
// (no soft delimiter); pieces are judged one by one only when there is one.
// A part with one inner '/' and a '.' is a path or a component name
// ("com.example.app/.MainActivity") and a variable; "text/html" is not.
func (m *masker) part(p string, off int) {
	if varHead(p) { // numbers first: the commonest variable
		m.variable(off, off+len(p))
		return
	}
	slashes, dots, digits, run, maxRun := 0, 0, 0, 0, 0
	hexdash, dash, soft := true, false, false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isDigit(c) {
			digits++
			run++
			maxRun = max(maxRun, run)
			continue
		}
		run = 0
		switch {
		case c == '/':
			slashes++
			soft = true
		case c == '.':
			dots++
			soft = true
		case c == '-':
			dash = true
		}
		if hexdash && !isHex(c) && c != '-' {
			hexdash = false
		}
	}
	if !soft { // the common case: a word, a number-bearing name, a value
		if dash && digits > 0 {
			if k := nameDashNumber(p); k > 0 {
				m.lit(p[:k])
				m.variable(off+k, off+len(p))
				return
			}
		}
		if maxRun >= 2 || (hexdash && len(p) >= 8 && (digits > 0 || !dash)) || isBoolOrNull(p) || (len(p) == 3 && isDateName(p)) {
			m.variable(off, off+len(p))
			return
		}
		m.lit(p)
		return
	}
	if slashes >= 2 || (slashes == 1 && dots > 0 && p[len(p)-1] != '/') || (hexdash && len(p) >= 8 && (digits > 0 || !dash)) ||
		(slashes == 0 && dots >= 2 && hostName(p)) || (slashes > 0 && digits > 0 && slashVar(p)) {
		m.variable(off, off+len(p))
		return
	}
	for i := 0; i < len(p); {
		if p[i] == '.' || p[i] == '/' {
			m.soft(p[i])
			i++
			continue
		}
		j := i + 1
		for j < len(p) && p[j] != '.' && p[j] != '/' {
			j++
		}
		if varPiece(p[i:j]) {
			m.variable(off+i, off+j)
		} else {
			m.lit(p[i:j])
		}
		i = j
	}
}

// nameDashNumber returns the length of "name-" when p is a name of
// letters, a dash and a number ("node-173", "Thread-12"): the name is the
// kind of thing, the number the instance. It returns 0 otherwise.
func nameDashNumber(p string) int {
	i := 0
	for i < len(p) && (p[i]|0x20 >= 'a' && p[i]|0x20 <= 'z' || p[i] == '_') {
		i++
	}
	if i == 0 || i+1 >= len(p) || p[i] != '-' || p[i-1] == '_' { // "blk_-42": a negative number
		return 0
	}
	for j := i + 1; j < len(p); j++ {
		if !isDigit(p[j]) {
			return 0
		}
	}
	return i + 1
}

// MaxTokens bounds the tokens of a line that are mined: the words after
// the 128th are dropped and the line counted in Stats.Truncated, so a
// template holds at most 128 slots.
const MaxTokens = 128

// minRun is the length from which a run of whole-variable tokens is one
// token: a list of values ("channels 1 2 3 … 165") is one parameter
// whatever its length, where shorter runs ("built on <date> <time>") keep
// their positions.
const minRun = 3

// maskLine cuts msg into tokens at whitespace and masks each, appending to
// toks and buf; it returns them, the line's hash, and whether tokens past
// MaxTokens were dropped. A run of minRun or more whole-variable tokens
// becomes one token.
func maskLine(msg string, toks []maskedToken, m *masker) ([]maskedToken, uint64, bool) {
	base := len(toks)
	line := uint64(fnvOffset)
	run, runLo := 0, 0
	for i := 0; i < len(msg); {
		if isSpace(msg[i]) {
			i++
			continue
		}
		if len(toks) == MaxTokens {
			return toks, line, true
		}
		j := i + 1
		for j < len(msg) && !isSpace(msg[j]) {
			j++
		}
		m.reset()
		start := len(m.buf)
		m.token(msg[i:j])
		tk := maskedToken{raw: msg[i:j], start: start, end: len(m.buf), hash: hashToken(m.buf[start:], m.vars), vars: m.vars}
		tk.whole = tk.end-tk.start == len(wildcard) && m.vars == 1
		toks = append(toks, tk)
		switch {
		case !tk.whole:
			run = 0
		case run == 0:
			run, runLo = 1, i
		default:
			run++
		}
		if run >= minRun {
			k := 2 // the run's token and this one
			if run == minRun {
				k = minRun
			}
			toks = joinRun(toks, k, msg[runLo:j], m)
			line = hashLine(toks[base:])
		} else {
			line = (line ^ tk.hash) * fnvPrime
			line = (line ^ uint64(len(toks)-base)) * fnvPrime
		}
		i = j
	}
	return toks, line, false
}

// hashLine is the line hash maskLine folds token by token.
func hashLine(toks []maskedToken) uint64 {
	line := uint64(fnvOffset)
	for n := range toks {
		line = (line ^ toks[n].hash) * fnvPrime
		line = (line ^ uint64(n+1)) * fnvPrime
	}
	return line
}

// joinRun replaces the last k tokens, all whole variables, by one whose
// raw text is raw.
func joinRun(toks []maskedToken, k int, raw string, m *masker) []maskedToken {
	first := &toks[len(toks)-k]
	first.raw = raw
	m.buf = m.buf[:first.end]
	if m.collect {
		m.spans = append(m.spans[:len(m.spans)-k], raw)
	}
	return toks[:len(toks)-k+1]
}
