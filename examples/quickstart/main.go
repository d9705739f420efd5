// Command quickstart demonstrates nines health checks: it registers a few
// checks (one dependency fails for a while), serves /livez, /readyz and
// /startupz, prints a timeline of status changes, and drains at the end.
//
//	go run ./examples/quickstart -duration 5s
//
// While it runs, try curl -i http://127.0.0.1:8080/readyz?verbose or
// curl -H 'Accept: application/health+json' http://127.0.0.1:8080/readyz.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nines-sre/nines/health"
)

func main() {
	duration := flag.Duration("duration", 20*time.Second, "how long the demo runs before draining")
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve the probes on (a busy port falls back to a free one)")
	flag.Parse()
	if err := run(*duration, *addr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(duration time.Duration, addr string, out io.Writer) error {
	if duration <= 0 {
		return fmt.Errorf("-duration %v: must be positive", duration)
	}
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()

	start := time.Now()
	tl := &timeline{out: out, start: start}
	r := health.NewRegistry()
	if err := register(r, duration, start); err != nil {
		return err
	}
	defer r.OnChange(tl.change)()

	ln, err := listen(addr, tl)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	for _, g := range []health.Group{health.Liveness, health.Readiness, health.Startup} {
		path := "/" + map[health.Group]string{health.Liveness: "livez", health.Readiness: "readyz", health.Startup: "startupz"}[g]
		h := r.Handler(g, health.WithDetailsAuthorizer(fromLoopback))
		mux.Handle(path, h)
		mux.Handle(path+"/", h)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	tl.printf("serving %s/livez /readyz /startupz for %v", base, duration)

	if err := r.Start(ctx); err != nil {
		return err
	}
	// Halfway, while the database is down, look at readiness as a
	// load balancer (and an operator on this host) would.
	select {
	case <-time.After(duration / 2):
		tl.probe(base + "/readyz?verbose")
	case <-ctx.Done():
	}
	select {
	case <-time.After(duration - duration/2):
	case <-ctx.Done():
	}

	tl.printf("draining: readiness withdrawn, liveness stays up")
	r.Drain()
	tl.probe(base + "/readyz")
	tl.probe(base + "/livez")

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	if err := r.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("health shutdown: %w", err)
	}
	tl.printf("stopped cleanly")
	return nil
}

// register adds the demo's checks. The database is down from 30% to 60%
// of the run; its thresholds make readiness flip once each way.
func register(r *health.Registry, duration time.Duration, start time.Time) error {
	interval := max(duration/20, 100*time.Millisecond)
	downFrom, downTo := start.Add(duration*3/10), start.Add(duration*6/10)
	checks := []health.Check{
		{
			Name:     "goroutines",
			Groups:   health.Liveness,
			Interval: interval,
			Func: func(context.Context) health.Result {
				n := runtime.NumGoroutine()
				res := health.Result{Status: health.StatusPass, ObservedValue: n, ObservedUnit: "goroutines", Measurement: "count"}
				if n > 10000 {
					res.Status, res.Err = health.StatusWarn, fmt.Errorf("%d goroutines", n)
				}
				return res
			},
		},
		{
			Name:             "database",
			Groups:           health.Readiness | health.Startup,
			External:         true,
			Interval:         interval,
			Timeout:          interval / 2,
			FailureThreshold: 2,
			SuccessThreshold: 2,
			Func: func(ctx context.Context) health.Result {
				now := time.Now()
				if now.After(downFrom) && now.Before(downTo) {
					return health.Fail(errors.New("dial tcp 10.0.0.5:5432: connection refused"))
				}
				return health.Result{Status: health.StatusPass, ObservedValue: 3, ObservedUnit: "ms", Measurement: "responseTime"}
			},
		},
		{
			Name:        "cache",
			External:    true,
			NonCritical: true,
			Interval:    interval,
			Func: func(context.Context) health.Result {
				return health.Warn(errors.New("hit ratio 41% below 60%"))
			},
		},
		{
			Name:     "warmup",
			Groups:   health.Startup,
			Interval: interval,
			Func: func(context.Context) health.Result {
				if time.Since(start) < duration/10 {
					return health.Fail(errors.New("loading caches"))
				}
				return health.Pass()
			},
		},
	}
	for _, c := range checks {
		if err := r.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// listen opens addr, falling back to a free port on the same host when
// addr is busy so that the demo still runs.
func listen(addr string, tl *timeline) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, _, splitErr := net.SplitHostPort(addr)
	if splitErr != nil || !errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	tl.printf("%s is busy (%v); using a free port instead", addr, err)
	ln, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", net.JoinHostPort(host, "0"), err)
	}
	return ln, nil
}

// fromLoopback shows failure reasons to requests from this host only.
func fromLoopback(req *http.Request) bool {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

// timeline prints timestamped lines, one writer at a time.
type timeline struct {
	mu    sync.Mutex
	out   io.Writer
	start time.Time
}

func (tl *timeline) printf(format string, args ...any) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	fmt.Fprintf(tl.out, "%6.2fs  %s\n", time.Since(tl.start).Seconds(), fmt.Sprintf(format, args...))
}

func (tl *timeline) change(c health.Change) {
	if c.Check == "" {
		tl.printf("%-6s %-10s %v -> %v", "group", c.Group, c.Previous, c.Current)
		return
	}
	tl.printf("%-6s %-10s %v -> %v", "check", c.Check, c.Previous, c.Current)
}

// probe GETs url and prints the answer, as a load balancer would see it.
func (tl *timeline) probe(url string) {
	resp, err := http.Get(url)
	if err != nil {
		tl.printf("GET %s: %v", url, err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	text := strings.ReplaceAll(strings.TrimSpace(string(body)), "\n", "\n          ")
	tl.printf("GET %s -> %d\n          %s", url, resp.StatusCode, text)
}
