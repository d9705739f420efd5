package main

import (
	"testing"
	"time"
)

// TestShort keeps the tier names of the fault table whole: only zero
// trailing units go, never the digit of a nonzero one (30m was "3").
func TestShort(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{5 * time.Minute, "5m"},
		{30 * time.Minute, "30m"},
		{10 * time.Minute, "10m"},
		{time.Hour, "1h"},
		{6 * time.Hour, "6h"},
		{72 * time.Hour, "72h"},
		{90 * time.Minute, "1h30m"},
		{30 * time.Second, "30s"},
		{time.Minute + 30*time.Second, "1m30s"},
		{2*time.Hour + 30*time.Second, "2h0m30s"},
	} {
		if got := short(c.d); got != c.want {
			t.Errorf("short(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
