package detect

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"
)

func peerHosts(vals ...float64) []PeerValue {
	out := make([]PeerValue, len(vals))
	for i, v := range vals {
		out[i] = PeerValue{Member: string(rune('a' + i)), Value: v}
	}
	return out
}

func peerNames(os []PeerOutlier) string {
	s := ""
	for _, o := range os {
		s += fmt.Sprintf("%s%d ", o.Member, o.Steps)
	}
	return s
}

// TestPeerGroupScript feeds five replicas step by step; expected verdicts
// follow from the median/MAD rule with persistence 3.
func TestPeerGroupScript(t *testing.T) {
	g, err := NewPeerGroup(PeerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		values []PeerValue
		want   string
	}{
		{"calm", peerHosts(1.0, 1.1, 0.9, 1.0, 1.05), ""},
		{"e high 1", peerHosts(1.0, 1.1, 0.9, 1.0, 9), ""},
		{"e high 2", peerHosts(1.0, 1.1, 0.9, 1.0, 9), ""},
		{"e high 3: reported", peerHosts(1.0, 1.1, 0.9, 1.0, 9), "e3 "},
		{"e high 4", peerHosts(1.0, 1.1, 0.9, 1.0, 9.5), "e4 "},
		{"e low: other side restarts", peerHosts(1.0, 1.1, 0.9, 1.0, -9), ""},
		{"e absent: forgotten", peerHosts(1.0, 1.1, 0.9, 1.0), ""},
		{"e low 1", peerHosts(1.0, 1.1, 0.9, 1.0, -9), ""},
		{"e low 2, d NaN", peerHosts(1.0, 1.1, 0.9, math.NaN(), -9), ""},
		{"e low 3", peerHosts(1.0, 1.1, 0.9, 1.0, -9), "e3 "},
		{"one noisy step", peerHosts(1.0, 5, 0.9, 1.0, 1.0), ""},
		{"too few: resets", peerHosts(1.0, 5), ""},
		{"b again 1", peerHosts(1.0, 5, 0.9, 1.0, 1.0), ""},
		{"b again 2", peerHosts(1.0, 5, 0.9, 1.0, 1.0), ""},
		{"b again 3", peerHosts(1.0, 5, 0.9, 1.0, 1.0), "b3 "},
	}
	for i, st := range steps {
		out, err := g.StepAt(monT0.Add(time.Duration(i)*time.Minute), st.values)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := peerNames(out); got != st.want {
			t.Errorf("step %d %s: outliers %q, want %q", i, st.name, got, st.want)
		}
	}
}

func TestPeerOutlierFigures(t *testing.T) {
	g, _ := NewPeerGroup(PeerConfig{Persistence: 1})
	// median 2, |dev| = 1 1 0 1 8 -> MAD 1, spread 1.4826.
	out, err := g.StepAt(monT0, peerHosts(1, 3, 2, 1, 10))
	if err != nil || len(out) != 1 {
		t.Fatalf("out = %v, %v", out, err)
	}
	o := out[0]
	wantZ := 8 / peerMADToSigma
	if o.Member != "e" || o.Median != 2 || o.Spread != peerMADToSigma || math.Abs(o.Z-wantZ) > 1e-12 ||
		math.Abs(o.Score-wantZ/(wantZ+3.5)) > 1e-12 || o.Value != 10 || o.Steps != 1 {
		t.Errorf("outlier = %+v", o)
	}
	// More than half equal: MAD 0, the mean absolute deviation takes over:
	// 0.8 * 1.2533 = 1.0027, z = 4/1.0027 = 3.99 >= 3.5.
	out, _ = g.StepAt(monT0.Add(time.Minute), peerHosts(1, 1, 1, 1, 5))
	if len(out) != 1 || math.Abs(out[0].Spread-0.8*peerMeanADToSigma) > 1e-12 {
		t.Errorf("MAD-zero step: %+v", out)
	}
	// All equal: nobody deviates.
	if out, _ := g.StepAt(monT0.Add(2*time.Minute), peerHosts(4, 4, 4, 4)); out != nil {
		t.Errorf("identical members flagged: %+v", out)
	}
}

