package availgrpc

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
)

// Client holds the interceptors of a gRPC client: each call to a method is
// admitted by the method's client endpoint (refused at once while its
// circuit breaker is open) and its outcome and latency are recorded there,
// which also drives the breaker. A call that ends Canceled is recorded
// nowhere. The interceptors never retry.
//
// Create one with NewClient; the zero value is not usable. A Client is safe
// for concurrent use. Most callers want
//
//	grpc.NewClient(target, grpc.WithUnaryInterceptor(c.Unary), grpc.WithStreamInterceptor(c.Stream), ...)
type Client struct {
	interceptor
}

// NewClient returns the interceptors of a client measured and guarded by m.
// It returns an error if m is nil or an option is invalid.
func NewClient(m *availability.Monitor, opts ...Option) (*Client, error) {
	in, err := newInterceptor(m, availability.ClientEndpoint, ClientBadCodes, opts)
	if err != nil {
		return nil, err
	}
	return &Client{in}, nil
}

// Unary is a grpc.UnaryClientInterceptor.
func (c *Client) Unary(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	ep, start, err := c.admit(ctx, method)
	if ep == nil {
		if err != nil {
			return err
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	err = invoker(ctx, method, req, reply, cc, opts...)
	c.done(ep, time.Since(start), err)
	return err
}

// done records an admitted call, except a cancelled one: the caller gave
// up, which says nothing about the dependency, so like the Monitor's
// RoundTripper it counts in neither the SLOs nor the breaker.
func (c *Client) done(ep *availability.Endpoint, latency time.Duration, err error) {
	code := Code(err)
	if code == codes.Canceled {
		return
	}
	ep.Done(latency, c.bad.Has(code))
}

// Stream is a grpc.StreamClientInterceptor. The call is recorded when it
// ends: RecvMsg returns io.EOF or an error (or, for a call without server
// streaming, its one response), or ctx is done first (an abandoned stream is
// Canceled or DeadlineExceeded). Its latency is zero unless
// WithStreamLatency is given.
func (c *Client) Stream(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	ep, start, err := c.admit(ctx, method)
	if ep == nil {
		if err != nil {
			return nil, err
		}
		return streamer(ctx, desc, cc, method, opts...)
	}
	cs, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		c.done(ep, c.streamSince(start), err)
		return nil, err
	}
	s := &clientStream{ClientStream: cs, c: c, ep: ep, start: start, serverStreams: desc.ServerStreams}
	s.recorded.Add(1)
	// The AfterFunc may run before stop is stored: it must not read it.
	s.stop = context.AfterFunc(ctx, func() { s.record(ctx.Err()) })
	return s, nil
}

// clientStream records its call once, when the call ends.
type clientStream struct {
	grpc.ClientStream
	c             *Client
	ep            *availability.Endpoint
	start         time.Time
	serverStreams bool
	stop          func() bool

	// claimed picks the one path that records the call (RecvMsg or the
	// context's AfterFunc); recorded lets the other wait until it has, so
	// a RecvMsg that returns the end of the call returns after the call is
	// recorded. No lock is held while Done runs (it may run listeners).
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
	if s.record(err) {
		s.stop()
	}
}

// record records the call unless it is recorded already, and reports
// whether it did.
func (s *clientStream) record(err error) bool {
	if !s.claimed.CompareAndSwap(false, true) {
		s.recorded.Wait()
		return false
	}
	defer s.recorded.Done()
	s.c.done(s.ep, s.c.streamSince(s.start), err)
	return true
}

// UnaryClientInterceptor is NewClient(m, opts...).Unary for callers with a
// fixed configuration. If NewClient fails (m is nil or an option is
// invalid), every call fails with codes.Internal and NewClient's error; use
// NewClient to catch it at start-up instead.
func UnaryClientInterceptor(m *availability.Monitor, opts ...Option) grpc.UnaryClientInterceptor {
	c, err := NewClient(m, opts...)
	if err != nil {
		st := status.Error(codes.Internal, err.Error())
		return func(context.Context, string, any, any, *grpc.ClientConn, grpc.UnaryInvoker, ...grpc.CallOption) error {
			return st
		}
	}
	return c.Unary
}

// StreamClientInterceptor is NewClient(m, opts...).Stream, failing every
// call like UnaryClientInterceptor if NewClient fails.
func StreamClientInterceptor(m *availability.Monitor, opts ...Option) grpc.StreamClientInterceptor {
	c, err := NewClient(m, opts...)
	if err != nil {
		st := status.Error(codes.Internal, err.Error())
		return func(context.Context, *grpc.StreamDesc, *grpc.ClientConn, string, grpc.Streamer, ...grpc.CallOption) (grpc.ClientStream, error) {
			return nil, st
		}
	}
	return c.Stream
}
