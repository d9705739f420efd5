package checks

import (
	"context"
	"errors"
	"github.com/nines-sre/nines/internal/owntraffic"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nines-sre/nines/health"
)

func TestTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	refused := &countingDialer{err: errBoom}
	tests := []struct {
		name   string
		addr   string
		dialer Dialer
		want   health.Status
		err    error
	}{
		{"listening", ln.Addr().String(), nil, health.StatusPass, nil},
		{"closed port", closedAddr, nil, health.StatusFail, nil},
		{"dialer error", ln.Addr().String(), refused, health.StatusFail, errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustCheck(t)(TCP(tt.addr, WithDialer(tt.dialer)))
			want(t, f(t.Context()), tt.want, nil, tt.err)
		})
	}
	if refused.calls.Load() != 1 {
		t.Errorf("injected dialer called %d times, want 1", refused.calls.Load())
	}
}

// drainTracker is a RoundTripper that counts the requests going through
// it and whether each response body was read to its end and closed: what
// lets the client's pool reuse the connection.
type drainTracker struct {
	base                    http.RoundTripper
	requests, drained, shut atomic.Int64
}

func (d *drainTracker) RoundTrip(r *http.Request) (*http.Response, error) {
	d.requests.Add(1)
	resp, err := d.base.RoundTrip(r)
	if err == nil {
		resp.Body = &trackedBody{ReadCloser: resp.Body, d: d}
	}
	return resp, err
}

type trackedBody struct {
	io.ReadCloser
	d   *drainTracker
	eof bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.eof {
		b.eof = true
		b.d.drained.Add(1)
	}
	return n, err
}

func (b *trackedBody) Close() error {
	b.d.shut.Add(1)
	return b.ReadCloser.Close()
}

func TestHTTPGet(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			io.WriteString(w, strings.Repeat("x", 10_000))
		case "/redirect":
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(http.StatusFound)
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Start()
	defer srv.Close()
	tracker := &drainTracker{base: http.DefaultTransport.(*http.Transport).Clone()}
	noRedirect := &http.Client{Transport: tracker, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer noRedirect.CloseIdleConnections()

	tests := []struct {
		name string
		path string
		opts []HTTPGetOption
		want health.Status
		code any
		err  error
	}{
		{"200 with body", "/ok", nil, health.StatusPass, 200, nil},
		{"302 in default range", "/redirect", nil, health.StatusPass, 302, nil},
		{"503 fails", "/down", nil, health.StatusFail, 503, ErrUnexpectedStatus},
		{"404 fails by default", "/missing", nil, health.StatusFail, 404, ErrUnexpectedStatus},
		{"404 accepted by range", "/missing", []HTTPGetOption{WithStatusRange(200, 499)}, health.StatusPass, 404, nil},
		{"200 outside 500..599", "/ok", []HTTPGetOption{WithStatusRange(500, 599)}, health.StatusFail, 200, ErrUnexpectedStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustCheck(t)(HTTPGet(noRedirect, srv.URL+tt.path, tt.opts...))
			want(t, f(t.Context()), tt.want, tt.code, tt.err)
		})
	}
	// Every run above went through the caller's client and drained and
	// closed its body, which is what lets the pool reuse one keep-alive
	// connection. (How many connections the server then sees is the
	// transport's business: a request sent before the previous connection
	// is back in the pool dials another, more often on a loaded machine.)
	if n := tracker.requests.Load(); n != int64(len(tests)) {
		t.Errorf("%d requests went through the caller's client over %d runs", n, len(tests))
	}
	if d, c := tracker.drained.Load(), tracker.shut.Load(); d != int64(len(tests)) || c != int64(len(tests)) {
		t.Errorf("over %d runs, %d bodies were read to the end and %d closed; want every one", len(tests), d, c)
	}

	t.Run("cancelled context", func(t *testing.T) {
		f := mustCheck(t)(HTTPGet(noRedirect, srv.URL+"/ok"))
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		want(t, f(ctx), health.StatusFail, nil, context.Canceled)
	})
}

func TestDNS(t *testing.T) {
	tests := []struct {
		name string
		r    Resolver
		want health.Status
		n    any
		err  error
	}{
		{"two addresses", fakeResolver{addrs: []string{"10.0.0.1", "10.0.0.2"}}, health.StatusPass, 2, nil},
		{"no addresses", fakeResolver{}, health.StatusFail, 0, ErrNoAddresses},
		{"lookup error", fakeResolver{err: errBoom}, health.StatusFail, nil, errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustCheck(t)(DNS("db.internal", WithResolver(tt.r)))
			want(t, f(t.Context()), tt.want, tt.n, tt.err)
		})
	}
	// *net.Resolver satisfies Resolver.
	if _, err := DNS("db.internal", WithResolver(&net.Resolver{})); err != nil {
		t.Fatal(err)
	}
}

func TestPing(t *testing.T) {
	p := &fakePinger{}
	f := mustCheck(t)(Ping(p))
	want(t, f(t.Context()), health.StatusPass, nil, nil)
	p.err = errBoom
	want(t, f(t.Context()), health.StatusFail, nil, errBoom)

	var typedNil *fakePinger
	if _, err := Ping(typedNil); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("Ping(typed nil) err = %v, want ErrInvalidConfig", err)
	}
}

// HTTPGet marks its request as nines' own traffic even when called outside
// a registry, so an instrumented client does not count it.
func TestHTTPGetIsOwnTraffic(t *testing.T) {
	var marked atomic.Bool
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		marked.Store(owntraffic.Is(r.Context()))
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})}
	f := mustCheck(t)(HTTPGet(client, "http://dep.internal/healthz"))
	want(t, f(t.Context()), health.StatusPass, 200, nil)
	if !marked.Load() {
		t.Error("HTTPGet's request context is not marked as own traffic")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
