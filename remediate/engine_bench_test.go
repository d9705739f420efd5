package remediate

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Signals that no policy matches (the common case: a detector's scores on
// every tick) cost no allocation.
func TestNonMatchingSignalDoesNotAllocate(t *testing.T) {
	e := mustEngine(t, Config{Policies: []Policy{
		{Name: "a", Action: &recordingAction{}, When: Match{Kinds: []SignalKind{SignalHealthStatus}}},
		{Name: "b", Action: &recordingAction{}, When: Match{Kinds: []SignalKind{SignalAnomaly}, Predicate: func(s Signal) bool { return s.Value > 0.9 }}},
	}})
	s := Signal{Kind: SignalAnomaly, Source: "latency", Value: 0.1}
	ctx := context.Background()
	if n := testing.AllocsPerRun(1000, func() { e.HandleAt(ctx, engT0, s) }); n != 0 {
		t.Errorf("HandleAt of a non-matching signal: %v allocs, want 0", n)
	}
}

// BenchmarkHandle measures one decision per path: a signal of a kind no
// policy watches, one of a watched kind the predicate refuses (the engine
// remembers its incident), one held back by the cooldown (a flapping
// signal), and one that runs a no-op action.
func BenchmarkHandle(b *testing.B) {
	ctx := context.Background()
	for _, path := range []string{"no_match", "predicate_false", "rate_limited", "executed"} {
		b.Run(path, func(b *testing.B) {
			p := Policy{Name: "p", Action: &nopAction{}, When: Match{Kinds: []SignalKind{SignalAnomaly}}}
			switch path {
			case "rate_limited":
				p.Cooldown = time.Hour
			case "predicate_false":
				p.When.Predicate = func(Signal) bool { return false }
			}
			e := mustEngine(b, Config{Policies: []Policy{p}})
			s := Signal{Kind: SignalAnomaly, Source: "latency", Value: 0.97, Attributes: map[string]string{"detector": "ewma"}}
			if path == "no_match" {
				s.Kind = SignalHealthStatus
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if path == "executed" {
					s.Target = fmt.Sprint(i % 1024)
				}
				e.HandleAt(ctx, engT0.Add(time.Duration(i)*time.Second), s)
				i++
			}
		})
	}
}

type nopAction struct{}

func (nopAction) Name() string                             { return "nop" }
func (nopAction) Do(context.Context, string, Signal) error { return nil }
