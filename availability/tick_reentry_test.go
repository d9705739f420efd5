package availability

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/remediate/admit"
)

// callbackDetector calls back into the Monitor from ObserveAt, once.
type callbackDetector struct {
	m     *atomic.Pointer[Monitor]
	t0    time.Time
	calls *atomic.Int32
}

func (d callbackDetector) ObserveAt(time.Time, float64) detect.Result {
	if d.calls.Add(1) == 1 {
		m := d.m.Load()
		m.TickAt(d.t0.Add(2 * time.Second)) // deadlocked on tickMu before
		_ = m.Statusz()
	}
	return detect.Result{}
}
func (callbackDetector) Name() string { return "callback" }
func (callbackDetector) Reset()       {}

// TestDetectorMayCallTheMonitorFromATick: the detectors run with no
// Monitor lock held, so a detector calling TickAt or Statusz from
// ObserveAt does not deadlock.
func TestDetectorMayCallTheMonitorFromATick(t *testing.T) {
	var mp atomic.Pointer[Monitor]
	var calls atomic.Int32
	clk := newFakeClock()
	d := callbackDetector{m: &mp, t0: clk.Now(), calls: &calls}
	m, _, _ := newTestMonitor(t, WithDetector(func() detect.Detector { return d }),
		WithDetectorStep(time.Second), WithDetectorMinRequests(1))
	mp.Store(m)
	c, _ := m.Endpoint(ServerEndpoint, "GET /x").AdmitAt(clk.Now(), admit.Normal)
	c.DoneAt(clk.Now(), false)
	done := make(chan struct{})
	go func() {
		m.TickAt(clk.Now().Add(time.Second))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second): // a bound for a deadlock, not a timing assertion
		t.Fatal("TickAt deadlocked when a detector called the Monitor back")
	}
	if calls.Load() < 2 {
		t.Fatalf("detector observed %d points, want the outer and the nested ticks' points", calls.Load())
	}
}
