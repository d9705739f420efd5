package eval

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Probation rules: the first min(floor(0.15*n), 750) rows of a file are not
// scored.
const (
	ProbationFraction = 0.15
	ProbationCap      = ProbationFraction * 5000
)

// ProbationRows returns how many leading rows of an n-row file are not
// scored.
func ProbationRows(n int) int {
	p := min(math.Floor(ProbationFraction*float64(n)), ProbationCap)
	if p >= float64(n) {
		return n
	}
	return int(math.Ceil(p))
}

// Rows is a window as inclusive row indices.
type Rows struct {
	Start, End int
}

// File is one labelled data file with the scoring geometry precomputed.
// Build it with [NewFile] or [LoadCorpus]; it is immutable afterwards and
// safe for concurrent use.
type File struct {
	// Path is the file's path relative to the corpus root, slash-separated.
	Path string
	// Timestamps holds one timestamp per row.
	Timestamps []time.Time
	// Values holds one value per row, or is nil if the file had none.
	Values []float64
	// Windows are the anomaly windows as row indices, sorted, disjoint.
	Windows []Rows
	// FirstScored is the first row after the probationary period.
	FirstScored int

	// rowWindow[i] is the index of the window holding row i, or -1.
	rowWindow []int32
	// rowBase[i] is the unweighted TP value of row i inside a window, or its
	// unweighted FP value (negative) outside one.
	rowBase []float64
}

// NewFile checks windows against the timestamps (each limit must be the
// timestamp of exactly one row; windows must not overlap) and precomputes
// the scoring geometry. values may be nil.
func NewFile(path string, timestamps []time.Time, values []float64, windows []Window) (*File, error) {
	if values != nil && len(values) != len(timestamps) {
		return nil, fmt.Errorf("eval: %s: %d values but %d timestamps", path, len(values), len(timestamps))
	}
	f := &File{Path: path, Timestamps: timestamps, Values: values}
	rows, err := windowRows(path, timestamps, windows)
	if err != nil {
		return nil, err
	}
	f.Windows = rows
	if err := f.precompute(); err != nil {
		return nil, err
	}
	return f, nil
}

// windowRows maps window limits to row indices.
func windowRows(path string, timestamps []time.Time, windows []Window) ([]Rows, error) {
	if len(windows) == 0 {
		return nil, nil
	}
	positions := make(map[int64][]int, len(timestamps))
	for i, t := range timestamps {
		k := t.UnixMicro()
		positions[k] = append(positions[k], i)
	}
	find := func(t time.Time) (int, error) {
		p := positions[t.UnixMicro()]
		if len(p) != 1 {
			return 0, fmt.Errorf("eval: %s: window limit %s occurs %d times in the data",
				path, t.Format("2006-01-02 15:04:05.000000"), len(p))
		}
		return p[0], nil
	}
	out := make([]Rows, 0, len(windows))
	for _, w := range windows {
		a, err := find(w.Start)
		if err != nil {
			return nil, err
		}
		b, err := find(w.End)
		if err != nil {
			return nil, err
		}
		if b < a {
			return nil, fmt.Errorf("eval: %s: window [%d, %d] ends before it starts", path, a, b)
		}
		out = append(out, Rows{a, b})
	}
	slices.SortFunc(out, func(x, y Rows) int {
		if x.Start != y.Start {
			return x.Start - y.Start
		}
		return x.End - y.End
	})
	for k := 1; k < len(out); k++ {
		if out[k].Start <= out[k-1].End {
			return nil, fmt.Errorf("eval: %s: windows %v and %v overlap", path, out[k-1], out[k])
		}
	}
	return out, nil
}

// precompute gives each row its window (or -1) and its unweighted value.
//
// In a window [s, e] of width w = e-s+1, row i has relative position
// -(e-i+1)/w and TP value positionReward(pos)/earliestReward: 1 at the first
// row, falling towards 0 at the last. Outside windows a row's FP value is -1
// if no window has ended before it, otherwise positionReward((i-e)/(w-1))
// for the most recently ended window [s, e].
func (f *File) precompute() error {
	n := len(f.Timestamps)
	f.FirstScored = ProbationRows(n)
	f.rowWindow = make([]int32, n)
	f.rowBase = make([]float64, n)
	wi, nw := 0, len(f.Windows)
	prevEnd, prevWidth := -1, 0
	for i := 0; i < n; i++ {
		for wi < nw && f.Windows[wi].End < i {
			prevEnd, prevWidth = f.Windows[wi].End, f.Windows[wi].End-f.Windows[wi].Start+1
			wi++
		}
		if wi < nw && f.Windows[wi].Start <= i && i <= f.Windows[wi].End {
			s, e := f.Windows[wi].Start, f.Windows[wi].End
			width := e - s + 1
			f.rowWindow[i] = int32(wi)
			f.rowBase[i] = positionReward(-float64(e-i+1)/float64(width)) / earliestReward
			continue
		}
		f.rowWindow[i] = -1
		if prevEnd < 0 {
			f.rowBase[i] = -1.0
			continue
		}
		if prevWidth <= 1 {
			return fmt.Errorf("eval: %s: window of width 1 cannot score following FPs", f.Path)
		}
		f.rowBase[i] = positionReward(math.Abs(float64(i-prevEnd)) / float64(prevWidth-1))
	}
	return nil
}

// scoredWindows counts windows holding at least one non-probationary row.
// Windows are sorted and disjoint, so these are a suffix of f.Windows.
func (f *File) scoredWindows() int {
	n := 0
	for _, w := range f.Windows {
		if w.End >= f.FirstScored {
			n++
		}
	}
	return n
}

// firstScoredWindow is the index of the first window with a scored row.
func (f *File) firstScoredWindow() int {
	return len(f.Windows) - f.scoredWindows()
}
