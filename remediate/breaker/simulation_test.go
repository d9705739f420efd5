package breaker

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// 1000 requests/s against a dependency that fails every call for 60 s and is
// healthy afterwards. gobreaker reads time.Now, so the simulation runs in a
// synctest bubble whose clock advances only when the loop sleeps.
func TestBreakerSimulationOutageAndRecovery(t *testing.T) {
	const (
		tick        = 10 * time.Millisecond
		perTick     = 10 // 1000 requests/s
		outage      = 60 * time.Second
		total       = 120 * time.Second
		window      = 10 * time.Second
		openTimeout = 5 * time.Second
		minCalls    = 100
	)
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var events []StateChange
		b := newTestBreaker(t, Config{
			FailureRatio: 0.5, MinimumCalls: minCalls, Window: window, Buckets: 10,
			OpenTimeout: openTimeout, HalfOpenCalls: 5,
		}, WithStateListener(func(ev StateChange) { events = append(events, ev) }))

		dependencyCalls := 0
		dep := func(context.Context) (int, error) {
			dependencyCalls++
			if time.Since(start) < outage {
				return 0, errGuardBoom
			}
			return 1, nil
		}
		callsDuringOutage := 0
		for time.Since(start) < total {
			for range perTick {
				_, _ = b.Execute(context.Background(), dep)
			}
			if time.Since(start) < outage {
				callsDuringOutage = dependencyCalls
			}
			time.Sleep(tick)
		}

		if len(events) < 2 {
			t.Fatalf("events = %+v", events)
		}
		first := events[0]
		volumeTime := time.Duration(minCalls/perTick) * tick
		if first.To != Open || first.At.Sub(start) > volumeTime+window {
			t.Errorf("first transition %v->%v at %v, want open within %v", first.From, first.To, first.At.Sub(start), volumeTime+window)
		}
		// Never stuck: every open state ends within the open timeout plus a
		// tick, and every half-open round ends within a tick.
		for i := 0; i+1 < len(events); i++ {
			cur, next := events[i], events[i+1]
			limit := tick
			if cur.To == Open {
				limit = openTimeout + tick
			}
			if d := next.At.Sub(cur.At); d > limit {
				t.Errorf("stayed %v for %v (from %v), want at most %v", cur.To, d, cur.At.Sub(start), limit)
			}
		}
		last := events[len(events)-1]
		if last.To != Closed {
			t.Fatalf("final transition to %v, want closed", last.To)
		}
		if d := last.At.Sub(start) - outage; d < 0 || d > 2*openTimeout+tick {
			t.Errorf("closed %v after recovery, want within two half-open rounds (%v)", d, 2*openTimeout)
		}
		if b.State() != Closed {
			t.Errorf("final state %v", b.State())
		}
		// While open, only the half-open probes reach the dependency.
		maxProbes := int(outage/openTimeout) * 5
		if callsDuringOutage > minCalls+maxProbes {
			t.Errorf("dependency saw %d calls during the outage, want at most %d", callsDuringOutage, minCalls+maxProbes)
		}
		t.Logf("opened at %v; %d transitions; closed %v after recovery; %d dependency calls during the outage",
			first.At.Sub(start), len(events), last.At.Sub(start)-outage, callsDuringOutage)
	})
}
