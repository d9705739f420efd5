package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/eject"
)

const (
	replicas       = 10
	step           = 10 * time.Second // one Monitor tick of virtual time
	requestsPerRun = 200              // requests per step
	sick           = 7                // the backend that falls ill
)

// phases: what is wrong with the sick backend from which step on.
var phases = []struct {
	from  int
	fault fault
	say   string
}{
	{1, fault{}, "all ten backends healthy"},
	{5, fault{slow: 3}, "backend 7 becomes 3x slower"},
	{17, fault{failEvery: 10}, "backend 7 is fast again but fails 10% of requests"},
	{33, fault{}, "backend 7 heals"},
}

const steps = 44

func run(w io.Writer) error {
	clk := &clock{now: time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)}
	start := clk.Now()
	backends, err := startBackends(replicas, clk)
	if err != nil {
		return err
	}
	defer stopBackends(backends)
	addrs := make([]string, len(backends))
	for i, b := range backends {
		addrs[i] = b.addr
	}
	name := func(addr string) string {
		for i, a := range addrs {
			addr = strings.ReplaceAll(addr, a, fmt.Sprintf("backend %d", i))
		}
		return addr
	}

	stats, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		return err
	}
	ejector, err := eject.NewEjector(eject.EjectorConfig{Replicas: addrs, BaseEjectionTime: 30 * time.Second})
	if err != nil {
		return err
	}
	detector, err := eject.NewDetector(eject.DetectorConfig{Dependency: "inventory", Stats: stats, Ejector: ejector,
		MeterProvider: noop.NewMeterProvider()})
	if err != nil {
		return err
	}
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name:   "eject-peer-outliers",
		When:   remediate.Match{Predicate: func(s remediate.Signal) bool { return strings.HasPrefix(s.Source, "peer:") }},
		Action: eject.Action(ejector),
		Pool:   addrs,
	}}}, remediate.WithAuditLogger(nil), remediate.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		return err
	}
	m, err := availability.New(
		availability.WithDependencies(availability.Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}}),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.99, Latency: 100 * time.Millisecond}),
		availability.WithEngine(engine), availability.WithPeerDetectors(detector),
		availability.WithClock(clk.Now), availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithLogger(slog.New(slog.DiscardHandler)), availability.WithDrainDelay(0))
	if err != nil {
		return err
	}
	// The Monitor is not started: the story ticks it at virtual instants,
	// and the timeline is delivered on the ticking goroutine, in order.
	defer m.Shutdown(context.Background())
	defer m.OnEvent(func(e availability.Event) {
		if e.Kind == availability.EventPeer || e.Kind == availability.EventRemediation {
			write(w, "  %6s  %-11s %s\n", "+"+e.Time.Sub(start).String(), e.Kind, name(e.Message))
		}
	})()

	transport := &http.Transport{MaxIdleConnsPerHost: 4}
	defer transport.CloseIdleConnections()
	balancer, err := eject.NewBalancer(eject.BalancerConfig{Ejector: ejector, Stats: stats, Base: transport, Now: clk.Now})
	if err != nil {
		return err
	}
	client := &http.Client{Transport: m.RoundTripper(balancer)}

	var failed, sent, toSick int
	phase := 0
	for s := 1; s <= steps; s++ {
		if phase < len(phases) && phases[phase].from == s {
			backends[sick].set(phases[phase].fault)
			write(w, "%s\n", phases[phase].say)
			phase++
		}
		before := backends[sick].requests()
		for range requestsPerRun {
			resp, err := client.Get("http://inventory.internal/items")
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			sent++
			if resp.StatusCode >= 500 {
				failed++
			}
		}
		toSick += backends[sick].requests() - before
		clk.set(start.Add(time.Duration(s) * step))
		m.TickAt(clk.Now())
	}
	write(w, "inventory as the client saw it: %d of %d requests failed (%.2f%%); backend 7 served %d (%.1f%%, 10%% without ejection)\n",
		failed, sent, 100*float64(failed)/float64(sent), toSick, 100*float64(toSick)/float64(sent))
	return nil
}

func (b *backend) requests() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n
}
