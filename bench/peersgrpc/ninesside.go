package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/eject"
)

// ninesSystem is nines' peer-outlier ejection over the same gRPC
// backends: eject.Balancer.Pick chooses the backend of each call
// (round-robin over those not ejected, as grpc-go's round_robin child),
// the call goes over that backend's own ClientConn and is recorded in
// eject.Stats; every interval the Detector's signals go to the engine,
// whose policy ejects through eject.Action.
type ninesSystem struct {
	bs       []*backend
	conns    []*grpc.ClientConn
	clients  map[string]healthpb.HealthClient
	bal      *eject.Balancer
	stats    *eject.Stats
	ej       *eject.Ejector
	engine   *remediate.Engine
	stop     context.CancelFunc
	quantile float64
	wg       sync.WaitGroup
}

func newNines(cfg benchConfig, quantile float64) (system, error) {
	bs, err := startBackends(replicas)
	if err != nil {
		return nil, err
	}
	s := &ninesSystem{bs: bs, clients: map[string]healthpb.HealthClient{}, quantile: quantile}
	if err := s.init(cfg, quantile); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *ninesSystem) init(cfg benchConfig, quantile float64) error {
	var addrs []string
	for _, b := range s.bs {
		conn, err := grpc.NewClient("passthrough:///"+b.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return fmt.Errorf("grpc client: %w", err)
		}
		s.conns = append(s.conns, conn)
		s.clients[b.addr] = healthpb.NewHealthClient(conn)
		addrs = append(addrs, b.addr)
	}
	var err error
	if s.stats, err = eject.NewStats(eject.StatsConfig{Quantile: quantile}); err != nil {
		return err
	}
	s.ej, err = eject.NewEjector(eject.EjectorConfig{Replicas: addrs, MaxEjectedPercent: float64(cfg.maxEjectedPercent),
		BaseEjectionTime: cfg.baseEjection, MaxEjectionTime: cfg.maxEjection})
	if err != nil {
		return err
	}
	if *verbose {
		s.ej.OnChange(func(c eject.Change) {
			fmt.Fprintf(os.Stderr, "%s: %s ejector: %s ejected=%v\n", s.name(), c.Time.Format("15:04:05.0"), c.Replica, c.Ejected)
		})
	}
	det, err := eject.NewDetector(eject.DetectorConfig{Dependency: "inventory", Stats: s.stats, Ejector: s.ej,
		MinCalls: uint64(cfg.minCalls), MeterProvider: noop.NewMeterProvider()})
	if err != nil {
		return err
	}
	s.engine, err = remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name:   "eject-peer-outliers",
		When:   remediate.Match{Predicate: func(sg remediate.Signal) bool { return strings.HasPrefix(sg.Source, "peer:") }},
		Action: eject.Action(s.ej),
		Pool:   addrs,
	}}}, remediate.WithAuditLogger(nil), remediate.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		return err
	}
	if s.bal, err = eject.NewBalancer(eject.BalancerConfig{Ejector: s.ej, Stats: s.stats}); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(cfg.interval)
		defer t.Stop()
		// Step times are the start's wall time plus the monotonic time
		// since: this host's wall clock stepped back by over a second in a
		// run, and Detector.StepAt refuses a step not after the last.
		start := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case tick := <-t.C:
				now := start.Add(tick.Sub(start)).Round(0)
				sigs, err := det.StepAt(now)
				if err != nil {
					fmt.Fprintf(os.Stderr, "%s: detector step refused: %v\n", s.name(), err)
					continue
				}
				for _, sg := range sigs {
					if *verbose {
						fmt.Fprintf(os.Stderr, "%s: %s %s %s %s z=%.1f\n", s.name(), now.Format("15:04:05.0"), sg.Target, sg.State, sg.Attributes["metric"], sg.Value)
					}
					s.engine.HandleAt(ctx, now, sg)
				}
				s.engine.TickAt(ctx, now)
			}
		}
	}()
	return nil
}

func (s *ninesSystem) name() string {
	return fmt.Sprintf("nines remediate/eject, latency q%g (gRPC)", s.quantile)
}
func (s *ninesSystem) backends() []*backend { return s.bs }

// call counts a failed call as bad, and one cancelled by the end of the
// run not at all; grpc-go counts every non-OK status.
func (s *ninesSystem) call(ctx context.Context) error {
	addr := s.bal.Pick()
	start := time.Now()
	_, err := s.clients[addr].Check(ctx, &healthpb.HealthCheckRequest{})
	if ctx.Err() == nil {
		s.stats.Record(addr, time.Since(start), err != nil)
	}
	return err
}

func (s *ninesSystem) close() {
	if s.stop != nil {
		s.stop()
		s.wg.Wait()
	}
	if s.engine != nil {
		_ = s.engine.Shutdown(context.Background())
	}
	for _, c := range s.conns {
		_ = c.Close()
	}
	stopBackends(s.bs)
}
