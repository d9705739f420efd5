package synthetic

import (
	"errors"
	"strings"
)

// refs returns the names text refers to as ${name}, in order. A malformed
// reference is left to expand to report.
func refs(text string) []string {
	var names []string
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			return names
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			return names
		}
		names = append(names, text[i+2:i+j])
		text = text[i+j+1:]
	}
}

// expand replaces every ${name} in text with lookup(name), passed through
// escape when escape is not nil. A "$" not followed by "{" is kept as is.
func expand(text string, escape func(string) string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(text, "${") {
		return text, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		b.WriteString(text[:i])
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			return "", errors.New("unterminated ${ reference")
		}
		name := text[i+2 : i+j]
		if !validRef(name) {
			return "", errors.New("reference ${" + name + "} is not a name of [A-Za-z_][A-Za-z0-9_]*")
		}
		v, ok := lookup(name)
		if !ok {
			return "", errors.New("reference ${" + name + "} has no value: no Var defines it and no earlier step extracted it")
		}
		if escape != nil {
			v = escape(v)
		}
		b.WriteString(v)
		text = text[i+j+1:]
	}
}
