package availgrpc

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// CodeSet is a set of gRPC status codes, one bit per code (OK through
// Unauthenticated). The zero value is the empty set. It is a plain value,
// safe to copy and to share between goroutines.
type CodeSet uint32

// maxCode is the largest code a CodeSet holds; codes beyond it (which gRPC
// does not define) are never members.
const maxCode = codes.Unauthenticated

// Codes returns the set holding cs; codes beyond Unauthenticated are ignored.
func Codes(cs ...codes.Code) CodeSet {
	var s CodeSet
	for _, c := range cs {
		if c <= maxCode {
			s |= 1 << c
		}
	}
	return s
}

// Has reports whether c is in the set.
func (s CodeSet) Has(c codes.Code) bool { return c <= maxCode && s&(1<<c) != 0 }

// String lists the set's codes in numeric order, comma separated, in gRPC's
// spelling ("Unknown,DeadlineExceeded").
func (s CodeSet) String() string {
	var b strings.Builder
	for c := codes.OK; c <= maxCode; c++ {
		if s.Has(c) {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(c.String())
		}
	}
	return b.String()
}

// ServerBadCodes are the codes a server interceptor records as bad SLO
// events: the ones that say the server failed the caller. They are the codes
// for which the OpenTelemetry gRPC conventions set a server span's status to
// Error:
//
//   - Unknown: a handler returned a plain error or panicked elsewhere;
//   - DeadlineExceeded: the server did not answer within the caller's deadline;
//   - Unimplemented: the deployed server lacks a method its clients call
//     (grpc-go answers unregistered methods before interceptors run, so this
//     reaches the interceptor only from a handler, e.g. an embedded
//     Unimplemented server);
//   - Internal: a broken invariant; also what a recovered panic answers;
//   - Unavailable: the server or one of its dependencies is down;
//   - DataLoss: unrecoverable data loss.
//
// Everything else is good: the caller's own doing (Canceled,
// InvalidArgument, NotFound, AlreadyExists, PermissionDenied,
// FailedPrecondition, Aborted, OutOfRange, Unauthenticated) or deliberate
// back-pressure (ResourceExhausted, as HTTP 429 is not a 5xx).
const ServerBadCodes CodeSet = 1<<codes.Unknown | 1<<codes.DeadlineExceeded | 1<<codes.Unimplemented |
	1<<codes.Internal | 1<<codes.Unavailable | 1<<codes.DataLoss

// ClientBadCodes are the codes a client interceptor records as bad: the
// server's bad codes plus ResourceExhausted. From the caller's side a
// dependency that refuses work for capacity failed the call just the same,
// and counting it lets the per-endpoint breaker back off an overloaded
// dependency. A call ending Canceled is not even an event on the client
// (see Client): the caller gave up, which says nothing about the
// dependency. (OpenTelemetry marks every non-OK client span as an error; an
// SLO about the dependency's availability should not count the caller's own
// invalid arguments against it.)
const ClientBadCodes = ServerBadCodes | 1<<codes.ResourceExhausted

// grpcStatuser is what grpc-go's status errors implement.
type grpcStatuser interface{ GRPCStatus() *status.Status }

// Code returns the status code err carries the way the gRPC server would
// send it: nil is OK; a status error (also wrapped) gives its code; a
// context error (also wrapped) gives Canceled or DeadlineExceeded; any other
// error is Unknown. The common cases (nil, a status error returned as is)
// do not allocate.
func Code(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	if gs, ok := err.(grpcStatuser); ok {
		return statusCode(gs)
	}
	var gs grpcStatuser
	if errors.As(err, &gs) {
		return statusCode(gs)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return codes.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		return codes.Canceled
	}
	return codes.Unknown
}

// statusCode mirrors status.FromError: an error whose status is nil would
// otherwise mean OK, which grpc-go turns into Unknown.
func statusCode(gs grpcStatuser) codes.Code {
	st := gs.GRPCStatus()
	if st == nil {
		return codes.Unknown
	}
	return st.Code()
}