func TestPeerMinDeviation(t *testing.T) {
	g, _ := NewPeerGroup(PeerConfig{Persistence: 1, MinDeviation: 0.5})
	if out, _ := g.StepAt(monT0, peerHosts(0, 0, 0, 0, 0.01)); out != nil {
		t.Errorf("tiny deviation flagged: %+v", out)
	}
	if out, _ := g.StepAt(monT0.Add(time.Minute), peerHosts(0, 0, 0, 0, 1)); len(out) != 1 {
		t.Errorf("large deviation not flagged: %+v", out)
	}
}

func TestPeerGroupErrors(t *testing.T) {
	g, _ := NewPeerGroup(PeerConfig{MaxMembers: 5})
	if _, err := g.StepAt(monT0, peerHosts(1, 2, 3, 4, 5, 6)); !errors.Is(err, ErrTooManyMembers) {
		t.Errorf("6 members: %v", err)
	}
	if _, err := g.StepAt(monT0, peerHosts(1, 1, 1, 1, 9)); err != nil {
		t.Fatal(err)
	}
	if _, err := g.StepAt(monT0, peerHosts(1, 1, 1, 1, 9)); !errors.Is(err, ErrPeerStepOrder) {
		t.Errorf("same instant: %v", err)
	}
	dup := []PeerValue{{"a", 1}, {"b", 1}, {"a", 2}}
	if _, err := g.StepAt(monT0.Add(time.Minute), dup); err == nil {
		t.Error("duplicate member accepted")
	}
	// The refused steps changed nothing: the next steps are the second and
	// third consecutive deviations of e.
	if out, err := g.StepAt(monT0.Add(2*time.Minute), peerHosts(1, 1, 1, 1, 9)); err != nil || out != nil {
		t.Errorf("second step: %+v, %v", out, err)
	}
	out, err := g.StepAt(monT0.Add(3*time.Minute), peerHosts(1, 1, 1, 1, 9))
	if err != nil || len(out) != 1 || out[0].Steps != 3 {
		t.Errorf("after refusals: %+v, %v", out, err)
	}
}

func TestNewPeerGroupValidation(t *testing.T) {
	for _, cfg := range []PeerConfig{
		{MaxMembers: -1},
		{Threshold: -1},
		{Threshold: math.NaN()},
		{Threshold: math.Inf(1)},
		{Persistence: -2},
		{MinMembers: 2},
		{MinMembers: 10, MaxMembers: 5},
		{MinDeviation: -1},
		{MinDeviation: math.NaN()},
	} {
		if _, err := NewPeerGroup(cfg); err == nil {
			t.Errorf("NewPeerGroup(%+v) = nil error", cfg)
		}
	}
}

func TestPeerStepAllocs(t *testing.T) {
	g, _ := NewPeerGroup(PeerConfig{})
	vals := peerHosts(1, 1.1, 0.9, 1, 1.2, 0.95, 1.05, 1)
	i := 0
	if n := testing.AllocsPerRun(200, func() {
		i++
		g.StepAt(monT0.Add(time.Duration(i)*time.Second), vals)
	}); n != 0 {
		t.Errorf("StepAt allocates %v times per call", n)
	}
}

// FuzzPeerGroup drives a group with arbitrary values and memberships:
// nothing panics, state stays bounded and outliers are well formed.
func FuzzPeerGroup(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint8(2))
	f.Add([]byte{0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1}, uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, persist uint8) {
		g, err := NewPeerGroup(PeerConfig{MaxMembers: 8, Persistence: int(persist % 5)})
		if err != nil {
			t.Fatal(err)
		}
		step := 0
		for len(data) >= 2 {
			n := int(data[0] % 10)
			data = data[1:]
			var vals []PeerValue
			for k := 0; k < n && len(data) >= 8; k++ {
				v := math.Float64frombits(binary.LittleEndian.Uint64(data))
				data = data[8:]
				vals = append(vals, PeerValue{Member: string(rune('a' + k)), Value: v})
			}
			step++
			out, err := g.StepAt(monT0.Add(time.Duration(step)), vals)
			if len(vals) > 8 {
				if !errors.Is(err, ErrTooManyMembers) {
					t.Fatalf("%d members: %v", len(vals), err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(g.streaks) > 8 {
				t.Fatalf("%d streaks", len(g.streaks))
			}
			for _, o := range out {
				if o.Steps < g.cfg.Persistence || !(o.Score >= 0 && o.Score <= 1) || math.IsNaN(o.Z) || math.IsNaN(o.Median) {
					t.Fatalf("bad outlier %+v", o)
				}
			}
		}
	})
}
