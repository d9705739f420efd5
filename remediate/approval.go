package remediate

import (
	"context"
	"time"
)

// Approver decides whether a critical action may run, typically by asking a
// human (a chat message with buttons, a ticket). Implementations must be
// safe for concurrent use and should honour ctx: it expires at the
// approval deadline, after which any answer is ignored and the action is
// denied.
type Approver interface {
	Approve(ctx context.Context, req Request) (Approval, error)
}

// ApproverFunc adapts a function to Approver.
type ApproverFunc func(ctx context.Context, req Request) (Approval, error)

// Approve calls f.
func (f ApproverFunc) Approve(ctx context.Context, req Request) (Approval, error) {
	return f(ctx, req)
}

// Request is what the engine asks an Approver.
type Request struct {
	// Policy, Action and Target say what would be done.
	Policy, Action, Target string
	// Signal is what triggered it.
	Signal Signal
	// Seq is the sequence number of the awaiting_approval audit record,
	// to quote in an approval UI.
	Seq uint64
	// Deadline is when the engine stops waiting (by the process clock).
	Deadline time.Time
}

// Approval is an Approver's answer. The zero value refuses.
type Approval struct {
	// Approved lets the action run.
	Approved bool
	// By names who decided; it goes into the audit record. Empty means
	// unknown.
	By string
}

// boundedCall runs fn on its own goroutine and waits for it until ctx ends.
// An answer that arrives after ctx ended is ignored (timedOut); fn may then
// keep running in the background until it returns, which is why it must
// honour ctx. A panic in fn is caught and reported, never propagated.
func boundedCall[T any](ctx context.Context, fn func(context.Context) (T, error)) (v T, err error, timedOut, panicked bool) {
	type answer struct {
		v        T
		err      error
		panicked bool
	}
	ch := make(chan answer, 1) // buffered: a late answer never blocks fn's goroutine
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- answer{panicked: true}
			}
		}()
		v, err := fn(ctx)
		ch <- answer{v: v, err: err}
	}()
	select {
	case a := <-ch:
		if ctx.Err() != nil {
			return v, ctx.Err(), true, false
		}
		return a.v, a.err, false, a.panicked
	case <-ctx.Done():
		return v, ctx.Err(), true, false
	}
}
