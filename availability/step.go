package availability

import (
	"math"
	"time"
)

// The detectors see one point per series per detector step (WithDetectorStep,
// default a minute), not one per tick: a detector that flags about one
// point in a few thousand raises an alarm every hour per series at one point
// a second, and once a day or less at one a minute. Ticks stay frequent for
// the SLO windows and alerts; the endpoint's counters simply accumulate over
// the step, and the tick that ends it drains them.
//
// A series is fed only when its step holds enough requests
// (WithDetectorMinRequests, default 1000 for the error ratio and the p99,
// a tenth of it for the rate). Below 1000 requests a p99 is one of the few
// slowest requests, which a couple of slow calls in a healthy minute set,
// and one failed request is more than 0.1%, the whole budget of a 99.9%
// objective; a count of fewer than 100 varies by more than 10% by chance.
// Such points are noise, and feeding a quiet step as zero would teach the
// detectors a level that does not exist; the SLOs (with their own
// low-traffic guard) watch low traffic.

// The rate series counts offered load, not served load: requests the
// library refused itself (a client endpoint's open breaker, a server
// endpoint's shedding, the middleware's shedding, which counts each shed
// request under the route the mux would have matched) count as requests of
// the step, so the library's own protection never shows as a drop of the
// route's traffic.

// stepStats are an endpoint's aggregates over one detector step.
type stepStats struct {
	requests, shed       uint64  // served (finished) and refused calls
	rate                 float64 // offered calls (served + refused) per second
	errorRatio, p99      float64 // NaN when the step had no served call
	feedRate, feedServed bool    // whether the rate, and the error ratio and p99, are fed
}

// step computes the endpoint's aggregates over a step of the given length
// and starts the next one.
func (e *Endpoint) step(length time.Duration, minRequests uint64) stepStats {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	// bad before the drain: a call adds to the histogram first, so every
	// bad call seen here is drained now or was drained before. One whose
	// histogram add made the previous drain but whose bad add missed the
	// previous load counts as bad here without a call: clamp.
	bad, shed := e.bad.Load(), e.refused.Load()
	p99, n := e.hist.Drain(&e.counts, 0.99)
	b := min(bad-e.prevBad, n)
	st := stepStats{requests: n, shed: shed - e.prevShed, errorRatio: math.NaN(), p99: p99}
	e.prevBad, e.prevShed = bad, shed
	e.drained += n
	st.rate = float64(n+st.shed) / length.Seconds()
	if n > 0 {
		st.errorRatio = float64(b) / float64(n)
	}
	st.feedServed = n >= minRequests
	st.feedRate = n+st.shed >= max(minRequests/10, 1)
	e.last = st
	return st
}

// stepFeed is one endpoint's step aggregates, fed to the detectors after
// the Monitor's tickMu is released.
type stepFeed struct {
	e  *Endpoint
	st stepStats
}

// endStep ends the detector step if t is at least a step after its start,
// and returns every endpoint's aggregates over it and true (nil and
// false otherwise). It runs under m.tickMu.
func (m *Monitor) endStep(t time.Time) (feed []stepFeed, ended bool) {
	if t.Before(m.stepStart) {
		// A clock that went back: a step starts here.
		m.stepStart = t
		return nil, false
	}
	length := t.Sub(m.stepStart)
	if length < m.cfg.step {
		return nil, false
	}
	m.stepStart = t
	for k := range m.endpoints {
		for _, e := range m.endpoints[k].all() {
			feed = append(feed, stepFeed{e, e.step(length, uint64(m.cfg.minRequests))})
		}
	}
	return feed, true
}

// feed hands a step's aggregates to the detectors, with no Monitor lock
// held.
func (m *Monitor) feed(t time.Time, feed []stepFeed) {
	for _, f := range feed {
		// m.observe also keeps the point for the status page's history.
		if f.st.feedServed {
			m.observe(f.e.seriesErr, t, f.st.errorRatio)
			m.observe(f.e.seriesP99, t, f.st.p99)
		}
		if f.st.feedRate {
			m.observe(f.e.seriesRate, t, f.st.rate)
		}
		m.sampleHistory(t, f.e)
	}
}
