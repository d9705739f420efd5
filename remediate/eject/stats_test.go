package eject

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"
)

func TestStatsStep(t *testing.T) {
	s, err := NewStats(StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		s.Record("a", time.Duration(i+1)*time.Millisecond, i%10 == 0)
	}
	s.Record("b", 5*time.Millisecond, false)
	got := stepMap(s.Step(nil))
	a := got["a"]
	if a.Calls != 100 || a.Bad != 10 || a.ErrorRatio != 0.1 {
		t.Fatalf("a = %+v, want 100 calls, 10 bad, ratio 0.1", a)
	}
	// The default quantile is 0.9: p90 of 1..100ms is 90ms; the
	// histogram is within 1/16.
	if math.Abs(a.Latency-0.090) > 0.090/16 {
		t.Fatalf("a p90 = %v, want about 0.090", a.Latency)
	}
	if b := got["b"]; b.Calls != 1 || b.Bad != 0 {
		t.Fatalf("b = %+v", b)
	}
	if again := s.Step(nil); len(again) != 0 {
		t.Fatalf("second step = %+v, want nothing (drained)", again)
	}
}

func stepMap(steps []ReplicaStep) map[string]ReplicaStep {
	m := make(map[string]ReplicaStep, len(steps))
	for _, s := range steps {
		m[s.Replica] = s
	}
	return m
}

// 10,000 distinct addresses: the table stays at MaxReplicas and the rest
// is counted as overflow.
func TestStatsBounded(t *testing.T) {
	s, err := NewStats(StatsConfig{MaxReplicas: 64})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10000 {
		s.Record(fmt.Sprintf("10.0.%d.%d:80", i/256, i%256), time.Millisecond, false)
	}
	if s.Len() != 64 || s.Overflow() != 10000-64 {
		t.Fatalf("Len %d Overflow %d, want 64 and %d", s.Len(), s.Overflow(), 10000-64)
	}
	if n := len(s.Step(nil)); n != 64 {
		t.Fatalf("step has %d replicas, want 64", n)
	}
}

// Replicas that come and go every step free their slot after ForgetAfter
// idle steps, so churn never fills a table of (ForgetAfter+1) times the
// replicas of one step.
func TestStatsChurn(t *testing.T) {
	s, err := NewStats(StatsConfig{MaxReplicas: 4 * 3, ForgetAfter: 2})
	if err != nil {
		t.Fatal(err)
	}
	for step := range 100 {
		for i := range 4 {
			s.Record(fmt.Sprintf("r%d-%d", step, i), time.Millisecond, false)
		}
		if n := len(s.Step(nil)); n != 4 {
			t.Fatalf("step %d: %d replicas, want 4", step, n)
		}
	}
	if s.Overflow() != 0 {
		t.Fatalf("Overflow = %d, want 0: idle replicas must free their slot", s.Overflow())
	}
}

func TestStatsConfigErrors(t *testing.T) {
	for _, cfg := range []StatsConfig{{MaxReplicas: -1}, {Quantile: 1}, {Quantile: math.NaN()}, {ForgetAfter: -1}} {
		if _, err := NewStats(cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("NewStats(%+v) = %v, want ErrInvalidConfig", cfg, err)
		}
	}
}

func TestStatsRecordAllocs(t *testing.T) {
	s, err := NewStats(StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	s.Record("10.0.0.1:80", time.Millisecond, false)
	if n := testing.AllocsPerRun(1000, func() { s.Record("10.0.0.1:80", time.Millisecond, true) }); n != 0 {
		t.Fatalf("Record allocates %v per call, want 0", n)
	}
}
