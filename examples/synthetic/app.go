package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/synthetic"
)

// app is the shop behind a Monitor, and a synthetic check of its whole
// login + search + checkout flow attached to that Monitor.
type app struct {
	shop    *shop
	monitor *availability.Monitor
	runner  *synthetic.Runner
	srv     *http.Server
	base    string
	done    chan error
}

// check is the flow a customer follows. The password comes from the
// environment, so it is never written in the check nor shown in a result.
func check(base string, interval time.Duration) synthetic.Check {
	return synthetic.Check{
		Name:      "shop-flow",
		Interval:  interval,
		Timeout:   interval,
		Readiness: true,
		Vars:      map[string]string{"password": "env:SHOP_PASSWORD", "q": "tea"},
		Steps: []synthetic.Step{
			{Name: "login", Method: "POST", URL: base + "/login", Body: `{"user":"probe","password":"${password}"}`,
				Assert:  []synthetic.Assertion{{Status: 200}},
				Extract: []synthetic.Extract{{Name: "token", JSONPath: "$.token"}}},
			{Name: "search", URL: base + "/search?q=${q}",
				Assert:  []synthetic.Assertion{{Status: 200}, {JSONPath: "$.items[0].name", Value: "tea"}},
				Extract: []synthetic.Extract{{Name: "item", JSONPath: "$.items[0].id"}}},
			{Name: "checkout", Method: "POST", URL: base + "/checkout", Body: `{"item":${item}}`,
				Header: map[string]string{"Authorization": "Bearer ${token}"},
				Assert: []synthetic.Assertion{{Status: 200}, {JSONPath: "$.status", Value: "placed"}}},
		},
	}
}

// newApp serves the shop on a loopback port. The Monitor trusts the
// own-traffic header (the check runs in the same trusted network), so the
// check's requests stay out of the routes' SLOs.
func newApp(interval time.Duration) (*app, error) {
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.99}),
		availability.WithOwnTrafficHeader(),
		availability.WithDrainDelay(0),
	)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &app{shop: &shop{}, monitor: m, base: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	a.srv = &http.Server{Handler: m.Middleware(a.shop.routes()), ReadHeaderTimeout: 5 * time.Second}
	go func() { a.done <- a.srv.Serve(ln) }()
	a.runner, err = synthetic.NewRunner([]synthetic.Check{check(a.base, interval)}, synthetic.WithMeterProvider(noop.NewMeterProvider()))
	if err == nil {
		err = m.AddSynthetic(a.runner)
	}
	if err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// user sends one request as a real user would (without the own-traffic
// mark) and returns its status: users log in and search often and check
// out rarely, so a broken checkout can go unseen for a while.
func (a *app) user(ctx context.Context, path string) (int, error) {
	method := http.MethodGet
	if path == "/login" {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func (a *app) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := errors.Join(a.runner.Shutdown(ctx), a.srv.Shutdown(ctx), a.monitor.Shutdown(ctx))
	if serr := <-a.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("serve: %w", serr))
	}
	return err
}
