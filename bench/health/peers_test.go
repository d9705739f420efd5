package health

import (
	"context"
	"net/http"
	"testing"
	"time"

	alex "github.com/alexliesenfeld/health"
	hellofresh "github.com/hellofresh/health-go/v5"
)

// alexSync is alexliesenfeld/health in its per-request mode: each probe
// runs every check whose cached result is older than cacheTTL. cacheTTL 0
// disables the cache (every probe runs every check); the library's default,
// which it recommends, is 1s. Autostart is disabled: it would run one extra
// round of checks in the background, racing with the timed loop; Check
// needs no Start in this mode.
func alexSync(cacheTTL time.Duration) func(testing.TB, *deps) http.Handler {
	return func(tb testing.TB, d *deps) http.Handler {
		opts := []alex.CheckerOption{alex.WithCacheDuration(cacheTTL), alex.WithTimeout(time.Second), alex.WithDisabledAutostart()}
		for i := range numChecks {
			opts = append(opts, alex.WithCheck(alex.Check{Name: checkName(i), Check: d.fn(i), Timeout: peerTimeout}))
		}
		// Not started, so not stopped either: Stop would panic on the
		// nil cancel func of a checker that never started.
		return alex.NewHandler(alex.NewChecker(opts...))
	}
}

// alexPeriodic is alexliesenfeld/health in its periodic mode: checks run
// in the background every interval and probes read the last results.
func alexPeriodic(tb testing.TB, d *deps) http.Handler {
	var opts []alex.CheckerOption
	for i := range numChecks {
		opts = append(opts, alex.WithPeriodicCheck(interval, 0, alex.Check{Name: checkName(i), Check: d.fn(i), Timeout: peerTimeout}))
	}
	c := alex.NewChecker(opts...)
	tb.Cleanup(c.Stop)
	// Wait until every periodic check has a first result (the hanging one
	// after its timeout), so the timed loop measures steady state.
	for deadline := time.Now().Add(10 * time.Second); ; {
		res := c.Check(context.Background())
		done := 0
		for _, st := range res.Details {
			if st.Timestamp.After(time.Time{}) {
				done++
			}
		}
		if done == numChecks {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("alex periodic: %d of %d checks ran within 10s", done, numChecks)
		}
		time.Sleep(time.Millisecond)
	}
	return alex.NewHandler(c)
}

// hellofreshHandler is hellofresh/health-go/v5, which runs every check on
// each probe.
func hellofreshHandler(tb testing.TB, d *deps) http.Handler {
	h, err := hellofresh.New()
	if err != nil {
		tb.Fatal(err)
	}
	for i := range numChecks {
		if err := h.Register(hellofresh.Config{Name: checkName(i), Check: d.fn(i), Timeout: peerTimeout}); err != nil {
			tb.Fatal(err)
		}
	}
	return h.Handler()
}
