package availability

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/admit"
)

// get fetches path from h with the headers given as "Name: value" pairs,
// from remote (an address:port).
func get(t *testing.T, h http.Handler, remote, path string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = remote
	for _, hv := range headers {
		k, v, _ := strings.Cut(hv, ": ")
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

const browserAccept = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func TestStatuszNegotiation(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	h := m.Handler()
	for _, c := range []struct {
		path, accept, want string
	}{
		{"/statusz", browserAccept, "text/html; charset=utf-8"},
		{"/statusz", "", "application/json"},
		{"/statusz", "Accept: */*", "application/json"},
		{"/statusz", "Accept: application/json", "application/json"},
		{"/statusz", "Accept: application/json, text/html;q=0.5", "application/json"},
		{"/statusz?format=json", browserAccept, "application/json"},
		{"/statusz?format=html", "Accept: application/json", "text/html; charset=utf-8"},
	} {
		var hs []string
		if c.accept != "" {
			hs = append(hs, c.accept)
		}
		rec := get(t, h, "127.0.0.1:5000", c.path, hs...)
		if ct := rec.Header().Get("Content-Type"); rec.Code != 200 || ct != c.want {
			t.Errorf("GET %s %q: %d %q, want 200 %q", c.path, c.accept, rec.Code, ct, c.want)
		}
	}
}

// The page shows the scenario's story, top to bottom: the state and why,
// the firing page alert, the open breaker, the failing check, the flagged
// series and the active action.
func TestStatusPageContent(t *testing.T) {
	m, _ := scenario(t)
	rec := get(t, m.Handler(), "[::1]:5000", "/statusz", browserAccept)
	body := rec.Body.String()
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	containsInOrder(t, body,
		`<h1 class="banner failing">Failing</h1>`,
		"page alert client:payments.internal:availability",
		"breaker client:payments.internal open",
		`id="slos"`, `class="card slo firing"`, "<b>99%</b>", `<polyline class="budget"`, `<polyline class="burn5m"`,
		`id="dependencies"`, `breaker-open`, `<rect class="open"`,
		`id="health"`, "<td>db</td>",
		`id="anomalies"`, "<circle",
		`id="remediation"`, `<tr class="action"><td>notify (dry run)</td>`, `<tr class="decision">`,
		`id="endpoints"`,
	)
	if !strings.Contains(body, "<h3>route:GET:fail:error_ratio</h3>") {
		t.Error("page lacks the flagged error ratio series")
	}
	for _, bad := range []string{"<script", "http://", "https://", "NaN", "Inf", "Reasons are withheld"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if dir := os.Getenv("NINES_STATUSPAGE_OUT"); dir != "" {
		_ = os.WriteFile(dir+"/statusz.html", rec.Body.Bytes(), 0o644)
	}
}

// Names reach the page escaped: a check named like markup is text.
func TestStatusPageEscapes(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	m.Endpoint(ServerEndpoint, "GET /<script>alert(1)</script>")
	body := get(t, m.Handler(), "127.0.0.1:1", "/statusz", browserAccept).Body.String()
	if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("markup in a name is not escaped")
	}
}

func TestStatuszAuthorizer(t *testing.T) {
	m, _ := scenario(t)
	for _, c := range []struct {
		name    string
		opts    []HandlerOption
		remote  string
		code    int
		reasons bool // on /readyz
	}{
		{"loopback v4", nil, "127.0.0.1:1234", 200, true},
		{"loopback v6", nil, "[::1]:1234", 200, true},
		{"remote refused", nil, "203.0.113.9:1234", 403, false},
		{"not an address", nil, "@", 403, false},
		{"allowed without details", []HandlerOption{WithAuthorizer(func(*http.Request) (bool, bool) { return true, false })},
			"203.0.113.9:1234", 200, false},
		{"nil keeps the default", []HandlerOption{WithAuthorizer(nil)}, "203.0.113.9:1234", 403, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := m.Handler(c.opts...)
			rec := get(t, h, c.remote, "/statusz?format=json")
			if rec.Code != c.code {
				t.Fatalf("code %d, want %d", rec.Code, c.code)
			}
			ready := get(t, h, c.remote, "/readyz?verbose")
			if got := !strings.Contains(ready.Body.String(), "reason withheld"); got != c.reasons {
				t.Errorf("/readyz shows reasons %v, want %v:\n%s", got, c.reasons, ready.Body.String())
			}
		})
	}
}

func TestWithholdReasons(t *testing.T) {
	st := Statusz{Remediation: []RemediationStatus{{Reason: "dial db.internal:5432: refused"}, {}}}
	st.withholdReasons()
	if st.Remediation[0].Reason != reasonWithheld || st.Remediation[1].Reason != "" {
		t.Errorf("reasons %q, %q: want the first withheld and the empty one left empty",
			st.Remediation[0].Reason, st.Remediation[1].Reason)
	}
}

// A service with 20 routes, each with traffic, its objectives' history
// full and an anomaly, and every optional section at its bound (synthetic
// checks with 10 runs of 5 steps, a miner with more templates than the
// top list and 16 new ones, peer groups of 200 replicas), keeps the page
// under 200 KB.
func TestStatusPageWeight(t *testing.T) {
	fx := weightSections(t)
	m, _, clk := newTestMonitor(t, append(fx.opts, WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: time.Second}))...)
	fx.fill(t, m, clk)
	var eps []*Endpoint
	for i := range 20 {
		eps = append(eps, m.Endpoint(ServerEndpoint, fmt.Sprintf("GET /api/v1/resource%02d/{id}", i)))
	}
	for i, e := range eps {
		c, _ := e.AdmitAt(clk.Now(), admit.Normal)
		c.DoneAt(clk.Now(), i%3 == 0)
	}
	m.TickAt(clk.Add(time.Minute))
	// A day of history, every series full, in the samples' widest form.
	t0 := clk.Now().Add(-24 * time.Hour)
	for _, o := range m.Objectives() {
		sh := &sloHistory{budget: newHistSeries(time.Second, 30*24*time.Hour), burn: newHistSeries(time.Second, 24*time.Hour)}
		m.hist.slos[o.Name] = sh
		for i := range historyPoints {
			at := t0.Add(time.Duration(i) * 12 * time.Minute)
			sh.budget.add(at, 1-float64(i)/1000, 0)
			sh.burn.add(at, float64(i%17)*1.37, float64(i%5)*2.11)
		}
	}
	for i := range maxRecentAnomalies {
		m.anomalies.add(AnomalyStatus{Time: clk.Now(), Series: eps[i%len(eps)].seriesErr, Detector: "d", Value: 0.5})
	}
	rec := get(t, m.Handler(), "127.0.0.1:1", "/statusz", browserAccept)
	size := rec.Body.Len()
	if dir := os.Getenv("NINES_STATUSPAGE_OUT"); dir != "" {
		_ = os.WriteFile(dir+"/statusz-20-routes.html", rec.Body.Bytes(), 0o644)
	}
	t.Logf("status page for 20 routes: %d bytes", size)
	if size > 200<<10 || size < 20<<10 {
		t.Errorf("page weighs %d bytes, want between 20 KB (the content) and 200 KB", size)
	}
	if n := strings.Count(rec.Body.String(), "<polyline"); n < 40*3 {
		t.Errorf("%d polylines, want 3 per objective", n)
	}
	for what, want := range map[string]int{`<tr class="run">`: 3 * 10, `<tr class="step">`: 3 * 5,
		`<tr class="template">`: maxTopTemplates, `<tr class="new-template">`: historyChanges,
		`<tr class="replica `: 3 * pageMaxReplicas} {
		if n := strings.Count(rec.Body.String(), what); n != want {
			t.Errorf("%d %s, want %d: the fixture does not fill the sections", n, what, want)
		}
	}
}
