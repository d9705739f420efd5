package remediate

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of Config.QueueSize.
const (
	DefaultQueueSize = 256
	MaxQueueSize     = 1 << 16
)

var (
	// ErrStarted is returned by Engine.Start when it was already called.
	ErrStarted = errors.New("remediate: engine already started")
	// ErrShutdown is returned by Engine.Start after Engine.Shutdown.
	ErrShutdown = errors.New("remediate: engine is shut down")
)

// signalQueue is the engine's bounded intake: producers' listeners put
// signals in without blocking, one goroutine (started by Start) decides
// them in arrival order.
type signalQueue struct {
	ch      chan Signal
	dropped atomic.Uint64

	mu      sync.Mutex // guards the fields below; never held while deciding
	started bool
	closed  bool // Shutdown was called: Submit drops, the worker drains
	cancel  context.CancelFunc
	done    chan struct{} // closed when the worker returns; nil before Start
}

// Submit queues s for the engine's own goroutine and returns at once: it
// is what a producer's listener calls, on a path that must not wait for an
// approval (up to Config.ApprovalTimeout) or an action. It reports whether
// s was queued; a signal is dropped, and counted in DroppedSignals, when
// the queue (Config.QueueSize) is full or Shutdown was called. Signals
// submitted before Start wait in the queue for it.
//
// A queued signal is decided at the time the engine's goroutine takes it
// from the queue, by the engine's clock (time.Now): the guard rails run on
// one clock whatever the producers' clocks say, and s.Time stays in the
// audit as the producer's time. Callers that need the decisions, that must
// not lose a signal or that drive time themselves call HandleAt instead.
func (e *Engine) Submit(s Signal) bool {
	q := &e.queue
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		select {
		case q.ch <- s:
			return true
		default:
		}
	}
	q.dropped.Add(1)
	return false
}

// DroppedSignals counts the signals Submit could not queue, and those
// still queued when Shutdown gave up waiting.
func (e *Engine) DroppedSignals() uint64 { return e.queue.dropped.Load() }

// Start starts the goroutine that decides the signals queued by Submit
// (and so by the Subscribe methods), one at a time in arrival order. The
// values of ctx reach every decision (approvers and actions); its
// cancellation does not stop the engine: Shutdown does. Start returns
// ErrStarted if called twice, ErrShutdown after Shutdown, and ctx.Err()
// if ctx is already done. Handle needs no Start.
func (e *Engine) Start(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q := &e.queue
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.closed:
		return ErrShutdown
	case q.started:
		return ErrStarted
	}
	q.started = true
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	q.cancel, q.done = cancel, make(chan struct{})
	go e.drain(wctx, q.ch, q.done)
	return nil
}

// drain decides queued signals until the queue is closed, or drops them
// once ctx is cancelled (Shutdown gave up waiting).
func (e *Engine) drain(ctx context.Context, ch <-chan Signal, done chan<- struct{}) {
	defer close(done)
	for s := range ch {
		if ctx.Err() != nil {
			e.queue.dropped.Add(1)
			continue
		}
		e.HandleAt(ctx, time.Now(), s)
	}
}

// Shutdown stops taking signals (Submit drops them from now on), lets the
// engine's goroutine decide the signals already queued, and waits for it
// or for ctx, whichever is first. When ctx is done first, the decision in
// flight is cancelled (a pending approval is denied, a running action
// fails), the rest of the queue is dropped and counted, and Shutdown
// returns ctx.Err(). It is idempotent: later calls wait the same way. A
// never-started engine drops its queue. Handle keeps working after
// Shutdown.
func (e *Engine) Shutdown(ctx context.Context) error {
	q := &e.queue
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.ch)
		if !q.started {
			q.dropped.Add(uint64(len(q.ch)))
		}
	}
	done, cancel := q.done, q.cancel
	q.mu.Unlock()
	if done == nil {
		return nil
	}
	select {
	case <-done:
		cancel()
		return nil
	case <-ctx.Done():
		cancel()
		return ctx.Err()
	}
}
