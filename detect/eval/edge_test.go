package eval

import "testing"

// TestEdgeCasesAgreeWithNabscore pins the corners where a scorer most
// easily drifts from /work/shared/nab/nabscore.py: a window ending on the
// last probationary row (not scored, yet it still shapes the FP penalty of
// the rows after it), a window ending on the first scored row (scored from
// that one row), and a file without windows beside one with a window (its
// detections are flat -1 FPs and it adds no FN). The expected figures are
// nabscore.py's score_at_threshold, corpus_window_counts, normalise and
// sweep run on the same geometry.
func TestEdgeCasesAgreeWithNabscore(t *testing.T) {
	for _, tc := range []struct {
		name           string
		files          []*File
		scores         Scores
		raw, norm      float64
		counts         Counts
		total, scored  int
		sweepThreshold float64
	}{
		{
			name:  "window ends on the last probationary row",
			files: []*File{mustFile(t, "c/a.csv", 40, Rows{2, 5}, Rows{20, 23})},
			// row 5 is in probation; row 6 is an FP 1 row after a 4-row window
			scores: Scores{"c/a.csv": spikes(40, 5, 6)},
			raw:    -1.0750487969261986, norm: -2.5016265642066196,
			counts: Counts{FPRows: 1, FNRows: 4, TNRows: 29, WindowsMissed: 1},
			total:  2, scored: 1, sweepThreshold: NoDetection,
		},
		{
			name:   "window ends on the first scored row",
			files:  []*File{mustFile(t, "c/b.csv", 40, Rows{3, 6}, Rows{20, 23})},
			scores: Scores{"c/b.csv": spikes(40, 3, 4, 5, 6)},
			raw:    -0.4378758513955173, norm: 39.05310371511207,
			counts: Counts{TPRows: 1, FNRows: 4, TNRows: 29, WindowsDetected: 1, WindowsMissed: 1},
			total:  2, scored: 2, sweepThreshold: 1,
		},
		{
			name:   "file without windows",
			files:  []*File{mustFile(t, "c/a.csv", 20, Rows{10, 13}), mustFile(t, "c/b.csv", 20)},
			scores: Scores{"c/a.csv": spikes(20), "c/b.csv": spikes(20, 2, 5)},
			raw:    -1.11, norm: -5.500000000000005,
			counts: Counts{FPRows: 1, FNRows: 4, TNRows: 29, WindowsMissed: 1},
			total:  1, scored: 1, sweepThreshold: NoDetection,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewCorpus(tc.files...)
			if err != nil {
				t.Fatal(err)
			}
			if total, scored := c.WindowCounts(); total != tc.total || scored != tc.scored {
				t.Errorf("WindowCounts = %d, %d; want %d, %d", total, scored, tc.total, tc.scored)
			}
			r, err := c.ScoreAt(tc.scores, Standard, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			if !near(r.Raw, tc.raw) || !near(r.Normalized, tc.norm) {
				t.Errorf("raw %v normalized %v, want %v and %v", r.Raw, r.Normalized, tc.raw, tc.norm)
			}
			if r.Counts != tc.counts {
				t.Errorf("counts = %+v, want %+v", r.Counts, tc.counts)
			}
			if thr, err := c.Sweep(tc.scores, Standard); err != nil || thr != tc.sweepThreshold {
				t.Errorf("Sweep = %v, %v; want %v", thr, err, tc.sweepThreshold)
			}
		})
	}
}
