package eject

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)

func replicas(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("127.0.0.1:%d", 8000+i)
	}
	return out
}

func TestEjectorMaxEjected(t *testing.T) {
	for _, tc := range []struct {
		n    int
		pct  float64
		want int
	}{{10, 10, 1}, {10, 35, 3}, {2, 10, 1}, {1, 100, 0}, {3, 100, 2}, {100, 10, 10}} {
		e, err := NewEjector(EjectorConfig{Replicas: replicas(tc.n), MaxEjectedPercent: tc.pct})
		if err != nil {
			t.Fatal(err)
		}
		if e.MaxEjected() != tc.want {
			t.Errorf("%d replicas at %g%%: MaxEjected %d, want %d", tc.n, tc.pct, e.MaxEjected(), tc.want)
		}
		// Eject everything: exactly MaxEjected succeed, the others are
		// refused with ErrMaxEjected, and the last replica always stays.
		ok := 0
		for _, r := range e.Replicas() {
			switch err := e.EjectAt(t0, r); {
			case err == nil:
				ok++
			case !errors.Is(err, ErrMaxEjected):
				t.Fatalf("EjectAt(%s) = %v, want nil or ErrMaxEjected", r, err)
			}
		}
		if ok != tc.want {
			t.Errorf("%d replicas at %g%%: %d ejected, want %d", tc.n, tc.pct, ok, tc.want)
		}
	}
}

func TestEjectorGrowingTimeAndProbation(t *testing.T) {
	e, err := NewEjector(EjectorConfig{Replicas: replicas(4), MaxEjectedPercent: 50, BaseEjectionTime: 10 * time.Second, MaxEjectionTime: 25 * time.Second, Probation: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var changes []Change
	defer e.OnChange(func(c Change) { changes = append(changes, c) })()
	r := "127.0.0.1:8000"
	now := t0
	// Ejected again within probation each time: 10s, 20s, then capped 25s.
	for i, want := range []time.Duration{10 * time.Second, 20 * time.Second, 25 * time.Second} {
		if err := e.EjectAt(now, r); err != nil {
			t.Fatal(err)
		}
		if !e.Ejected(r) || e.Due(now.Add(want-time.Nanosecond), r) || !e.Due(now.Add(want), r) {
			t.Fatalf("ejection %d: want ejected and due after exactly %s", i+1, want)
		}
		now = now.Add(want)
		if err := e.ReturnAt(now, r); err != nil {
			t.Fatal(err)
		}
		if e.Ejected(r) {
			t.Fatal("returned replica still ejected")
		}
		now = now.Add(5 * time.Second)
	}
	// Healthy through its probation: the next ejection is a first again.
	now = now.Add(time.Minute)
	if err := e.EjectAt(now, r); err != nil {
		t.Fatal(err)
	}
	if e.Due(now.Add(10*time.Second-1), r) || !e.Due(now.Add(10*time.Second), r) {
		t.Fatal("after probation the ejection must last BaseEjectionTime again")
	}
	if len(changes) != 7 || !changes[0].Ejected || changes[1].Ejected || changes[4].Ejections != 3 || changes[6].Ejections != 1 {
		t.Fatalf("changes = %+v", changes)
	}
}

func TestEjectorIdempotentAndUnknown(t *testing.T) {
	e, err := NewEjector(EjectorConfig{Replicas: replicas(10)})
	if err != nil {
		t.Fatal(err)
	}
	r := "127.0.0.1:8003"
	if err := e.EjectAt(t0, r); err != nil {
		t.Fatal(err)
	}
	if err := e.EjectAt(t0, r); err != nil {
		t.Fatalf("ejecting an ejected replica: %v, want nil", err)
	}
	if err := e.ReturnAt(t0, "127.0.0.1:8001"); err != nil {
		t.Fatalf("returning a replica in rotation: %v, want nil", err)
	}
	if err := e.EjectAt(t0, "10.9.9.9:1"); !errors.Is(err, ErrUnknownReplica) {
		t.Fatalf("unknown replica: %v, want ErrUnknownReplica", err)
	}
	if e.Ejected("10.9.9.9:1") || e.Due(t0, "10.9.9.9:1") {
		t.Fatal("an unknown replica is never ejected")
	}
}

func TestEjectorConfigErrors(t *testing.T) {
	for _, cfg := range []EjectorConfig{
		{},
		{Replicas: []string{"a", "a"}},
		{Replicas: []string{""}},
		{Replicas: []string{"a"}, MaxEjectedPercent: 101},
		{Replicas: []string{"a"}, MaxEjectedPercent: -1},
		{Replicas: []string{"a"}, BaseEjectionTime: -time.Second},
		{Replicas: []string{"a"}, BaseEjectionTime: time.Minute, MaxEjectionTime: time.Second},
		{Replicas: []string{"a"}, Probation: -time.Second},
	} {
		if _, err := NewEjector(cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("NewEjector(%+v) = %v, want ErrInvalidConfig", cfg, err)
		}
	}
}

func TestEjectedAllocs(t *testing.T) {
	e, err := NewEjector(EjectorConfig{Replicas: replicas(10)})
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(1000, func() { _ = e.Ejected("127.0.0.1:8005") }); n != 0 {
		t.Fatalf("Ejected allocates %v, want 0", n)
	}
}
