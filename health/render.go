package health

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// word is how the text format names a check status.
func word(s Status) string {
	switch s {
	case StatusPass:
		return "ok"
	case StatusWarn:
		return "warn"
	case StatusFail:
		return "failed"
	}
	return s.String()
}

// text renders the Kubernetes-style plain text report.
func (rep *report) text(g *reasonGate) []byte {
	// Room for a typical line per check, so the body grows rarely.
	b := make([]byte, 0, 64+48*len(rep.checks))
	if rep.single {
		l := &rep.checks[0]
		b = append(b, word(l.v.status)...)
		if reason := g.reason(l); reason != "" {
			b = append(b, ": "...)
			b = appendOneLine(b, reason)
		}
		return append(b, '\n')
	}
	for i := range rep.checks {
		l := &rep.checks[i]
		if l.excluded {
			b = append(b, "[+]"+l.e.check.Name+" excluded: ok\n"...)
			continue
		}
		marker := "[-]"
		if l.impact == StatusPass || l.impact == StatusWarn {
			marker = "[+]"
		}
		b = append(b, marker+l.e.check.Name+" "+word(l.v.status)...)
		if l.e.check.NonCritical && l.v.status != StatusPass {
			b = append(b, " (non-critical)"...)
		}
		if reason := g.reason(l); reason != "" {
			b = append(b, ": "...)
			b = appendOneLine(b, reason)
		}
		b = append(b, '\n')
	}
	if len(rep.unmatched) > 0 {
		b = appendUnmatched(b, rep.unmatched)
	}
	if rep.draining {
		// A pseudo-check in the "[-]name failed: reason" grammar, like
		// kube-apiserver's "shutdown" readiness check.
		b = append(b, "[-]draining failed: readiness withdrawn\n"...)
	}
	if httpCode(rep.status) == 200 {
		return append(b, rep.subject+" check passed\n"...)
	}
	return append(b, rep.subject+" check failed\n"...)
}

// appendUnmatched appends the Kubernetes warning for excluded names that
// match no check. Only names a check could have are echoed (they cannot
// carry markup or line breaks); the others are counted.
func appendUnmatched(b []byte, names []string) []byte {
	b = append(b, "warn: some health checks cannot be excluded: no matches for "...)
	malformed, sep := 0, ""
	for _, name := range names {
		if validName(name) != nil {
			malformed++
			continue
		}
		b = append(b, sep...)
		b = strconv.AppendQuote(b, name)
		sep = ","
	}
	if malformed > 0 {
		if sep != "" {
			b = append(b, " and "...)
		}
		b = strconv.AppendInt(b, int64(malformed), 10)
		b = append(b, " malformed name(s)"...)
	}
	return append(b, '\n')
}

// appendOneLine appends s with line breaks replaced by spaces, so that an
// error text cannot break the one-line-per-check text format.
func appendOneLine(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\n' || c == '\r' {
			b = append(b, ' ')
		} else {
			b = append(b, c)
		}
	}
	return b
}

// The application/health+json document (draft-inadarei-api-health-check-06).
type healthDoc struct {
	Status string                `json:"status"`
	Output string                `json:"output,omitempty"`
	Checks map[string][]checkDoc `json:"checks,omitempty"`
}

type checkDoc struct {
	Status        string          `json:"status"`
	ObservedValue json.RawMessage `json:"observedValue,omitempty"`
	ObservedUnit  string          `json:"observedUnit,omitempty"`
	Time          string          `json:"time,omitempty"`
	Output        string          `json:"output,omitempty"`
}

// draftStatus maps a status to the draft's pass, warn or fail.
func draftStatus(s Status) string {
	switch s {
	case StatusPass:
		return "pass"
	case StatusWarn:
		return "warn"
	}
	return "fail"
}

// json renders the application/health+json report. Keys are sorted by
// encoding/json, so the output is deterministic.
func (rep *report) json(g *reasonGate) []byte {
	doc := healthDoc{Status: draftStatus(rep.status), Checks: map[string][]checkDoc{}}
	for i := range rep.checks {
		l := &rep.checks[i]
		if l.excluded {
			continue
		}
		c := checkDoc{Status: draftStatus(l.v.status), Output: g.reason(l)}
		key := l.e.check.Name
		if l.st.hasResult {
			last := &l.st.last
			if last.ObservedValue != nil && g.authorized() {
				c.ObservedValue, c.ObservedUnit = observed(last.ObservedValue), last.ObservedUnit
			}
			c.Time = last.Time.UTC().Format(time.RFC3339Nano)
			if l.st.measurement != "" {
				key += ":" + l.st.measurement
			}
		}
		doc.Checks[key] = append(doc.Checks[key], c)
	}
	switch {
	case rep.single:
		doc.Output = doc.Checks[firstKey(doc.Checks)][0].Output
	case rep.draining:
		doc.Output = "draining: readiness withdrawn"
	case rep.status == StatusWarn:
		doc.Output = rep.subject + " check passed with warnings"
	case rep.status != StatusPass:
		doc.Output = rep.subject + " check failed"
	}
	// Every field is a string or an already encoded observedValue, so
	// this cannot fail.
	b, _ := json.Marshal(doc)
	return append(b, '\n')
}

// observed encodes a check's ObservedValue on its own, so that one value
// encoding/json refuses (a cycle, a channel, a NaN) or whose MarshalJSON
// panics costs only itself: it is shown as its type name. The fallback
// never walks the value (fmt.Sprint would recurse into a cycle until the
// stack overflows, which no recover can catch).
func observed(v any) (raw json.RawMessage) {
	defer func() {
		if recover() != nil {
			raw = unencodable(v)
		}
	}()
	b, err := json.Marshal(v)
	if err != nil {
		return unencodable(v)
	}
	return b
}

func unencodable(v any) json.RawMessage {
	b, _ := json.Marshal(fmt.Sprintf("unencodable %T", v))
	return b
}

func firstKey(m map[string][]checkDoc) string {
	for k := range m {
		return k
	}
	return ""
}
