package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// sample is one line of the Prometheus text exposition format: a metric
// name, its labels and its value.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// maxSamples bounds what parseExposition keeps: a /probe answer holds a
// few dozen, so anything past this is not blackbox_exporter talking.
const maxSamples = 10000

// parseExposition parses the Prometheus text format (version 0.0.4) as
// blackbox_exporter's /probe serves it: comment lines (# HELP, # TYPE)
// and blank lines are skipped, every other line is a sample
// `name{label="value",...} value [timestamp]`. An error names the line
// and what was wrong with it; nothing is skipped silently.
func parseExposition(text string) ([]sample, error) {
	var out []sample
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		if len(out) == maxSamples {
			return nil, fmt.Errorf("line %d: more than %d samples", n+1, maxSamples)
		}
		s, err := parseSample(trimmed)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func parseSample(line string) (sample, error) {
	i := 0
	for i < len(line) && isNameChar(line[i], i == 0, true) {
		i++
	}
	if i == 0 {
		return sample{}, fmt.Errorf("no metric name at %q", clip(line))
	}
	s := sample{name: line[:i]}
	rest := line[i:]
	if strings.HasPrefix(rest, "{") {
		labels, after, err := parseLabels(rest[1:])
		if err != nil {
			return sample{}, fmt.Errorf("%s: %w", s.name, err)
		}
		s.labels, rest = labels, after
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 || len(fields) > 2 || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return sample{}, fmt.Errorf("%s: want a value and an optional timestamp after the name and labels, got %q", s.name, clip(rest))
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return sample{}, fmt.Errorf("%s: value %q is not a number", s.name, clip(fields[0]))
	}
	if len(fields) == 2 {
		if _, err := strconv.ParseInt(fields[1], 10, 64); err != nil {
			return sample{}, fmt.Errorf("%s: timestamp %q is not an integer", s.name, clip(fields[1]))
		}
	}
	s.value = v
	return s, nil
}

// parseLabels reads `a="x",b="y"}` (a trailing comma allowed) and returns
// the labels and the text after the closing brace.
func parseLabels(text string) (map[string]string, string, error) {
	labels := map[string]string{}
	for {
		text = strings.TrimLeft(text, " \t")
		if strings.HasPrefix(text, "}") {
			return labels, text[1:], nil
		}
		i := 0
		for i < len(text) && isNameChar(text[i], i == 0, false) {
			i++
		}
		if i == 0 {
			return nil, "", fmt.Errorf("no label name at %q", clip(text))
		}
		name := text[:i]
		text = strings.TrimLeft(text[i:], " \t")
		if eq, ok := strings.CutPrefix(text, "="); ok {
			text = strings.TrimLeft(eq, " \t")
		} else {
			text = "" // no "=": refused just below
		}
		if !strings.HasPrefix(text, `"`) {
			return nil, "", fmt.Errorf("label %s: want =\"value\"", name)
		}
		value, after, err := unquote(text[1:])
		if err != nil {
			return nil, "", fmt.Errorf("label %s: %w", name, err)
		}
		if _, dup := labels[name]; dup {
			return nil, "", fmt.Errorf("label %s appears twice", name)
		}
		labels[name] = value
		text = strings.TrimLeft(after, " \t")
		switch {
		case strings.HasPrefix(text, ","):
			text = text[1:]
		case strings.HasPrefix(text, "}"):
		default:
			return nil, "", fmt.Errorf("label %s: want , or } after the value", name)
		}
	}
}

// unquote reads a label value up to its closing quote, resolving the
// format's three escapes (\\, \" and \n).
func unquote(text string) (string, string, error) {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '"':
			return b.String(), text[i+1:], nil
		case '\\':
			if i+1 == len(text) {
				return "", "", errors.New("value ends inside an escape")
			}
			i++
			switch text[i] {
			case '\\':
				b.WriteByte('\\')
			case '"':
				b.WriteByte('"')
			case 'n':
				b.WriteByte('\n')
			default:
				return "", "", fmt.Errorf("unknown escape \\%c", text[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("value has no closing quote")
}

// isNameChar reports whether c may appear in a metric name (colons
// allowed) or a label name at this position.
func isNameChar(c byte, first, metric bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		return true
	case c == ':':
		return metric
	case c >= '0' && c <= '9':
		return !first
	}
	return false
}

// clip shortens text quoted in an error.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
