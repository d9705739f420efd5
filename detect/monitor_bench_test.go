package detect

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
)

// BenchmarkMonitorObserveAt measures the Monitor's own overhead around a
// trivial detector, with goroutines feeding distinct series in parallel
// (the per-series locks should let them scale).
func BenchmarkMonitorObserveAt(b *testing.B) {
	m, err := NewMonitor(newMonEcho, WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		name := fmt.Sprint("series-", next.Add(1))
		t := monT0
		for pb.Next() {
			t = t.Add(time.Second)
			m.ObserveAt(name, t, 0.1)
		}
	})
}

// BenchmarkPeerGroupStep measures one step of a 16-member group.
func BenchmarkPeerGroupStep(b *testing.B) {
	g, err := NewPeerGroup(PeerConfig{})
	if err != nil {
		b.Fatal(err)
	}
	vals := make([]PeerValue, 16)
	for i := range vals {
		vals[i] = PeerValue{Member: fmt.Sprint("host-", i), Value: 1 + float64(i%5)/10}
	}
	t := monT0
	b.ReportAllocs()
	for b.Loop() {
		t = t.Add(time.Second)
		g.StepAt(t, vals)
	}
}
