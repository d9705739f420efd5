package eject

import (
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
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
	// means 0.9: a replica sees about a hundred calls a step, where the
	// 0.99 quantile is the step's slowest call or two, so one pause on a
	// healthy replica made it a latency outlier (bench/peersgrpc, 6 min
	// healthy: 2 false ejections at 0.99, none at 0.9) and a 3x slower
	// replica took 4-12 s to find instead of 3 s.
	Quantile float64
	// ForgetAfter is how many consecutive steps without a call a replica
	// is kept before its slot is freed, so replicas that come and go do not
	// fill the table: replicas that all change every step need
	// MaxReplicas of (ForgetAfter+1) times their number. Zero means 10.
	ForgetAfter int
	// Metrics declares the user metrics each replica may report with
	// [Stats.RecordMetric] (at most MaxMetrics, names unique and of
	// [A-Za-z0-9_.-]+): per step the Stats keeps each one's mean per
	// replica, and a [Detector] compares it across the replicas like the
	// error ratio and the latency. Empty means none.
	Metrics []MetricConfig
}

// MaxMetrics bounds StatsConfig.Metrics: each is a peer group the
// Detector judges every step, and a few numbers per replica slot.
const MaxMetrics = 8

// MetricConfig declares one user metric compared across replicas.
type MetricConfig struct {
	// Name names the metric in RecordMetric, in the outlier signal's
	// "metric" attribute and in the peer.outliers counters. Required; it
	// must differ from the built-in "error_ratio" and "latency".
	Name string
	// LowerIsWorse says a replica deviates when its mean is below its
	// peers' (a cache hit ratio, a throughput). The zero value means
	// higher is worse (a queue depth, a retry count).
	LowerIsWorse bool
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
	// Metrics holds the mean of each user metric (StatsConfig.Metrics,
	// same order) over the step's samples, NaN without samples. It is
	// nil when the Stats declares no metrics.
	Metrics []float64
}

// Stats keeps per-replica call counts and latency histograms for one
// dependency, drained once per step by [Stats.Step]. Record is lock-free
// and allocates nothing once a replica has its slot; the first call to a
// new replica copies the replica table (a copy-on-write map). Build one
// with [NewStats]; it is safe for concurrent use.
type Stats struct {
	cfg      StatsConfig
	replicas cowmap.Map[string, *replica]
	// byAddr indexes the same replicas by their address for RecordAddr,
	// so that a connection's address finds its slot without formatting
	// it; its keys are always netip.ParseAddrPort of a replica's name.
	byAddr   cowmap.Map[netip.AddrPort, *replica]
	overflow atomic.Uint64
	// unknownMetric counts RecordMetric calls naming no declared metric.
	unknownMetric atomic.Uint64
	unattributed  atomic.Uint64

	mu     sync.Mutex // serialises Step
	counts [latencyhist.Bins]uint32
}

type replica struct {
	name  string
	calls atomic.Uint64
	bad   atomic.Uint64
	hist  latencyhist.Hist
	idle  int // steps without a call; written under Stats.mu only
	// sums and samples accumulate the user metrics (float64 bits, added
	// with compare-and-swap), one per StatsConfig.Metrics entry.
	sums    [MaxMetrics]atomic.Uint64
	samples [MaxMetrics]atomic.Uint64
}

