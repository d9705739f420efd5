package detect

import (
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

// TestPeerGroupEdges scripts edge cases one step after another with
// Persistence 1 (verdicts at once): equal members, a lone member, members
// joining and leaving, and values at the limits of float64.
func TestPeerGroupEdges(t *testing.T) {
	const M = math.MaxFloat64
	steps := []struct {
		what string
		vals []PeerValue
		want string // peerNames of the outliers
	}{
		{"all equal", peerHosts(5, 5, 5, 5), ""},
		{"one member", peerHosts(5), ""},
		{"no members", nil, ""},
		{"one deviates from equal peers", peerHosts(5, 5, 5, 5, 50), "e1 "},
		{"e leaves, f joins deviating", []PeerValue{{"a", 5}, {"b", 5}, {"c", 5}, {"d", 5}, {"f", 50}}, "f1 "},
		{"e returns: its streak starts again", peerHosts(5, 5, 5, 5, 50), "e1 "},
		{"e stays", peerHosts(5, 5, 5, 5, 50), "e2 "},
		{"NaN and Inf members are ignored", peerHosts(5, 5, 5, math.NaN(), math.Inf(1)), ""},
		// The spread's sum of deviations overflows float64 here.
		{"two of eleven at ±MaxFloat64", peerHosts(1, 1, 1, 1, 1, 1, 1, 1, 1, M, -M), "j1 k1 "},
		// Here Threshold * spread exceeds MaxFloat64: nobody deviates
		// that far, and with two of seven far out neither is an outlier.
		{"two of seven at ±MaxFloat64", peerHosts(1, 1, 1, 1, 1, M, -M), ""},
		{"all at MaxFloat64", peerHosts(M, M, M, M), ""},
	}
	g, err := NewPeerGroup(PeerConfig{Persistence: 1, MaxMembers: 16})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		out, err := g.StepAt(monT0.Add(time.Duration(i)*time.Minute), s.vals)
		if err != nil {
			t.Fatalf("%s: %v", s.what, err)
		}
		for _, o := range out {
			if math.IsNaN(o.Score) || o.Score < 0 || o.Score > 1 || math.IsNaN(o.Z) || math.IsNaN(o.Spread) {
				t.Errorf("%s: malformed outlier %+v", s.what, o)
			}
		}
		if got := peerNames(out); got != s.want {
			t.Errorf("%s: outliers %q, want %q", s.what, got, s.want)
		}
	}
}

// TestPeerGroupConcurrent: steps from several goroutines are serialised;
// under -race nothing races, and every step is either judged or refused as
// out of order.
func TestPeerGroupConcurrent(t *testing.T) {
	g, err := NewPeerGroup(PeerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	judged, refused := 0, 0
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 100 {
				_, err := g.StepAt(monT0.Add(time.Duration(i*4+w)*time.Second), peerHosts(1, 1, 1, 1, 9))
				mu.Lock()
				if errors.Is(err, ErrPeerStepOrder) {
					refused++
				} else if err == nil {
					judged++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if judged+refused != 400 || judged == 0 {
		t.Errorf("judged %d, refused %d of 400", judged, refused)
	}
}
