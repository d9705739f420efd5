package availability

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
)

// histSpy is a Float64Histogram that keeps what it is given.
type histSpy struct {
	noop.Float64Histogram
	mu     sync.Mutex
	values []float64
}

func (h *histSpy) Record(_ context.Context, v float64, opts ...metric.RecordOption) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.values = append(h.values, v)
}

func (h *histSpy) got() []float64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.values)
}

func TestDurationQueueRecordsAtOnceWhenNotRunning(t *testing.T) {
	h := &histSpy{}
	q := newDurationQueue(h)
	q.record(context.Background(), &series{}, 0.5)
	if got := h.got(); !slices.Equal(got, []float64{0.5}) {
		t.Fatalf("recorded %v, want [0.5] at once", got)
	}
}

func TestDurationQueueDefersWhileRunningAndDrainsOnStop(t *testing.T) {
	h := &histSpy{}
	q := newDurationQueue(h)
	stop, tick := make(chan struct{}), make(chan time.Time)
	done := make(chan struct{})
	go func() { q.run(stop, tick); close(done) }()
	for !q.async.Load() { // run has not started yet
		runtime.Gosched()
	}
	s := &series{}
	for i := range 10 {
		q.record(context.Background(), s, float64(i))
	}
	if got := h.got(); len(got) != 0 {
		t.Fatalf("recorded %v on the request path while the recorder runs", got)
	}
	tick <- time.Time{} // a timed drain
	tick <- time.Time{} // the first drain has finished when run takes the second tick
	if got := h.got(); !slices.Equal(got, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Fatalf("after a drain: %v, want 0..9 in order", got)
	}
	q.record(context.Background(), s, 10)
	close(stop)
	<-done
	if got := h.got(); len(got) != 11 || got[10] != 10 {
		t.Fatalf("after stop: %v, want the last value drained", got)
	}
	q.record(context.Background(), s, 11) // stopped: at once
	if got := h.got(); len(got) != 12 {
		t.Fatalf("after stop, record did not record at once: %v", got)
	}
}

func TestDurationQueueFullRecordsAtOnce(t *testing.T) {
	h := &histSpy{}
	q := newDurationQueue(h)
	q.async.Store(true) // as if the recorder ran but never drained
	s := &series{}
	for i := range durationQueueSize {
		if !q.push(s, float64(i)) {
			t.Fatalf("push %d refused before the ring was full", i)
		}
	}
	if q.push(s, -1) {
		t.Fatal("push accepted past the ring's capacity")
	}
	q.record(context.Background(), s, -1) // full: recorded at once, not lost
	if got := h.got(); !slices.Equal(got, []float64{-1}) {
		t.Fatalf("recorded %v, want [-1] at once", got)
	}
	q.drain()
	got := h.got()
	if len(got) != durationQueueSize+1 || got[1] != 0 || got[durationQueueSize] != durationQueueSize-1 {
		t.Fatalf("drain recorded %d values (first %v, last %v), want the %d queued in order", len(got)-1, got[1], got[len(got)-1], durationQueueSize)
	}
	if !q.push(s, 1) {
		t.Fatal("push refused after a drain freed the ring")
	}
}

func TestDurationQueueSampledSpanRecordsAtOnce(t *testing.T) {
	h := &histSpy{}
	q := newDurationQueue(h)
	q.async.Store(true)
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled,
	})
	q.record(trace.ContextWithSpanContext(context.Background(), sc), &series{}, 0.25)
	if got := h.got(); !slices.Equal(got, []float64{0.25}) {
		t.Fatalf("recorded %v, want [0.25] at once so the SDK can keep the exemplar", got)
	}
}

// TestDurationQueueConcurrent: producers racing each other and the drains
// lose nothing and record each value once.
func TestDurationQueueConcurrent(t *testing.T) {
	h := &histSpy{}
	q := newDurationQueue(h)
	stop, tick := make(chan struct{}), make(chan time.Time)
	done := make(chan struct{})
	go func() { q.run(stop, tick); close(done) }()
	const producers, each = 4, 3000 // 12000 > the ring: wake-ups and full rings happen
	s := &series{}
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range each {
				q.record(context.Background(), s, float64(p*each+i))
			}
		})
	}
	wg.Wait()
	close(stop)
	<-done
	got := h.got()
	slices.Sort(got)
	if len(got) != producers*each {
		t.Fatalf("recorded %d values, want %d", len(got), producers*each)
	}
	for i, v := range got {
		if v != float64(i) {
			t.Fatalf("value %d is %v: a duration was lost or recorded twice", i, v)
		}
	}
}

func TestDurationQueueRecordDoesNotAllocate(t *testing.T) {
	q := newDurationQueue(noop.Float64Histogram{})
	q.async.Store(true)
	s := &series{}
	ctx := context.Background()
	if n := testing.AllocsPerRun(1000, func() {
		q.record(ctx, s, 1)
		if q.tail.Load()%1024 == 0 {
			q.drain()
		}
	}); n != 0 {
		t.Fatalf("record allocates %v times", n)
	}
}

// TestStartedMonitorRecordsEveryDuration: with the recorder running, every
// request reaches http.server.request.duration by Shutdown, more requests
// than the ring holds included.
func TestStartedMonitorRecordsEveryDuration(t *testing.T) {
	m, mp, _ := newTestMonitor(t)
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) {})
	h := m.Middleware(mux)
	const requests = 3*durationQueueSize + 14 // not a whole number of quarter-ring wake-ups
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range requests / 2 {
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/ok", nil))
			}
		})
	}
	wg.Wait()
	if err := m.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := mp.Collect(t)
	if got := durationStatuses(t, c, "/ok"); got[200] != requests || len(got) != 1 {
		t.Fatalf("durations by status %v, want {200: %d}", got, requests)
	}
}
