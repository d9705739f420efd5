package breaker_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate/breaker"
)

// Wrapping an HTTP call, as in the README: client.Do returns a nil error
// for a 5xx answer, so the function turns one into an error (after closing
// the body) for the breaker to count it as a failure. Against a dependency
// that answers 503 to everything, the breaker trips after 5 consecutive
// failures (the default rule that stays on beside the ratio policies,
// which would wait for 20 calls) and fails fast from then on without
// sending the request.
func ExampleBreaker_Execute() {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		sent.Add(1)
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	client := srv.Client()

	b, err := breaker.New[*http.Response]("inventory", breaker.Config{
		FailureRatio: 0.5, MinimumCalls: 20, SlowThreshold: 300 * time.Millisecond, SlowCallRatio: 0.8,
	}, breaker.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		panic(err)
	}
	defer b.Shutdown(context.Background())

	get := func(ctx context.Context) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/stock/42", nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 500 {
			resp.Body.Close()
			return nil, fmt.Errorf("inventory: %s", resp.Status)
		}
		return resp, nil
	}
	for i := 1; i <= 7; i++ {
		resp, err := b.Execute(context.Background(), get)
		if err != nil {
			fmt.Println(i, err) // errors.Is(err, breaker.ErrOpen): serve a fallback
			continue
		}
		resp.Body.Close()
	}
	fmt.Println("requests sent:", sent.Load(), "state:", b.State())
	// Output:
	// 1 inventory: 503 Service Unavailable
	// 2 inventory: 503 Service Unavailable
	// 3 inventory: 503 Service Unavailable
	// 4 inventory: 503 Service Unavailable
	// 5 inventory: 503 Service Unavailable
	// 6 breaker: circuit breaker is open
	// 7 breaker: circuit breaker is open
	// requests sent: 5 state: open
}
