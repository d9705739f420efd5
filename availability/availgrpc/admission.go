package availgrpc

import (
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

// rejection is the error an interceptor returns for a call the Monitor did
// not admit: a gRPC status for the wire and for status.Code, and the
// admit or breaker sentinel for errors.Is on the caller's side. The values are
// built once; returning one costs no allocation.
type rejection struct {
	st    *status.Status
	cause error
}

func (r *rejection) Error() string              { return r.st.Message() }
func (r *rejection) GRPCStatus() *status.Status { return r.st }
func (r *rejection) Unwrap() error              { return r.cause }

func newRejection(c codes.Code, cause error) *rejection {
	return &rejection{st: status.New(c, "availgrpc: "+cause.Error()), cause: cause}
}

// Rejections by cause. Shedding and rate or concurrency limits say "not now,
// retry later" (ResourceExhausted, like HTTP 429/503 with Retry-After); an
// open breaker says the dependency is down (Unavailable).
var (
	rejectRateLimited  = newRejection(codes.ResourceExhausted, admit.ErrRateLimited)
	rejectShed         = newRejection(codes.ResourceExhausted, admit.ErrShed)
	rejectConcurrency  = newRejection(codes.ResourceExhausted, admit.ErrConcurrencyLimited)
	rejectOpen         = newRejection(codes.Unavailable, breaker.ErrOpen)
	rejectTooManyCalls = newRejection(codes.Unavailable, breaker.ErrTooManyCalls)
)

// RejectionError maps an admission error (from availability's
// Endpoint.Admit) to the error an interceptor returns: a gRPC status error
// that also wraps the admit or breaker sentinel, so both status.Code(err) and
// errors.Is(err, admit.ErrShed) work. Load shedding, rate and
// concurrency limits give ResourceExhausted; an open or probing circuit
// breaker gives Unavailable. Any other non-nil error gives Unavailable with
// its message. nil stays nil.
func RejectionError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, admit.ErrShed):
		return rejectShed
	case errors.Is(err, admit.ErrRateLimited):
		return rejectRateLimited
	case errors.Is(err, admit.ErrConcurrencyLimited):
		return rejectConcurrency
	case errors.Is(err, breaker.ErrOpen):
		return rejectOpen
	case errors.Is(err, breaker.ErrTooManyCalls):
		return rejectTooManyCalls
	}
	return &rejection{st: status.New(codes.Unavailable, "availgrpc: "+err.Error()), cause: err}
}
