package synthetic_test

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/synthetic"
)

// hungTransport never answers and ignores the request's context: the
// worst target, which only the runner's own timeout can bound.
type hungTransport struct {
	release chan struct{}
	calls   chan struct{}
}

func (h hungTransport) RoundTrip(*http.Request) (*http.Response, error) {
	h.calls <- struct{}{}
	<-h.release
	return nil, io.ErrUnexpectedEOF
}

func TestHungTargetHoldsOneGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := hungTransport{release: make(chan struct{}), calls: make(chan struct{}, 10)}
		r := newRunner(t, []synthetic.Check{{Name: "c", Interval: 10 * time.Second, Timeout: 2 * time.Second,
			Steps: []synthetic.Step{{Name: "s", URL: "http://hung.invalid/"}}}}, synthetic.WithTransport(h))
		start := time.Now()
		res, err := r.Run(t.Context(), "c")
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != synthetic.Timeout || time.Since(start) != 2*time.Second || !strings.Contains(res.Failure, "Timeout (2s)") {
			t.Fatalf("outcome %v after %v: %q", res.Outcome, time.Since(start), res.Failure)
		}
		// The first run's goroutine is still stuck: the second run does
		// not start another one.
		res, _ = r.Run(t.Context(), "c")
		if res.Outcome != synthetic.Timeout || !strings.Contains(res.Failure, "still waiting") {
			t.Fatalf("second run: %v %q", res.Outcome, res.Failure)
		}
		if len(h.calls) != 1 {
			t.Errorf("%d requests reached the hung target, want 1", len(h.calls))
		}
		close(h.release)
		synctest.Wait()
		<-h.calls
		res, _ = r.Run(t.Context(), "c") // the slot is free again
		if len(h.calls) != 1 || res.Outcome != synthetic.Fail {
			t.Errorf("after release: %d calls, outcome %v", len(h.calls), res.Outcome)
		}
	})
}

func TestRunHonoursCallerContext(t *testing.T) {
	r := newRunner(t, []synthetic.Check{{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://h.invalid/"}}}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Run(ctx, "c"); err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled unchanged", err)
	}
	if _, err := r.Run(context.Background(), "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown check: %v", err)
	}
}

// endless is a body that never ends: a 100 MB (or larger) response.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

type bodyTransport struct{ body io.Reader }

func (b bodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(b.body), Request: req}, nil
}

func TestHugeBodyIsBounded(t *testing.T) {
	r := newRunner(t, []synthetic.Check{{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://big.invalid/"}}}},
		synthetic.WithTransport(bodyTransport{io.LimitReader(endless{}, 100<<20)}), synthetic.WithMaxBodyBytes(64<<10))
	res, _ := r.Run(context.Background(), "c")
	if res.Outcome != synthetic.Fail || !strings.Contains(res.Err(), "body exceeds 65536 bytes") {
		t.Fatalf("outcome %v: %q", res.Outcome, res.Err())
	}
}

func TestRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) })
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("new")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	r := newRunner(t, []synthetic.Check{
		{Name: "loop", Steps: []synthetic.Step{{Name: "s", URL: srv.URL + "/loop"}}},
		{Name: "follow", Steps: []synthetic.Step{{Name: "s", URL: srv.URL + "/old", Assert: []synthetic.Assertion{{Status: 200}, {BodyContains: "new"}}}}},
		{Name: "nofollow", Steps: []synthetic.Step{{Name: "s", URL: srv.URL + "/old", NoFollowRedirects: true,
			Assert: []synthetic.Assertion{{Status: 301}, {Header: "Location", Value: "/new"}}}}},
	})
	res, _ := r.Run(context.Background(), "loop")
	if res.Outcome != synthetic.Fail || !strings.Contains(res.Err(), "stopped after 10 redirects") {
		t.Errorf("loop: %v %q", res.Outcome, res.Err())
	}
	for _, name := range []string{"follow", "nofollow"} {
		if res, _ := r.Run(context.Background(), name); res.Outcome != synthetic.Pass {
			t.Errorf("%s: %v %q", name, res.Outcome, res.Err())
		}
	}
}

func TestUnreachableAndTLSErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	r := newRunner(t, []synthetic.Check{
		{Name: "closed", Steps: []synthetic.Step{{Name: "s", URL: closed}}},
		{Name: "untrusted", Steps: []synthetic.Step{{Name: "s", URL: tlsSrv.URL}}},
	}, synthetic.WithTransport(&http.Transport{}))
	for name, want := range map[string]string{"closed": "connection refused", "untrusted": "certificate"} {
		res, _ := r.Run(context.Background(), name)
		if res.Outcome != synthetic.Fail || !strings.Contains(res.Err(), want) {
			t.Errorf("%s: %v %q, want %q", name, res.Outcome, res.Err(), want)
		}
	}
}

func TestTLSPhases(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	r := newRunner(t, []synthetic.Check{{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: srv.URL}}}}, synthetic.WithTransport(srv.Client().Transport))
	res, _ := r.Run(context.Background(), "c")
	p := res.Steps[0].Phases
	if res.Outcome != synthetic.Pass || p.Connect <= 0 || p.TLS <= 0 || p.Processing <= 0 || p.Resolve != 0 {
		t.Fatalf("outcome %v phases %+v (an IP address has no resolve phase)", res.Outcome, p)
	}
	if sum := p.Connect + p.TLS + p.Processing + p.Transfer; sum > res.Steps[0].Duration {
		t.Errorf("phases sum %v exceed the step's %v", sum, res.Steps[0].Duration)
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403) }))
	defer srv.Close()
	t.Setenv("SYNTH_PW", "hunter2")
	file := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(file, []byte("k3y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, []synthetic.Check{
		{Name: "c", Vars: map[string]string{"pw": "env:SYNTH_PW", "key": "file:" + file}, Steps: []synthetic.Step{
			{Name: "s", URL: srv.URL + "/?pw=${pw}&key=${key}", Assert: []synthetic.Assertion{{Status: 200}}}}},
		{Name: "missing", Vars: map[string]string{"pw": "env:SYNTH_NOT_SET_ANYWHERE"}, Steps: []synthetic.Step{{Name: "s", URL: srv.URL}}},
		{Name: "badurl", Vars: map[string]string{"pw": "env:SYNTH_PW"}, Steps: []synthetic.Step{{Name: "s", URL: "http://[${pw}/"}}},
	})
	res, _ := r.Run(context.Background(), "c")
	if res.Outcome != synthetic.Fail || res.Err() != "step s: status 403, want 200" {
		t.Errorf("c: %v %q", res.Outcome, res.Err())
	}
	res, _ = r.Run(context.Background(), "missing")
	if res.Outcome != synthetic.Fail || !strings.Contains(res.Err(), "SYNTH_NOT_SET_ANYWHERE is not set") {
		t.Errorf("missing env: %v %q", res.Outcome, res.Err())
	}
	res, _ = r.Run(context.Background(), "badurl")
	if res.Outcome != synthetic.Fail || strings.Contains(res.Err(), "hunter2") || !strings.Contains(res.Err(), "***") {
		t.Errorf("bad URL error shows the secret or no mark: %q", res.Err())
	}
}

// A run that has returned has freed its check: the next one starts at once
// and never reads as stuck behind it.
func TestBackToBackRuns(t *testing.T) {
	r := newRunner(t, []synthetic.Check{{Name: "c", Steps: []synthetic.Step{{Name: "s", URL: "http://t.invalid/"}}}},
		synthetic.WithTransport(&slowTransport{status: 200}))
	for i := range 500 {
		if res, _ := r.Run(context.Background(), "c"); res.Outcome != synthetic.Pass {
			t.Fatalf("run %d: %v %q", i, res.Outcome, res.Err())
		}
	}
}
