package remediate

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/internal/lifecycle"
)

// Bounds of Config.QueueSize.
const (
	defaultQueueSize = 256
	maxQueueSize     = 1 << 16
)

var (
	// ErrStarted is returned by Engine.Start when the engine is already
	// running. It is the same error every nines component returns.
	ErrStarted = lifecycle.ErrStarted
	// ErrClosed is returned by Engine.Start after Engine.Shutdown. It is
	// the same error every nines component returns.
	ErrClosed = lifecycle.ErrClosed
)

// signalQueue is the engine's bounded intake: producers' listeners put
// signals in without blocking, one goroutine (started by Start) decides
// them in arrival order.
type signalQueue struct {
	ch      chan Signal
	dropped atomic.Uint64
	life    lifecycle.Lifecycle

	mu     sync.Mutex    // guards the fields below; never held while deciding
	closed bool          // Shutdown was called: Submit drops, the worker drains
	done   chan struct{} // closed when the worker returns; nil while there is none
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
// ctx.Err() if ctx is already done, ErrClosed after Shutdown and
// ErrStarted if the engine is running. Handle needs no Start.
func (e *Engine) Start(ctx context.Context) error {
	q := &e.queue
	return q.life.Start(ctx, func(context.Context) error {
		// Under q.mu, so that stop sees either no worker (and drops the
		// queue) or one it can wait for.
		q.mu.Lock()
		defer q.mu.Unlock()
		if q.closed {
			return nil
		}
		done := make(chan struct{})
		if q.life.Go(func(run context.Context) { e.drain(run, done) }) {
			q.done = done
		}
		return nil
	})
}

// tickEvery is how often the engine's goroutine calls TickAt: reverts
// are due on a scale of minutes, so a second is prompt enough and costs
// nothing.
const tickEvery = time.Second

// drain decides queued signals until the queue is closed, or drops them
// once ctx is cancelled (Shutdown gave up waiting); between signals it
// ticks the engine every tickEvery.
func (e *Engine) drain(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(tickEvery)
	defer tick.Stop()
	for {
		select {
		case s, ok := <-e.queue.ch:
			if !ok {
				return
			}
			if ctx.Err() != nil {
				e.queue.dropped.Add(1)
				continue
			}
			e.HandleAt(ctx, time.Now(), s)
		case <-tick.C:
			if ctx.Err() == nil {
				e.TickAt(ctx, time.Now())
			}
		}
	}
}

// Shutdown stops taking signals (Submit drops them from now on), lets the
// engine's goroutine decide the signals already queued, and waits for it
// or for ctx, whichever is first. When ctx is done first, the decision in
// flight is cancelled (a pending approval is denied, a running action
// fails), the rest of the queue is dropped and counted, and Shutdown
// returns ctx.Err(). It is idempotent: a later or concurrent call waits
// for the goroutine (or its own ctx) and returns what the first returned.
// A never-started engine drops its queue. Handle keeps working after
// Shutdown.
//
// Then, unless Config.KeepOnShutdown, Shutdown reverts every action still
// in effect (ReasonShutdown), with ctx, whatever the cooldown: the engine
// keeps no state across restarts, so nothing would revert them later.
// Call it after the service has stopped taking traffic when the actions
// protect it (a shed, a drain): reverting them earlier would let load
// back in on the way out.
func (e *Engine) Shutdown(ctx context.Context) error {
	return e.queue.life.Shutdown(ctx, e.stop)
}

// stop closes the intake and waits for the worker to decide what it holds.
func (e *Engine) stop(ctx context.Context) error {
	q := &e.queue
	q.mu.Lock()
	q.closed = true
	close(q.ch)
	done := q.done
	if done == nil {
		q.dropped.Add(uint64(len(q.ch)))
	}
	q.mu.Unlock()
	if done != nil {
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if !e.keepOnShutdown {
		e.revertAll(ctx, time.Now())
	}
	return ctx.Err()
}
