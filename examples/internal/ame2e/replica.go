package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/slo"
)

// replicaState is what /ame2e/state reports: the action's effect and the
// engine's audit.
type replicaState struct {
	Shedding bool               `json:"shedding"`
	Records  []remediate.Record `json:"records"`
}

// fromFleet selects the Alertmanager receiver's signals: the replica's own
// in-process alert of the same objective is left alone, so the check
// proves the fleet loop. Resolved signals reach no policy: the engine
// reverts what the firing one did.
func fromFleet() remediate.Match {
	return remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalSLOAlert}, Predicate: func(s remediate.Signal) bool {
		return s.Attributes["origin"] == "alertmanager"
	}}
}

func replica(args []string) error {
	fs := flag.NewFlagSet("replica", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:0", "service address")
	opsAddr := fs.String("ops", "127.0.0.1:0", "operational address")
	token := fs.String("token", "", "bearer token Alertmanager sends")
	duration := fs.Duration("duration", 5*time.Minute, "stop after this long")
	_ = fs.Parse(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()

	prov, err := exporters.New(ctx)
	if err != nil {
		return err
	}
	defer prov.Shutdown(context.WithoutCancel(ctx))
	var shedding, fault atomic.Bool
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{
		// No Cooldown: a revert waits for the policy's cooldown after the
		// action, and the check wants it when the alert resolves.
		{Name: "shed-on-fleet-page", When: fromFleet(),
			Target: func(remediate.Signal) string { return "self" },
			Action: remediate.ReversibleFunc("shed",
				func(context.Context, string, remediate.Signal) error { shedding.Store(true); return nil },
				func(context.Context, string, remediate.Signal) error { shedding.Store(false); return nil })},
	}}, remediate.WithMeterProvider(prov.MeterProvider()),
		remediate.WithAuditLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	if err != nil {
		return err
	}
	m, err := availability.New(availability.WithMeterProvider(prov.MeterProvider()), availability.WithEngine(engine),
		availability.WithMetricsHandler(prov.MetricsHandler()))
	if err != nil {
		return err
	}
	s, err := slo.New(objective)
	if err != nil {
		return err
	}
	if err := m.SLOs().Add(s); err != nil {
		return err
	}
	receiver, err := m.AlertmanagerReceiver(remediate.WithBearerToken(*token))
	if err != nil {
		return err
	}

	app := http.NewServeMux()
	app.HandleFunc("/work", func(w http.ResponseWriter, _ *http.Request) {
		if fault.Load() {
			s.Record(false)
			http.Error(w, "injected fault", http.StatusInternalServerError)
			return
		}
		s.Record(true)
		fmt.Fprintln(w, "ok")
	})
	ops := http.NewServeMux()
	ops.Handle("/", m.Handler())
	ops.Handle("/alertmanager", receiver)
	ops.HandleFunc("/ame2e/fault", func(w http.ResponseWriter, r *http.Request) {
		fault.Store(r.URL.Query().Get("on") == "1")
	})
	ops.HandleFunc("/ame2e/state", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(replicaState{Shedding: shedding.Load(), Records: engine.Records()})
	})

	if err := m.Start(ctx); err != nil {
		return err
	}
	servers := []*http.Server{{Addr: *addr, Handler: app}, {Addr: *opsAddr, Handler: ops}}
	errc := make(chan error, len(servers))
	for _, srv := range servers {
		go func() { errc <- srv.ListenAndServe() }()
	}
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	down, cancelDown := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancelDown()
	for _, srv := range servers {
		err = errors.Join(err, ignoreClosed(srv.Shutdown(down)))
	}
	return errors.Join(ignoreClosed(err), m.Shutdown(down))
}

func ignoreClosed(err error) error {
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
