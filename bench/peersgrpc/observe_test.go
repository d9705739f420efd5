package main

import (
	"testing"
	"time"
)

// feed samples every 100ms from t0: calls[k][i] is what backend i
// served in sample k, failed[k] the failures seen by then.
func feed(o *observer, t0 time.Time, calls [][]int64, failed []int64, faultsAfter int) {
	cur := make([]int64, len(calls[0]))
	for k, step := range calls {
		for i, c := range step {
			cur[i] += c
		}
		now := t0.Add(time.Duration(k) * 100 * time.Millisecond)
		o.sample(now, append([]int64(nil), cur...), failed[k])
		if k == faultsAfter {
			o.faultsOn(now)
		}
	}
}

func TestObserverEjectionOfTheFaultyBackend(t *testing.T) {
	t0 := time.Unix(1000, 0)
	o := newObserver(3, map[int]bool{2: true})
	calls := [][]int64{{5, 5, 5}, {5, 5, 5}, {5, 5, 5}, {5, 5, 0}, {5, 5, 0}, {5, 5, 0}, {5, 5, 0}, {5, 5, 0}, {5, 5, 0}}
	failed := []int64{0, 1, 3, 6, 6, 6, 6, 7, 7}
	feed(o, t0, calls, failed, 1)
	if want := t0.Add(300 * time.Millisecond); !o.ejectedAt.Equal(want) {
		t.Errorf("ejectedAt = %v, want %v (the first idle sample)", o.ejectedAt, want)
	}
	if o.failedBefore != 5 {
		t.Errorf("failedBefore = %d, want 5 (6 at the ejection, 1 when faults began)", o.failedBefore)
	}
	if o.falseEjected != 0 || o.maxEjected != 1 {
		t.Errorf("falseEjected, maxEjected = %d, %d, want 0, 1", o.falseEjected, o.maxEjected)
	}
}

func TestObserverFalseEjections(t *testing.T) {
	t0 := time.Unix(1000, 0)
	o := newObserver(3, map[int]bool{2: true})
	calls := [][]int64{
		{5, 0, 5}, {5, 0, 5}, {5, 0, 5}, {5, 0, 5}, {5, 0, 5}, // 1 ejected before the faults: false
		{5, 5, 5}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, // 1 back; a stall is no ejection
		{1, 1, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}, {1, 0, 0}, {0, 1, 0}, // nor is 2 idle in a trickle
		{5, 5, 5},
		{0, 5, 5}, {0, 5, 5}, {0, 5, 5}, {0, 5, 5}, {0, 5, 5}, // 0 has no fault: false
		{5, 5, 0}, {5, 5, 0}, {5, 5, 0}, {5, 5, 0}, {5, 5, 0}, // 2 at fault: true
	}
	failed := make([]int64, len(calls))
	feed(o, t0, calls, failed, 2)
	if o.falseEjected != 2 {
		t.Errorf("falseEjected = %d, want 2", o.falseEjected)
	}
	if want := t0.Add(2300 * time.Millisecond); !o.ejectedAt.Equal(want) {
		t.Errorf("ejectedAt = %v, want %v", o.ejectedAt, want)
	}
	if o.maxEjected != 1 {
		t.Errorf("maxEjected = %d, want 1", o.maxEjected)
	}
}

func TestObserverTwoAtOnce(t *testing.T) {
	o := newObserver(4, map[int]bool{0: true, 1: true})
	calls := [][]int64{{5, 5, 5, 5}, {0, 0, 5, 5}, {0, 0, 5, 5}, {0, 0, 5, 5}, {0, 0, 5, 5}, {0, 0, 5, 5}}
	feed(o, time.Unix(1000, 0), calls, make([]int64, len(calls)), 0)
	if o.maxEjected != 2 || o.falseEjected != 0 {
		t.Errorf("maxEjected, falseEjected = %d, %d, want 2, 0", o.maxEjected, o.falseEjected)
	}
}
