package availgrpc

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/remediate/eject"
)

// replicas records a dependency's unary calls under the address of the
// peer that served each one (grpc.Peer), into the dependency's
// availability.Dependency.Replicas. The per-call state is pooled: grpc
// fills the peer when the call finishes, before the invoker returns, and
// keeps neither it nor the options after, so the slot is free again as
// soon as the invoker has returned.
type replicas struct {
	stats *eject.Stats
	slots sync.Pool // of *peerSlot
}

// peerSlot is one call's peer and its call options with grpc.Peer added.
type peerSlot struct {
	peer peer.Peer
	opts []grpc.CallOption
}

func newReplicas(stats *eject.Stats) *replicas {
	return &replicas{stats: stats, slots: sync.Pool{New: func() any { return new(peerSlot) }}}
}

// unary is Client.Unary for a dependency with Replicas.
func (c *Client) unaryReplica(ctx context.Context, ep *availability.Endpoint, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts []grpc.CallOption) error {
	// The admission instant is also the start of the replica's latency:
	// two clock reads per call, as without Replicas.
	start := time.Now()
	call, err := ep.AdmitAt(start, c.priorityOf(ctx, method))
	if err != nil {
		return RejectionError(err)
	}
	r := c.replicas
	slot := r.slots.Get().(*peerSlot)
	// PeerCallOption holds one pointer: as a CallOption it does not
	// allocate.
	slot.opts = append(append(slot.opts[:0], opts...), grpc.PeerCallOption{PeerAddr: &slot.peer})
	err = invoker(ctx, method, req, reply, cc, slot.opts...)
	addr := slot.peer.Addr
	clear(slot.opts) // drop the caller's options before pooling
	slot.opts, slot.peer = slot.opts[:0], peer.Peer{}
	r.slots.Put(slot)

	code := Code(err)
	if code == codes.Canceled {
		call.Cancel()
		return err
	}
	end := time.Now()
	bad := c.bad.Has(code)
	call.DoneAt(end, bad)
	r.record(addr, end.Sub(start), bad)
	return err
}

// record records one finished call under addr, the peer that served it;
// nil when it reached none, or when it is not known.
func (r *replicas) record(addr net.Addr, latency time.Duration, bad bool) {
	ap, ok := addrPort(addr)
	if !ok {
		r.stats.RecordUnattributed()
		return
	}
	r.stats.RecordAddr(ap, max(latency, 0), bad)
}

// addrPort is a peer's IP address and port: without allocating for a TCP
// peer, by parsing its text for another address type; false for a call
// that never reached a peer or a peer without an IP address.
func addrPort(a net.Addr) (netip.AddrPort, bool) {
	switch a := a.(type) {
	case nil:
		return netip.AddrPort{}, false
	case *net.TCPAddr:
		return a.AddrPort(), true
	default:
		ap, err := netip.ParseAddrPort(a.String())
		return ap, err == nil
	}
}
