package availability_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/availability"
)

// WithStateDir keeps the SLOs through a restart: Shutdown saves them, the
// next process restores them at Start (or when a route's objective is
// created, on its first request).
func ExampleWithStateDir() {
	dir, err := os.MkdirTemp("", "nines-state")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	run := func() *availability.Monitor {
		m, err := availability.New(
			availability.WithMeterProvider(noop.NewMeterProvider()),
			availability.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
			availability.WithClock(clock),
			availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999}),
			availability.WithStateDir(availability.StateDir{Path: dir}),
			availability.WithDrainDelay(0), // an example stops at once; a service drains
		)
		if err != nil {
			panic(err)
		}
		if err := m.Start(context.Background()); err != nil {
			panic(err)
		}
		return m
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders", func(http.ResponseWriter, *http.Request) {})

	first := run()
	for range 3 {
		first.Middleware(mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/orders", nil))
	}
	if err := first.Shutdown(context.Background()); err != nil {
		panic(err)
	}

	now = now.Add(10 * time.Minute) // the deploy
	second := run()
	defer second.Shutdown(context.Background())
	second.Middleware(mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/orders", nil))
	st := second.Statusz()
	fmt.Println("restored:", st.State.Restored)
	for _, s := range st.SLOs {
		fmt.Printf("%s: %d good\n", s.Name, s.Good)
	}
	// Output:
	// restored: 1
	// route:GET:orders:availability: 4 good
}
