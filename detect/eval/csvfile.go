package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// table is a parsed CSV: a trimmed header and the non-blank rows.
type table struct {
	header []string
	rows   [][]string
}

func readTable(r io.Reader, name string) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("eval: %s: empty file", name)
	}
	if err != nil {
		return nil, fmt.Errorf("eval: %s: %w", name, err)
	}
	t := &table{header: make([]string, len(header))}
	for i, h := range header {
		t.header[i] = strings.TrimSpace(h)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("eval: %s: %w", name, err)
		}
		if len(rec) == 0 {
			continue
		}
		t.rows = append(t.rows, rec)
	}
	return t, nil
}

// column returns the index of the named column, or -1.
func (t *table) column(name string) int {
	for i, h := range t.header {
		if h == name {
			return i
		}
	}
	return -1
}

// cell returns row[i] or an error naming the row (1-based, header = row 1).
func (t *table) cell(name string, row, i int) (string, error) {
	r := t.rows[row]
	if i >= len(r) {
		return "", fmt.Errorf("eval: %s row %d: %d fields, want column %d", name, row+2, len(r), i+1)
	}
	return r[i], nil
}

// parseFloat reads a number the way Python's float() does for the inputs
// NAB files hold (surrounding blanks allowed; "nan", "inf" accepted).
func parseFloat(s string) (float64, error) {
	return strconv.ParseFloat(strings.TrimSpace(s), 64)
}

// Series is one data file's content: its timestamps and, when the file has a
// "value" column, its values.
type Series struct {
	Timestamps []time.Time
	// Values is nil when the file has no "value" column.
	Values []float64
}

// ReadSeries parses a NAB data file ("timestamp,value" header; other
// columns ignored). name is used in error messages.
func ReadSeries(r io.Reader, name string) (Series, error) {
	t, err := readTable(r, name)
	if err != nil {
		return Series{}, err
	}
	ti := t.column("timestamp")
	if ti < 0 {
		return Series{}, fmt.Errorf("eval: %s: no 'timestamp' column", name)
	}
	vi := t.column("value")
	s := Series{Timestamps: make([]time.Time, len(t.rows))}
	if vi >= 0 {
		s.Values = make([]float64, len(t.rows))
	}
	for k := range t.rows {
		c, err := t.cell(name, k, ti)
		if err != nil {
			return Series{}, err
		}
		if s.Timestamps[k], err = ParseTimestamp(c); err != nil {
			return Series{}, fmt.Errorf("%w (%s row %d)", err, name, k+2)
		}
		if vi < 0 {
			continue
		}
		if c, err = t.cell(name, k, vi); err != nil {
			return Series{}, err
		}
		if s.Values[k], err = parseFloat(c); err != nil {
			return Series{}, fmt.Errorf("eval: %s row %d: value %q: %w", name, k+2, c, errors.Unwrap(err))
		}
	}
	return s, nil
}

// ScoreRows is one detector output file: a timestamp and a score per row.
type ScoreRows struct {
	Timestamps []time.Time
	Scores     []float64
}

// ReadScores parses a detector output file with a header containing
// "timestamp" and "anomaly_score" (other columns ignored). Scores must be
// finite and in [0, 1], as nabscore.py requires by default.
func ReadScores(r io.Reader, name string) (ScoreRows, error) {
	t, err := readTable(r, name)
	if err != nil {
		return ScoreRows{}, err
	}
	ti, ai := t.column("timestamp"), t.column("anomaly_score")
	if ti < 0 || ai < 0 {
		return ScoreRows{}, fmt.Errorf("eval: %s: header must contain 'timestamp' and 'anomaly_score' (got %q)", name, t.header)
	}
	out := ScoreRows{Timestamps: make([]time.Time, len(t.rows)), Scores: make([]float64, len(t.rows))}
	for k := range t.rows {
		c, err := t.cell(name, k, ti)
		if err != nil {
			return ScoreRows{}, err
		}
		if out.Timestamps[k], err = ParseTimestamp(c); err != nil {
			return ScoreRows{}, fmt.Errorf("%w (%s row %d)", err, name, k+2)
		}
		if c, err = t.cell(name, k, ai); err != nil {
			return ScoreRows{}, err
		}
		x, err := parseFloat(c)
		if err != nil {
			return ScoreRows{}, fmt.Errorf("eval: %s row %d: anomaly_score %q: %w", name, k+2, c, errors.Unwrap(err))
		}
		if err := checkScore(x); err != nil {
			return ScoreRows{}, fmt.Errorf("eval: %s row %d: %w", name, k+2, err)
		}
		out.Scores[k] = x
	}
	return out, nil
}

// ErrScoreRange reports an anomaly score that is NaN, infinite or outside
// [0, 1].
var ErrScoreRange = errors.New("eval: anomaly_score must be finite and in [0, 1]")

func checkScore(x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > 1 {
		return fmt.Errorf("%w (got %v)", ErrScoreRange, x)
	}
	return nil
}

// TimestampLayout is how WriteScores formats timestamps: NAB's own layout.
const TimestampLayout = "2006-01-02 15:04:05"

// WriteScores writes a "timestamp,anomaly_score" CSV. Timestamps with a
// sub-second part keep it (microseconds); scores are written with the
// shortest representation that reads back exactly.
func WriteScores(w io.Writer, timestamps []time.Time, scores []float64) error {
	if len(timestamps) != len(scores) {
		return fmt.Errorf("eval: WriteScores: %d timestamps but %d scores", len(timestamps), len(scores))
	}
	buf := make([]byte, 0, 64)
	buf = append(buf, "timestamp,anomaly_score\n"...)
	for i, t := range timestamps {
		t = t.UTC()
		if t.Nanosecond() != 0 {
			buf = t.AppendFormat(buf, "2006-01-02 15:04:05.000000")
		} else {
			buf = t.AppendFormat(buf, TimestampLayout)
		}
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, scores[i], 'g', -1, 64)
		buf = append(buf, '\n')
		if len(buf) > 32<<10 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("eval: WriteScores: %w", err)
			}
			buf = buf[:0]
		}
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("eval: WriteScores: %w", err)
	}
	return nil
}
