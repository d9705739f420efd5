package eval

import (
	"fmt"
	"time"
)

// ParseTimestamp parses a NAB timestamp: "YYYY-MM-DD HH:MM:SS[.ffffff]" or
// its ISO-8601 variants ('T' separator, "Z" or a ±HH[:MM] offset, minutes or
// seconds omitted, ',' as decimal mark, date only). Offsets are converted to
// UTC and dropped, and fractions are truncated to microseconds, as Python's
// datetime.fromisoformat (which nabscore.py uses) does. The result is in UTC.
func ParseTimestamp(s string) (time.Time, error) {
	p := tsParser{s: trimSpace(s)}
	t, ok := p.parse()
	if !ok {
		return time.Time{}, fmt.Errorf("eval: unparseable timestamp %q", s)
	}
	return t, nil
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

type tsParser struct {
	s   string
	pos int
}

// digits reads exactly n ASCII digits.
func (p *tsParser) digits(n int) (int, bool) {
	if p.pos+n > len(p.s) {
		return 0, false
	}
	v := 0
	for k := 0; k < n; k++ {
		c := p.s[p.pos+k]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	p.pos += n
	return v, true
}

func (p *tsParser) accept(c byte) bool {
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *tsParser) parse() (time.Time, bool) {
	year, ok1 := p.digits(4)
	ok2 := p.accept('-')
	month, ok3 := p.digits(2)
	ok4 := p.accept('-')
	day, ok5 := p.digits(2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return time.Time{}, false
	}
	var hour, minute, sec, micro, offset int
	if p.pos < len(p.s) {
		c := p.s[p.pos]
		if c != 'T' && c != 't' && c != ' ' {
			return time.Time{}, false
		}
		p.pos++
		var ok bool
		if hour, minute, sec, micro, ok = p.clock(); !ok {
			return time.Time{}, false
		}
		if offset, ok = p.zone(); !ok {
			return time.Time{}, false
		}
	}
	if p.pos != len(p.s) {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, micro*1000, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

func (p *tsParser) clock() (hour, minute, sec, micro int, ok bool) {
	if hour, ok = p.digits(2); !ok || hour > 23 {
		return 0, 0, 0, 0, false
	}
	if !p.accept(':') {
		return hour, 0, 0, 0, true
	}
	if minute, ok = p.digits(2); !ok || minute > 59 {
		return 0, 0, 0, 0, false
	}
	if !p.accept(':') {
		return hour, minute, 0, 0, true
	}
	if sec, ok = p.digits(2); !ok || sec > 59 {
		return 0, 0, 0, 0, false
	}
	if !p.accept('.') && !p.accept(',') {
		return hour, minute, sec, 0, true
	}
	n := 0
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		if n < 6 {
			micro = micro*10 + int(p.s[p.pos]-'0')
		}
		n++
		p.pos++
	}
	if n == 0 {
		return 0, 0, 0, 0, false
	}
	for k := n; k < 6; k++ {
		micro *= 10
	}
	return hour, minute, sec, micro, true
}

// zone reads an optional "Z" or ±HH[:MM] offset, in seconds east of UTC.
func (p *tsParser) zone() (int, bool) {
	if p.pos == len(p.s) {
		return 0, true
	}
	if p.accept('Z') || p.accept('z') {
		return 0, true
	}
	sign := 1
	switch {
	case p.accept('+'):
	case p.accept('-'):
		sign = -1
	default:
		return 0, false
	}
	h, ok := p.digits(2)
	if !ok || h > 23 {
		return 0, false
	}
	m := 0
	if p.accept(':') {
		if m, ok = p.digits(2); !ok || m > 59 {
			return 0, false
		}
	} else if p.pos < len(p.s) {
		if m, ok = p.digits(2); !ok || m > 59 {
			return 0, false
		}
	}
	return sign * (h*3600 + m*60), true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
