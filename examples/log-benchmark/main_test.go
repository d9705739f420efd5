package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNormalise(t *testing.T) {
	// the examples of logscore.py's docstring
	for in, want := range map[string]string{
		"a  <*><*> b ":    "a <*> b",
		"<*> <*> <*>":     "<*>",
		"from <*> <*>: x": "from <*>: x",
		"x<*> <*>y":       "x<*>y",
		"<*>:<*>":         "<*>:<*>",
		"a\x1cb":          "a b",
	} {
		if got := normalise(in); got != want {
			t.Errorf("normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScoreDataset(t *testing.T) {
	gt := map[int]string{1: "open <*>", 2: "open <*>", 3: "close <*>", 4: "close <*>", 5: "stat <*> <*>"}
	pred := map[int]string{1: "open <*>", 2: "open <*>", 3: "close a", 4: "close <*>", 5: "stat <*>"}
	s := scoreDataset("x", gt, pred)
	// groups: open correct+template; close split (2 wrong groups); stat correct, template equal after norm
	if s.CorrectGroups != 2 || s.CorrectTemplates != 2 || s.GALines != 3 || s.PALines != 4 {
		t.Fatalf("%+v", s)
	}
	if s.GA != 0.6 || s.PA != 0.8 {
		t.Fatalf("GA %v PA %v", s.GA, s.PA)
	}
	// FGA: P = 2/4, R = 2/3: 2PR/(P+R) = 4/7
	if math.Abs(s.FGA-4.0/7) > 1e-15 || s.FTA != s.FGA {
		t.Fatalf("FGA %v FTA %v", s.FGA, s.FTA)
	}
	avg := average([]score{s, scoreDataset("y", gt, gt)})
	if avg[0] != 0.8 {
		t.Fatalf("average GA %v", avg[0])
	}
}

func TestFormatRegexp(t *testing.T) {
	re, err := formatRegexp(`<Date> <Time> \[<Proc>\]( \(<Addr>\))?: <Content>`)
	if err != nil {
		t.Fatal(err)
	}
	m := re.FindStringSubmatch("2026-01-02  10:00:00 [worker] (x): job 7 done")
	if m == nil || m[re.SubexpIndex("Content")] != "job 7 done" {
		t.Fatalf("match %q", m)
	}
	if _, err := formatRegexp("<Date> <Msg>"); err == nil {
		t.Fatal("a format without <Content> was accepted")
	}
}

// TestRun mines a tiny corpus the test writes (lines of its own) and
// checks the files and the table.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	ds := filepath.Join(dir, "data", "Toy")
	if err := os.MkdirAll(ds, 0o755); err != nil {
		t.Fatal(err)
	}
	raw := "I worker started 1\nI worker started 2\nE disk full on /dev/a\nI worker started 3"
	gt := "LineId,Level,Content,EventId,EventTemplate\n" +
		"1,I,worker started 1,E1,worker started <*>\n2,I,worker started 2,E1,worker started <*>\n" +
		"3,E,disk full on /dev/a,E2,disk full on <*>\n4,I,worker started 3,E1,worker started <*>\n"
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(ds, "Toy_2k.log"), raw)
	write(filepath.Join(ds, "Toy"+gtSuffix), gt)
	write(filepath.Join(dir, "formats.json"), `{"_note": "x", "Toy": "<Level> <Content>"}`)
	out := filepath.Join(dir, "out")
	var stdout bytes.Buffer
	if err := run([]string{"-corpus", dir, "-out", out, "-json", filepath.Join(dir, "s.json")}, &stdout); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "Toy             4  1.0000  1.0000  1.0000  1.0000") {
		t.Fatalf("table:\n%s", stdout.String())
	}
	pred, err := os.ReadFile(filepath.Join(out, "Toy.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "LineId,EventTemplate\n1,worker started <*>\n2,worker started <*>\n3,disk full on <*>\n4,worker started <*>\n"
	if string(pred) != want {
		t.Fatalf("predictions:\n%s", pred)
	}
	if err := run([]string{"-corpus", dir}, &stdout); err == nil {
		t.Fatal("missing -out accepted")
	}
}

// TestRunContentColumn: without a raw log or a format, the Content column
// of the ground truth is mined.
func TestRunContentColumn(t *testing.T) {
	dir := t.TempDir()
	ds := filepath.Join(dir, "data", "Col")
	if err := os.MkdirAll(ds, 0o755); err != nil {
		t.Fatal(err)
	}
	gt := "LineId,Content,EventTemplate\n" +
		"2,cache miss key 17,cache miss key <*>\n1,cache miss key 4,cache miss key <*>\n3,\"quoted, text\",\"quoted, text\"\n"
	if err := os.WriteFile(filepath.Join(ds, "Col"+gtSuffix), []byte(gt), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout bytes.Buffer
	if err := run([]string{"-corpus", dir, "-out", out}, &stdout); err != nil {
		t.Fatal(err)
	}
	pred, err := os.ReadFile(filepath.Join(out, "Col.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "LineId,EventTemplate\n1,cache miss key <*>\n2,cache miss key <*>\n3,\"quoted, text\"\n"
	if string(pred) != want {
		t.Fatalf("predictions:\n%s", pred)
	}
	if !strings.Contains(stdout.String(), "Col             3  1.0000  1.0000  1.0000  1.0000") {
		t.Fatalf("table:\n%s", stdout.String())
	}
}
