package main

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/availability"
)

// milestones records which parts of the story the Monitor has told since
// the fault and since the fix, so that the script holds a phase a little
// longer on a starved machine instead of skipping part of the story.
type milestones struct {
	faulty, fixed atomic.Bool

	breakerOpened, readyFailed, pageFired    atomic.Bool
	breakerClosed, readyPassed, pageResolved atomic.Bool
}

// observe is fed every Monitor event.
func (ms *milestones) observe(e availability.Event) {
	msg := e.Message
	switch {
	case ms.fixed.Load():
		switch {
		case e.Kind == availability.EventBreaker && strings.HasSuffix(msg, "-> closed"):
			ms.breakerClosed.Store(true)
		case e.Kind == availability.EventHealth && strings.Contains(msg, "group ready:") && strings.HasSuffix(msg, "-> pass"):
			ms.readyPassed.Store(true)
		case e.Kind == availability.EventSLOAlert && strings.Contains(msg, "page alert") && strings.Contains(msg, "resolved"):
			ms.pageResolved.Store(true)
		}
	case ms.faulty.Load():
		switch {
		case e.Kind == availability.EventBreaker && strings.HasSuffix(msg, "-> open"):
			ms.breakerOpened.Store(true)
		case e.Kind == availability.EventHealth && strings.Contains(msg, "group ready:") && strings.HasSuffix(msg, "-> fail"):
			ms.readyFailed.Store(true)
		case e.Kind == availability.EventSLOAlert && strings.Contains(msg, "page alert") && strings.Contains(msg, "firing"):
			ms.pageFired.Store(true)
		}
	}
}

func (ms *milestones) faultSeen() bool {
	return ms.breakerOpened.Load() && ms.readyFailed.Load() && ms.pageFired.Load()
}

func (ms *milestones) recoverySeen() bool {
	return ms.breakerClosed.Load() && ms.readyPassed.Load() && ms.pageResolved.Load()
}

// await polls seen until it holds, the deadline passes or ctx ends, and
// reports whether it held.
func await(ctx context.Context, seen func() bool, deadline time.Time) bool {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !seen() {
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
	return true
}
