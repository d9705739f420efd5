package availability

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// admitClient admits one call on e or fails the test.
func admitClient(t *testing.T, e *Endpoint) Call {
	t.Helper()
	c, err := e.Admit(admit.Normal)
	if err != nil {
		t.Fatalf("Admit: %v", err)
	}
	return c
}

// TestClientCallHalfOpenQuota: half-open, a client endpoint admits only the
// breaker's probe quota; the probes' outcomes decide, as with any call the
// breaker admits.
func TestClientCallHalfOpenQuota(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _, _ := newTestMonitor(t, WithClientBreakers(breaker.Config{ConsecutiveFailures: 1,
			OpenTimeout: time.Minute, HalfOpenCalls: 2}))
		e := m.Endpoint(ClientEndpoint, "inventory")
		c := admitClient(t, e)
		c.Done(true)
		if _, err := e.Admit(admit.Normal); !errors.Is(err, breaker.ErrOpen) {
			t.Fatalf("open: Admit = %v, want ErrOpen", err)
		}
		time.Sleep(time.Minute + time.Second) // past the open timeout
		p1, p2 := admitClient(t, e), admitClient(t, e)
		_, err := e.Admit(admit.Normal)
		if !errors.Is(err, breaker.ErrTooManyCalls) || err.Error() != "availability: inventory: "+breaker.ErrTooManyCalls.Error() {
			t.Fatalf("third call half-open with 2 probes out: %v, want ErrTooManyCalls", err)
		}
		p1.Done(false)
		p2.Done(false)
		if s := e.breaker.State(); s != breaker.Closed {
			t.Fatalf("state after two good probes: %v, want closed", s)
		}
		if got := e.refused.Load(); got != 2 {
			t.Errorf("shed %d, want 2 (one open, one over the quota)", got)
		}
	})
}

// TestClientCallSlowPolicy: a client endpoint's latency reaches the
// breaker's slow-call policy: successful but slow calls trip it.
func TestClientCallSlowPolicy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _, _ := newTestMonitor(t, WithClientBreakers(breaker.Config{ConsecutiveFailures: 100,
			SlowThreshold: 100 * time.Millisecond, SlowCallRatio: 1, MinimumCalls: 3, OpenTimeout: time.Minute}))
		e := m.Endpoint(ClientEndpoint, "search")
		for range 3 {
			c := admitClient(t, e)
			time.Sleep(time.Second)
			c.Done(false)
		}
		if _, err := e.Admit(admit.Normal); !errors.Is(err, breaker.ErrOpen) {
			t.Fatalf("after 3 slow calls: Admit = %v, want ErrOpen", err)
		}
	})
}

// TestCallCancel: a cancelled call counts nowhere and frees its half-open
// probe slot without a verdict.
func TestCallCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.99}),
			WithClientBreakers(breaker.Config{ConsecutiveFailures: 1, OpenTimeout: time.Minute}))
		e := m.Endpoint(ClientEndpoint, "ledger")
		c := admitClient(t, e)
		c.Done(true)
		time.Sleep(time.Minute + time.Second) // past the open timeout
		probe := admitClient(t, e)
		if _, err := e.Admit(admit.Normal); !errors.Is(err, breaker.ErrTooManyCalls) {
			t.Fatalf("second probe: %v, want ErrTooManyCalls", err)
		}
		probe.Cancel()
		if s := e.breaker.State(); s != breaker.HalfOpen {
			t.Fatalf("state after a cancelled probe: %v, want still half-open", s)
		}
		again := admitClient(t, e) // the slot is free again
		again.Done(false)
		if s := e.breaker.State(); s != breaker.Closed {
			t.Errorf("state after a good probe: %v, want closed", s)
		}
		if n, bad := e.requests(), e.bad.Load(); n != 2 || bad != 1 {
			t.Errorf("requests %d bad %d, want 2 and 1 (the cancelled call not counted)", n, bad)
		}
	})
}

// TestCallEndsOnce: the first Done, DoneAt or Cancel ends a Call; later
// ones on the same variable, and every method of the zero Call, do nothing.
func TestCallEndsOnce(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.99}))
	e := m.Endpoint(ServerEndpoint, "GET /x")
	c, err := e.AdmitAt(t0, admit.Normal)
	if err != nil {
		t.Fatal(err)
	}
	c.DoneAt(t0.Add(time.Millisecond), true)
	c.Done(false)
	c.DoneAt(t0, false)
	c.Cancel()
	var zero Call
	zero.Done(true)
	zero.DoneAt(t0, true)
	zero.Cancel()
	if n, bad := e.requests(), e.bad.Load(); n != 1 || bad != 1 {
		t.Errorf("requests %d bad %d, want 1 and 1", n, bad)
	}
	st := e.avail.StatusAt(t0.Add(time.Second))
	if st.Good != 0 || st.Bad != 1 {
		t.Errorf("SLO good %d bad %d, want 0 and 1", st.Good, st.Bad)
	}
}

// TestCallDoneAtEarlierIsZeroLatency: DoneAt before the admission instant
// records latency zero, not a negative one.
func TestCallDoneAtEarlierIsZeroLatency(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Latency: time.Millisecond}))
	e := m.Endpoint(ServerEndpoint, "GET /x")
	c, _ := e.AdmitAt(t0, admit.Normal)
	c.DoneAt(t0.Add(-time.Hour), false)
	if st := e.lat.StatusAt(t0.Add(time.Second)); st.Good != 1 {
		t.Errorf("latency SLO %+v, want one good event", st)
	}
}
