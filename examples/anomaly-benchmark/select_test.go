package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect/eval"
)

// twoCategoryCorpus writes four 400-row files, two in each of categories a
// and b, each with one window around row 300, and returns the data
// directory, the labels file and the loaded corpus.
func twoCategoryCorpus(t *testing.T) (data, labels string, c *eval.Corpus) {
	t.Helper()
	data = t.TempDir()
	start := time.Date(2014, 4, 10, 0, 0, 0, 0, time.UTC)
	ts := func(i int) time.Time { return start.Add(time.Duration(i) * time.Minute) }
	var lab []string
	for _, p := range []string{"a/x.csv", "a/y.csv", "b/x.csv", "b/y.csv"} {
		var b strings.Builder
		b.WriteString("timestamp,value\n")
		for i := range 400 {
			fmt.Fprintf(&b, "%s,%d\n", ts(i).Format("2006-01-02 15:04:05"), i%7)
		}
		writeFile(t, data, p, b.String())
		lab = append(lab, fmt.Sprintf("%q: [[%q, %q]]", p, ts(295).Format("2006-01-02 15:04:05.000000"), ts(320).Format("2006-01-02 15:04:05.000000")))
	}
	labels = filepath.Join(data, "labels.json")
	writeFile(t, data, "labels.json", "{"+strings.Join(lab, ", ")+"}")
	l, err := eval.LoadLabels(labels)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = eval.LoadCorpus(data, l); err != nil {
		t.Fatal(err)
	}
	return data, labels, c
}

// spikes returns scores that are 1 at row 300 of the files whose path
// starts with one of prefixes and 0 everywhere else.
func spikes(c *eval.Corpus, prefixes ...string) eval.Scores {
	s := eval.Scores{}
	for _, f := range c.Files {
		x := make([]float64, len(f.Timestamps))
		if slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(f.Path, p) }) {
			x[300] = 1
		}
		s[f.Path] = x
	}
	return s
}

// TestNestedCVPicksOnTheOtherFolds: each held-out category is scored with
// the candidate best on the other one, so a candidate that is right only
// where it is held out never gets the credit.
func TestNestedCVPicksOnTheOtherFolds(t *testing.T) {
	_, _, c := twoCategoryCorpus(t)
	folds := foldsByCategory(c)
	none, all := spikes(c), spikes(c, "a/", "b/")
	onlyA, onlyB := spikes(c, "a/"), spikes(c, "b/")

	got, picks, err := nestedCV(c, []eval.Scores{none, all}, eval.Standard, folds, 0)
	if err != nil {
		t.Fatal(err)
	}
	want, err := crossValidate(c, all, eval.Standard, folds)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || want == nil || *got != *want || *got <= 0 || !slices.Equal(picks, []int{1, 1}) {
		t.Errorf("nested [none, all] = %v picks %v, want the CV of all (%v, > 0) picks [1 1]", deref(got), picks, deref(want))
	}
	if _, picks, _ = nestedCV(c, []eval.Scores{all, all}, eval.Standard, folds, 0); !slices.Equal(picks, []int{0, 0}) {
		t.Errorf("a tie picks %v, want the first candidate [0 0]", picks)
	}
	got, picks, err = nestedCV(c, []eval.Scores{onlyA, onlyB}, eval.Standard, folds, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Holding out a trains on b, which picks onlyB: nothing detected on a.
	if got == nil || *got != 0 || !slices.Equal(picks, []int{1, 0}) {
		t.Errorf("nested [onlyA, onlyB] = %v picks %v, want 0 picks [1 0]", deref(got), picks)
	}
	if got, _, _ := nestedCV(c, []eval.Scores{all}, eval.Standard, folds[:1], 0); got != nil {
		t.Errorf("one fold: %v, want nil", *got)
	}
}

// TestNestedCVSmoothPicksThePlateau: on an ordered grid, -smooth judges a
// setting with its neighbours, so a lone best setting beside poor ones
// loses to a run of good ones; without it the first best wins.
func TestNestedCVSmoothPicksThePlateau(t *testing.T) {
	_, _, c := twoCategoryCorpus(t)
	folds := foldsByCategory(c) // a, then b
	none, all, onlyB := spikes(c), spikes(c, "a/", "b/"), spikes(c, "b/")
	grid := []eval.Scores{all, none, none, onlyB, onlyB, onlyB}
	// Holding out a trains on b, where all and onlyB score alike: alone
	// the first (all) wins; smoothed, the middle of the onlyB run. Holding
	// out b trains on a, where only all detects anything.
	for _, tc := range []struct {
		smooth int
		want   []int
	}{{0, []int{0, 0}}, {1, []int{4, 0}}} {
		_, picks, err := nestedCV(c, grid, eval.Standard, folds, tc.smooth)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(picks, tc.want) {
			t.Errorf("smooth %d: picks %v, want %v", tc.smooth, picks, tc.want)
		}
	}
	for _, tc := range []struct {
		cfg  config
		want string
	}{
		{config{smooth: -1, selectDirs: "x"}, "-smooth -1"},
		{config{smooth: 2}, "needs -select"},
	} {
		if err := tc.cfg.resolve(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("resolve %+v = %v, want an error naming %q", tc.cfg, err, tc.want)
		}
	}
}

func deref(x *float64) any {
	if x == nil {
		return nil
	}
	return *x
}

// TestSelectRunsNoDetector: -select reads the score directories of earlier
// runs, reports the nested score, writes nothing and names a directory it
// cannot read.
func TestSelectRunsNoDetector(t *testing.T) {
	data, labels, c := twoCategoryCorpus(t)
	dirs := t.TempDir()
	var names []string
	for name, s := range map[string]eval.Scores{"none": spikes(c), "all": spikes(c, "a/", "b/")} {
		for _, f := range c.Files {
			p := filepath.Join(dirs, name, filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := eval.WriteScores(&b, f.Timestamps, s[f.Path]); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		names = append(names, filepath.Join(dirs, name))
	}
	cfg := config{data: data, labels: labels, selectDirs: strings.Join(names, ",")}
	if err := cfg.resolve(); err != nil || cfg.out != "" {
		t.Fatalf("resolve with -select: out %q, err %v; want no output directory", cfg.out, err)
	}
	var out bytes.Buffer
	if err := run(cfg, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"standard", "reward_low_FP_rate", "nested", names[0], names[1]} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	cfg.selectDirs = filepath.Join(dirs, "missing")
	if err := run(cfg, &out); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("-select of a missing directory: %v, want an error naming it", err)
	}
	cfg.selectDirs = " , "
	if err := run(cfg, &out); err == nil {
		t.Error("-select with no directory = nil error")
	}
}
