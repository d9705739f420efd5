package health

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// serve runs one GET through h and returns the status code and body.
func serve(h http.Handler, target, accept string) (int, string) {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

var allowAll = WithDetailsAuthorizer(func(*http.Request) bool { return true })

// fixture registers four checks with known results, run once at the
// bubble's fixed start time.
func fixture(t *testing.T) *Registry {
	t.Helper()
	r := newTestRegistry(t)
	mustRegister(t, r, Check{Name: "db", Groups: Readiness | Startup, External: true, Func: func(context.Context) Result {
		return Result{Status: StatusPass, ObservedValue: 12, ObservedUnit: "ms", Measurement: "responseTime"}
	}})
	mustRegister(t, r, Check{Name: "disk", Groups: Readiness | Liveness, Func: func(context.Context) Result {
		return Result{Status: StatusWarn, ObservedValue: 0.91, ObservedUnit: "percent", Measurement: "utilization", Err: errors.New("disk 91% full")}
	}})
	mustRegister(t, r, Check{Name: "cache", NonCritical: true, Func: func(context.Context) Result { return Fail(errors.New("dial tcp 10.0.0.7:6379: connection refused")) }})
	mustRegister(t, r, Check{Name: "queue", Groups: Readiness, Func: func(context.Context) Result {
		return Fail(errors.New("broker password expired"))
	}})
	if err := r.RunChecks(t.Context()); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHandlerJSONGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := fixture(t)
		defer mustShutdown(t, r)
		const accept = "text/plain;q=0.5, application/health+json"

		code, body := serve(r.Handler(Readiness, allowAll), "/readyz", accept)
		want := `{"status":"fail","output":"readyz check failed","checks":{` +
			`"cache":[{"status":"fail","time":"2000-01-01T00:00:00Z","output":"dial tcp 10.0.0.7:6379: connection refused"}],` +
			`"db:responseTime":[{"status":"pass","observedValue":12,"observedUnit":"ms","time":"2000-01-01T00:00:00Z"}],` +
			`"disk:utilization":[{"status":"warn","observedValue":0.91,"observedUnit":"percent","time":"2000-01-01T00:00:00Z","output":"disk 91% full"}],` +
			`"queue":[{"status":"fail","time":"2000-01-01T00:00:00Z","output":"broker password expired"}]}}` + "\n"
		if code != 503 || body != want {
			t.Errorf("authorised JSON = %d\n%s\nwant 503\n%s", code, body, want)
		}

		code, body = serve(r.Handler(Readiness), "/readyz", accept)
		want = strings.NewReplacer(
			"dial tcp 10.0.0.7:6379: connection refused", reasonWithheld,
			"disk 91% full", reasonWithheld,
			"broker password expired", reasonWithheld,
			`"observedValue":12,"observedUnit":"ms",`, "",
			`"observedValue":0.91,"observedUnit":"percent",`, "").Replace(want)
		if code != 503 || body != want {
			t.Errorf("default JSON = %d\n%s\nwant 503\n%s", code, body, want)
		}

		code, body = serve(r.Handler(Liveness), "/livez", "application/json")
		want = `{"status":"warn","output":"livez check passed with warnings","checks":{` +
			`"disk:utilization":[{"status":"warn","time":"2000-01-01T00:00:00Z","output":"reason withheld"}]}}` + "\n"
		if code != 200 || body != want {
			t.Errorf("liveness JSON = %d\n%s\nwant 200\n%s", code, body, want)
		}

		code, body = serve(r.Handler(Readiness, allowAll), "/readyz/db", "application/health+json")
		want = `{"status":"pass","checks":{"db:responseTime":[{"status":"pass","observedValue":12,"observedUnit":"ms","time":"2000-01-01T00:00:00Z"}]}}` + "\n"
		if code != 200 || body != want {
			t.Errorf("per-check JSON = %d\n%s\nwant 200\n%s", code, body, want)
		}
	})
}

