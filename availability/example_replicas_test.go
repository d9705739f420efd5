package availability_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/eject"
)

// One name, three replicas: the transport picks the connection (here a
// dialer that spreads connections over three servers stands for DNS
// answering three addresses), and Dependency.Replicas records each call
// under the remote address of the connection that carried it, ready for
// an eject.Detector (WithPeerDetectors) to compare the replicas.
func ExampleDependency_replicas() {
	var addrs []string
	for i := range 3 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if i == 2 { // the sick replica
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		}))
		defer srv.Close()
		addrs = append(addrs, strings.TrimPrefix(srv.URL, "http://"))
	}
	var next atomic.Uint64
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addrs[next.Add(1)%3])
	}

	stats, _ := eject.NewStats(eject.StatsConfig{})
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		availability.WithDependencies(availability.Dependency{
			Name: "inventory", Hosts: []string{"inventory.internal"}, Replicas: stats,
		}),
	)
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())
	transport := &http.Transport{DialContext: dial, DisableKeepAlives: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: m.RoundTripper(transport)}
	for range 30 {
		resp, err := client.Get("http://inventory.internal/items/42")
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
	}

	byAddr := map[string]eject.ReplicaStep{}
	for _, s := range stats.Step(nil) {
		byAddr[s.Replica] = s
	}
	for i, a := range addrs {
		fmt.Printf("replica %d: %d calls, error ratio %.1f\n", i, byAddr[a].Calls, byAddr[a].ErrorRatio)
	}
	// Output:
	// replica 0: 10 calls, error ratio 0.0
	// replica 1: 10 calls, error ratio 0.0
	// replica 2: 10 calls, error ratio 1.0
}
