package synthetic_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/nines-sre/nines/internal/owntraffic"
	"github.com/nines-sre/nines/synthetic"
)

// shop is a tiny target: /login sets a session cookie and returns a token,
// /search wants the cookie, /checkout wants the token.
type shop struct {
	mu      sync.Mutex
	headers []http.Header
}

func (s *shop) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(readAll(r), `"user":"ada"`) {
			http.Error(w, "bad credentials", http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/"})
		w.Header().Set("X-Request-Id", "r-42")
		_ = json.NewEncoder(w).Encode(map[string]any{"token": "t-7", "user": map[string]any{"roles": []string{"buyer"}}})
	})
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("session"); err != nil || c.Value != "s1" {
			http.Error(w, "no session", http.StatusForbidden)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": []any{map[string]any{"id": 3, "name": r.URL.Query().Get("q")}}})
	})
	mux.HandleFunc("POST /checkout", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t-7" || !strings.Contains(readAll(r), `"item":3`) {
			http.Error(w, "refused", http.StatusBadRequest)
			return
		}
		w.Write([]byte("order placed"))
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.headers = append(s.headers, r.Header.Clone())
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	})
}

func readAll(r *http.Request) string {
	var b strings.Builder
	buf := make([]byte, 512)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func shopCheck(base string) synthetic.Check {
	return synthetic.Check{
		Name: "shop",
		Vars: map[string]string{"user": "ada", "q": "tea"},
		Steps: []synthetic.Step{
			{Name: "login", Method: "POST", URL: base + "/login", Body: `{"user":"${user}"}`,
				Assert:  []synthetic.Assertion{{Status: 200}, {JSONPath: "$.user.roles[0]", Value: "buyer"}, {Header: "X-Request-Id", Value: "r-"}},
				Extract: []synthetic.Extract{{Name: "token", JSONPath: "token"}, {Name: "rid", Header: "X-Request-Id"}, {Name: "session", Cookie: "session"}}},
			{Name: "search", URL: base + "/search?q=${q}&rid=${rid}",
				Assert:  []synthetic.Assertion{{Status: 200}, {JSONPath: "items.0.name", Value: "tea"}, {BodyRegex: `"id":\s*3`}},
				Extract: []synthetic.Extract{{Name: "item", JSONPath: "$.items[0].id"}}},
			{Name: "checkout", Method: "POST", URL: base + "/checkout", Body: `{"item":${item},"s":"${session}"}`,
				Header: map[string]string{"Authorization": "Bearer ${token}"},
				Assert: []synthetic.Assertion{{Status: 200}, {BodyContains: "order placed"}}},
		},
	}
}

func newRunner(t *testing.T, checks []synthetic.Check, opts ...synthetic.Option) *synthetic.Runner {
	t.Helper()
	r, err := synthetic.NewRunner(checks, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFlowPasses(t *testing.T) {
	s := &shop{}
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	r := newRunner(t, []synthetic.Check{shopCheck(srv.URL)})
	res, err := r.Run(context.Background(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != synthetic.Pass || len(res.Steps) != 3 {
		t.Fatalf("outcome %v, steps %+v, failure %q", res.Outcome, res.Steps, res.Err())
	}
	for _, st := range res.Steps {
		if st.Status != 200 || st.Duration <= 0 {
			t.Errorf("step %s: status %d, duration %v", st.Name, st.Status, st.Duration)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.headers) != 3 {
		t.Fatalf("%d requests, want 3", len(s.headers))
	}
	for _, h := range s.headers {
		if h.Get(owntraffic.Header) == "" {
			t.Errorf("request without %s", owntraffic.Header)
		}
		if tp := h.Get("Traceparent"); len(tp) != 55 || !strings.HasPrefix(tp, "00-") {
			t.Errorf("traceparent %q", tp)
		}
	}
	if got := r.Last("shop"); len(got) != 1 || got[0].Outcome != synthetic.Pass {
		t.Errorf("Last = %+v", got)
	}
}

func TestFlowFailsAtTheBrokenStep(t *testing.T) {
	s := &shop{}
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	c := shopCheck(srv.URL)
	c.Vars["user"] = "mallory" // login refused: later steps never run
	r := newRunner(t, []synthetic.Check{c})
	res, _ := r.Run(context.Background(), "shop")
	if res.Outcome != synthetic.Fail || len(res.Steps) != 1 || res.Steps[0].Status != 401 {
		t.Fatalf("outcome %v steps %+v", res.Outcome, res.Steps)
	}
	if got := res.Err(); !strings.Contains(got, "step login: status 401, want 200") {
		t.Errorf("Err = %q", got)
	}
}

func TestSoftAssertionDegrades(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"v":1}`)) }))
	defer srv.Close()
	for _, tc := range []struct {
		name string
		soft bool
		want synthetic.Outcome
	}{{"soft", true, synthetic.Degraded}, {"hard", false, synthetic.Fail}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(t, []synthetic.Check{{Name: "c", Steps: []synthetic.Step{
				{Name: "a", URL: srv.URL, Assert: []synthetic.Assertion{{JSONPath: "v", Value: "2", Soft: tc.soft}}},
				{Name: "b", URL: srv.URL},
			}}})
			res, _ := r.Run(context.Background(), "c")
			if res.Outcome != tc.want {
				t.Fatalf("outcome %v, want %v", res.Outcome, tc.want)
			}
			wantSteps := map[bool]int{true: 2, false: 1}[tc.soft]
			if len(res.Steps) != wantSteps {
				t.Errorf("%d steps ran, want %d", len(res.Steps), wantSteps)
			}
			if !strings.Contains(res.Err(), `JSON v = "1", want "2"`) {
				t.Errorf("Err = %q", res.Err())
			}
		})
	}
}
