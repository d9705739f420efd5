package availability

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriterStreamsThroughFlusher(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		f, ok := w.(http.Flusher)
		if !ok {
			t.Error("writer is not an http.Flusher")
			return
		}
		fmt.Fprintln(w, "first")
		f.Flush()
		<-release // the client must see "first" before the handler returns
		fmt.Fprintln(w, "second")
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController.Flush: %v", err)
		}
	})
	srv := httptest.NewServer(m.Middleware(mux))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "first\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	close(release)
	rest, _ := io.ReadAll(br)
	if string(rest) != "second\n" {
		t.Fatalf("rest %q", rest)
	}
	srv.Close() // waits for the handler, so the request is recorded
	if e := m.Endpoint(ServerEndpoint, "GET /stream"); e.requests() != 1 || e.bad.Load() != 0 {
		t.Errorf("stream route: %d requests, %d bad; want 1, 0", e.requests(), e.bad.Load())
	}
}

func TestWriterHijacks(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /raw", func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("Hijack through ResponseController: %v", err)
			return
		}
		defer conn.Close()
		_, _ = brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nraw ok")
		_ = brw.Flush()
	})
	mux.HandleFunc("GET /raw2", func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("writer is not an http.Hijacker")
			return
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nraw ok")
		conn.Close()
	})
	// Hijacked connections are not tracked by the server: wait for the
	// middleware itself to return before reading the counts.
	served := make(chan struct{}, 2)
	h := m.Middleware(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		served <- struct{}{}
	}))
	defer srv.Close()
	for _, path := range []string{"/raw", "/raw2"} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		conn.Close()
		if string(body) != "raw ok" {
			t.Errorf("%s: body %q", path, body)
		}
		<-served
	}
	for _, route := range []string{"GET /raw", "GET /raw2"} {
		if e := m.Endpoint(ServerEndpoint, route); e.requests() != 1 || e.bad.Load() != 0 {
			t.Errorf("%s: %d requests, %d bad; want 1, 0", route, e.requests(), e.bad.Load())
		}
	}
}

func TestWriterReadFromAndStatus(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /copy", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints) // informational: not final
		_, _ = io.Copy(w, strings.NewReader("copied"))
	})
	mux.HandleFunc("GET /unavailable", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.WriteHeader(http.StatusOK) // superfluous: the first final status stands
	})
	h := m.Middleware(mux)
	if rec := serve(h, "GET", "/copy"); rec.Body.String() != "copied" {
		t.Errorf("body %q", rec.Body.String())
	}
	serve(h, "GET", "/unavailable")
	if e := m.Endpoint(ServerEndpoint, "GET /copy"); e.bad.Load() != 0 {
		t.Error("copy route counted bad")
	}
	if e := m.Endpoint(ServerEndpoint, "GET /unavailable"); e.bad.Load() != 1 {
		t.Error("503 route not counted bad")
	}
}

// plainWriter hides every optional interface of the writer it wraps, as a
// third-party wrapper without Flush or Unwrap does.
type plainWriter struct{ http.ResponseWriter }

// TestWriterFailedFlushDoesNotFixStatus: a Flush the underlying writer
// cannot do sends nothing, so the status the handler writes next is the
// one recorded.
func TestWriterFailedFlushDoesNotFixStatus(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /flushfail", func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		if err := http.NewResponseController(w).Flush(); err == nil {
			t.Error("flush through a writer that cannot flush: no error")
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	h := m.Middleware(mux)
	rec := httptest.NewRecorder()
	h.ServeHTTP(plainWriter{rec}, httptest.NewRequest("GET", "/flushfail", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("client got %d, want 503", rec.Code)
	}
	if e := m.Endpoint(ServerEndpoint, "GET /flushfail"); e.bad.Load() != 1 {
		t.Errorf("503 after a failed flush counted good (%d bad)", e.bad.Load())
	}
}
