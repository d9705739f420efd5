package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	ok := []struct {
		in   string
		want time.Time
	}{
		{"2014-04-10 07:15:00", time.Date(2014, 4, 10, 7, 15, 0, 0, time.UTC)},
		{" 2014-04-10 07:15:00.000000 ", time.Date(2014, 4, 10, 7, 15, 0, 0, time.UTC)},
		{"2014-04-10T07:15:00.5", time.Date(2014, 4, 10, 7, 15, 0, 500000000, time.UTC)},
		{"2014-04-10T07:15:00,1234567", time.Date(2014, 4, 10, 7, 15, 0, 123456000, time.UTC)},
		{"2014-04-10T07:15:00Z", time.Date(2014, 4, 10, 7, 15, 0, 0, time.UTC)},
		{"2014-04-10T07:15:00+02:00", time.Date(2014, 4, 10, 5, 15, 0, 0, time.UTC)},
		{"2014-04-10T07:15-0130", time.Date(2014, 4, 10, 8, 45, 0, 0, time.UTC)},
		{"2014-04-10T07", time.Date(2014, 4, 10, 7, 0, 0, 0, time.UTC)},
		{"2014-04-10", time.Date(2014, 4, 10, 0, 0, 0, 0, time.UTC)},
		{"2016-02-29 00:00:00", time.Date(2016, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range ok {
		got, err := ParseTimestamp(tc.in)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"", "2014", "2014-4-10", "2014-04-10x07:00", "2014-04-31", "2015-02-29",
		"2014-04-10 24:00:00", "2014-04-10 07:60", "2014-04-10 07:15:00.", "0000-01-01",
		"2014-04-10 07:15:00+25:00", "2014-04-10 07:15:00 extra", "today",
	} {
		if got, err := ParseTimestamp(in); err == nil {
			t.Errorf("ParseTimestamp(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseLabels(t *testing.T) {
	l, err := ParseLabels(strings.NewReader(`{"a/x.csv": [], "b/y.csv": [["2014-04-10 00:05:00.000000", "2014-04-10 00:15:00.000000"]]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(l) != 2 || len(l["a/x.csv"]) != 0 || len(l["b/y.csv"]) != 1 {
		t.Fatalf("labels = %v", l)
	}
	if w := l["b/y.csv"][0]; !w.Start.Equal(t0.Add(5*time.Minute)) || !w.End.Equal(t0.Add(15*time.Minute)) {
		t.Errorf("window = %v", w)
	}
	for _, in := range []string{``, `[]`, `null`, `{"a": [["2014-04-10"]]}`, `{"a": [["x", "2014-04-10"]]}`, `{"a": [["2014-04-10", "y"]]}`, `{"a": 3}`, `{"a": []} {"b": []}`, `{"a": []} x`} {
		if _, err := ParseLabels(strings.NewReader(in)); err == nil {
			t.Errorf("ParseLabels(%q) = nil error", in)
		}
	}
}

func TestReadScores(t *testing.T) {
	r, err := ReadScores(strings.NewReader("x, timestamp ,anomaly_score\n\n1,2014-04-10 00:00:00,0.25\n2,2014-04-10 00:05:00,1\n"), "s.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Scores) != 2 || r.Scores[0] != 0.25 || r.Scores[1] != 1 || !r.Timestamps[1].Equal(t0.Add(5*time.Minute)) {
		t.Errorf("ReadScores = %+v", r)
	}
	for _, in := range []string{
		"",
		"timestamp,value\n2014-04-10 00:00:00,1\n",
		"timestamp,anomaly_score\n2014-04-10 00:00:00,nan\n",
		"timestamp,anomaly_score\n2014-04-10 00:00:00,inf\n",
		"timestamp,anomaly_score\n2014-04-10 00:00:00,1.01\n",
		"timestamp,anomaly_score\n2014-04-10 00:00:00,-0.5\n",
		"timestamp,anomaly_score\n2014-04-10 00:00:00,abc\n",
		"timestamp,anomaly_score\n2014-04-10 00:00:00\n",
		"timestamp,anomaly_score\nyesterday,0\n",
	} {
		if _, err := ReadScores(strings.NewReader(in), "s.csv"); err == nil {
			t.Errorf("ReadScores(%q) = nil error", in)
		}
	}
}

func TestWriteScoresRoundTrip(t *testing.T) {
	ts := stamps(3)
	ts[2] = ts[2].Add(1500 * time.Microsecond)
	scores := []float64{0, 1.0 / 3, 1e-9}
	var b bytes.Buffer
	if err := WriteScores(&b, ts, scores); err != nil {
		t.Fatal(err)
	}
	r, err := ReadScores(&b, "s.csv")
	if err != nil {
		t.Fatal(err)
	}
	for i := range ts {
		if !r.Timestamps[i].Equal(ts[i]) || r.Scores[i] != scores[i] {
			t.Errorf("row %d: got %v %v, want %v %v", i, r.Timestamps[i], r.Scores[i], ts[i], scores[i])
		}
	}
	if err := WriteScores(&b, ts, scores[:1]); err == nil {
		t.Error("WriteScores with mismatched lengths = nil error")
	}
}

// writeCorpus lays out a small NAB corpus under a temporary directory.
func writeCorpus(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func series(n int, f func(i int) string) string {
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	for i, ts := range stamps(n) {
		b.WriteString(ts.Format(TimestampLayout) + "," + f(i) + "\n")
	}
	return b.String()
}

func TestLoadCorpusAndScores(t *testing.T) {
	data := writeCorpus(t, map[string]string{
		"cat/a.csv":     series(20, func(i int) string { return "1.5" }),
		"cat/b.csv":     series(10, func(i int) string { return "-2" }),
		"cat/extra.csv": series(5, func(i int) string { return "0" }),
	})
	ts := stamps(20)
	labels := Labels{"cat/a.csv": {{ts[10], ts[13]}}, "cat/b.csv": nil, "cat/gone.csv": nil}
	if _, err := LoadCorpus(data, labels); err == nil {
		t.Fatal("LoadCorpus with a missing file = nil error")
	}
	c, err := LoadCorpus(data, labels, SkipMissing())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 2 || c.Files[0].Path != "cat/a.csv" || c.Rows() != 30 || c.Files[1].Values[3] != -2 {
		t.Fatalf("corpus = %d files, %d rows", len(c.Files), c.Rows())
	}
	if _, err := LoadCorpus(data, Labels{"cat/gone.csv": nil}, SkipMissing()); err == nil {
		t.Error("LoadCorpus of nothing = nil error")
	}

	out := t.TempDir()
	sc := Scores{"cat/a.csv": spikes(20, 10), "cat/b.csv": spikes(10)}
	for _, f := range c.Files {
		p := filepath.Join(out, filepath.FromSlash(f.Path))
		if f.Path == "cat/b.csv" {
			p = filepath.Join(out, "b.csv") // the flat layout is accepted too
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		var b bytes.Buffer
		if err := WriteScores(&b, f.Timestamps, sc[f.Path]); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(p, b.Bytes(), 0o644)
	}
	got, err := c.LoadScores(out)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Evaluate(got, Standard)
	if err != nil {
		t.Fatal(err)
	}
	if r.Normalized != 100 || r.Threshold != 1 {
		t.Errorf("Evaluate = %v at %v, want 100 at 1", r.Normalized, r.Threshold)
	}
	if _, err := c.LoadScores(t.TempDir()); err == nil {
		t.Error("LoadScores of an empty dir = nil error")
	}
	// A timestamp that differs from the data row is refused.
	bad := strings.Replace(series(10, func(int) string { return "0" }), "value", "anomaly_score", 1)
	bad = strings.Replace(bad, "00:05:00", "00:06:00", 1)
	os.WriteFile(filepath.Join(out, "b.csv"), []byte(bad), 0o644)
	if _, err := c.LoadScores(out); err == nil {
		t.Error("LoadScores with a shifted timestamp = nil error")
	}
}

func TestReadSeriesErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"time,value\n2014-04-10,1\n",
		"timestamp,value\n2014-04-10,x\n",
		"timestamp,value\nnope,1\n",
		"timestamp,value\n2014-04-10\n",
	} {
		if _, err := ReadSeries(strings.NewReader(in), "d.csv"); err == nil {
			t.Errorf("ReadSeries(%q) = nil error", in)
		}
	}
	s, err := ReadSeries(strings.NewReader("timestamp\n2014-04-10\n"), "d.csv")
	if err != nil || s.Values != nil || len(s.Timestamps) != 1 {
		t.Errorf("ReadSeries without values = %+v, %v", s, err)
	}
}
