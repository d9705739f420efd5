package main

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// clock is the story's virtual clock: the backends advance it by their
// service time instead of sleeping.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// set moves the clock to t if t is later.
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t
	}
	c.mu.Unlock()
}

// fault is what is wrong with a backend: a latency factor and a failure
// every failEvery requests (0: none).
type fault struct {
	slow      float64
	failEvery int
}

// backend is one replica: a real server on 127.0.0.1.
type backend struct {
	addr string
	srv  *http.Server

	mu    sync.Mutex
	fault fault
	n     int
}

func (b *backend) set(f fault) {
	b.mu.Lock()
	b.fault = f
	b.mu.Unlock()
}

// startBackends starts n backends answering in about 10ms of virtual time.
func startBackends(n int, clk *clock) ([]*backend, error) {
	var out []*backend
	for i := range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			stopBackends(out)
			return nil, err
		}
		b := &backend{addr: ln.Addr().String()}
		service := time.Duration(9+i%3) * time.Millisecond
		b.srv = &http.Server{ReadHeaderTimeout: time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			b.mu.Lock()
			f := b.fault
			b.n++
			fail := f.failEvery > 0 && b.n%f.failEvery == 0
			b.mu.Unlock()
			d := service
			if f.slow > 0 {
				d = time.Duration(float64(d) * f.slow)
			}
			clk.advance(d)
			if fail {
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			_, _ = w.Write([]byte("ok"))
		})}
		go func() { _ = b.srv.Serve(ln) }()
		out = append(out, b)
	}
	return out, nil
}

func stopBackends(bs []*backend) {
	for _, b := range bs {
		_ = b.srv.Close()
	}
}
