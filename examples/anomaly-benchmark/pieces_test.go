package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nines-sre/nines/detect/eval"
)

// piecesFile is a 1000-row file, one row a minute, with windows at rows
// [450, 520] and [900, 950].
func piecesFile(t *testing.T, path string) *eval.File {
	t.Helper()
	start := time.Date(2014, 4, 10, 0, 0, 0, 0, time.UTC)
	ts := make([]time.Time, 1000)
	vs := make([]float64, 1000)
	for i := range ts {
		ts[i], vs[i] = start.Add(time.Duration(i)*time.Minute), float64(i)
	}
	f, err := eval.NewFile(path, ts, vs, []eval.Window{{Start: ts[450], End: ts[520]}, {Start: ts[900], End: ts[950]}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCutPieces: pieces of about n rows, never cutting a window, a short
// remainder joined to the piece before, each piece holding its windows.
func TestCutPieces(t *testing.T) {
	type piece struct {
		Path        string
		First, Last float64 // first and last value, that is row
		Windows     []eval.Rows
	}
	cases := []struct {
		n    int
		want []piece
	}{
		{400, []piece{ // the remainder [800, 1000) is half of 400: its own piece
			{"cat/a_p0.csv", 0, 399, nil},
			{"cat/a_p1.csv", 400, 799, []eval.Rows{{Start: 50, End: 120}}},
			{"cat/a_p2.csv", 800, 999, []eval.Rows{{Start: 100, End: 150}}},
		}},
		{480, []piece{ // row 480 lies in [450, 520]: the piece runs to 520
			{"cat/a_p0.csv", 0, 520, []eval.Rows{{Start: 450, End: 520}}},
			{"cat/a_p1.csv", 521, 999, []eval.Rows{{Start: 379, End: 429}}},
		}},
		{700, []piece{ // the remainder [700, 1000) is under 350: joined
			{"cat/a_p0.csv", 0, 999, []eval.Rows{{Start: 450, End: 520}, {Start: 900, End: 950}}},
		}},
	}
	for _, c := range cases {
		corpus, err := eval.NewCorpus(piecesFile(t, "cat/a.csv"))
		if err != nil {
			t.Fatal(err)
		}
		pc, source, err := cutPieces(corpus, c.n)
		if err != nil {
			t.Fatalf("n %d: %v", c.n, err)
		}
		var got []piece
		for _, f := range pc.Files {
			got = append(got, piece{f.Path, f.Values[0], f.Values[len(f.Values)-1], f.Windows})
			if source[f.Path] != "cat/a.csv" {
				t.Errorf("n %d: source of %s = %q, want cat/a.csv", c.n, f.Path, source[f.Path])
			}
			if len(f.Timestamps) != len(f.Values) {
				t.Errorf("n %d: %s: %d timestamps, %d values", c.n, f.Path, len(f.Timestamps), len(f.Values))
			}
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("n %d: pieces (-want +got):\n%s", c.n, d)
		}
	}
}

// TestFoldsByStreamKeepsPiecesTogether: the 5-fold cross-validation holds
// out every piece of a source file together, and deals whole files as
// before.
func TestFoldsByStreamKeepsPiecesTogether(t *testing.T) {
	var files []*eval.File
	for _, name := range []string{"a", "b", "c"} {
		files = append(files, piecesFile(t, "cat/"+name+".csv"))
	}
	corpus, err := eval.NewCorpus(files...)
	if err != nil {
		t.Fatal(err)
	}
	paths := func(folds [][]*eval.File) [][]string {
		var out [][]string
		for _, f := range folds {
			var ps []string
			for _, x := range f {
				ps = append(ps, x.Path)
			}
			out = append(out, ps)
		}
		return out
	}
	if d := cmp.Diff([][]string{{"cat/a.csv"}, {"cat/b.csv"}, {"cat/c.csv"}}, paths(foldsByStream(corpus, 3, nil))); d != "" {
		t.Errorf("whole files (-want +got):\n%s", d)
	}
	pc, source, err := cutPieces(corpus, 400)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"cat/a_p0.csv", "cat/a_p1.csv", "cat/a_p2.csv", "cat/c_p0.csv", "cat/c_p1.csv", "cat/c_p2.csv"},
		{"cat/b_p0.csv", "cat/b_p1.csv", "cat/b_p2.csv"},
	}
	if d := cmp.Diff(want, paths(foldsByStream(pc, 2, source))); d != "" {
		t.Errorf("pieces (-want +got):\n%s", d)
	}
}

// TestRunPieces runs the benchmark with -pieces over a one-file corpus:
// the scores are written per piece and the corpus line counts the pieces;
// a piece too short to score is refused before anything runs.
func TestRunPieces(t *testing.T) {
	data, out := spikeCorpus(t, 900, 700, 690, 720), t.TempDir()
	c := config{data: data, labels: filepath.Join(data, "labels.json"), out: out, detector: "ensemble", pieces: 300, fromDetector: true, threshold: -1}
	if err := c.resolve(); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := run(c, &stdout); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "corpus: 3 files, 900 rows, 1 windows (1 scored)") {
		t.Errorf("output does not describe the pieces:\n%s", stdout.String())
	}
	for k := range 3 {
		p := filepath.Join(out, "ensemble", "cat", fmt.Sprintf("spike_p%d.csv", k))
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(string(body), "\n"); lines != 301 {
			t.Errorf("%s: %d lines, want 301", p, lines)
		}
	}
	for _, n := range []int{-1, minPieceRows - 1} {
		c.pieces = n
		if err := c.resolve(); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("-pieces %d", n)) {
			t.Errorf("-pieces %d: %v, want an error naming it", n, err)
		}
	}
}
