package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// traffic drives synthetic requests at the shop over real HTTP on
// loopback: three product pages for every recommendation request, at a
// fixed rate with a bounded number in flight.
type traffic struct {
	base   string
	rate   int // requests per second
	client *http.Client

	ok, failed, shed, errs atomic.Int64
}

// maxInFlight bounds the load generator so that a slow shop slows the
// load instead of piling up goroutines.
const maxInFlight = 16

func newTraffic(base string, rate int) *traffic {
	return &traffic{
		base:   base,
		rate:   rate,
		client: &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: maxInFlight}},
	}
}

// run sends requests until ctx ends, then waits for those in flight.
func (t *traffic) run(ctx context.Context) {
	tick := time.NewTicker(time.Second / time.Duration(t.rate))
	defer tick.Stop()
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	// Last, close the idle connections, and with them those still being
	// dialled for requests the end cancelled (the transport closes them as
	// they arrive): the shop's server sees them as new connections that
	// never sent a request, which http.Server.Shutdown waits 5 s for before
	// it closes them, as long as the demo's bound on each shutdown step.
	defer t.client.CloseIdleConnections()
	defer wg.Wait()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		select {
		case slots <- struct{}{}:
		default:
			continue // the shop is slower than the offered load; skip a beat
		}
		wg.Go(func() {
			defer func() { <-slots }()
			t.one(ctx, i)
		})
	}
}

func (t *traffic) one(ctx context.Context, i int) {
	path := "/products/" + strconv.Itoa(i%50)
	if i%4 == 3 {
		path = "/recommendations"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.base+path, nil)
	if err != nil {
		t.errs.Add(1)
		return
	}
	if path == "/recommendations" {
		req.Header.Set(priorityHeader, "sheddable")
	}
	resp, err := t.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			t.errs.Add(1)
		}
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	switch {
	case resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests:
		t.ok.Add(1)
	case resp.Header.Get("Retry-After") != "":
		t.shed.Add(1)
	default:
		t.failed.Add(1)
	}
}

// counts is a snapshot of the outcomes so far.
type counts struct{ ok, failed, shed, errs int64 }

func (t *traffic) counts() counts {
	return counts{t.ok.Load(), t.failed.Load(), t.shed.Load(), t.errs.Load()}
}

func (c counts) sub(o counts) counts {
	return counts{c.ok - o.ok, c.failed - o.failed, c.shed - o.shed, c.errs - o.errs}
}

func (c counts) String() string {
	n := c.ok + c.failed + c.shed + c.errs
	if n == 0 {
		return "no requests"
	}
	pct := func(v int64) float64 { return 100 * float64(v) / float64(n) }
	return fmt.Sprintf("%4d requests: %5.1f%% ok  %5.1f%% 5xx  %5.1f%% shed  %5.1f%% transport errors",
		n, pct(c.ok), pct(c.failed), pct(c.shed), pct(c.errs))
}
