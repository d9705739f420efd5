package eval

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// bruteSweep tries every candidate threshold with ScoreAt and returns the
// best raw score.
func bruteSweep(t testing.TB, c *Corpus, s Scores, p Profile) float64 {
	t.Helper()
	cands := []float64{NoDetection}
	for _, f := range c.Files {
		cands = append(cands, s[f.Path][f.FirstScored:]...)
	}
	best := math.Inf(-1)
	for _, thr := range cands {
		r, err := c.ScoreAt(s, p, thr)
		if err != nil {
			t.Fatal(err)
		}
		best = max(best, r.Raw)
	}
	return best
}

// checkCorpus verifies the geometry and the sweep of one corpus.
func checkCorpus(t testing.TB, c *Corpus, s Scores) {
	t.Helper()
	for _, f := range c.Files {
		for i, k := range f.rowWindow {
			b := f.rowBase[i]
			if k >= 0 && !(b > 0 && b <= 1+1e-12) {
				t.Fatalf("%s row %d in window: value %v not in (0, 1]", f.Path, i, b)
			}
			if k < 0 && !(b >= -1 && b < 1e-12) {
				t.Fatalf("%s row %d outside windows: value %v not in [-1, 0]", f.Path, i, b)
			}
		}
	}
	total, _ := c.WindowCounts()
	for _, p := range Profiles() {
		thr, err := c.Sweep(s, p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.ScoreAt(s, p, thr)
		if total == 0 {
			if err != ErrNoWindows {
				t.Fatalf("no windows: err = %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteSweep(t, c, s, p); math.Abs(r.Raw-want) > 1e-9 {
			t.Fatalf("%s: sweep raw %v at %v, brute force %v", p.Name, r.Raw, thr, want)
		}
		if r.Normalized > 100+1e-9 || math.IsNaN(r.Normalized) {
			t.Fatalf("%s: normalized %v", p.Name, r.Normalized)
		}
		if r.Counts.TPRows+r.Counts.FPRows+r.Counts.FNRows+r.Counts.TNRows != scoredRows(c) {
			t.Fatalf("%s: counts %+v do not cover the %d scored rows", p.Name, r.Counts, scoredRows(c))
		}
	}
}

func scoredRows(c *Corpus) int {
	n := 0
	for _, f := range c.Files {
		n += len(f.Timestamps) - f.FirstScored
	}
	return n
}

// corpusFrom builds a one- or two-file corpus from fuzz input: lengths,
// window cuts and scores quantised so that ties happen.
func corpusFrom(t testing.TB, seed uint64, data []byte) (*Corpus, Scores, bool) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var files []*File
	scores := Scores{}
	for k, path := range []string{"a/x.csv", "b/y.csv"} {
		if k == 1 && len(data)%2 == 0 {
			break
		}
		n := 1 + rng.IntN(120)
		var rows []Rows
		pos := 0
		for _, b := range data {
			start := pos + int(b%16)
			end := start + int(b/16)
			if end >= n {
				break
			}
			rows = append(rows, Rows{start, end})
			pos = end + 1
		}
		ts := stamps(n)
		ws := make([]Window, len(rows))
		for j, r := range rows {
			ws[j] = Window{ts[r.Start], ts[r.End]}
		}
		f, err := NewFile(path, ts, nil, ws)
		if want := widthOneBeforeFP(rows, n); (err != nil) != want {
			t.Fatalf("NewFile(%d rows, %v) = %v, want error %v", n, rows, err, want)
		}
		if err != nil {
			return nil, nil, false
		}
		files = append(files, f)
		s := make([]float64, n)
		for i := range s {
			s[i] = float64(rng.IntN(9)) / 8
		}
		scores[path] = s
	}
	c, err := NewCorpus(files...)
	if err != nil {
		t.Fatal(err)
	}
	return c, scores, true
}

// widthOneBeforeFP reports whether some row outside windows follows a
// window of width 1 with no other window ending in between: the one layout
// NAB cannot score.
func widthOneBeforeFP(rows []Rows, n int) bool {
	for k, r := range rows {
		if r.Start != r.End {
			continue
		}
		next := n
		if k+1 < len(rows) {
			next = rows[k+1].Start
		}
		if next > r.End+1 {
			return true
		}
	}
	return false
}

func TestSweepMatchesBruteForce(t *testing.T) {
	for seed := range uint64(200) {
		data := []byte{byte(seed * 37), byte(seed * 91), byte(seed), byte(seed * 13)}
		if c, s, ok := corpusFrom(t, seed, data[:seed%5]); ok {
			checkCorpus(t, c, s)
		}
	}
}

func FuzzWindowMath(f *testing.F) {
	f.Add(uint64(1), []byte{0x31, 0x22})
	f.Add(uint64(2), []byte{})
	f.Add(uint64(3), []byte{0x00, 0x00, 0x10})
	f.Fuzz(func(t *testing.T, seed uint64, data []byte) {
		if c, s, ok := corpusFrom(t, seed, data); ok {
			checkCorpus(t, c, s)
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2014-04-10 07:15:00", "2014-04-10T07:15:00.123456Z", "2014-04-10T07+01:30", "2014-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTimestamp(s)
		if err != nil {
			return
		}
		if ts.Location() != ts.UTC().Location() || ts.Nanosecond()%1000 != 0 {
			t.Fatalf("ParseTimestamp(%q) = %v: not UTC microseconds", s, ts)
		}
		again, err := ParseTimestamp(ts.Format("2006-01-02 15:04:05.000000"))
		if err != nil && ts.Year() >= 1 && ts.Year() <= 9999 {
			t.Fatalf("reparse of %v: %v", ts, err)
		}
		if err == nil && !again.Equal(ts) {
			t.Fatalf("reparse of %v = %v", ts, again)
		}
	})
}

func FuzzParseLabels(f *testing.F) {
	f.Add(`{"a/x.csv": [["2014-04-10 00:00:00", "2014-04-10 01:00:00"]]}`)
	f.Add(`{"a/x.csv": []}`)
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLabels(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, ws := range l {
			for _, w := range ws {
				if w.Start.Location() != w.Start.UTC().Location() {
					t.Fatalf("non-UTC window %v", w)
				}
			}
		}
	})
}

func FuzzReadScores(f *testing.F) {
	f.Add("timestamp,anomaly_score\n2014-04-10 00:00:00,0.5\n")
	f.Add("anomaly_score,timestamp\n\"1\",2014-04-10\n")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ReadScores(strings.NewReader(s), "f.csv")
		if err != nil {
			return
		}
		if len(r.Scores) != len(r.Timestamps) {
			t.Fatalf("%d scores, %d timestamps", len(r.Scores), len(r.Timestamps))
		}
		for _, x := range r.Scores {
			if checkScore(x) != nil {
				t.Fatalf("accepted score %v", x)
			}
		}
		var b bytes.Buffer
		if err := WriteScores(&b, r.Timestamps, r.Scores); err != nil {
			t.Fatal(err)
		}
		back, err := ReadScores(&b, "back.csv")
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		for i := range r.Scores {
			if back.Scores[i] != r.Scores[i] || !back.Timestamps[i].Equal(r.Timestamps[i]) {
				t.Fatalf("round trip row %d: %v %v != %v %v", i, back.Timestamps[i], back.Scores[i], r.Timestamps[i], r.Scores[i])
			}
		}
	})
}

func FuzzReadSeries(f *testing.F) {
	f.Add("timestamp,value\n2014-04-10 00:00:00,1e3\n")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ReadSeries(strings.NewReader(s), "f.csv")
		if err != nil {
			return
		}
		if r.Values != nil && len(r.Values) != len(r.Timestamps) {
			t.Fatalf("%d values, %d timestamps", len(r.Values), len(r.Timestamps))
		}
	})
}
