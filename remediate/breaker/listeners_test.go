package breaker

import (
	"testing"

	"github.com/nines-sre/nines/internal/lifecycletest"
)

// The breaker's state listeners behave as every nines listener list does.
// Each fire toggles a forced mode, which changes the effective state and is
// delivered synchronously on the calling goroutine.
func TestStateListenersConformance(t *testing.T) {
	b := newTestBreaker(t, Config{})
	open := false
	lifecycletest.Listeners(t,
		func(fn func()) func() { return b.OnStateChange(func(StateChange) { fn() }) },
		func() {
			open = !open
			if open {
				b.SetMode(ModeForcedOpen)
			} else {
				b.SetMode(ModeNormal)
			}
		},
		func() {})
	if b.hooks.listeners.Panics() == 0 {
		t.Error("the panicking listener's panics were not counted")
	}
}
