package eval

import (
	"math"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2014, 4, 10, 0, 0, 0, 0, time.UTC)

// stamps returns n timestamps five minutes apart.
func stamps(n int) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = t0.Add(time.Duration(i) * 5 * time.Minute)
	}
	return ts
}

// mustFile builds a file of n rows with windows given as row indices.
func mustFile(t testing.TB, path string, n int, rows ...Rows) *File {
	t.Helper()
	ts := stamps(n)
	ws := make([]Window, len(rows))
	for k, r := range rows {
		ws[k] = Window{ts[r.Start], ts[r.End]}
	}
	f, err := NewFile(path, ts, nil, ws)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// spikes returns n zero scores with 1 at the given rows.
func spikes(n int, at ...int) []float64 {
	s := make([]float64, n)
	for _, i := range at {
		s[i] = 1
	}
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestProbationRows(t *testing.T) {
	for _, tc := range []struct{ n, want int }{
		{0, 0}, {1, 0}, {6, 0}, {7, 1}, {20, 3}, {100, 15}, {4000, 600},
		{5000, 750}, {5006, 750}, {100000, 750},
	} {
		if got := ProbationRows(tc.n); got != tc.want {
			t.Errorf("ProbationRows(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

func TestPositionReward(t *testing.T) {
	for _, tc := range []struct{ x, want float64 }{
		{-1, 0.9866142981514305}, // 2/(1+e^-5)-1
		{0, 0},
		{1.0 / 3, -0.6822617902381697},
		{3, 2/(1+math.Exp(15)) - 1},
		{3.0001, -1},
		{100, -1},
	} {
		if got := positionReward(tc.x); !near(got, tc.want) {
			t.Errorf("positionReward(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}

// TestScoreAtScript walks one 20-row file (probation 3 rows) with a window
// over rows 10..13 through scripted detections; expected values are from
// NAB's formulas evaluated independently.
func TestScoreAtScript(t *testing.T) {
	f := mustFile(t, "c/a.csv", 20, Rows{10, 13})
	c, err := NewCorpus(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		at      []int
		p       Profile
		raw     float64
		counts  Counts
		perfect float64
	}{
		{"nothing", nil, Standard, -1, Counts{TNRows: 13, FNRows: 4, WindowsMissed: 1}, 1},
		{"window start", []int{10}, Standard, 1, Counts{TPRows: 1, TNRows: 13, FNRows: 3, WindowsDetected: 1}, 1},
		{"earliest counts", []int{12, 11}, Standard, 0.9669890878000605,
			Counts{TPRows: 2, TNRows: 13, FNRows: 2, WindowsDetected: 1}, 1},
		{"late in window", []int{13}, Standard, 0.5621241486044827,
			Counts{TPRows: 1, TNRows: 13, FNRows: 3, WindowsDetected: 1}, 1},
		{"FP before window", []int{5}, Standard, -1.11,
			Counts{FPRows: 1, TNRows: 12, FNRows: 4, WindowsMissed: 1}, 1},
		{"FP before window, low FP", []int{5}, RewardLowFPRate, -1.22,
			Counts{FPRows: 1, TNRows: 12, FNRows: 4, WindowsMissed: 1}, 1},
		{"missed, low FN", nil, RewardLowFNRate, -2,
			Counts{TNRows: 13, FNRows: 4, WindowsMissed: 1}, 1},
		{"FP after window", []int{10, 14}, Standard, 1 + 0.11*-0.6822617902381697,
			Counts{TPRows: 1, FPRows: 1, TNRows: 12, FNRows: 3, WindowsDetected: 1}, 1},
		{"probation ignored", []int{0, 1, 2}, Standard, -1, Counts{TNRows: 13, FNRows: 4, WindowsMissed: 1}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.ScoreAt(Scores{"c/a.csv": spikes(20, tc.at...)}, tc.p, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			if !near(r.Raw, tc.raw) {
				t.Errorf("raw = %v, want %v", r.Raw, tc.raw)
			}
			if r.Counts != tc.counts {
				t.Errorf("counts = %+v, want %+v", r.Counts, tc.counts)
			}
			wantNorm := 100 * (tc.raw + tc.p.FN) / (tc.perfect + tc.p.FN)
			if !near(r.Normalized, wantNorm) {
				t.Errorf("normalized = %v, want %v", r.Normalized, wantNorm)
			}
			if len(r.PerFile) != 1 || !near(r.PerFile[0], tc.raw) {
				t.Errorf("per file = %v, want [%v]", r.PerFile, tc.raw)
			}
		})
	}
}

// TestNormaliseCountsProbationWindows checks that a window entirely inside
// the probationary period counts for the perfect score but not the null.
func TestNormaliseCountsProbationWindows(t *testing.T) {
	f := mustFile(t, "c/a.csv", 40, Rows{1, 3}, Rows{20, 25})
	c, _ := NewCorpus(f)
	total, scored := c.WindowCounts()
	if total != 2 || scored != 1 {
		t.Fatalf("WindowCounts = %d, %d; want 2, 1", total, scored)
	}
	r, err := c.ScoreAt(Scores{"c/a.csv": spikes(40, 20)}, Standard, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	// raw 1 (earliest TP), perfect 2, null -1.
	if !near(r.Normalized, 100*2.0/3.0) || r.Perfect != 2 || r.Null != -1 {
		t.Errorf("got normalized %v perfect %v null %v", r.Normalized, r.Perfect, r.Null)
	}
}

func TestSweepScript(t *testing.T) {
	fa := mustFile(t, "c/a.csv", 20, Rows{10, 13})
	fb := mustFile(t, "c/b.csv", 20)
	c, _ := NewCorpus(fb, fa)
	if c.Files[0].Path != "c/a.csv" {
		t.Fatalf("corpus not sorted: %s first", c.Files[0].Path)
	}
	a, b := make([]float64, 20), make([]float64, 20)
	a[10] = 0.8 // TP if threshold <= 0.8
	b[5] = 0.9  // FP in the other file if threshold <= 0.9
	a[4] = 0.7  // FP before the window
	for _, tc := range []struct {
		name string
		p    Profile
		s    Scores
		want float64
	}{
		{"best just below the TP", Standard, Scores{"c/a.csv": a, "c/b.csv": b}, 0.8},
		{"nothing beats nothing", Standard, Scores{"c/a.csv": make([]float64, 20), "c/b.csv": b}, NoDetection},
		{"score 1 alone", Standard, Scores{"c/a.csv": spikes(20, 10), "c/b.csv": make([]float64, 20)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Sweep(tc.s, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Sweep = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestScoresChecked(t *testing.T) {
	c, _ := NewCorpus(mustFile(t, "c/a.csv", 10, Rows{5, 6}))
	for _, s := range []Scores{
		{},
		{"c/a.csv": make([]float64, 9)},
		{"c/a.csv": append(make([]float64, 9), math.NaN())},
		{"c/a.csv": append(make([]float64, 9), 1.5)},
		{"c/a.csv": append(make([]float64, 9), -0.1)},
	} {
		if _, err := c.Evaluate(s, Standard); err == nil {
			t.Errorf("Evaluate(%v) = nil error", s)
		}
	}
}

func TestNoWindows(t *testing.T) {
	c, _ := NewCorpus(mustFile(t, "c/a.csv", 10))
	if _, err := c.Evaluate(Scores{"c/a.csv": make([]float64, 10)}, Standard); err != ErrNoWindows {
		t.Errorf("err = %v, want ErrNoWindows", err)
	}
}

func TestNewFileErrors(t *testing.T) {
	ts := stamps(10)
	dup := append(stamps(9), ts[3])
	for _, tc := range []struct {
		name string
		ts   []time.Time
		ws   []Window
	}{
		{"limit absent", ts, []Window{{ts[1], t0.Add(time.Hour * 24)}}},
		{"limit twice", dup, []Window{{ts[3], ts[5]}}},
		{"reversed", ts, []Window{{ts[5], ts[3]}}},
		{"overlap", ts, []Window{{ts[1], ts[4]}, {ts[4], ts[6]}}},
		{"width 1 then rows", ts, []Window{{ts[4], ts[4]}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewFile("c/a.csv", tc.ts, nil, tc.ws); err == nil {
				t.Error("NewFile = nil error")
			}
		})
	}
	if _, err := NewFile("c/a.csv", ts, make([]float64, 3), nil); err == nil {
		t.Error("NewFile with short values = nil error")
	}
	if _, err := NewCorpus(mustFile(t, "x", 3), mustFile(t, "x", 3)); err == nil {
		t.Error("NewCorpus with a duplicate path = nil error")
	}
}
