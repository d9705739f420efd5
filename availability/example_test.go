package availability_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// The middleware attributes each request to its ServeMux pattern and counts
// 5xx answers and panics as bad.
func ExampleMonitor_Middleware() {
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999}),
	)
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())

	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "0" {
			http.Error(w, "database down", http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "order", r.PathValue("id"))
	})
	mux.HandleFunc("GET /crash", func(http.ResponseWriter, *http.Request) { panic("bug") })
	h := m.Middleware(mux)

	for _, path := range []string{"/orders/1", "/orders/2", "/orders/0", "/crash", "/missing"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, rec.Code)
	}
	for _, e := range m.Statusz().Endpoints {
		fmt.Printf("%s: %d requests, %d errors\n", e.Name, e.Requests, e.Errors)
	}
	// Output:
	// /orders/1 200
	// /orders/2 200
	// /orders/0 500
	// /crash 500
	// /missing 404
	// GET:crash: 1 requests, 1 errors
	// GET:orders.id: 3 requests, 1 errors
	// unmatched: 1 requests, 0 errors
}

// The RoundTripper keeps a breaker per host: once it opens, calls fail fast
// with breaker.ErrOpen and never reach the host.
func ExampleMonitor_RoundTripper() {
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: 2, OpenTimeout: time.Minute}),
	)
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())
	m.OnEvent(func(e availability.Event) {
		if e.Kind == availability.EventBreaker {
			fmt.Println("event:", e.Message)
		}
	})

	calls := 0
	failing := transportFunc(func(*http.Request) (*http.Response, error) {
		calls++
		return &http.Response{StatusCode: http.StatusBadGateway, Body: http.NoBody}, nil
	})
	client := &http.Client{Transport: m.RoundTripper(failing)}
	for range 3 {
		resp, err := client.Get("http://inventory.internal/stock")
		switch {
		case errors.Is(err, breaker.ErrOpen):
			fmt.Println("rejected: breaker open")
		case err != nil:
			fmt.Println("error:", err)
		default:
			resp.Body.Close()
			fmt.Println("status", resp.StatusCode)
		}
	}
	fmt.Println("backend calls:", calls)
	// Output:
	// status 502
	// event: breaker client:inventory.internal: closed -> open
	// status 502
	// rejected: breaker open
	// backend calls: 2
}

// Custom transports and gRPC interceptors use an Endpoint: Admit before the
// call, Done on the Call it returns after it.
func ExampleEndpoint() {
	m, err := availability.New(availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.99}))
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())

	e := m.Endpoint(availability.ServerEndpoint, "/inventory.v1.Stock/Reserve")
	for i := range 4 {
		call, err := e.Admit(admit.Normal)
		if err != nil {
			continue // shed: answer "unavailable", not a failure of the service
		}
		call.Done(i == 3) // the fourth call fails
	}
	st := m.Statusz()
	fmt.Println(st.SLOs[0].Name, st.SLOs[0].Good, st.SLOs[0].Bad)
	// Output:
	// route:inventory.v1.Stock.Reserve:availability 3 1
}

// A client endpoint's Call carries its breaker's permit: failures trip the
// breaker, and while it is open Admit refuses at once, without the call
// being made. Half-open, only the breaker's probe quota is admitted.
func ExampleEndpoint_Admit() {
	m, err := availability.New(availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithClientBreakers(breaker.Config{ConsecutiveFailures: 2, OpenTimeout: time.Minute}))
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())

	e := m.Endpoint(availability.ClientEndpoint, "payments.internal")
	for i := range 3 {
		call, err := e.Admit(admit.Normal)
		if err != nil {
			fmt.Println(i, err, errors.Is(err, breaker.ErrOpen))
			continue
		}
		failed := true // the dependency answered 503
		call.Done(failed)
		fmt.Println(i, "called, failed")
	}
	// Output:
	// 0 called, failed
	// 1 called, failed
	// 2 availability: payments.internal: breaker: circuit breaker is open true
}

type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The timeline reports what the Monitor notices. Here a route that has
// served well for 70 minutes fails for three: its availability objective's
// fast page tier fires on the first tick of the outage (the 1h window
// holds 100 bad events of about 6000: burn rate 16.9, above 14.4), and
// resolves once the outage has left the 5m window. (A blip in a process's
// first minutes pages only once it would have after a healthy hour: see
// slo.TierStatus.WarmingUp.)
func ExampleMonitor_OnEvent() {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithClock(func() time.Time { return now }),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999}),
	)
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())
	m.OnEvent(func(e availability.Event) {
		if e.Kind == availability.EventSLOAlert && strings.Contains(e.Message, "over 1h") {
			fmt.Println(e.Time.Format("15:04"), e.Message)
		}
	})

	e := m.Endpoint(availability.ServerEndpoint, "GET /checkout")
	m.TickAt(now)
	// An hour and a half at 100 calls a minute; every call fails from
	// 11:10 to 11:13.
	for minute := range 90 {
		for range 100 {
			call, _ := e.AdmitAt(now, admit.Normal)
			call.DoneAt(now.Add(time.Millisecond), minute >= 70 && minute < 73)
		}
		now = now.Add(time.Minute)
		m.TickAt(now)
	}
	// Output:
	// 11:11 page alert route:GET:checkout:availability firing: burn rate 16.9 over 1h, 250 over 5m (threshold 14.4)
	// 11:17 page alert route:GET:checkout:availability resolved: burn rate 50.8 over 1h, 0 over 5m (threshold 14.4)
}
