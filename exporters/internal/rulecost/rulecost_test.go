package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestStats(t *testing.T) {
	for _, c := range []struct {
		in          []float64
		lo, med, hi float64
	}{
		{nil, 0, 0, 0},
		{[]float64{3}, 3, 3, 3},
		{[]float64{5, 1, 3}, 1, 3, 5},
		{[]float64{4, 1, 3, 2}, 1, 2.5, 4},
	} {
		lo, med, hi := stats(c.in)
		if lo != c.lo || med != c.med || hi != c.hi {
			t.Errorf("stats(%v) = %v, %v, %v; want %v, %v, %v", c.in, lo, med, hi, c.lo, c.med, c.hi)
		}
	}
}

// One day of data: every series has one sample a minute, the counters grow
// at their rates, seen covers the last hour, and the file ends with # EOF
// (promtool refuses it otherwise).
func TestWriteOpenMetrics(t *testing.T) {
	end := time.Unix(1_800_000_030, 0)
	var b bytes.Buffer
	if err := writeOpenMetrics(&b, end, 1); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if !strings.HasSuffix(text, "# EOF\n") {
		t.Fatalf("does not end with # EOF: %q", text[max(0, len(text)-50):])
	}
	count := func(prefix string) int {
		n := 0
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, prefix) {
				n++
			}
		}
		return n
	}
	const minutes = 24*60 + 1
	for _, c := range []struct {
		prefix string
		want   int
	}{
		{"slo_events_total{", 4 * minutes},
		{"slo:events:increase5m{", 2 * minutes},
		{"slo:events:total{", 2 * minutes},
		{"slo:events:origin{", minutes},
		{"slo:events:seen{", 4 * 61},
	} {
		if got := count(c.prefix); got != c.want {
			t.Errorf("%s: %d samples, want %d", c.prefix, got, c.want)
		}
	}
	last := `slo_events_total{instance="b",job="shop",slo_name="o0",slo_outcome="good"} 1438560 1800000000`
	if !strings.Contains(text, last+"\n") {
		t.Errorf("no line %q", last)
	}
}