func TestHandlerText(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := fixture(t)
		defer mustShutdown(t, r)
		ready, live := r.Handler(Readiness), r.Handler(Liveness, allowAll)
		for _, tc := range []struct {
			name   string
			h      http.Handler
			target string
			code   int
			body   string
		}{
			{"failing aggregate lists checks, reasons withheld", ready, "/readyz", 503,
				"[+]cache failed (non-critical): reason withheld\n[+]db ok\n[+]disk warn: reason withheld\n[-]queue failed: reason withheld\nreadyz check failed\n"},
			{"exclude the failing check", ready, "/readyz?exclude=queue", 200,
				"[+]cache failed (non-critical): reason withheld\n[+]db ok\n[+]disk warn: reason withheld\n[+]queue excluded: ok\nreadyz check passed\n"},
			{"exclude repeated and comma-separated", ready, "/readyz?exclude=queue&exclude=cache,disk&exclude=nope", 200,
				"[+]cache excluded: ok\n[+]db ok\n[+]disk excluded: ok\n[+]queue excluded: ok\nwarn: some health checks cannot be excluded: no matches for \"nope\"\nreadyz check passed\n"},
			{"unmatched names echoed only when they could be check names", ready, "/readyz?exclude=queue,nope,n2&exclude=%3Cb%3E", 200,
				"[+]cache failed (non-critical): reason withheld\n[+]db ok\n[+]disk warn: reason withheld\n[+]queue excluded: ok\nwarn: some health checks cannot be excluded: no matches for \"nope\",\"n2\" and 1 malformed name(s)\nreadyz check passed\n"},
			{"only malformed unmatched names", ready, "/readyz?exclude=queue,a%0Ab", 200,
				"[+]cache failed (non-critical): reason withheld\n[+]db ok\n[+]disk warn: reason withheld\n[+]queue excluded: ok\nwarn: some health checks cannot be excluded: no matches for 1 malformed name(s)\nreadyz check passed\n"},
			{"warning liveness is ok", live, "/livez", 200, "ok\n"},
			{"verbose liveness shows the authorised reason", live, "/livez?verbose", 200,
				"[+]disk warn: disk 91% full\nlivez check passed\n"},
			{"verbose with a value", live, "/livez?verbose=1", 200,
				"[+]disk warn: disk 91% full\nlivez check passed\n"},
			{"per-check pass", ready, "/readyz/db", 200, "ok\n"},
			{"per-check fail withheld", ready, "/readyz/queue", 503, "failed: reason withheld\n"},
			{"per-check trailing slash", ready, "/readyz/db/", 200, "ok\n"},
			{"per-check outside the group", live, "/livez/db", 404, "health: no such check in this group\n"},
			{"per-check unknown name", ready, "/readyz/nope", 404, "health: no such check in this group\n"},
			{"nested path", ready, "/readyz/db/x", 404, "health: no such check in this group\n"},
			{"other mount point gets the aggregate", live, "/healthz", 200, "ok\n"},
			{"malformed query is ignored", live, "/livez?%zz&verbose", 200,
				"[+]disk warn: disk 91% full\nlivez check passed\n"},
		} {
			code, body := serve(tc.h, tc.target, "")
			if code != tc.code || body != tc.body {
				t.Errorf("%s: GET %s = %d\n%s\nwant %d\n%s", tc.name, tc.target, code, body, tc.code, tc.body)
			}
		}
	})
}

func TestHandlerDrainingAndUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		mustRegister(t, r, Check{Name: "db", Func: scripted(StatusPass).run})
		h := r.Handler(Readiness)
		if code, body := serve(h, "/readyz", ""); code != 503 || body != "[-]db unknown: no result yet\nreadyz check failed\n" {
			t.Errorf("before the first result: %d %q", code, body)
		}
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		if code, body := serve(h, "/readyz", ""); code != 200 || body != "ok\n" {
			t.Errorf("after the first result: %d %q", code, body)
		}
		r.Drain()
		if code, body := serve(h, "/readyz", ""); code != 503 || body != "[+]db ok\n[-]draining failed: readiness withdrawn\nreadyz check failed\n" {
			t.Errorf("draining: %d %q", code, body)
		}
		if code, body := serve(h, "/readyz", "application/health+json"); code != 503 ||
			body != `{"status":"fail","output":"draining: readiness withdrawn","checks":{"db":[{"status":"pass","time":"2000-01-01T00:00:00Z"}]}}`+"\n" {
			t.Errorf("draining JSON: %d %q", code, body)
		}
		mustShutdown(t, r)
		time.Sleep(time.Hour)
		if code, body := serve(h, "/readyz/db", ""); code != 503 || body != "unknown: last result is stale\n" {
			t.Errorf("stale per-check: %d %q", code, body)
		}
	})
}

