package health

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks for leaks, except hellofresh/health-go's: its Measure
// sends a timed-out check's result on an unbuffered channel nobody reads
// any more, so every probe that hits the hanging check leaves a goroutine
// blocked for good, even after the dependency returns.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/hellofresh/health-go/v5.(*Health).Measure.func1.2"))
}
