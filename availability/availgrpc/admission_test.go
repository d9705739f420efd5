package availgrpc

import (
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/remediate"
)

func TestRejectionError(t *testing.T) {
	other := errors.New("admission: something else")
	tests := []struct {
		in   error
		code codes.Code
		is   error
	}{
		{remediate.ErrShed, codes.ResourceExhausted, remediate.ErrShed},
		{fmt.Errorf("availability: %w", remediate.ErrRateLimited), codes.ResourceExhausted, remediate.ErrRateLimited},
		{remediate.ErrConcurrencyLimited, codes.ResourceExhausted, remediate.ErrConcurrencyLimited},
		{fmt.Errorf("host x: %w", remediate.ErrOpen), codes.Unavailable, remediate.ErrOpen},
		{remediate.ErrTooManyCalls, codes.Unavailable, remediate.ErrTooManyCalls},
		{other, codes.Unavailable, other},
	}
	for _, tt := range tests {
		got := RejectionError(tt.in)
		if c := status.Code(got); c != tt.code {
			t.Errorf("RejectionError(%v): status code %v, want %v", tt.in, c, tt.code)
		}
		if !errors.Is(got, tt.is) {
			t.Errorf("RejectionError(%v) = %v: not errors.Is %v", tt.in, got, tt.is)
		}
		if ServerBadCodes.Has(Code(got)) && tt.code == codes.ResourceExhausted {
			t.Errorf("a shed call must not count as the server's failure")
		}
	}
	if RejectionError(nil) != nil {
		t.Error("RejectionError(nil) != nil")
	}
	if n := testing.AllocsPerRun(100, func() { _ = RejectionError(remediate.ErrShed) }); n != 0 {
		t.Errorf("RejectionError(ErrShed) allocates %v times, want 0", n)
	}
}
