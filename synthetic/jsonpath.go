package synthetic

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// A path selects a value in a decoded JSON document: "$.items[0].id",
// "items[0].id" and "items.0.id" all name the same value. It is the small
// subset of JSONPath that assertions and extractions need: object keys and
// array indexes, no wildcards or filters.
type path []segment

type segment struct {
	key   string
	index int // -1 for a key
}

func parsePath(s string) (path, error) {
	if s == "" {
		return nil, errors.New("empty path")
	}
	rest := strings.TrimPrefix(s, "$")
	var p path
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			n := strings.IndexAny(rest, ".[")
			if n < 0 {
				n = len(rest)
			}
			if n == 0 {
				return nil, errors.New("empty key in path")
			}
			p = append(p, segmentOf(rest[:n]))
			rest = rest[n:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, errors.New("unterminated [ in path")
			}
			inner := rest[1:end]
			if q, err := strconv.Unquote(inner); err == nil && len(inner) > 1 && (inner[0] == '"' || inner[0] == '\'') {
				p = append(p, segment{key: q, index: -1})
			} else {
				i, err := strconv.Atoi(inner)
				if err != nil || i < 0 {
					return nil, errors.New("index [" + inner + "] is not a non-negative integer")
				}
				p = append(p, segment{index: i})
			}
			rest = rest[end+1:]
		default:
			if len(p) > 0 || strings.HasPrefix(s, "$") {
				return nil, errors.New("expected . or [ at " + strconv.Quote(rest))
			}
			rest = "." + rest
		}
	}
	return p, nil
}

// segmentOf reads a dotted segment: digits index an array (items.0), and
// anything else is a key.
func segmentOf(s string) segment {
	if i, err := strconv.Atoi(s); err == nil && i >= 0 {
		return segment{key: s, index: i}
	}
	return segment{key: s, index: -1}
}

// lookup returns the value at p in doc and whether it exists.
func (p path) lookup(doc any) (any, bool) {
	v := doc
	for _, seg := range p {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[seg.key]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			if seg.index < 0 || seg.index >= len(x) {
				return nil, false
			}
			v = x[seg.index]
		default:
			return nil, false
		}
	}
	return v, true
}

// text is a JSON value as an assertion compares it: a string as itself,
// anything else in its JSON encoding.
func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
