package peers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/eject"
)

// okBase answers every request at once, without I/O, so that the
// benchmark measures the client path and not the network.
type okBase struct{ resp http.Response }

func (b *okBase) RoundTrip(*http.Request) (*http.Response, error) { return &b.resp, nil }

func monitor(b *testing.B) *availability.Monitor {
	m, err := availability.New(availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithLogger(slog.New(slog.DiscardHandler)), availability.WithDrainDelay(0),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999, Latency: 300 * time.Millisecond}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = m.Shutdown(context.Background()) })
	return m
}

func balancer(b *testing.B, base http.RoundTripper) *eject.Balancer {
	var addrs []string
	for i := range 10 {
		addrs = append(addrs, fmt.Sprintf("10.0.0.%d:80", i+1))
	}
	st, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		b.Fatal(err)
	}
	ej, err := eject.NewEjector(eject.EjectorConfig{Replicas: addrs})
	if err != nil {
		b.Fatal(err)
	}
	bal, err := eject.NewBalancer(eject.BalancerConfig{Ejector: ej, Stats: st, Base: base})
	if err != nil {
		b.Fatal(err)
	}
	return bal
}

// BenchmarkReplicaStatsAdded times chunks of calls through the Monitor's
// RoundTripper on the bare base, then with an eject.Balancer under it,
// back to back, and reports the median per-call difference, so that load
// on a shared machine hits both sides alike. allocs-added is measured with
// AllocsPerRun on the same two paths.
func BenchmarkReplicaStatsAdded(b *testing.B) {
	const chunk = 2000
	base := &okBase{resp: http.Response{StatusCode: 200, Body: http.NoBody}}
	plain := monitor(b).RoundTripper(base)
	withStats := monitor(b).RoundTripper(balancer(b, base))
	req, _ := http.NewRequest(http.MethodGet, "http://inventory/items", nil)
	timeChunk := func(rt http.RoundTripper) float64 {
		start := time.Now()
		for range chunk {
			_, _ = rt.RoundTrip(req)
		}
		return float64(time.Since(start)) / chunk
	}
	var plainNs, added []float64
	for b.Loop() {
		p := timeChunk(plain)
		w := timeChunk(withStats)
		plainNs, added = append(plainNs, p), append(added, w-p)
	}
	b.ReportMetric(median(plainNs), "plain-ns/call")
	b.ReportMetric(median(added), "balancer+stats-added-ns/call")
	a0 := testing.AllocsPerRun(1000, func() { _, _ = plain.RoundTrip(req) })
	a1 := testing.AllocsPerRun(1000, func() { _, _ = withStats.RoundTrip(req) })
	b.ReportMetric(a1-a0, "allocs-added/call")
}

// BenchmarkStatsRecord is the per-replica statistics alone: one call
// recorded under one of ten replicas, from every P.
func BenchmarkStatsRecord(b *testing.B) {
	st, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, 10)
	for i := range names {
		names[i] = fmt.Sprintf("10.0.0.%d:80", i+1)
		st.Record(names[i], time.Millisecond, false)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			st.Record(names[i%10], time.Duration(i)*time.Microsecond, i%100 == 0)
			i++
		}
	})
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}
