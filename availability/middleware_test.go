package availability

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
)

func testMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("user " + r.PathValue("id")))
	})
	mux.HandleFunc("GET /fail", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusBadGateway)
	})
	mux.HandleFunc("GET /notfound", func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	})
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) {
		panic("handler bug")
	})
	mux.HandleFunc("GET /silent", func(w http.ResponseWriter, r *http.Request) {})
	return mux
}

func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestMiddlewareRoutesAndOutcomes(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.99}))
	h := m.Middleware(testMux())
	steps := []struct {
		method, target string
		wantStatus     int
		route          string
		wantBad        bool
	}{
		{"GET", "/users/1", 200, "GET /users/{id}", false},
		{"GET", "/users/2", 200, "GET /users/{id}", false},
		{"GET", "/fail", 502, "GET /fail", true},
		{"GET", "/notfound", 404, "GET /notfound", false},
		{"GET", "/nowhere", 404, RouteUnmatched, false},
		{"GET", "/other/path", 404, RouteUnmatched, false},
		{"POST", "/users/3", 405, RouteUnmatched, false},
		{"GET", "/panic", 500, "GET /panic", true},
		{"GET", "/silent", 200, "GET /silent", false},
	}
	want := map[string][2]uint64{} // route -> requests, bad
	for _, s := range steps {
		rec := serve(h, s.method, s.target)
		if rec.Code != s.wantStatus {
			t.Errorf("%s %s: status %d, want %d", s.method, s.target, rec.Code, s.wantStatus)
		}
		w := want[s.route]
		w[0]++
		if s.wantBad {
			w[1]++
		}
		want[s.route] = w
	}
	for route, w := range want {
		e := m.Endpoint(ServerEndpoint, route)
		if got := e.requests(); got != w[0] {
			t.Errorf("route %q: %d requests, want %d", route, got, w[0])
		}
		if got := e.bad.Load(); got != w[1] {
			t.Errorf("route %q: %d bad, want %d", route, got, w[1])
		}
		st := e.avail.Status()
		if st.Good != w[0]-w[1] || st.Bad != w[1] {
			t.Errorf("route %q: SLO good/bad %d/%d, want %d/%d", route, st.Good, st.Bad, w[0]-w[1], w[1])
		}
	}
	if n := len(m.endpoints[ServerEndpoint].all()); n != len(want) {
		t.Errorf("%d server endpoints, want %d", n, len(want))
	}
}

func TestMiddlewareMaxRoutes(t *testing.T) {
	m, _, _ := newTestMonitor(t, WithMaxRoutes(2))
	mux := http.NewServeMux()
	for _, p := range []string{"/a", "/b", "/c", "/d"} {
		mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
	}
	h := m.Middleware(mux)
	for _, p := range []string{"/a", "/b", "/c", "/d", "/zzz"} {
		serve(h, "GET", p)
	}
	var names []string
	for _, e := range m.endpoints[ServerEndpoint].all() {
		names = append(names, e.name+":"+strconv.FormatUint(e.requests(), 10))
	}
	want := []string{"/a:1", "/b:1", "other:2", "unmatched:1"}
	if len(names) != len(want) {
		t.Fatalf("endpoints %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("endpoints %v, want %v", names, want)
		}
	}
}

func TestMiddlewareShedding(t *testing.T) {
	for _, tc := range []struct {
		name       string
		settings   admit.ShedderConfig
		level      admit.Priority
		wantStatus int
	}{
		{"rate", admit.ShedderConfig{Rate: 1, Burst: 2, CriticalReserve: -1, NormalReserve: -1}, admit.Sheddable, http.StatusTooManyRequests},
		{"priority", admit.ShedderConfig{}, admit.Critical, http.StatusServiceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := admit.NewShedder("test", tc.settings)
			if err != nil {
				t.Fatal(err)
			}
			s.SetLevel(tc.level)
			m, _, _ := newTestMonitor(t, WithShedder(s), WithRouteObjectives(RouteObjectives{Availability: 0.99}))
			var log eventLog
			m.OnEvent(log.add)
			h := m.Middleware(testMux())
			var shed, ok int
			for range 5 {
				rec := serve(h, "GET", "/users/1")
				switch rec.Code {
				case tc.wantStatus:
					shed++
					if got := rec.Header().Get("Retry-After"); got != "1" {
						t.Errorf("Retry-After %q, want 1", got)
					}
				case 200:
					ok++
				default:
					t.Fatalf("status %d", rec.Code)
				}
			}
			if shed == 0 {
				t.Fatal("nothing shed")
			}
			if got := m.shedTotal.Load(); got != uint64(shed) {
				t.Errorf("shed count %d, want %d", got, shed)
			}
			e := m.Endpoint(ServerEndpoint, "GET /users/{id}")
			if st := e.avail.Status(); st.Bad != 0 || st.Good != uint64(ok) {
				t.Errorf("SLO good/bad %d/%d, want %d/0: shed requests must not count", st.Good, st.Bad, ok)
			}
			if n := len(log.ofKind(EventShed)); n != 1 {
				t.Errorf("%d shed events for one burst, want 1", n)
			}
			// A tick without shedding ends the burst; the next shed
			// request starts a new one.
			m.TickAt(t0.Add(time.Second))
			m.TickAt(t0.Add(2 * time.Second))
			serve(h, "GET", "/users/1")
			serve(h, "GET", "/users/1")
			serve(h, "GET", "/users/1")
			if n := len(log.ofKind(EventShed)); n != 2 {
				t.Errorf("%d shed events after a second burst, want 2", n)
			}
		})
	}
}

func TestMiddlewarePanicAfterHeaders(t *testing.T) {
	var logged bytes.Buffer
	m, _, _ := newTestMonitor(t, WithLogger(slog.New(slog.NewTextHandler(&logged, nil))))
	mux := http.NewServeMux()
	mux.HandleFunc("/late", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("partial"))
		panic("late bug")
	})
	mux.HandleFunc("/abort", func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	})
	h := m.Middleware(mux)
	for _, path := range []string{"/late", "/abort"} {
		func() {
			defer func() {
				if v := recover(); v != http.ErrAbortHandler {
					t.Errorf("%s: recovered %v, want http.ErrAbortHandler", path, v)
				}
			}()
			serve(h, "GET", path)
		}()
		if e := m.Endpoint(ServerEndpoint, path); e.bad.Load() != 1 {
			t.Errorf("%s: %d bad, want 1", path, e.bad.Load())
		}
	}
	// The late panic is logged with its stack; http.ErrAbortHandler, the
	// sanctioned way to abort, is not.
	if out := logged.String(); strings.Count(out, "handler panicked") != 1 || !strings.Contains(out, "late bug") {
		t.Errorf("log %q, want the late panic alone", out)
	}
}
