package availability

import (
	"context"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/remediate/eject"
)

// replicaAttribution records a dependency's calls through RoundTripper
// under the remote address of the connection that carried each one
// (Dependency.Replicas), learnt from httptrace's GotConn.
//
// Per call it costs two allocations, both unavoidable without unsafe: the
// request copy that carries the traced context (http.Request's context
// can only be set by WithContext, which copies the request), and the
// context itself (replicaContext). The context cannot be pooled: the
// standard Transport keeps using it after RoundTrip has returned and
// even after the body is read — readLoop cancels its child context after
// the body's end, which looks the parent up again (context.removeChild),
// and a dial that outlives its request keeps its values
// (context.WithoutCancel in Transport.getConn) — so a recycled context
// would be read while another call rewrites it. What is pooled is the
// trace and the GotConn callback (replicaSlot): the transport calls
// GotConn only on the request's own goroutine, before RoundTrip returns
// (Transport.getConn, http2 RoundTripOpt), so a slot is free again as
// soon as RoundTrip has returned.
type replicaAttribution struct {
	stats *eject.Stats
	slots sync.Pool // of *replicaSlot
}

func newReplicaAttribution(stats *eject.Stats) *replicaAttribution {
	return &replicaAttribution{stats: stats, slots: sync.Pool{New: func() any { return newReplicaSlot() }}}
}

// replicaSlot is one call's trace: GotConn stores the connection's remote
// address into addr.
type replicaSlot struct {
	trace httptrace.ClientTrace
	// addr is atomic because a RoundTripper of the user's could call
	// GotConn from another goroutine.
	addr atomic.Pointer[net.TCPAddr]
}

func newReplicaSlot() *replicaSlot {
	s := &replicaSlot{}
	s.trace.GotConn = s.gotConn // the method value is allocated once per slot
	return s
}

func (s *replicaSlot) gotConn(info httptrace.GotConnInfo) {
	if info.Conn == nil {
		return
	}
	switch a := info.Conn.RemoteAddr().(type) {
	case *net.TCPAddr: // the net and crypto/tls connections: no allocation
		s.addr.Store(a)
	case nil:
	default: // a connection type of the user's: parse its text
		if ap, err := netip.ParseAddrPort(a.String()); err == nil {
			s.addr.Store(net.TCPAddrFromAddrPort(ap))
		}
	}
}

// replicaContext is the request's context with one more value, the
// trace, answered without the value context httptrace.WithClientTrace
// would allocate on top of the one it is given. It is immutable.
type replicaContext struct {
	context.Context
	trace *httptrace.ClientTrace
}

func (c *replicaContext) Value(key any) any {
	if key == traceKey {
		return c.trace
	}
	return c.Context.Value(key)
}

// traceKey is httptrace's context key, unexported in net/http/httptrace:
// learnt once by watching which key ContextClientTrace asks for, then
// checked. Nil if that ever fails: RoundTripper then uses
// httptrace.WithClientTrace (one more allocation per call).
var traceKey any

func init() { traceKey = learnTraceKey() }

type keyWatcher struct {
	context.Context
	key any
}

func (w *keyWatcher) Value(key any) any {
	w.key = key
	return nil
}

func learnTraceKey() any {
	w := &keyWatcher{Context: context.Background()}
	httptrace.ContextClientTrace(w)
	if w.key == nil {
		return nil
	}
	probe := &httptrace.ClientTrace{}
	c := &replicaContext{Context: context.Background(), trace: probe}
	saved := w.key
	traceKey = saved
	ok := httptrace.ContextClientTrace(c) == probe
	traceKey = nil
	if !ok {
		return nil
	}
	return saved
}

// roundTrip sends req through base traced, records the call in call
// (the dependency's SLOs and breaker) as RoundTripper does, and in the
// Stats under the connection's remote address.
func (ra *replicaAttribution) roundTrip(m *Monitor, base http.RoundTripper, req *http.Request, call *Call) (*http.Response, error) {
	parent := req.Context()
	slot := ra.slots.Get().(*replicaSlot)
	slot.addr.Store(nil)
	pooled := true
	var ctx context.Context
	if traceKey != nil && httptrace.ContextClientTrace(parent) == nil {
		ctx = &replicaContext{Context: parent, trace: &slot.trace}
	} else {
		// The caller traces the request itself: WithClientTrace composes
		// its hooks into ours by rewriting our trace, so this call gets a
		// slot of its own that is never pooled.
		ra.slots.Put(slot)
		slot, pooled = newReplicaSlot(), false
		ctx = httptrace.WithClientTrace(parent, &slot.trace)
	}
	start := call.start
	resp, err := base.RoundTrip(req.WithContext(ctx))
	addr := slot.addr.Load()
	if pooled {
		ra.slots.Put(slot)
	}
	if err != nil && errorsIsCanceled(err) {
		call.Cancel()
		return resp, err
	}
	end := m.now()
	bad := err != nil || resp.StatusCode >= 500
	call.DoneAt(end, bad)
	if addr == nil {
		ra.stats.RecordUnattributed()
		return resp, err
	}
	ra.stats.RecordAddr(addr.AddrPort(), max(end.Sub(start), time.Duration(0)), bad)
	return resp, err
}
