package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/nines-sre/nines/detect"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// writeFile creates dir/rel with body.
func writeFile(t *testing.T, dir, rel, body string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// spikeCorpus writes a corpus of one file, cat/spike.csv: rows rows a
// minute apart, a spike of 1000 at row spike, one window [from, to]; the
// labels also name cat/absent.csv, which has no data file. It returns the
// data directory, holding labels.json.
func spikeCorpus(t *testing.T, rows, spike, from, to int) string {
	t.Helper()
	data := t.TempDir()
	start := time.Date(2014, 4, 10, 0, 0, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	for i := range rows {
		v := 10.0 + float64(i%7)*0.1
		if i == spike {
			v = 1000
		}
		fmt.Fprintf(&b, "%s,%g\n", start.Add(time.Duration(i)*time.Minute).Format("2006-01-02 15:04:05"), v)
	}
	writeFile(t, data, "cat/spike.csv", b.String())
	ts := func(i int) string {
		return start.Add(time.Duration(i) * time.Minute).Format("2006-01-02 15:04:05.000000")
	}
	writeFile(t, data, "labels.json", fmt.Sprintf(`{"cat/spike.csv": [[%q, %q]], "cat/absent.csv": []}`, ts(from), ts(to)))
	return data
}

// TestRunSyntheticCorpus runs the benchmark over a tiny corpus with one
// spike inside a labelled window and checks the files written and the
// figures reported.
func TestRunSyntheticCorpus(t *testing.T) {
	data, out := spikeCorpus(t, 400, 300, 295, 320), t.TempDir()

	var stdout bytes.Buffer
	jsonOut := filepath.Join(out, "figures.json")
	c := config{data: data, labels: filepath.Join(data, "labels.json"), out: out, fromDetector: true, threshold: 0.5, jsonOut: jsonOut, baselines: true}
	if err := run(c, &stdout); err != nil {
		t.Fatal(err)
	}
	var reps []report
	raw, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &reps); err != nil {
		t.Fatal(err)
	}
	if want := len(detect.Catalog()) + len(baselines()); len(reps) != want {
		t.Fatalf("%d reports, want %d", len(reps), want)
	}
	for _, rep := range reps {
		for _, suffix := range []string{"", ".anomaly"} {
			p := filepath.Join(out, rep.Detector+suffix, "cat", "spike.csv")
			body, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if lines := strings.Count(string(body), "\n"); lines != 401 {
				t.Errorf("%s: %d lines, want 401", p, lines)
			}
		}
		if rep.Points != 400 {
			t.Errorf("%s: %d points, want 400", rep.Detector, rep.Points)
		}
		std := rep.Profiles["standard"]
		if std.Default == nil || std.Fixed == nil {
			t.Fatalf("%s: default or fixed figure missing", rep.Detector)
		}
		if rep.Detector == "null" && (std.Sweep != 0 || *std.Default != 0 || *std.Fixed != 0) {
			t.Errorf("null: sweep %v default %v fixed %v, want 0", std.Sweep, *std.Default, *std.Fixed)
		}
		// No threshold can do worse than detecting nothing (score 0),
		// which the sweep always considers.
		if std.Sweep < 0 || std.Sweep > 100 {
			t.Errorf("%s: sweep %v outside [0, 100]", rep.Detector, std.Sweep)
		}
	}
	if !strings.Contains(stdout.String(), "corpus: 1 files, 400 rows, 1 windows") {
		t.Errorf("output does not describe the corpus:\n%s", stdout.String())
	}
	c.detector = "nope"
	if err := run(c, &stdout); err == nil {
		t.Error("run with an unknown detector = nil error")
	}
}

// TestResolveNamesMissingCorpus: without a corpus the command fails with
// the path it looked for and how to get one.
func TestResolveNamesMissingCorpus(t *testing.T) {
	dir := t.TempDir()
	c := config{nab: dir, out: dir}
	err := c.resolve()
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "data")) || !strings.Contains(err.Error(), "numenta/NAB") {
		t.Fatalf("resolve with an empty -nab: %v, want an error naming %s and numenta/NAB", err, filepath.Join(dir, "data"))
	}
	c = config{data: dir, out: dir}
	if err := c.resolve(); err == nil || !strings.Contains(err.Error(), "-labels") {
		t.Errorf("-data without -labels: %v", err)
	}
}
