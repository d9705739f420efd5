package availability

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/health"
)

// probeLog records what a poller saw, in order, collapsing repeats:
// "200", "503", "refused".
type probeLog struct {
	mu   sync.Mutex
	seen []string
	n    map[string]int
}

func (l *probeLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == nil {
		l.n = map[string]int{}
	}
	l.n[s]++
	if len(l.seen) == 0 || l.seen[len(l.seen)-1] != s {
		l.seen = append(l.seen, s)
	}
}

func (l *probeLog) snapshot() ([]string, map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := map[string]int{}
	for k, v := range l.n {
		n[k] = v
	}
	return append([]string(nil), l.seen...), n
}

// pollReadyz GETs url every 2 ms on a new connection each time, as a load
// balancer's health checker does, until a connection is refused or stop.
func pollReadyz(url string, log *probeLog, stop <-chan struct{}) {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	for {
		resp, err := client.Get(url)
		if err != nil {
			log.add("refused")
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		log.add(strconv.Itoa(resp.StatusCode))
		select {
		case <-stop:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// The defect: readiness flipped less than 1 ms before the
// listeners closed, so polling probes saw only connection refused. As a
// load balancer sees it now: /readyz answers 503 for the drain delay
// while the service keeps serving, in-flight requests finish, and only
// then are connections refused.
func TestShutdownDrainAsALoadBalancerSeesIt(t *testing.T) {
	const delay = 500 * time.Millisecond
	m, err := New(WithMeterProvider(noop.NewMeterProvider()), WithLogger(discardLogger), WithDrainDelay(delay))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "done")
	})
	mux.HandleFunc("GET /fast", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	appLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app, ops := &http.Server{Handler: m.Middleware(mux)}, &http.Server{Handler: m.Handler()}
	var servers sync.WaitGroup
	servers.Go(func() { _ = app.Serve(appLn) })
	servers.Go(func() { _ = ops.Serve(opsLn) })
	defer servers.Wait()

	var probes probeLog
	stopPoll := make(chan struct{})
	var poller sync.WaitGroup
	poller.Go(func() { pollReadyz("http://"+opsLn.Addr().String()+"/readyz", &probes, stopPoll) })
	defer func() { close(stopPoll); poller.Wait() }()
	for {
		if _, n := probes.snapshot(); n["200"] > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}

	slow := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + appLn.Addr().String() + "/slow")
		if err != nil {
			slow <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		slow <- strconv.Itoa(resp.StatusCode) + " " + string(b)
	}()
	<-entered

	// The process's stop sequence (examples/internal/runapp): the Monitor
	// drains and stops, then the servers stop gracefully.
	stopped := make(chan error, 1)
	go func() {
		ctx := context.Background()
		err := m.Shutdown(ctx)
		close(release) // the in-flight request ends while the server shuts down
		err = errors.Join(err, app.Shutdown(ctx), ops.Shutdown(ctx))
		stopped <- err
	}()
	// During the drain the service still serves new requests.
	for {
		if seen, _ := probes.snapshot(); seen[len(seen)-1] == "503" {
			break
		}
		time.Sleep(time.Millisecond)
	}
	resp, err := http.Get("http://" + appLn.Addr().String() + "/fast")
	if err != nil {
		t.Fatalf("a request during the drain: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a request during the drain: %d", resp.StatusCode)
	}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if got := <-slow; got != "200 done" {
		t.Errorf("in-flight request: %q, want 200 done", got)
	}
	poller.Wait()
	seen, n := probes.snapshot()
	if len(seen) != 3 || seen[0] != "200" || seen[1] != "503" || seen[2] != "refused" {
		t.Errorf("the poller saw %v (%v), want 200, then 503, then refused", seen, n)
	}
	t.Logf("poller: %v", n)
}

// Shutdown's drain phase under a fake clock: readiness is withdrawn at
// once, the Monitor keeps ticking for exactly the delay (the default
// unless given), a Monitor never started does not wait, and a ctx that
// ends in the delay cuts it short with its error.
func TestShutdownDrainPhase(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []Option
		start bool
		ctx   time.Duration // 0: none
		want  time.Duration
	}{
		{"default", nil, true, 0, DefaultDrainDelay},
		{"given", []Option{WithDrainDelay(3 * time.Second)}, true, 0, 3 * time.Second},
		{"zero", []Option{WithDrainDelay(0)}, true, 0, 0},
		{"never started", nil, false, 0, 0},
		{"ctx ends first", nil, true, time.Second, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var ticks atomic.Int64
				clock := func() time.Time { ticks.Add(1); return time.Now() }
				m, err := New(append([]Option{WithMeterProvider(noop.NewMeterProvider()), WithLogger(discardLogger),
					WithClock(clock)}, tc.opts...)...)
				if err != nil {
					t.Fatal(err)
				}
				if tc.start {
					if err := m.Start(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
				ctx := context.Background()
				if tc.ctx > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tc.ctx)
					defer cancel()
				}
				begin := time.Now()
				done := make(chan error, 1)
				go func() { done <- m.Shutdown(ctx) }()
				synctest.Wait()
				if m.Health().Status(health.Readiness) != health.StatusDraining {
					t.Error("readiness not withdrawn at once")
				}
				before := ticks.Load()
				err = <-done
				if d := time.Since(begin); d != tc.want {
					t.Errorf("Shutdown took %v, want %v", d, tc.want)
				}
				if tc.ctx > 0 != errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("Shutdown = %v", err)
				}
				if tc.want >= 3*time.Second && ticks.Load()-before < 2 {
					t.Errorf("%d clock reads in a %v drain: the ticks stopped", ticks.Load()-before, tc.want)
				}
			})
		})
	}
}
