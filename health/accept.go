package health

import "strings"

// format is a response representation.
type format uint8

const (
	formatText format = iota // text/plain, the Kubernetes convention
	formatJSON               // application/health+json
)

// negotiate picks the representation for an Accept header: the acceptable
// media range with the highest q wins, a more specific range breaking
// ties, text/plain breaking the rest. An empty or unsatisfiable header
// gets text/plain. It does not allocate.
func negotiate(accept string) format {
	best, bestQ, bestSpec := formatText, -1.0, -1
	for accept != "" {
		var part string
		part, accept, _ = strings.Cut(accept, ",")
		mediaType, params, _ := strings.Cut(part, ";")
		mediaType = strings.TrimSpace(mediaType)
		f, spec, ok := mediaFormat(mediaType)
		if !ok {
			continue
		}
		q := qValue(params)
		if q <= 0 {
			continue
		}
		if q > bestQ || q == bestQ && (spec > bestSpec || spec == bestSpec && f == formatText) {
			best, bestQ, bestSpec = f, q, spec
		}
	}
	return best
}

// mediaFormat maps a media range to a format and its specificity (2 for a
// full type, 1 for type/*, 0 for */*).
func mediaFormat(mt string) (format, int, bool) {
	switch {
	case strings.EqualFold(mt, "application/health+json"), strings.EqualFold(mt, "application/json"):
		return formatJSON, 2, true
	case strings.EqualFold(mt, "text/plain"):
		return formatText, 2, true
	case strings.EqualFold(mt, "application/*"):
		return formatJSON, 1, true
	case strings.EqualFold(mt, "text/*"):
		return formatText, 1, true
	case mt == "*/*":
		return formatText, 0, true
	}
	return formatText, 0, false
}

// qValue parses the q parameter of a media range's parameters (default 1;
// malformed values count as 0, as not acceptable).
func qValue(params string) float64 {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		return parseQ(strings.TrimSpace(v))
	}
	return 1
}

// parseQ parses a qvalue (RFC 9110: "0" to "1" with up to three
// decimals) without allocating.
func parseQ(v string) float64 {
	if v == "" || len(v) > 5 || (v[0] != '0' && v[0] != '1') {
		return 0
	}
	q := float64(v[0] - '0')
	if len(v) == 1 {
		return q
	}
	if v[1] != '.' {
		return 0
	}
	scale := 0.1
	for i := 2; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0
		}
		q += float64(c-'0') * scale
		scale /= 10
	}
	return min(q, 1)
}
