package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Window is one labelled anomaly window, both limits inclusive. Each limit
// must be the timestamp of exactly one row of its data file.
type Window struct {
	Start, End time.Time
}

// Labels maps a data file's path relative to the corpus root
// ("category/file.csv", slash-separated) to its anomaly windows. A file with
// no anomaly has an empty list.
type Labels map[string][]Window

// ParseLabels reads NAB's combined-windows JSON:
// {"category/file.csv": [["start", "end"], ...], ...}.
func ParseLabels(r io.Reader) (Labels, error) {
	var raw map[string][][]string
	dec := json.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("eval: labels: %w", err)
	}
	if raw == nil {
		return nil, fmt.Errorf("eval: labels: want a JSON object of files")
	}
	// nabscore.py (json.load) rejects anything after the object; so do we,
	// rather than score a silently truncated or concatenated labels file.
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("eval: labels: unexpected data after the JSON object")
	}
	out := make(Labels, len(raw))
	for path, wins := range raw {
		ws := make([]Window, 0, len(wins))
		for _, lim := range wins {
			if len(lim) != 2 {
				return nil, fmt.Errorf("eval: labels: %s: window %q must have exactly 2 limits", path, lim)
			}
			a, err := ParseTimestamp(lim[0])
			if err != nil {
				return nil, fmt.Errorf("eval: labels: %s: %w", path, err)
			}
			b, err := ParseTimestamp(lim[1])
			if err != nil {
				return nil, fmt.Errorf("eval: labels: %s: %w", path, err)
			}
			ws = append(ws, Window{Start: a, End: b})
		}
		out[path] = ws
	}
	return out, nil
}
