package remediate

import (
	"fmt"
	"testing"
	"time"
)

// The blast radius holds for pools of 1, 2, 3 and 100: acting on the
// targets one after the other, exactly the allowed number pass.
func TestBlastRadiusPools(t *testing.T) {
	tests := []struct {
		pool       int
		percent    float64
		minTargets int
		want       int
	}{
		{pool: 1, percent: 50, want: 0},                // 1/1 = 100% > 50%
		{pool: 1, percent: 50, minTargets: 1, want: 1}, // the single-instance escape hatch
		{pool: 1, percent: 99.9, want: 0},
		{pool: 1, percent: 100, want: 1},
		{pool: 2, percent: 50, want: 1},
		{pool: 2, percent: 49, want: 0},
		{pool: 2, percent: 49, minTargets: 1, want: 1},
		{pool: 2, percent: 100, want: 2},
		{pool: 3, percent: 33, want: 0}, // 1/3 = 33.3% > 33%
		{pool: 3, percent: 34, want: 1},
		{pool: 3, percent: 50, want: 1}, // 2/3 > 50%
		{pool: 3, percent: 66, want: 1},
		{pool: 3, percent: 67, want: 2},
		{pool: 3, percent: 100, want: 3},
		{pool: 3, percent: 10, minTargets: 2, want: 2},
		{pool: 100, percent: 1, want: 1},
		{pool: 100, percent: 0.5, want: 0},
		{pool: 100, percent: 10, want: 10},
		{pool: 100, percent: 25, want: 25},
		{pool: 100, percent: 50, want: 50},
		{pool: 100, percent: 100, want: 100},
		{pool: 100, percent: 10, minTargets: 20, want: 20},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("pool=%d/max=%v%%/min=%d", tt.pool, tt.percent, tt.minTargets), func(t *testing.T) {
			pool := make([]string, tt.pool)
			for i := range pool {
				pool[i] = fmt.Sprintf("pod-%03d", i)
			}
			act := &recordingAction{}
			e := mustEngine(t, Config{Policies: []Policy{{
				Name: "p", Action: act, Pool: pool,
				BlastRadius: BlastRadius{MaxPercent: tt.percent, Window: time.Hour, MinTargets: tt.minTargets},
			}}})
			for i, target := range pool {
				d := handleOne(t, e, engT0.Add(time.Duration(i)*time.Second), Signal{Target: target})
				want := OutcomeExecuted
				if i >= tt.want {
					want = OutcomeRateLimited
				}
				if d.Outcome != want || (want == OutcomeRateLimited && d.Reason != ReasonBlastRadius) {
					t.Fatalf("target %d: %v/%s, want %v", i, d.Outcome, d.Reason, want)
				}
			}
			if act.calls() != tt.want {
				t.Errorf("acted on %d targets, want %d", act.calls(), tt.want)
			}
		})
	}
}

func TestBlastRadiusWindowAndRepeats(t *testing.T) {
	act := &recordingAction{}
	e := mustEngine(t, Config{Policies: []Policy{{
		Name: "p", Action: act, Pool: []string{"a", "b", "c", "d"},
		BlastRadius: BlastRadius{MaxPercent: 50, Window: 10 * time.Minute},
	}}})
	steps := []struct {
		at     time.Duration
		target string
		want   string
	}{
		{0, "a", "executed"},
		{time.Minute, "b", "executed"},
		{2 * time.Minute, "c", "rate_limited/blast_radius"},
		{3 * time.Minute, "a", "executed"}, // a is already counted: no wider
		{10 * time.Minute, "c", "rate_limited/blast_radius"},
		{11 * time.Minute, "c", "executed"}, // b (acted at 1m) left the window at 11m
		{12 * time.Minute, "d", "rate_limited/blast_radius"},
		{13 * time.Minute, "d", "executed"}, // a (acted at 3m) left it at 13m
	}
	for i, s := range steps {
		d := handleOne(t, e, engT0.Add(s.at), Signal{Target: s.target})
		got := d.Outcome.String()
		if d.Reason != "" {
			got += "/" + d.Reason
		}
		if got != s.want {
			t.Errorf("step %d (%v %s): %s, want %s", i, s.at, s.target, got, s.want)
		}
	}
}

// blastAllows agrees with exact rational arithmetic for integer percents.
func FuzzBlastAllows(f *testing.F) {
	f.Add(uint8(50), uint16(1), uint16(0), uint8(0))
	f.Add(uint8(34), uint16(3), uint16(0), uint8(0))
	f.Add(uint8(10), uint16(100), uint16(9), uint8(0))
	f.Fuzz(func(t *testing.T, percent uint8, pool, acted uint16, minTargets uint8) {
		if percent == 0 || percent > 100 || pool == 0 || acted >= pool {
			return
		}
		r := BlastRadius{MaxPercent: float64(percent), Window: time.Minute, MinTargets: int(minTargets)}
		got := blastAllows(&r, int(pool), int(acted))
		after := int(acted) + 1
		want := after <= int(minTargets) || after*100 <= int(percent)*int(pool)
		if got != want {
			t.Fatalf("blastAllows(%d%%, pool %d, acted %d, min %d) = %v, want %v", percent, pool, acted, minTargets, got, want)
		}
	})
}