func TestHandlerMethodAndHeaders(t *testing.T) {
	r := newTestRegistry(t)
	defer mustShutdown(t, r)
	h := r.Handler(Liveness)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/livez", nil))
	if rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST = %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/livez", nil))
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("HEAD = %d, headers %v", rec.Code, rec.Header())
	}
	if code, _ := serve(r.Handler(Liveness|Readiness), "/", ""); code != 404 {
		t.Errorf("handler of a group set = %d, want 404", code)
	}
}

func TestHandlerPathValueAndBasePath(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := fixture(t)
		defer mustShutdown(t, r)
		mux := http.NewServeMux()
		mux.Handle("GET /health/ready/{check}", r.Handler(Readiness))
		mux.Handle("GET /probes/ready/", r.Handler(Readiness, WithBasePath("/probes/ready/")))
		for target, want := range map[string]string{
			"/health/ready/queue": "failed: reason withheld\n",
			"/probes/ready/db":    "ok\n",
		} {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
			if rec.Body.String() != want {
				t.Errorf("GET %s = %q, want %q", target, rec.Body.String(), want)
			}
		}
	})
}

func TestAuthorizerCalledOnlyWhenNeeded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := fixture(t)
		defer mustShutdown(t, r)
		var calls int
		h := r.Handler(Readiness, WithDetailsAuthorizer(func(req *http.Request) bool {
			calls++
			return req.Header.Get("X-Admin") == "yes"
		}))
		serve(r.Handler(Startup), "/startupz", "")
		serve(h, "/readyz/db", "")
		if calls != 0 {
			t.Fatalf("authorizer called %d times for passing reports", calls)
		}
		req := httptest.NewRequest(http.MethodGet, "/readyz", nil)
		req.Header.Set("X-Admin", "yes")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if calls != 1 || !strings.Contains(rec.Body.String(), "broker password expired") {
			t.Fatalf("authorised request: %d calls, body %q", calls, rec.Body.String())
		}
	})
}

func TestNegotiate(t *testing.T) {
	for accept, want := range map[string]format{
		"":                                         formatText,
		"*/*":                                      formatText,
		"application/health+json":                  formatJSON,
		"application/json":                         formatJSON,
		"APPLICATION/JSON":                         formatJSON,
		"text/plain, application/json":             formatText,
		"text/plain;q=0.9, application/json":       formatJSON,
		"application/json;q=0, text/plain":         formatText,
		"application/*":                            formatJSON,
		"text/*;q=1, application/json;q=1":         formatJSON,
		"*/*, application/json;q=0.1":              formatText,
		"image/png":                                formatText,
		"application/json;q=abc":                   formatText,
		"application/json;q=0.001":                 formatJSON,
		"text/html, application/health+json;q=0.5": formatJSON,
	} {
		if got := negotiate(accept); got != want {
			t.Errorf("negotiate(%q) = %v, want %v", accept, got, want)
		}
	}
}

// nullWriter is a reusable ResponseWriter for allocation tests.
type nullWriter struct {
	h    http.Header
	code int
}

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nullWriter) WriteHeader(code int)        { w.code = code }

func TestProbeDoesNotAllocate(t *testing.T) {
	r := newTestRegistry(t)
	defer mustShutdown(t, r)
	for _, name := range []string{"a", "b", "c", "d"} {
		mustRegister(t, r, Check{Name: name, Func: scripted(StatusPass).run, Groups: Readiness | Liveness})
	}
	if err := r.RunChecks(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := r.Handler(Readiness)
	req := httptest.NewRequest(http.MethodGet, "/readyz", nil)
	req.Header.Set("Accept", "text/plain, */*;q=0.8")
	w := &nullWriter{h: http.Header{}}
	allocs := testing.AllocsPerRun(1000, func() {
		clear(w.h)
		h.ServeHTTP(w, req)
	})
	if w.code != 200 {
		t.Fatalf("probe answered %d", w.code)
	}
	if allocs != 0 {
		t.Fatalf("probe allocates %v times per request, want 0", allocs)
	}
}

// 1000 concurrent probe requests over real HTTP cause zero check runs.
func TestConcurrentProbesRunNoChecks(t *testing.T) {
	r := NewRegistry(WithJitter(0), WithDrainDelay(0))
	var calls atomic.Int64
	for _, name := range []string{"db", "cache", "proc"} {
		mustRegister(t, r, Check{Name: name, Interval: time.Hour, InitialDelay: time.Hour, Groups: Liveness | Readiness, Func: func(context.Context) Result {
			calls.Add(1)
			return Pass()
		}})
	}
	if err := r.RunChecks(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Running, as in production: the schedules wait an hour, so any
	// execution during the probes would come from the probes themselves.
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/readyz", r.Handler(Readiness))
	mux.Handle("/readyz/", r.Handler(Readiness))
	mux.Handle("/livez", r.Handler(Liveness))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 32, MaxIdleConnsPerHost: 32}}
	defer client.CloseIdleConnections()

	before := calls.Load()
	targets := []string{"/readyz", "/livez?verbose", "/readyz/db", "/readyz?exclude=cache"}
	var wg sync.WaitGroup
	var bad atomic.Int64
	for i := range 1000 {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+targets[i%len(targets)], nil)
			if i%2 == 0 {
				req.Header.Set("Accept", "application/health+json")
			}
			resp, err := client.Do(req)
			if err != nil {
				bad.Add(1)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				bad.Add(1)
			}
		})
	}
	wg.Wait()
	if n := bad.Load(); n != 0 {
		t.Fatalf("%d of 1000 probes failed", n)
	}
	if n := calls.Load() - before; n != 0 {
		t.Fatalf("1000 probes caused %d check executions, want 0", n)
	}
	mustShutdown(t, r)
}

func TestTextReasonStaysOnOneLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		mustRegister(t, r, Check{Name: "multi", Func: func(context.Context) Result {
			return Fail(errors.New("line one\nline two\r\n[+]fake ok"))
		}})
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		h := r.Handler(Readiness, allowAll, WithBasePath("readyz/"))
		if _, body := serve(h, "/readyz", ""); body != "[-]multi failed: line one line two  [+]fake ok\nreadyz check failed\n" {
			t.Errorf("aggregate body %q", body)
		}
		if _, body := serve(h, "/readyz/multi", ""); body != "failed: line one line two  [+]fake ok\n" {
			t.Errorf("per-check body %q", body)
		}
	})
}

// A result without a Measurement (a timeout, a panic) keeps the check's
// "name:measurement" key, so JSON consumers do not lose the series.
func TestJSONKeyOutlivesMeasurementlessResult(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		var n atomic.Int64
		mustRegister(t, r, Check{Name: "disk", Func: func(context.Context) Result {
			if n.Add(1) == 1 {
				return Result{Status: StatusPass, ObservedValue: 0.5, ObservedUnit: "percent", Measurement: "utilization"}
			}
			panic("statfs broke")
		}})
		h := r.Handler(Readiness, allowAll)
		want := []string{
			`{"status":"pass","checks":{"disk:utilization":[{"status":"pass","observedValue":0.5,"observedUnit":"percent","time":"2000-01-01T00:00:00Z"}]}}` + "\n",
			`{"status":"fail","output":"readyz check failed","checks":{"disk:utilization":[{"status":"fail","time":"2000-01-01T00:00:00Z","output":"health: check panicked: \"disk\": statfs broke"}]}}` + "\n",
		}
		for i, w := range want {
			if err := r.RunChecks(t.Context()); err != nil {
				t.Fatal(err)
			}
			if _, body := serve(h, "/readyz", "application/health+json"); body != w {
				t.Errorf("run %d: JSON\n%s\nwant\n%s", i+1, body, w)
			}
		}
		mustShutdown(t, r)
	})
}

// A failing aggregate allocates its report, its check list and its body,
// not one allocation per check.
func TestFailingProbeAllocationsDoNotGrowWithChecks(t *testing.T) {
	r := newTestRegistry(t)
	defer mustShutdown(t, r)
	for i := range 20 {
		st := StatusPass
		if i == 0 {
			st = StatusFail
		}
		mustRegister(t, r, Check{Name: "c" + strconv.Itoa(i), Func: scripted(st).run})
	}
	if err := r.RunChecks(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := r.Handler(Readiness)
	req := httptest.NewRequest(http.MethodGet, "/readyz", nil)
	w := &nullWriter{h: http.Header{}}
	allocs := testing.AllocsPerRun(200, func() {
		clear(w.h)
		h.ServeHTTP(w, req)
	})
	if w.code != 503 {
		t.Fatalf("probe answered %d", w.code)
	}
	if allocs > 3 {
		t.Fatalf("failing probe allocates %v times per request, want at most 3", allocs)
	}
}
