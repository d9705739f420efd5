package availability

import (
	"context"
	"errors"
	"testing"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
)

// blockingFlushProvider is a MeterProvider whose ForceFlush waits for
// release, so a test can hold a Shutdown at its last step.
type blockingFlushProvider struct {
	metric.MeterProvider
	entered, release chan struct{}
}

func (p *blockingFlushProvider) ForceFlush(ctx context.Context) error {
	close(p.entered)
	<-p.release
	return nil
}

// TestShutdownConcurrentCallWaits: a second Shutdown while the first is
// still running (a signal handler and main's defer) must not report success
// before the first has finished, or main may exit before the final flush.
func TestShutdownConcurrentCallWaits(t *testing.T) {
	mp := &blockingFlushProvider{MeterProvider: noop.NewMeterProvider(),
		entered: make(chan struct{}), release: make(chan struct{})}
	m, err := New(WithMeterProvider(mp), WithLogger(discardLogger), WithDrainDelay(0))
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan error)
	go func() { first <- m.Shutdown(context.Background()) }()
	<-mp.entered // the first Shutdown is flushing

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Shutdown(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown during Shutdown, ctx done: %v, want context.Canceled (not finished)", err)
	}
	close(mp.release)
	if err := <-first; err != nil {
		t.Errorf("first Shutdown: %v", err)
	}
	if err := m.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown after Shutdown: %v", err)
	}
}
