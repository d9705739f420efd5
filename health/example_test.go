package health_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/nines-sre/nines/health"
)

// A process registers its checks, mounts the probe handlers and starts
// the registry; probes are then answered from the cached results.
func Example() {
	r := health.NewRegistry()
	_ = r.Register(health.Check{
		Name:     "db",
		Groups:   health.Readiness | health.Startup,
		External: true,
		Func: func(ctx context.Context) health.Result {
			return health.Pass() // for example db.PingContext(ctx)
		},
	})
	_ = r.Register(health.Check{
		Name:        "cache",
		NonCritical: true,
		Func: func(ctx context.Context) health.Result {
			return health.Fail(errors.New("connection refused"))
		},
	})

	mux := http.NewServeMux()
	mux.Handle("/readyz", r.Handler(health.Readiness))
	mux.Handle("/readyz/", r.Handler(health.Readiness))

	// A real process calls r.Start(ctx) and serves mux; here the checks
	// run once so the output is deterministic.
	_ = r.RunChecks(context.Background())
	for _, target := range []string{"/readyz", "/readyz?verbose", "/readyz/cache"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Printf("GET %s -> %d\n%s", target, rec.Code, rec.Body)
	}
	_ = r.Shutdown(context.Background())
	// Output:
	// GET /readyz -> 200
	// ok
	// GET /readyz?verbose -> 200
	// [+]cache failed (non-critical): reason withheld
	// [+]db ok
	// readyz check passed
	// GET /readyz/cache -> 503
	// failed: reason withheld
}

// OnChange listeners see check and group transitions; Drain withdraws
// readiness with a distinct state while liveness stays up.
func ExampleRegistry_OnChange() {
	r := health.NewRegistry()
	_ = r.Register(health.Check{Name: "proc", Groups: health.Liveness | health.Readiness,
		Func: func(context.Context) health.Result { return health.Pass() }})
	remove := r.OnChange(func(c health.Change) {
		if c.Check != "" {
			fmt.Printf("check %s: %v -> %v\n", c.Check, c.Previous, c.Current)
		} else {
			fmt.Printf("group %v: %v -> %v\n", c.Group, c.Previous, c.Current)
		}
	})
	defer remove()

	_ = r.RunChecks(context.Background())
	r.Drain()
	fmt.Println("live:", r.Status(health.Liveness), "ready:", r.Status(health.Readiness))
	_ = r.Shutdown(context.Background())
	// Output:
	// check proc: unknown -> pass
	// group ready: unknown -> pass
	// group ready: pass -> draining
	// live: pass ready: draining
}

// Register refuses a dependency check in liveness unless forced, and
// names the field and value of every invalid setting.
func ExampleRegistry_Register() {
	r := health.NewRegistry()
	ping := func(context.Context) health.Result { return health.Pass() }
	err := r.Register(health.Check{Name: "db", Func: ping, Groups: health.Liveness, External: true})
	fmt.Println(errors.Is(err, health.ErrInvalidConfig))
	err = r.Register(health.Check{Name: "db", Func: ping, Interval: time.Second, Timeout: 5 * time.Second})
	fmt.Println(err)
	// Output:
	// true
	// health: invalid config: check "db" Timeout = 5s: must be between 1ms and the Interval (1s)
}

// WithDetailsAuthorizer shows failure reasons to trusted requests only.
func ExampleWithDetailsAuthorizer() {
	r := health.NewRegistry()
	_ = r.Register(health.Check{Name: "queue",
		Func: func(context.Context) health.Result { return health.Fail(errors.New("broker unreachable")) }})
	_ = r.RunChecks(context.Background())
	h := r.Handler(health.Readiness, health.WithDetailsAuthorizer(func(req *http.Request) bool {
		return req.Header.Get("X-Debug-Token") == "s3cret" // for example, check an admin token
	}))
	for _, token := range []string{"", "s3cret"} {
		req := httptest.NewRequest(http.MethodGet, "/readyz", nil)
		req.Header.Set("X-Debug-Token", token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Print(rec.Code, " ", rec.Body)
	}
	_ = r.Shutdown(context.Background())
	// Output:
	// 503 [-]queue failed: reason withheld
	// readyz check failed
	// 503 [-]queue failed: broker unreachable
	// readyz check failed
}

// DrainOnSignal withdraws readiness when Kubernetes sends SIGTERM; the
// process keeps serving while load balancers notice, then shuts down.
// Shutdown alone drains too: it withdraws readiness and keeps running for
// the drain delay (counted from the first Drain) before it stops.
func ExampleDrainOnSignal() {
	// A service leaves the default delay (DefaultDrainDelay, 15 s); the
	// example waits a millisecond.
	r := health.NewRegistry(health.WithDrainDelay(time.Millisecond))
	ctx := context.Background()
	stop := health.DrainOnSignal(ctx, r) // SIGTERM by default
	defer stop()
	_ = r.Start(ctx)
	fmt.Println("draining:", r.Draining(), r.Status(health.Readiness))
	// ... serve until SIGTERM; then, with the servers still up:
	_ = r.Shutdown(ctx)
	fmt.Println("after Shutdown:", r.Draining(), r.Status(health.Readiness), r.Status(health.Liveness))
	// Output:
	// draining: false pass
	// after Shutdown: true draining pass
}
