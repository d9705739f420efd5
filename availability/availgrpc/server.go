package availgrpc

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
)

// Server holds the interceptors of a gRPC server: each call is admitted by
// the Monitor (load shedding) before its handler runs, and its outcome and
// latency are recorded on the endpoint of its method. A panicking handler is
// recovered, answered with codes.Internal and recorded as bad. Methods
// WithFilter leaves out pass straight through: neither measured, admitted
// nor recovered.
//
// Create one with NewServer; the zero value is not usable. A Server is safe
// for concurrent use. Most callers want
//
//	grpc.NewServer(grpc.UnaryInterceptor(s.Unary), grpc.StreamInterceptor(s.Stream))
//
// or grpc.ChainUnaryInterceptor / ChainStreamInterceptor, with this
// interceptor outermost so that it sees what the other interceptors answer.
type Server struct {
	interceptor
}

// NewServer returns the interceptors of a server measured and defended by
// m. It returns an error if m is nil or an option is invalid.
func NewServer(m *availability.Monitor, opts ...Option) (*Server, error) {
	in, err := newInterceptor(m, availability.ServerEndpoint, ServerBadCodes, opts)
	if err != nil {
		return nil, err
	}
	return &Server{in}, nil
}

// Unary is a grpc.UnaryServerInterceptor.
func (s *Server) Unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
	ep, start, err := s.admit(ctx, info.FullMethod)
	if ep == nil {
		if err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, s.recovered(info.FullMethod, r)
			ep.Done(time.Since(start), true)
		}
	}()
	resp, err = handler(ctx, req)
	ep.Done(time.Since(start), s.bad.Has(Code(err)))
	return resp, err
}

// Stream is a grpc.StreamServerInterceptor. The call's latency is zero
// unless WithStreamLatency is given.
func (s *Server) Stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
	ep, start, err := s.admit(ss.Context(), info.FullMethod)
	if ep == nil {
		if err != nil {
			return err
		}
		return handler(srv, ss)
	}
	defer func() {
		if r := recover(); r != nil {
			err = s.recovered(info.FullMethod, r)
			ep.Done(s.streamSince(start), true)
		}
	}()
	err = handler(srv, ss)
	ep.Done(s.streamSince(start), s.bad.Has(Code(err)))
	return err
}

// errPanic is the status a recovered panic answers. The panic's value is
// for the panic hook, never for the caller.
var errPanic = status.Error(codes.Internal, "availgrpc: the handler panicked")

// recovered reports a recovered panic to the panic hook and returns the
// error the call answers.
func (in *interceptor) recovered(fullMethod string, r any) error {
	in.panicHook(fullMethod, r)
	return errPanic
}

// UnaryServerInterceptor is NewServer(m, opts...).Unary for callers with a
// fixed configuration. If NewServer fails (m is nil or an option is
// invalid), every call fails with codes.Internal and NewServer's error, so
// that the mistake shows at the first call; use NewServer to catch it at
// start-up instead.
func UnaryServerInterceptor(m *availability.Monitor, opts ...Option) grpc.UnaryServerInterceptor {
	s, err := NewServer(m, opts...)
	if err != nil {
		st := status.Error(codes.Internal, err.Error())
		return func(context.Context, any, *grpc.UnaryServerInfo, grpc.UnaryHandler) (any, error) { return nil, st }
	}
	return s.Unary
}

// StreamServerInterceptor is NewServer(m, opts...).Stream, failing every
// call like UnaryServerInterceptor if NewServer fails.
func StreamServerInterceptor(m *availability.Monitor, opts ...Option) grpc.StreamServerInterceptor {
	s, err := NewServer(m, opts...)
	if err != nil {
		st := status.Error(codes.Internal, err.Error())
		return func(any, grpc.ServerStream, *grpc.StreamServerInfo, grpc.StreamHandler) error { return st }
	}
	return s.Stream
}