// NewStats validates cfg and returns a Stats.
func NewStats(cfg StatsConfig) (*Stats, error) {
	if cfg.MaxReplicas == 0 {
		cfg.MaxReplicas = DefaultMaxReplicas
	}
	if cfg.Quantile == 0 {
		cfg.Quantile = 0.9
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
	case len(cfg.Metrics) > MaxMetrics:
		return nil, invalid("StatsConfig.Metrics", len(cfg.Metrics), "must hold at most 8 metrics")
	}
	cfg.Metrics = append([]MetricConfig(nil), cfg.Metrics...)
	for i, mc := range cfg.Metrics {
		field := "StatsConfig.Metrics[" + itoa(i) + "].Name"
		switch {
		case mc.Name == "" || !validName(mc.Name) || strings.Contains(mc.Name, ":"):
			return nil, invalid(field, mc.Name, "must be 1 or more characters of [A-Za-z0-9_.-]")
		case mc.Name == metricErrors || mc.Name == metricLatency:
			return nil, invalid(field, mc.Name, "is a built-in metric")
		case slices.ContainsFunc(cfg.Metrics[:i], func(o MetricConfig) bool { return o.Name == mc.Name }):
			return nil, invalid(field, mc.Name, "is declared twice")
		}
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

// RecordAddr is Record for the replica at addr, named addr.String()
// (an IPv4-mapped address is unmapped first): the client path calls it
// with a connection's remote address, and it allocates nothing once the
// address has its slot.
func (s *Stats) RecordAddr(addr netip.AddrPort, latency time.Duration, bad bool) {
	addr = netip.AddrPortFrom(addr.Addr().Unmap(), addr.Port())
	r, ok := s.byAddr.Load(addr)
	if !ok {
		name := addr.String()
		if r, ok = s.replicas.Load(name); !ok {
			if r, ok = s.add(name); !ok {
				s.overflow.Add(1)
				return
			}
		}
		// Bounded like the names: every key is a slot's address.
		s.byAddr.StoreIf(addr, r, func(n int) bool { return n < s.cfg.MaxReplicas })
	}
	r.hist.Record(latency)
	if bad {
		r.bad.Add(1)
	}
	r.calls.Add(1)
}

// RecordMetric adds one sample of the user metric named metric (one of
// StatsConfig.Metrics) for replicaName; each step's value is the mean of
// its samples. A sample for an undeclared metric, or a NaN or infinite
// one, is counted in UnknownMetric and nowhere else; a replica past
// MaxReplicas is counted in Overflow. It allocates nothing once the
// replica has its slot.
func (s *Stats) RecordMetric(replicaName, metric string, value float64) {
	i := slices.IndexFunc(s.cfg.Metrics, func(mc MetricConfig) bool { return mc.Name == metric })
	if i < 0 || !finite(value) {
		s.unknownMetric.Add(1)
		return
	}
	r, ok := s.replicas.Load(replicaName)
	if !ok {
		if r, ok = s.add(replicaName); !ok {
			s.overflow.Add(1)
			return
		}
	}
	for {
		old := r.sums[i].Load()
		if r.sums[i].CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+value)) {
			break
		}
	}
	r.samples[i].Add(1)
}

// RecordUnattributed counts one call the client path could not attribute
// to a replica: it failed before a connection was chosen (a dial error,
// for example), or its connection had no IP address. It is counted for
// the dependency as a whole (its SLOs and breaker) all the same.
func (s *Stats) RecordUnattributed() { s.unattributed.Add(1) }

// Unattributed is how many calls RecordUnattributed counted.
func (s *Stats) Unattributed() uint64 { return s.unattributed.Load() }

// UnknownMetric is how many RecordMetric samples were dropped: an
// undeclared metric name, a value that is NaN or infinite, or the samples
// of a step whose sum overflowed.
func (s *Stats) UnknownMetric() uint64 { return s.unknownMetric.Load() }

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
		metrics, sampled := s.drainMetrics(r)
		if calls == 0 && !sampled {
			r.idle++
			if r.idle >= s.cfg.ForgetAfter {
				idle = append(idle, name)
			}
			return true
		}
		r.idle = 0
		ratio := math.NaN()
		if calls > 0 {
			ratio = float64(bad) / float64(calls)
		}
		dst = append(dst, ReplicaStep{Replica: name, Calls: calls, Bad: bad, ErrorRatio: ratio, Latency: lat, Metrics: metrics})
		return true
	})
	for _, name := range idle {
		s.replicas.Delete(name)
		if addr, err := netip.ParseAddrPort(name); err == nil {
			s.byAddr.Delete(addr)
		}
	}
	// A RecordAddr that raced the forgetting of its replica may have
	// indexed its address to the forgotten slot: drop such entries, so
	// that the address's next call takes a slot the steps see.
	s.byAddr.Range(func(addr netip.AddrPort, r *replica) bool {
		if cur, ok := s.replicas.Load(r.name); !ok || cur != r {
			s.byAddr.Delete(addr)
		}
		return true
	})
	return dst
}

// drainMetrics returns the means of r's user metrics since the last step
// (nil without declared metrics) and whether any had a sample. A sample
// racing the drain lands in this step or the next, or (between the two
// swaps) adds to one step's sum and the next one's count: a mean off by
// one sample, never a lost or invented replica.
func (s *Stats) drainMetrics(r *replica) ([]float64, bool) {
	if len(s.cfg.Metrics) == 0 {
		return nil, false
	}
	means := make([]float64, len(s.cfg.Metrics))
	sampled := false
	for i := range means {
		n := r.samples[i].Swap(0)
		sum := math.Float64frombits(r.sums[i].Swap(0))
		if n == 0 {
			means[i] = math.NaN()
			continue
		}
		if means[i] = sum / float64(n); !finite(means[i]) {
			// Finite samples whose sum overflowed: the step's mean is
			// unknown, and its samples are counted as dropped.
			means[i] = math.NaN()
			s.unknownMetric.Add(n)
			continue
		}
		sampled = true
	}
	return means, sampled
}

func itoa(i int) string { return strconv.Itoa(i) }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
