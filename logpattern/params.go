package logpattern

import "strings"

// Params appends to dst the variable parts of line under the template id:
// for each "<*>" of the template, left to right, the text of line it
// stands for (substrings of line: no copy; a run of values masked to one
// token is one parameter, "1 6 11", spaces included). It reports false,
// appending nothing, when id is unknown or line has a different token
// count. It allocates only to grow dst.
func (m *Miner) Params(dst []string, id ID, line string) ([]string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.byID[id]
	if t == nil {
		return dst, false
	}
	if len(line) > m.cfg.maxLineBytes {
		line = cutLine(line, m.cfg.maxLineBytes)
	}
	m.mk.buf = m.mk.buf[:0]
	m.mk.collect = true
	m.mk.spans = m.mk.spans[:0]
	m.toks, _, _ = maskLine(line, m.toks[:0], &m.mk)
	m.mk.collect = false
	if len(m.toks) != len(t.slots) {
		return dst, false
	}
	spans := m.mk.spans
	for i := range t.slots {
		s := &t.slots[i]
		tk := &m.toks[i]
		own := spans[:tk.vars]
		spans = spans[tk.vars:]
		if !s.wild {
			dst = append(dst, own...)
			continue
		}
		raw := tk.raw
		if strings.HasPrefix(raw, s.prefix) && strings.HasSuffix(raw[len(s.prefix):], s.suffix) {
			raw = raw[len(s.prefix) : len(raw)-len(s.suffix)]
		}
		dst = append(dst, raw)
	}
	clear(m.mk.spans) // drop references to line
	return dst, true
}
