package availability

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/metrictest"
)

// durationStatuses returns the http.response.status_code values recorded
// in http.server.request.duration for http.route route, with their counts.
func durationStatuses(t *testing.T, c metrictest.Collection, route string) map[int64]uint64 {
	t.Helper()
	md, ok := c.Metric("http.server.request.duration")
	if !ok {
		t.Fatal("no http.server.request.duration")
	}
	out := map[int64]uint64{}
	for _, p := range md.Points {
		if r, _ := p.Attrs.Value(attrRoute); r.AsString() != route {
			continue
		}
		s, _ := p.Attrs.Value(attrStatus)
		out[s.AsInt64()] += p.Count
	}
	return out
}

func TestMiddlewareInformationalOnlyRecordsFinal200(t *testing.T) {
	m, mp, _ := newTestMonitor(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hints", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints) // and nothing else: net/http answers 200
	})
	srv := httptest.NewServer(m.Middleware(mux))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/hints")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("client got %d, want 200", resp.StatusCode)
	}
	srv.Close()
	got := durationStatuses(t, mp.Collect(t), "/hints")
	if got[200] != 1 || len(got) != 1 {
		t.Errorf("recorded statuses %v, want {200:1}", got)
	}
}

// TestMiddlewareNestedMuxRoute locks the documented placement rule: the
// middleware sees the pattern of the mux it wraps directly, not one behind
// http.StripPrefix's copy of the request.
func TestMiddlewareNestedMuxRoute(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(m *Monitor, inner http.Handler) http.Handler
		route string
	}{
		{"outside: the outer pattern", func(m *Monitor, inner http.Handler) http.Handler {
			outer := http.NewServeMux()
			outer.Handle("/api/", http.StripPrefix("/api", inner))
			return m.Middleware(outer)
		}, "/api/"},
		{"inside: the inner pattern", func(m *Monitor, inner http.Handler) http.Handler {
			outer := http.NewServeMux()
			outer.Handle("/api/", http.StripPrefix("/api", m.Middleware(inner)))
			return outer
		}, "GET /users/{id}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, _ := newTestMonitor(t)
			inner := http.NewServeMux()
			inner.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {})
			srv := httptest.NewServer(tc.build(m, inner))
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL + "/api/users/7")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			srv.Close()
			var names []string
			for _, e := range m.endpoints[ServerEndpoint].all() {
				names = append(names, e.name)
			}
			if len(names) != 1 || names[0] != tc.route {
				t.Errorf("routes %q, want [%q]", names, tc.route)
			}
		})
	}
}

// TestMiddlewarePanicAnswersCleanly: the 500 of a handler that panicked
// before writing carries none of the headers it had set for the answer it
// never gave (a Cache-Control would let a cache keep the 500, a
// Content-Length would not match the empty body).
func TestMiddlewarePanicAnswersCleanly(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Content-Length", "5")
		panic("boom")
	})
	srv := httptest.NewServer(m.Middleware(mux))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "" {
		t.Errorf("500 carries the handler's Cache-Control %q", cc)
	}
	if len(body) != 0 {
		t.Errorf("body %q, want empty", body)
	}
	srv.Close()
	if e := m.Endpoint(ServerEndpoint, "GET /boom"); e.requests() != 1 || e.bad.Load() != 1 {
		t.Errorf("%d requests, %d bad; want 1, 1", e.requests(), e.bad.Load())
	}
}

// TestMiddlewareResponseControllerAndHead: ResponseController's deadline
// and full-duplex controls reach net/http's writer through Unwrap, a
// handler that writes nothing is a 200, and a HEAD request is recorded as
// HEAD on its route.
func TestMiddlewareResponseControllerAndHead(t *testing.T) {
	m, mp, _ := newTestMonitor(t)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /duplex", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		if err := rc.SetReadDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetReadDeadline: %v", err)
		}
		if err := rc.EnableFullDuplex(); err != nil {
			t.Errorf("EnableFullDuplex: %v", err)
		}
		_, _ = io.Copy(w, r.Body)
	})
	mux.HandleFunc("GET /empty", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(m.Middleware(mux))
	defer srv.Close()
	resp, err := srv.Client().Post(srv.URL+"/duplex", "text/plain", strings.NewReader("echo"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "echo" {
		t.Errorf("duplex body %q", b)
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		req, _ := http.NewRequest(method, srv.URL+"/empty", nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s /empty: %d", method, resp.StatusCode)
		}
	}
	srv.Close()
	c := mp.Collect(t)
	if got := durationStatuses(t, c, "/empty"); got[200] != 2 || len(got) != 1 {
		t.Errorf("/empty statuses %v, want {200:2}", got)
	}
	md, _ := c.Metric("http.server.request.duration")
	var heads uint64
	for _, p := range md.Points {
		if v, _ := p.Attrs.Value(attrMethod); v.AsString() == http.MethodHead {
			heads += p.Count
		}
	}
	if heads != 1 {
		t.Errorf("HEAD requests recorded %d, want 1", heads)
	}
}
