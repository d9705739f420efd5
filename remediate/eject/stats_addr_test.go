package eject

import (
	"math"
	"net/netip"
	"testing"
	"time"
)

// RecordAddr files a call under the address's text, unmapping an
// IPv4-mapped address, and shares the slot Record uses for that name.
func TestStatsRecordAddr(t *testing.T) {
	s, err := NewStats(StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	s.RecordAddr(netip.MustParseAddrPort("10.0.0.1:80"), time.Millisecond, false)
	s.RecordAddr(netip.MustParseAddrPort("[::ffff:10.0.0.1]:80"), time.Millisecond, true)
	s.Record("10.0.0.1:80", time.Millisecond, false)
	s.RecordAddr(netip.MustParseAddrPort("[2001:db8::1]:443"), time.Millisecond, false)
	got := stepMap(s.Step(nil))
	if a := got["10.0.0.1:80"]; a.Calls != 3 || a.Bad != 1 {
		t.Fatalf("10.0.0.1:80 = %+v, want 3 calls, 1 bad", a)
	}
	if b := got["[2001:db8::1]:443"]; b.Calls != 1 || len(got) != 2 {
		t.Fatalf("step = %+v, want the IPv6 replica once and two replicas", got)
	}
}

// 10,000 distinct remote addresses: both indexes stay at MaxReplicas,
// the rest is counted, and idle addresses free both their slots.
func TestStatsRecordAddrBounded(t *testing.T) {
	s, err := NewStats(StatsConfig{MaxReplicas: 64, ForgetAfter: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10000 {
		addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(i / 256), byte(i % 256)}), 80)
		s.RecordAddr(addr, time.Millisecond, false)
	}
	if s.Len() != 64 || s.byAddr.Len() != 64 || s.Overflow() != 10000-64 {
		t.Fatalf("Len %d byAddr %d Overflow %d, want 64, 64 and %d", s.Len(), s.byAddr.Len(), s.Overflow(), 10000-64)
	}
	s.Step(nil)
	s.Step(nil) // idle for one step: forgotten
	if s.Len() != 0 || s.byAddr.Len() != 0 {
		t.Fatalf("after idle steps Len %d byAddr %d, want 0 and 0", s.Len(), s.byAddr.Len())
	}
	s.RecordAddr(netip.MustParseAddrPort("10.9.9.9:80"), time.Millisecond, false)
	if s.Len() != 1 {
		t.Fatalf("a new address after forgetting: Len %d, want 1", s.Len())
	}
}

