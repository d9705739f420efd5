package availgrpc

import (
	"context"

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
// nor recovered. With WithOwnTrafficMetadata, a call carrying
// OwnTrafficMetadata (a health check of another replica) passes through
// too, with its context marked as own traffic.
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
// m. It returns an error wrapping ErrInvalidConfig if m is nil or an option
// is invalid: a mistake shows at construction, never at the first call.
func NewServer(m *availability.Monitor, opts ...ServerOption) (*Server, error) {
	c := newConfig(ServerBadCodes)
	for _, o := range opts {
		if o != nil {
			o.applyServer(&c)
		}
	}
	in, err := newInterceptor(m, availability.ServerEndpoint, c)
	if err != nil {
		return nil, err
	}
	return &Server{in}, nil
}

// Unary is a grpc.UnaryServerInterceptor.
func (s *Server) Unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
	if own, ok := s.ownIncoming(ctx); ok {
		return handler(own, req)
	}
	ep := s.methods.get(info.FullMethod)
	if ep == nil {
		return handler(ctx, req)
	}
	call, err := s.admit(ctx, ep, info.FullMethod)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, s.recovered(info.FullMethod, r)
			call.Done(true)
		}
	}()
	resp, err = handler(ctx, req)
	call.Done(s.bad.Has(Code(err)))
	return resp, err
}

// Stream is a grpc.StreamServerInterceptor. The call's latency is zero
// unless WithStreamLatency is given.
func (s *Server) Stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
	if own, ok := s.ownIncoming(ss.Context()); ok {
		return handler(srv, ownStream{ss, own})
	}
	ep := s.methods.get(info.FullMethod)
	if ep == nil {
		return handler(srv, ss)
	}
	call, start, err := s.admitStream(ss.Context(), ep, info.FullMethod)
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = s.recovered(info.FullMethod, r)
			s.doneStream(&call, start, true)
		}
	}()
	err = handler(srv, ss)
	s.doneStream(&call, start, s.bad.Has(Code(err)))
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
