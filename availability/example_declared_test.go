package availability_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
)

// Routes and dependencies declared at New have their objectives before any
// traffic (exporters.PrometheusRules(m.Objectives()) writes their rules),
// with per-endpoint overrides, and one spelling everywhere.
func ExampleWithRoutes() {
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999, Latency: 300 * time.Millisecond}),
		availability.WithRoutes("GET /products/{id}", "GET /healthz"),
		availability.WithObjectivesFor("GET /healthz", availability.RouteObjectives{}), // no SLO
		availability.WithDependencies(availability.Dependency{Name: "inventory", Hosts: []string{"inventory.internal:8080"}}),
		availability.WithObjectivesFor("inventory", availability.RouteObjectives{Availability: 0.99}),
	)
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())
	for _, o := range m.Objectives() {
		fmt.Println(o.Name, o.Target)
	}
	b, _ := m.Breaker("inventory")
	fmt.Println(b.Name())
	// Output:
	// client:inventory:availability 0.99
	// route:GET:products.id:availability 0.999
	// route:GET:products.id:latency 0.99
	// client:inventory
}

// A health check, or any call made with an OwnTraffic context, goes
// through the application's client without counting: here the dependency
// fails, and only the user's call is in its SLO.
func ExampleOwnTraffic() {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Printf("inventory got a request, own traffic header %q\n", r.Header.Get(availability.OwnTrafficHeader))
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer down.Close()
	m, err := availability.New(
		availability.WithMeterProvider(noop.NewMeterProvider()),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999}),
		availability.WithDependencies(availability.Dependency{Name: "inventory", Hosts: []string{down.Listener.Addr().String()}}),
	)
	if err != nil {
		panic(err)
	}
	defer m.Shutdown(context.Background())
	client := &http.Client{Transport: m.RoundTripper(down.Client().Transport)}
	for _, ctx := range []context.Context{availability.OwnTraffic(context.Background()), context.Background()} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, down.URL, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	st := m.SLOs().Get("client:inventory:availability").Status()
	fmt.Println("good", st.Good, "bad", st.Bad)
	// Output:
	// inventory got a request, own traffic header "1"
	// inventory got a request, own traffic header ""
	// good 0 bad 1
}
