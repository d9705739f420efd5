// Package lifecycle is the one Start/Shutdown state machine every nines
// component uses, so that they all behave alike:
//
//   - Start returns ctx.Err() first, then ErrClosed after a Shutdown, then
//     ErrStarted if already started. The background work it starts runs on a
//     context that only Shutdown cancels: cancelling the Start ctx later
//     stops nothing (its values are kept).
//   - Shutdown is idempotent. The first call runs the component's stop
//     function, then cancels the background context and waits for every
//     goroutine started with Go. A concurrent or later call waits for the
//     first to finish, or returns ctx.Err() if its own ctx ends first, and
//     then returns what the first returned.
//   - Shutdown before Start closes the component; Start then returns
//     ErrClosed.
package lifecycle

import (
	"context"
	"errors"
	"sync"
)

var (
	// ErrStarted is returned by Start when the component is already running.
	ErrStarted = errors.New("nines: already started")
	// ErrClosed is returned by Start (and by other methods that need a
	// running component) after Shutdown.
	ErrClosed = errors.New("nines: shut down")
)

type state uint8

const (
	idle state = iota
	starting
	running
	closed
)

// Lifecycle tracks one component's Start and Shutdown. The zero value is
// ready to use; a Lifecycle must not be copied after first use. It is safe
// for concurrent use.
type Lifecycle struct {
	mu      sync.Mutex
	state   state
	cancel  context.CancelFunc
	run     context.Context
	wg      sync.WaitGroup
	done    chan struct{} // closed when the first Shutdown has finished stop and the goroutines exited
	stopErr error
}

// Start moves the component to running and calls start with the background
// context, which only Shutdown cancels. start may call Go. If start returns
// an error, the goroutines it started are cancelled and waited for, the
// component is idle again and Start returns that error. start runs with no
// lock held; a concurrent Start returns ErrStarted meanwhile.
func (l *Lifecycle) Start(ctx context.Context, start func(run context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	switch l.state {
	case closed:
		l.mu.Unlock()
		return ErrClosed
	case starting, running:
		l.mu.Unlock()
		return ErrStarted
	}
	l.state = starting
	l.run, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	run := l.run
	l.mu.Unlock()

	var err error
	if start != nil {
		err = start(run)
	}
	if err != nil {
		l.Cancel()
		l.wg.Wait()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != starting { // a Shutdown came in meanwhile
		return err
	}
	if err != nil {
		l.state = idle
		return err
	}
	l.state = running
	return nil
}

// Go runs fn on a goroutine that Shutdown cancels (through fn's context) and
// waits for. It reports false, and does not run fn, when the component is
// neither starting nor running.
func (l *Lifecycle) Go(fn func(run context.Context)) bool {
	l.mu.Lock()
	if l.state != starting && l.state != running {
		l.mu.Unlock()
		return false
	}
	run := l.run
	l.wg.Add(1)
	l.mu.Unlock()
	go func() {
		defer l.wg.Done()
		fn(run)
	}()
	return true
}

// Running reports whether Start succeeded and Shutdown has not been called.
func (l *Lifecycle) Running() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state == running
}

// Cancel cancels the background context without waiting, for a stop
// function that must end the goroutines before its own further teardown.
// It does nothing before Start.
func (l *Lifecycle) Cancel() {
	l.mu.Lock()
	c := l.cancel
	l.mu.Unlock()
	if c != nil {
		c()
	}
}

// Shutdown closes the component. The first call runs stop(ctx) (nil means
// nothing to do), cancels the background context and waits for the Go
// goroutines or for ctx; it returns stop's error, or ctx.Err() if ctx ended
// while waiting. Later and concurrent calls wait for the first call's work
// (or their own ctx) and return stop's error.
func (l *Lifecycle) Shutdown(ctx context.Context, stop func(ctx context.Context) error) error {
	l.mu.Lock()
	if l.state == closed {
		done := l.done
		l.mu.Unlock()
		if err := wait(ctx, done); err != nil {
			return err
		}
		return l.stopErr
	}
	l.state = closed
	done := make(chan struct{})
	l.done = done
	l.mu.Unlock()

	var err error
	if stop != nil {
		err = stop(ctx)
	}
	l.Cancel()
	go func() {
		l.wg.Wait()
		l.mu.Lock()
		l.stopErr = err
		l.mu.Unlock()
		close(done)
	}()
	if werr := wait(ctx, done); werr != nil {
		return werr
	}
	return err
}

// wait waits for done or ctx, preferring done when both are ready: work that
// has finished is reported as finished, whatever the ctx did meanwhile.
func wait(ctx context.Context, done <-chan struct{}) error {
	select {
	case <-done:
		return nil
	default:
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		select {
		case <-done:
			return nil
		default:
			return ctx.Err()
		}
	}
}
