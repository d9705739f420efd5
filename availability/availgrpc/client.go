package availgrpc

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"

	"github.com/nines-sre/nines/availability"
)

// Client holds the interceptors of a gRPC client: each call to a method is
// admitted by the method's client endpoint, that is its circuit breaker
// (refused at once while open, and limited to the probe quota while
// half-open), and its outcome and latency are recorded there, which also
// drives the breaker (slow-call policy included). A call that ends Canceled
// is recorded nowhere and gives its breaker permit back. The interceptors
// never retry. A call whose context is marked as own traffic
// (availability.OwnTraffic; health check runs are) goes out whatever the
// breaker says, carries OwnTrafficMetadata and is measured nowhere.
//
// Create one with NewClient; the zero value is not usable. A Client is safe
// for concurrent use. Most callers want
//
//	grpc.NewClient(target, grpc.WithUnaryInterceptor(c.Unary), grpc.WithStreamInterceptor(c.Stream), ...)
type Client struct {
	interceptor
	replicas *replicas // nil unless WithDependency names one with Replicas
}

// NewClient returns the interceptors of a client measured and guarded by m.
// It returns an error wrapping ErrInvalidConfig if m is nil or an option is
// invalid: a mistake shows at construction, never at the first call.
func NewClient(m *availability.Monitor, opts ...ClientOption) (*Client, error) {
	c := newConfig(ClientBadCodes)
	for _, o := range opts {
		if o != nil {
			o.applyClient(&c)
		}
	}
	in, err := newInterceptor(m, availability.ClientEndpoint, c)
	if err != nil {
		return nil, err
	}
	cl := &Client{interceptor: in}
	if c.dependency != nil {
		if stats := m.DependencyReplicas(*c.dependency); stats != nil {
			cl.replicas = newReplicas(stats)
		}
	}
	return cl, nil
}

// Unary is a grpc.UnaryClientInterceptor.
func (c *Client) Unary(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if availability.IsOwnTraffic(ctx) {
		return invoker(ownOutgoing(ctx), method, req, reply, cc, opts...)
	}
	ep := c.methods.get(method)
	if ep == nil {
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	if c.replicas != nil {
		return c.unaryReplica(ctx, ep, method, req, reply, cc, invoker, opts)
	}
	call, err := c.admit(ctx, ep, method)
	if err != nil {
		return err
	}
	err = invoker(ctx, method, req, reply, cc, opts...)
	c.done(&call, time.Time{}, false, err)
	return err
}

// done ends an admitted call, except a cancelled one: the caller gave up,
// which says nothing about the dependency, so like the Monitor's
// RoundTripper it counts in neither the SLOs nor the breaker (Call.Cancel).
// A stream (stream true) ends as doneStream says. It reports whether the
// call was recorded, whether it was bad, and a stream's latency as
// recorded.
func (c *Client) done(call *availability.Call, start time.Time, stream bool, err error) (latency time.Duration, bad, recorded bool) {
	code := Code(err)
	bad = c.bad.Has(code)
	switch {
	case code == codes.Canceled:
		call.Cancel()
		return 0, false, false
	case stream:
		latency = c.doneStream(call, start, bad)
	default:
		call.Done(bad)
	}
	return latency, bad, true
}

// Stream is a grpc.StreamClientInterceptor. The call is recorded when it
// ends: RecvMsg returns io.EOF or an error (or, for a call without server
// streaming, its one response), or ctx is done first (an abandoned stream is
// Canceled or DeadlineExceeded). Its latency is zero unless
// WithStreamLatency is given.
func (c *Client) Stream(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	if availability.IsOwnTraffic(ctx) {
		return streamer(ownOutgoing(ctx), desc, cc, method, opts...)
	}
	ep := c.methods.get(method)
	if ep == nil {
		return streamer(ctx, desc, cc, method, opts...)
	}
	call, start, err := c.admitStream(ctx, ep, method)
	if err != nil {
		return nil, err
	}
	s := &clientStream{c: c, call: call, start: start, serverStreams: desc.ServerStreams}
	if c.replicas != nil {
		// grpc-go fills the peer when the stream finishes; a copy of
		// the options, the caller's slice stays as it was.
		opts = append(opts[:len(opts):len(opts)], grpc.PeerCallOption{PeerAddr: &s.peer})
	}
	cs, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		// A stream that failed to open has finished: its peer, if it
		// reached one, is filled.
		s.recordReplica(c.done(&s.call, start, true, err))
		return nil, err
	}
	s.ClientStream = cs
	s.recorded.Add(1)
	// The AfterFunc may run before stop is stored: it must not read it.
	s.stop = context.AfterFunc(ctx, func() { s.record(ctx.Err(), false) })
	return s, nil
}

// clientStream records its call once, when the call ends.
type clientStream struct {
	grpc.ClientStream
	c             *Client
	call          availability.Call // ended by the claimer only
	start         time.Time
	serverStreams bool
	stop          func() bool
	// peer is where grpc-go writes the stream's peer when it finishes
	// (WithDependency with Replicas only); read only on the caller's
	// goroutine once RecvMsg has returned the end of the stream.
	peer peer.Peer

	// claimed picks the one path that records the call (RecvMsg or the
	// context's AfterFunc); recorded lets the other wait until it has, so
	// a RecvMsg that returns the end of the call returns after the call is
	// recorded. No lock is held while the call ends (it may run listeners).
	claimed  atomic.Bool
	recorded sync.WaitGroup // one Add at creation, Done by the claimer
}

func (s *clientStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	switch {
	case err == nil:
		if !s.serverStreams {
			s.finish(nil)
		}
	case err == io.EOF:
		s.finish(nil)
	default:
		s.finish(err)
	}
	return err
}

// finish records the call as it ends on the caller's goroutine, which
// runs after Stream stored stop.
func (s *clientStream) finish(err error) {
	if s.record(err, true) {
		s.stop()
	}
}

// record records the call unless it is recorded already, and reports
// whether it did. ended says grpc-go has finished the stream (RecvMsg
// returned its end), so that its peer is known; a stream recorded when
// its context ends is recorded under no replica, as grpc-go may be
// finishing it, and writing its peer, at that very moment.
func (s *clientStream) record(err error, ended bool) bool {
	if !s.claimed.CompareAndSwap(false, true) {
		s.recorded.Wait()
		return false
	}
	defer s.recorded.Done()
	latency, bad, recorded := s.c.done(&s.call, s.start, true, err)
	if ended {
		s.recordReplica(latency, bad, recorded)
	} else if recorded && s.c.replicas != nil {
		s.c.replicas.stats.RecordUnattributed()
	}
	return true
}

// recordReplica records a recorded stream under its peer, for a client
// with Replicas.
func (s *clientStream) recordReplica(latency time.Duration, bad, recorded bool) {
	if recorded && s.c.replicas != nil {
		s.c.replicas.record(s.peer.Addr, latency, bad)
	}
}