func TestStatsRecordAddrAllocs(t *testing.T) {
	s, err := NewStats(StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	addr := netip.MustParseAddrPort("[::ffff:10.0.0.1]:80")
	s.RecordAddr(addr, time.Millisecond, false)
	if n := testing.AllocsPerRun(1000, func() { s.RecordAddr(addr, time.Millisecond, true) }); n != 0 {
		t.Fatalf("RecordAddr allocates %v per call, want 0", n)
	}
}

func TestStatsRecordMetric(t *testing.T) {
	s, err := NewStats(StatsConfig{Metrics: []MetricConfig{{Name: "queue"}, {Name: "hit_ratio", LowerIsWorse: true}}})
	if err != nil {
		t.Fatal(err)
	}
	s.RecordMetric("a", "queue", 2)
	s.RecordMetric("a", "queue", 4)
	s.RecordMetric("a", "nope", 1) // undeclared: counted
	s.RecordMetric("b", "hit_ratio", nan())
	s.RecordMetric("b", "hit_ratio", 0.9)
	s.Record("c", time.Millisecond, false)
	got := stepMap(s.Step(nil))
	a, b, c := got["a"], got["b"], got["c"]
	if a.Calls != 0 || a.Metrics[0] != 3 || !isNaN(a.Metrics[1]) || !isNaN(a.ErrorRatio) {
		t.Fatalf("a = %+v, want no calls, queue 3, no hit_ratio", a)
	}
	if b.Metrics[1] != 0.9 || !isNaN(b.Metrics[0]) {
		t.Fatalf("b = %+v, want hit_ratio 0.9", b)
	}
	if c.Calls != 1 || !isNaN(c.Metrics[0]) || !isNaN(c.Metrics[1]) {
		t.Fatalf("c = %+v, want one call and no metric", c)
	}
	if s.UnknownMetric() != 2 {
		t.Fatalf("UnknownMetric = %d, want 2 (an undeclared name, a NaN)", s.UnknownMetric())
	}
	if n := testing.AllocsPerRun(1000, func() { s.RecordMetric("a", "hit_ratio", 0.5) }); n != 0 {
		t.Fatalf("RecordMetric allocates %v per call, want 0", n)
	}
}

func TestStatsMetricConfigErrors(t *testing.T) {
	nine := make([]MetricConfig, MaxMetrics+1)
	for i := range nine {
		nine[i].Name = "m" + itoa(i)
	}
	for _, ms := range [][]MetricConfig{
		nine,
		{{Name: ""}},
		{{Name: "a b"}},
		{{Name: "a:b"}},
		{{Name: "latency"}},
		{{Name: "error_ratio"}},
		{{Name: "q"}, {Name: "q", LowerIsWorse: true}},
	} {
		if _, err := NewStats(StatsConfig{Metrics: ms}); err == nil {
			t.Errorf("NewStats(Metrics: %+v) = nil error", ms)
		}
	}
}

// Remote addresses that change every step (a fleet being replaced, NAT
// ports) free both their slots after ForgetAfter idle steps: the table
// never fills and nothing overflows.
func TestStatsRecordAddrChurn(t *testing.T) {
	s, err := NewStats(StatsConfig{MaxReplicas: 4 * 3, ForgetAfter: 2})
	if err != nil {
		t.Fatal(err)
	}
	for step := range 200 {
		for i := range 4 {
			s.RecordAddr(netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 2, byte(step), byte(i)}), uint16(1000+step)), time.Millisecond, false)
		}
		if n := len(s.Step(nil)); n != 4 {
			t.Fatalf("step %d: %d replicas, want 4", step, n)
		}
		if s.byAddr.Len() > 12 {
			t.Fatalf("step %d: %d addresses indexed, want at most 12", step, s.byAddr.Len())
		}
	}
	if s.Overflow() != 0 {
		t.Fatalf("Overflow = %d, want 0", s.Overflow())
	}
}

// A metric whose samples' sum overflows has no mean that step: its
// samples are counted as dropped, and the next step starts afresh.
func TestStatsRecordMetricOverflow(t *testing.T) {
	s, err := NewStats(StatsConfig{Metrics: []MetricConfig{{Name: "bytes"}}})
	if err != nil {
		t.Fatal(err)
	}
	s.RecordMetric("a", "bytes", math.MaxFloat64)
	s.RecordMetric("a", "bytes", math.MaxFloat64)
	s.Record("a", time.Millisecond, false)
	if got := stepMap(s.Step(nil))["a"]; !math.IsNaN(got.Metrics[0]) || s.UnknownMetric() != 2 {
		t.Fatalf("overflowed step: mean %v, UnknownMetric %d; want NaN and 2", got.Metrics[0], s.UnknownMetric())
	}
	s.RecordMetric("a", "bytes", 3)
	if got := stepMap(s.Step(nil))["a"]; got.Metrics[0] != 3 {
		t.Fatalf("next step mean %v, want 3", got.Metrics[0])
	}
}

// An address indexed to a slot that was forgotten meanwhile (RecordAddr
// racing the step that frees the slot) is dropped from the index at the
// next step: the address's calls are not lost for good.
func TestStatsRecordAddrOrphanIndex(t *testing.T) {
	s, err := NewStats(StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	addr := netip.MustParseAddrPort("10.0.0.1:80")
	s.RecordAddr(addr, time.Millisecond, false)
	s.replicas.Delete("10.0.0.1:80") // the step's forgetting, half done
	s.Step(nil)
	s.RecordAddr(addr, time.Millisecond, true)
	if got := stepMap(s.Step(nil))["10.0.0.1:80"]; got.Calls != 1 || got.Bad != 1 {
		t.Fatalf("after the orphan index entry: %+v, want the call recorded", got)
	}
}
