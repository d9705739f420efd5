package remediate

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no benchmark leaves a goroutine behind (a Monitor
// or a MeterProvider not shut down).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
