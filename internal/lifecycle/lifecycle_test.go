package lifecycle_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/lifecycle"
	"github.com/nines-sre/nines/internal/lifecycletest"
)

// ticker is the smallest component on a Lifecycle: one goroutine that
// counts the beats it is sent until Shutdown.
type ticker struct {
	lc    lifecycle.Lifecycle
	beats chan chan struct{}
	n     atomic.Int64
	stops atomic.Int64
}

func newTicker(*testing.T) *ticker { return &ticker{beats: make(chan chan struct{})} }

func (k *ticker) Start(ctx context.Context) error {
	return k.lc.Start(ctx, func(run context.Context) error {
		k.lc.Go(func(run context.Context) {
			for {
				select {
				case <-run.Done():
					return
				case ack := <-k.beats:
					k.n.Add(1)
					close(ack)
				}
			}
		})
		return nil
	})
}

func (k *ticker) Shutdown(ctx context.Context) error {
	return k.lc.Shutdown(ctx, func(context.Context) error { k.stops.Add(1); return nil })
}

// beat reports whether the goroutine answered a beat within a generous
// bound: a goroutine that has exited never answers.
func (k *ticker) beat() bool {
	ack := make(chan struct{})
	select {
	case k.beats <- ack:
		<-ack
		return true
	case <-time.After(5 * time.Second):
		return false
	}
}

func TestConformance(t *testing.T) {
	lifecycletest.Run(t, newTicker, func(t *testing.T, k *ticker) bool { return k.beat() })
}

func TestStopRunsOnce(t *testing.T) {
	k := newTicker(t)
	if err := k.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := k.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := k.stops.Load(); got != 1 {
		t.Fatalf("stop ran %d times, want 1", got)
	}
}

func TestStartErrorLeavesIdle(t *testing.T) {
	var l lifecycle.Lifecycle
	boom := errors.New("boom")
	exited := make(chan struct{})
	err := l.Start(context.Background(), func(run context.Context) error {
		l.Go(func(run context.Context) { <-run.Done(); close(exited) })
		return boom
	})
	if err != boom {
		t.Fatalf("Start = %v, want boom", err)
	}
	select {
	case <-exited:
	default:
		t.Fatal("Start returned before the goroutines of a failed start exited")
	}
	if l.Running() {
		t.Fatal("Running after a failed Start")
	}
	if err := l.Start(context.Background(), nil); err != nil {
		t.Fatalf("Start after a failed Start = %v, want nil", err)
	}
	if err := l.Shutdown(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestGoRefusedWhenNotRunning(t *testing.T) {
	var l lifecycle.Lifecycle
	if l.Go(func(context.Context) { t.Error("ran before Start") }) {
		t.Fatal("Go before Start reported true")
	}
	if err := l.Shutdown(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if l.Go(func(context.Context) { t.Error("ran after Shutdown") }) {
		t.Fatal("Go after Shutdown reported true")
	}
	if err := l.Start(context.Background(), nil); !errors.Is(err, lifecycle.ErrClosed) {
		t.Fatalf("Start after Shutdown = %v, want ErrClosed", err)
	}
}

func TestShutdownWaitsOrReturnsCtxErr(t *testing.T) {
	var l lifecycle.Lifecycle
	release := make(chan struct{})
	if err := l.Start(context.Background(), func(context.Context) error {
		l.Go(func(run context.Context) { <-run.Done(); <-release })
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Shutdown(ctx, nil); err != context.Canceled {
		t.Fatalf("Shutdown with a done ctx while a goroutine hangs = %v, want context.Canceled", err)
	}
	if err := l.Shutdown(ctx, nil); err != context.Canceled {
		t.Fatalf("second Shutdown with a done ctx while a goroutine hangs = %v, want context.Canceled", err)
	}
	close(release)
	if err := l.Shutdown(context.Background(), nil); err != nil {
		t.Fatalf("Shutdown after the goroutine ended = %v", err)
	}
}

func TestLaterShutdownReturnsStopError(t *testing.T) {
	var l lifecycle.Lifecycle
	stopErr := errors.New("stop failed")
	if err := l.Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if err := l.Shutdown(context.Background(), func(context.Context) error { return stopErr }); err != stopErr {
		t.Fatalf("first Shutdown = %v, want the stop error", err)
	}
	if err := l.Shutdown(context.Background(), func(context.Context) error { t.Error("stop ran twice"); return nil }); err != stopErr {
		t.Fatalf("second Shutdown = %v, want the first's stop error", err)
	}
}

func TestStartKeepsContextValues(t *testing.T) {
	type key struct{}
	var l lifecycle.Lifecycle
	ctx := context.WithValue(context.Background(), key{}, "v")
	got := make(chan any, 1)
	if err := l.Start(ctx, func(run context.Context) error { got <- run.Value(key{}); return nil }); err != nil {
		t.Fatal(err)
	}
	if v := <-got; v != "v" {
		t.Fatalf("run ctx value = %v, want v", v)
	}
	if err := l.Shutdown(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

// TestShutdownPrefersFinishedWork: a Shutdown whose ctx has ended reports
// the finished work's result, not ctx.Err(), when nothing is left to wait
// for (it used to pick at random between the two).
func TestShutdownPrefersFinishedWork(t *testing.T) {
	for range 50 {
		var l lifecycle.Lifecycle
		if err := l.Start(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if err := l.Shutdown(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := l.Shutdown(ctx, nil); err != nil {
			t.Fatalf("Shutdown after a finished Shutdown, with a done ctx = %v, want nil", err)
		}
	}
}
