package synthetic

import (
	"context"
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// tracer records the instants of one HTTP exchange (one hop of a
// redirect chain at a time) and folds each hop into Phases the way
// blackbox_exporter's prober/http.go does (measured against it by
// examples/internal/bbcompare):
//
//   - resolve runs from DNSStart to DNSDone, not from GetConn: the
//     transport starts the lookup on a new dialing goroutine, and the wait
//     for that goroutine is no lookup;
//   - transfer is counted for the final response only: a redirect's body
//     (which the client reads before following it) is in no phase, as
//     blackbox_exporter sets its end instant once, after the last body.
//
// The httptrace hooks may run on the transport's goroutines, hence the
// mutex.
type tracer struct {
	mu  sync.Mutex
	now func() time.Time

	start, dnsStart, dnsDone, connectStart, connectDone, tlsStart, tlsDone, gotConn, firstByte time.Time
	phases                                                                                     Phases
}

func (t *tracer) trace(ctx context.Context) context.Context {
	set := func(p *time.Time) func() {
		return func() {
			t.mu.Lock()
			*p = t.now()
			t.mu.Unlock()
		}
	}
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:              func(string) { t.hop() },
		DNSStart:             func(httptrace.DNSStartInfo) { set(&t.dnsStart)() },
		DNSDone:              func(httptrace.DNSDoneInfo) { set(&t.dnsDone)() },
		ConnectStart:         func(string, string) { set(&t.connectStart)() },
		ConnectDone:          func(string, string, error) { set(&t.connectDone)() },
		TLSHandshakeStart:    set(&t.tlsStart),
		TLSHandshakeDone:     func(tls.ConnectionState, error) { set(&t.tlsDone)() },
		GotConn:              func(httptrace.GotConnInfo) { set(&t.gotConn)() },
		GotFirstResponseByte: set(&t.firstByte),
	})
}

// hop starts a new exchange: the previous one (a redirect) is folded in
// without a transfer phase.
func (t *tracer) hop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.foldLocked(time.Time{})
	t.start = t.now()
}

// end folds the last exchange, its body read completely (or the request
// abandoned) at now.
func (t *tracer) end(now time.Time) Phases {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.foldLocked(now)
	return t.phases
}

func (t *tracer) foldLocked(end time.Time) {
	if t.start.IsZero() {
		return
	}
	since := func(a, b time.Time) time.Duration {
		if a.IsZero() || b.IsZero() || b.Before(a) {
			return 0
		}
		return b.Sub(a)
	}
	var p Phases
	p.Resolve = since(t.dnsStart, t.dnsDone)
	p.Connect = since(t.connectStart, t.connectDone)
	p.TLS = since(t.tlsStart, t.tlsDone)
	p.Processing = since(t.gotConn, t.firstByte)
	p.Transfer = since(t.firstByte, end)
	t.phases.add(p)
	t.start, t.dnsStart, t.dnsDone, t.connectStart, t.connectDone, t.tlsStart, t.tlsDone, t.gotConn, t.firstByte = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
}
