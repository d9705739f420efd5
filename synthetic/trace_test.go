package synthetic

import (
	"context"
	"crypto/tls"
	"net/http/httptrace"
	"testing"
	"time"
)

// hooks drives a tracer's httptrace hooks as the transport would, each at
// a chosen instant of a fake clock (milliseconds after base).
type hooks struct {
	t    *tracer
	ct   *httptrace.ClientTrace
	base time.Time
	at   time.Duration
}

func newHooks() *hooks {
	h := &hooks{base: time.Unix(1_700_000_000, 0)}
	h.t = &tracer{now: func() time.Time { return h.base.Add(h.at) }}
	h.ct = httptrace.ContextClientTrace(h.t.trace(context.Background()))
	return h
}

func (h *hooks) call(ms int, hook func()) {
	h.at = time.Duration(ms) * time.Millisecond
	hook()
}

// hop plays one exchange on a new connection to an IP address (no DNS)
// starting at ms: connect 2ms, TLS (when tlsMS > 0), then processing.
func (h *hooks) hop(ms, tlsMS, processingMS int) (firstByte int) {
	h.call(ms, func() { h.ct.GetConn("127.0.0.1:1") })
	h.call(ms+1, func() { h.ct.ConnectStart("tcp", "127.0.0.1:1") })
	h.call(ms+3, func() { h.ct.ConnectDone("tcp", "127.0.0.1:1", nil) })
	ms += 3
	if tlsMS > 0 {
		h.call(ms, h.ct.TLSHandshakeStart)
		h.call(ms+tlsMS, func() { h.ct.TLSHandshakeDone(tls.ConnectionState{}, nil) })
		ms += tlsMS
	}
	h.call(ms, func() { h.ct.GotConn(httptrace.GotConnInfo{}) })
	h.call(ms+processingMS, h.ct.GotFirstResponseByte)
	return ms + processingMS
}

func (h *hooks) end(ms int) Phases { return h.t.end(h.base.Add(time.Duration(ms) * time.Millisecond)) }

// A redirect's body is in no phase, as in blackbox_exporter: its end
// instant is set once, after the final body. The client reads a 302's body
// before it follows it, so a tracer that ended the first hop at the next
// GetConn counted that read (here 100ms) as transfer; bbcompare measured
// exactly that against blackbox_exporter 0.23.
func TestRedirectHopHasNoTransfer(t *testing.T) {
	h := newHooks()
	fb := h.hop(0, 0, 6)     // the 302: first byte at 9
	fb = h.hop(fb+100, 0, 7) // its body took 100ms; the 200: first byte at 119
	got := h.end(fb + 5)     // its body took 5ms
	want := Phases{Connect: 4 * time.Millisecond, Processing: 13 * time.Millisecond, Transfer: 5 * time.Millisecond}
	if got != want {
		t.Errorf("phases over a redirect = %+v, want %+v", got, want)
	}
}

// Resolve is the lookup itself (DNSStart to DNSDone), not the wait for
// the dialing goroutine the transport starts it on (GetConn to DNSStart).
func TestResolveIsTheLookupOnly(t *testing.T) {
	h := newHooks()
	h.call(0, func() { h.ct.GetConn("example.test:443") })
	h.call(4, func() { h.ct.DNSStart(httptrace.DNSStartInfo{Host: "example.test"}) })
	h.call(7, func() { h.ct.DNSDone(httptrace.DNSDoneInfo{}) })
	h.call(7, func() { h.ct.ConnectStart("tcp", "192.0.2.1:443") })
	h.call(9, func() { h.ct.ConnectDone("tcp", "192.0.2.1:443", nil) })
	h.call(9, h.ct.TLSHandshakeStart)
	h.call(20, func() { h.ct.TLSHandshakeDone(tls.ConnectionState{}, nil) })
	h.call(20, func() { h.ct.GotConn(httptrace.GotConnInfo{}) })
	h.call(50, h.ct.GotFirstResponseByte)
	got := h.end(52)
	want := Phases{Resolve: 3 * time.Millisecond, Connect: 2 * time.Millisecond, TLS: 11 * time.Millisecond,
		Processing: 30 * time.Millisecond, Transfer: 2 * time.Millisecond}
	if got != want {
		t.Errorf("phases = %+v, want %+v", got, want)
	}
}

// Over a redirect to TLS every hop pays its own connect and handshake,
// summed; a reused connection (no connect, no handshake hooks) adds only
// processing; a request abandoned before its first byte still counts the
// phases it reached.
func TestPhasesSumOverHops(t *testing.T) {
	h := newHooks()
	fb := h.hop(0, 10, 5)  // connect 2, tls 10, processing 5; first byte at 18
	fb = h.hop(fb+1, 8, 4) // connect 2, tls 8, processing 4
	// A third hop on a reused connection: only GetConn and GotConn.
	h.call(fb+1, func() { h.ct.GetConn("127.0.0.1:1") })
	h.call(fb+1, func() { h.ct.GotConn(httptrace.GotConnInfo{Reused: true}) })
	got := h.end(fb + 31) // no response: abandoned after 30ms
	want := Phases{Connect: 4 * time.Millisecond, TLS: 18 * time.Millisecond, Processing: 9 * time.Millisecond}
	if got != want {
		t.Errorf("phases = %+v, want %+v", got, want)
	}
}
