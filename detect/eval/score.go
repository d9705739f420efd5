package eval

import (
	"errors"
	"math"
	"slices"
)

// NoDetection is the sweep's "detect nothing" threshold: above every valid
// score.
const NoDetection = 1.1

// Counts tallies rows and windows at one threshold, over scored rows only.
type Counts struct {
	TPRows, FPRows, FNRows, TNRows int
	WindowsDetected, WindowsMissed int
}

// Result is a detector's NAB score for one profile at one threshold.
type Result struct {
	// Profile is the profile scored.
	Profile Profile
	// Threshold is the threshold used: a row with score >= Threshold is a
	// detection. After a sweep it may be [NoDetection] or +Inf when
	// detecting nothing scores best.
	Threshold float64
	// Raw is the summed weighted score over the corpus.
	Raw float64
	// Normalized is NAB's score: 100*(Raw-Null)/(Perfect-Null); 0 for a
	// detector that detects nothing, 100 for a perfect one.
	Normalized float64
	// Perfect and Null are the raw scores of the perfect detector (TP
	// weight times every window) and of the null detector (FN weight times
	// every window that holds a scored row).
	Perfect, Null float64
	// Counts tallies the rows and windows.
	Counts Counts
	// PerFile holds each file's raw score, in corpus order.
	PerFile []float64
}

// ErrNoWindows reports a corpus without anomaly windows, where the
// normalised score is undefined.
var ErrNoWindows = errors.New("eval: corpus has no anomaly window; the NAB score is undefined")

// Evaluate scores s under profile p at the threshold chosen by the
// corpus-wide sweep ([Corpus.Sweep]), as NAB reports detectors.
func (c *Corpus) Evaluate(s Scores, p Profile) (Result, error) {
	thr, err := c.Sweep(s, p)
	if err != nil {
		return Result{}, err
	}
	return c.ScoreAt(s, p, thr)
}

// ScoreAt scores s under profile p when every scored row with a score at or
// above threshold is a detection. In each window only the earliest
// detection counts (a reward on the scaled sigmoid of its position); every
// detection outside windows is penalised; every scored window without a
// detection costs the FN weight.
func (c *Corpus) ScoreAt(s Scores, p Profile, threshold float64) (Result, error) {
	if err := c.check(s); err != nil {
		return Result{}, err
	}
	r := Result{Profile: p, Threshold: threshold, PerFile: make([]float64, len(c.Files))}
	var best []float64
	var hits []bool
	for fi, f := range c.Files {
		x := s[f.Path]
		first := f.firstScoredWindow()
		best, hits = best[:0], hits[:0]
		for range len(f.Windows) - first {
			best, hits = append(best, -p.FN), append(hits, false)
		}
		fpSum := 0.0
		for i := f.FirstScored; i < len(x); i++ {
			det := x[i] >= threshold
			k := f.rowWindow[i]
			if k < 0 {
				if det {
					fpSum += p.FP * f.rowBase[i]
					r.Counts.FPRows++
				} else {
					r.Counts.TNRows++
				}
				continue
			}
			if !det {
				r.Counts.FNRows++
				continue
			}
			r.Counts.TPRows++
			w := int(k) - first
			hits[w] = true
			if v := p.TP * f.rowBase[i]; v > best[w] {
				best[w] = v
			}
		}
		sum, hit := 0.0, 0
		for w, v := range best {
			sum += v
			if hits[w] {
				hit++
			}
		}
		fscore := fpSum + sum
		r.Counts.WindowsDetected += hit
		r.Counts.WindowsMissed += len(best) - hit
		r.PerFile[fi] = fscore
		r.Raw += fscore
	}
	return c.normalise(r)
}

func (c *Corpus) normalise(r Result) (Result, error) {
	total, scored := c.WindowCounts()
	r.Perfect = r.Profile.TP * float64(total)
	r.Null = -r.Profile.FN * float64(scored)
	if r.Perfect-r.Null == 0 {
		return r, ErrNoWindows
	}
	r.Normalized = 100.0 * (r.Raw - r.Null) / (r.Perfect - r.Null)
	return r, nil
}

// sweepPoint is one scored row in the sweep.
type sweepPoint struct {
	score float64
	// window is the corpus-wide window index, or -1 outside windows.
	window int32
	// value is the weighted TP reward or FP penalty of a detection here.
	value float64
}

// Sweep returns the single threshold that maximises the summed raw score
// over the whole corpus under profile p. Candidates are [NoDetection] (or
// +Inf if some score reaches it) and every distinct score of a scored row;
// ties go to the higher threshold.
func (c *Corpus) Sweep(s Scores, p Profile) (float64, error) {
	if err := c.check(s); err != nil {
		return 0, err
	}
	n := 0
	for _, f := range c.Files {
		n += len(f.Timestamps) - f.FirstScored
	}
	pts := make([]sweepPoint, 0, n)
	nWindows, base := 0, 0
	for _, f := range c.Files {
		x := s[f.Path]
		nWindows += f.scoredWindows()
		for i := f.FirstScored; i < len(x); i++ {
			k := f.rowWindow[i]
			if k < 0 {
				pts = append(pts, sweepPoint{x[i], -1, p.FP * f.rowBase[i]})
			} else {
				pts = append(pts, sweepPoint{x[i], int32(base) + k, p.TP * f.rowBase[i]})
			}
		}
		base += len(f.Windows)
	}
	// Stable, so equal scores keep corpus order and the running sums match
	// nabscore.py bit for bit.
	slices.SortStableFunc(pts, func(a, b sweepPoint) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	top := NoDetection
	if len(pts) > 0 && pts[0].score >= top {
		top = math.Inf(1)
	}
	total := -p.FN * float64(nWindows)
	bestThr, bestRaw := top, total
	cur := make([]float64, base)
	for k := range cur {
		cur[k] = -p.FN
	}
	for j := 0; j < len(pts); {
		level := pts[j].score
		for ; j < len(pts) && pts[j].score == level; j++ {
			pt := pts[j]
			if pt.window < 0 {
				total += pt.value
				continue
			}
			if old := cur[pt.window]; pt.value > old {
				cur[pt.window] = pt.value
				total += pt.value - old
			}
		}
		if total > bestRaw {
			bestThr, bestRaw = level, total
		}
	}
	return bestThr, nil
}
