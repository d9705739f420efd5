package health

import (
	"net/http"
	"sync"
	"testing"
)

// TestNinesProbesCallNoDependency sends 1000 concurrent readiness probes to
// nines with a hanging check registered: none may call a dependency, and
// every one answers 503 from cached state. The same probes against the
// per-request peer do call dependencies, which shows the counter works.
func TestNinesProbesCallNoDependency(t *testing.T) {
	for _, tt := range []struct {
		name      string
		c         contender
		probes    int
		wantCalls bool
	}{
		{"nines", contenders[0], 1000, false},
		// Few probes: each waits for the hanging check's 10ms timeout
		// behind the checker's lock.
		{"alexliesenfeld per-request", contender{build: alexSync(0)}, 10, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newDeps(t)
			h := tt.c.build(t, d)
			before := d.calls.Load()
			var wg sync.WaitGroup
			codes := make([]int, tt.probes)
			for i := range codes {
				wg.Go(func() {
					codes[i] = serve(h, probeRequest(""))
				})
			}
			wg.Wait()
			calls := d.calls.Load() - before
			if (calls > 0) != tt.wantCalls {
				t.Errorf("%d probes made %d dependency calls; want calls: %v", tt.probes, calls, tt.wantCalls)
			}
			for i, code := range codes {
				if code != http.StatusServiceUnavailable {
					t.Fatalf("probe %d answered %d, want 503", i, code)
				}
			}
		})
	}
}
