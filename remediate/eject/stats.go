package eject

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/internal/cowmap"
	"github.com/nines-sre/nines/internal/latencyhist"
)

// DefaultMaxReplicas bounds the replicas a Stats tracks when
// StatsConfig.MaxReplicas is zero.
const DefaultMaxReplicas = 256

// StatsConfig configures a [Stats]. The zero value is usable.
type StatsConfig struct {
	// MaxReplicas bounds the replicas tracked at once: a call to a replica
	// beyond it is counted in Stats.Overflow and nowhere else. Zero means
	// DefaultMaxReplicas.
	MaxReplicas int
	// Quantile is the latency quantile reported per step, in (0, 1). Zero
	// means 0.99.
	Quantile float64
	// ForgetAfter is how many consecutive steps without a call a replica
	// is kept before its slot is freed, so replicas that come and go do not
	// fill the table: replicas that all change every step need
	// MaxReplicas of (ForgetAfter+1) times their number. Zero means 10.
	ForgetAfter int
}

// ReplicaStep is one replica's aggregate over one step.
type ReplicaStep struct {
	Replica string
	// Calls and Bad count the calls finished in the step and those that
	// failed (transport error or 5xx).
	Calls, Bad uint64
	// ErrorRatio is Bad/Calls, NaN without calls.
	ErrorRatio float64
	// Latency is the configured quantile of the step's latencies, in
	// seconds; NaN without calls.
	Latency float64
}

// Stats keeps per-replica call counts and latency histograms for one
// dependency, drained once per step by [Stats.Step]. Record is lock-free
// and allocates nothing once a replica has its slot; the first call to a
// new replica copies the replica table (a copy-on-write map). Build one
// with [NewStats]; it is safe for concurrent use.
type Stats struct {
	cfg      StatsConfig
	replicas cowmap.Map[string, *replica]
	overflow atomic.Uint64

	mu     sync.Mutex // serialises Step
	counts [latencyhist.Bins]uint32
}

type replica struct {
	name  string
	calls atomic.Uint64
	bad   atomic.Uint64
	hist  latencyhist.Hist
	idle  int // steps without a call; written under Stats.mu only
}

// NewStats validates cfg and returns a Stats.
func NewStats(cfg StatsConfig) (*Stats, error) {
	if cfg.MaxReplicas == 0 {
		cfg.MaxReplicas = DefaultMaxReplicas
	}
	if cfg.Quantile == 0 {
		cfg.Quantile = 0.99
	}
	if cfg.ForgetAfter == 0 {
		cfg.ForgetAfter = 10
	}
	switch {
	case cfg.MaxReplicas < 0:
		return nil, invalid("StatsConfig.MaxReplicas", cfg.MaxReplicas, "must be positive")
	case !(cfg.Quantile > 0 && cfg.Quantile < 1):
		return nil, invalid("StatsConfig.Quantile", cfg.Quantile, "must be in (0, 1)")
	case cfg.ForgetAfter < 0:
		return nil, invalid("StatsConfig.ForgetAfter", cfg.ForgetAfter, "must be positive")
	}
	return &Stats{cfg: cfg}, nil
}

// Record counts one finished call to replica: its latency and whether it
// failed. A replica past MaxReplicas is counted in Overflow only.
func (s *Stats) Record(replicaName string, latency time.Duration, bad bool) {
	r, ok := s.replicas.Load(replicaName)
	if !ok {
		r, ok = s.add(replicaName)
		if !ok {
			s.overflow.Add(1)
			return
		}
	}
	r.hist.Record(latency)
	if bad {
		r.bad.Add(1)
	}
	r.calls.Add(1)
}

func (s *Stats) add(name string) (*replica, bool) {
	r, _, _ := s.replicas.StoreIf(name, &replica{name: name}, func(n int) bool { return n < s.cfg.MaxReplicas })
	return r, r != nil
}

// Overflow is how many calls went to replicas beyond MaxReplicas.
func (s *Stats) Overflow() uint64 { return s.overflow.Load() }

// Len is how many replicas hold a slot.
func (s *Stats) Len() int { return s.replicas.Len() }

// Step drains the counts since the previous Step and appends one
// ReplicaStep per replica that had calls to dst, in no particular order.
// Replicas idle for ForgetAfter steps lose their slot.
func (s *Stats) Step(dst []ReplicaStep) []ReplicaStep {
	s.mu.Lock()
	defer s.mu.Unlock()
	var idle []string
	s.replicas.Range(func(name string, r *replica) bool {
		// Calls is read before the histogram is drained: a call racing
		// the step is then counted in this step's latency or the next
		// one's, never lost.
		calls := r.calls.Swap(0)
		bad := r.bad.Swap(0)
		lat, _ := r.hist.Drain(&s.counts, s.cfg.Quantile)
		if calls == 0 {
			r.idle++
			if r.idle >= s.cfg.ForgetAfter {
				idle = append(idle, name)
			}
			return true
		}
		r.idle = 0
		dst = append(dst, ReplicaStep{Replica: name, Calls: calls, Bad: bad, ErrorRatio: float64(bad) / float64(calls), Latency: lat})
		return true
	})
	for _, name := range idle {
		s.replicas.Delete(name)
	}
	return dst
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
