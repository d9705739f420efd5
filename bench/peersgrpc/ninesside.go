package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/eject"
)

// ninesSystem is the same fleet over HTTP: an eject.Balancer under an
// http.Client, a Detector stepped every second (Persistence 3, the
// defaults), the engine with eject.Action, 30s base ejection, 10% max.
type ninesSystem struct {
	bs      []*backend
	servers []*http.Server
	client  *http.Client
	tr      *http.Transport
	stop    context.CancelFunc
	wg      sync.WaitGroup
	engine  *remediate.Engine
}

func newNines() (system, error) {
	s := &ninesSystem{}
	var addrs []string
	for range replicas {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.close()
			return nil, err
		}
		b := newBackend()
		srv := &http.Server{Handler: b, ReadHeaderTimeout: time.Second}
		go func() { _ = srv.Serve(ln) }()
		s.bs, s.servers = append(s.bs, b), append(s.servers, srv)
		addrs = append(addrs, ln.Addr().String())
	}
	stats, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		return nil, err
	}
	ej, err := eject.NewEjector(eject.EjectorConfig{Replicas: addrs, BaseEjectionTime: 30 * time.Second})
	if err != nil {
		return nil, err
	}
	det, err := eject.NewDetector(eject.DetectorConfig{Dependency: "inventory", Stats: stats, Ejector: ej, MeterProvider: noop.NewMeterProvider()})
	if err != nil {
		return nil, err
	}
	s.engine, err = remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name:   "eject-peer-outliers",
		When:   remediate.Match{Predicate: func(sg remediate.Signal) bool { return strings.HasPrefix(sg.Source, "peer:") }},
		Action: eject.Action(ej),
		Pool:   addrs,
	}}}, remediate.WithAuditLogger(nil), remediate.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		return nil, err
	}
	s.tr = &http.Transport{MaxIdleConnsPerHost: 16}
	bal, err := eject.NewBalancer(eject.BalancerConfig{Ejector: ej, Stats: stats, Base: s.tr})
	if err != nil {
		return nil, err
	}
	s.client = &http.Client{Transport: bal}
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				sigs, err := det.StepAt(now)
				if err != nil {
					panic(fmt.Sprint("detector step: ", err))
				}
				for _, sg := range sigs {
					s.engine.HandleAt(ctx, now, sg)
				}
				s.engine.TickAt(ctx, now)
			}
		}
	}()
	return s, nil
}

func (s *ninesSystem) name() string         { return "nines remediate/eject" }
func (s *ninesSystem) backends() []*backend { return s.bs }

func (s *ninesSystem) call(ctx context.Context) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://inventory/", nil)
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func (s *ninesSystem) close() {
	if s.stop != nil {
		s.stop()
		s.wg.Wait()
	}
	if s.engine != nil {
		_ = s.engine.Shutdown(context.Background())
	}
	if s.tr != nil {
		s.tr.CloseIdleConnections()
	}
	for _, srv := range s.servers {
		_ = srv.Close()
	}
}
