package availability

import (
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
)

// A 10x overload of normal traffic under default shedder settings
// (ShedderConfig{Rate: 100}) used to be answered 503, which clients and
// proxies retry; and the per-route shed counts read 0 because shedding
// happens before routing. Now: 429 with Retry-After, counted under the
// route each request would have matched, adding up to the total.
func TestOverloadDefaultSettings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sh, err := admit.NewShedder("api", admit.ShedderConfig{Rate: 100})
		if err != nil {
			t.Fatal(err)
		}
		m, _, _ := newTestMonitor(t, WithShedder(sh))
		h := m.Middleware(testMux())
		targets := []string{"/users/1", "/users/2", "/fail", "/nowhere"}
		codes := map[int]int{}
		for i := range 3000 { // 3 s at 1000/s, 10x the rate
			rec := serve(h, "GET", targets[i%len(targets)])
			codes[rec.Code]++
			if rec.Code == http.StatusTooManyRequests && rec.Header().Get("Retry-After") != "1" {
				t.Fatalf("429 with Retry-After %q, want 1", rec.Header().Get("Retry-After"))
			}
			time.Sleep(time.Millisecond)
		}
		shed := codes[http.StatusTooManyRequests]
		if codes[http.StatusServiceUnavailable] != 0 || shed < 2500 || shed > 2750 {
			t.Errorf("codes %v: want about 2700 429s and no 503", codes)
		}
		st := m.Statusz()
		if st.Shed != uint64(shed) {
			t.Errorf("Statusz.Shed = %d, want %d", st.Shed, shed)
		}
		perRoute := map[string]uint64{}
		var sum uint64
		for _, e := range st.Endpoints {
			if e.Kind == "server" {
				perRoute[e.Pattern] = e.Shed
				sum += e.Shed
			}
		}
		if sum != st.Shed {
			t.Errorf("per-route shed %v adds up to %d, want Statusz.Shed %d", perRoute, sum, st.Shed)
		}
		for _, route := range []string{"GET /users/{id}", "GET /fail", RouteUnmatched} {
			if perRoute[route] < 500 {
				t.Errorf("route %q shed %d, want its share of %d", route, perRoute[route], shed)
			}
		}

		// Shedding by priority (the SetLevel cut) is 503.
		sh.SetLevel(admit.Critical)
		time.Sleep(time.Second)
		if rec := serve(h, "GET", "/users/1"); rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
			t.Errorf("below the level: %d Retry-After %q, want 503 and 1", rec.Code, rec.Header().Get("Retry-After"))
		}
	})
}
