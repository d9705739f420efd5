package health

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	numChecks = 20
	// peerTimeout is the per-check timeout given to the per-request
	// libraries so a probe ends despite the hanging dependency.
	peerTimeout = 10 * time.Millisecond
	// interval is the background period of the periodic contenders: long
	// enough that no scheduled run falls inside a timed loop, which
	// isolates what the probe itself costs.
	interval = time.Minute
)

// deps simulates the dependencies: numChecks-1 that answer at once and one
// that hangs, ignoring its context, until the benchmark ends.
type deps struct {
	// failFast makes check 0 fail at once instead of hanging: the same
	// verdict (503) without the slow dependency, the baseline that shows
	// whether probe latency depends on the dependency.
	failFast bool
	calls    atomic.Int64
	release  chan struct{}
	once     sync.Once
}

func newDeps(tb testing.TB) *deps {
	d := &deps{release: make(chan struct{})}
	tb.Cleanup(d.stop)
	return d
}

// stop releases the hanging dependency; later calls do nothing.
func (d *deps) stop() { d.once.Do(func() { close(d.release) }) }

// fast is a healthy dependency.
func (d *deps) fast(context.Context) error {
	d.calls.Add(1)
	return nil
}

var errReleased = errors.New("hanging dependency released")

// hang is the dependency that never answers while the benchmark runs.
func (d *deps) hang(context.Context) error {
	d.calls.Add(1)
	<-d.release
	return errReleased
}

// checkName returns the name of check i; check 0 is the hanging one.
func checkName(i int) string {
	if i == 0 {
		return "hanging"
	}
	return "dep" + string(rune('a'+i))
}

// fn returns the dependency of check i.
func (d *deps) fn(i int) func(context.Context) error {
	switch {
	case i != 0:
		return d.fast
	case d.failFast:
		return d.fail
	default:
		return d.hang
	}
}

var errDown = errors.New("dependency down")

// fail is a dependency that is down and says so at once.
func (d *deps) fail(context.Context) error {
	d.calls.Add(1)
	return errDown
}
