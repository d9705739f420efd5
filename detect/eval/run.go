package eval

import (
	"fmt"
	"os"
	"time"

	"github.com/nines-sre/nines/detect"
)

// LoadLabels reads a labels file with [ParseLabels].
func LoadLabels(path string) (Labels, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer fh.Close()
	return ParseLabels(fh)
}

// Run is a detector's output over a corpus.
type Run struct {
	// Scores holds Result.Score per row.
	Scores Scores
	// Flags holds 1 where Result.Anomaly was set and 0 elsewhere: scored at
	// threshold 1 they give the NAB score at the detector's own default
	// threshold ([Run.DefaultThreshold]).
	Flags Scores
	// Points is the number of observations.
	Points int
	// Elapsed is the time spent in ObserveAt, excluding everything else.
	Elapsed time.Duration
}

// PointsPerSecond is Points over Elapsed (0 if nothing was timed).
func (r Run) PointsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Points) / r.Elapsed.Seconds()
}

// DefaultThreshold scores the run at the detector's own default threshold:
// exactly the rows whose Result.Anomaly was true are detections.
func (c *Corpus) DefaultThreshold(r Run, p Profile) (Result, error) {
	return c.ScoreAt(r.Flags, p, 1)
}

// Run streams every file through a fresh detector from newDetector, point
// by point in row order with no look-ahead, as NAB's rules require. Every
// file must have values.
func (c *Corpus) Run(newDetector func() detect.Detector) (Run, error) {
	r := Run{Scores: make(Scores, len(c.Files)), Flags: make(Scores, len(c.Files))}
	for _, f := range c.Files {
		if f.Values == nil {
			return Run{}, fmt.Errorf("eval: %s has no 'value' column", f.Path)
		}
		d := newDetector()
		if d == nil {
			return Run{}, fmt.Errorf("eval: the detector factory returned nil")
		}
		n := len(f.Values)
		scores, flags := make([]float64, n), make([]float64, n)
		start := time.Now()
		for i, v := range f.Values {
			res := d.ObserveAt(f.Timestamps[i], v)
			scores[i] = res.Score
			if res.Anomaly {
				flags[i] = 1
			}
		}
		r.Elapsed += time.Since(start)
		r.Points += n
		r.Scores[f.Path], r.Flags[f.Path] = scores, flags
	}
	return r, nil
}
