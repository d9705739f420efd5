package main

import (
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The story is deterministic (virtual time, one client goroutine): the
// slow backend is found on latency and ejected, returns after 30s, is
// ejected again for 60s; then found on errors and ejected for 90s; the
// client sees far fewer failures than the sick backend's share would
// cause.
func TestStory(t *testing.T) {
	var b strings.Builder
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	want := `all ten backends healthy
backend 7 becomes 3x slower
  +1m10s  peer        replica backend 7 deviates from its peers on latency (z 13.2)
  +1m10s  remediation eject-peer-outliers: eject on "backend 7": executed
  +1m40s  peer        replica backend 7 returns on probation: its ejection time is over
  +1m40s  remediation eject-peer-outliers: eject on "backend 7": reverted (resolved)
  +2m10s  peer        replica backend 7 deviates from its peers on latency (z 13.2)
  +2m10s  remediation eject-peer-outliers: eject on "backend 7": executed
backend 7 is fast again but fails 10% of requests
  +3m10s  peer        replica backend 7 returns on probation: its ejection time is over
  +3m10s  remediation eject-peer-outliers: eject on "backend 7": reverted (resolved)
  +3m40s  peer        replica backend 7 deviates from its peers on error_ratio (z 8.0)
  +3m40s  remediation eject-peer-outliers: eject on "backend 7": executed
  +5m10s  peer        replica backend 7 returns on probation: its ejection time is over
  +5m10s  remediation eject-peer-outliers: eject on "backend 7": reverted (resolved)
backend 7 heals
inventory as the client saw it: 8 of 8800 requests failed (0.09%); backend 7 served 520 (5.9%, 10% without ejection)
`
	if got := b.String(); got != want {
		t.Fatalf("story:\n%s\nwant:\n%s", got, want)
	}
}
