package availgrpc

import (
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/remediate/breaker"
)

func TestRejectionError(t *testing.T) {
	other := errors.New("admission: something else")
	tests := []struct {
		in   error
		code codes.Code
		is   error
	}{
		{admit.ErrShed, codes.ResourceExhausted, admit.ErrShed},
		{fmt.Errorf("availability: %w", admit.ErrRateLimited), codes.ResourceExhausted, admit.ErrRateLimited},
		{admit.ErrConcurrencyLimited, codes.ResourceExhausted, admit.ErrConcurrencyLimited},
		{fmt.Errorf("host x: %w", breaker.ErrOpen), codes.Unavailable, breaker.ErrOpen},
		{breaker.ErrTooManyCalls, codes.Unavailable, breaker.ErrTooManyCalls},
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
	if n := testing.AllocsPerRun(100, func() { _ = RejectionError(admit.ErrShed) }); n != 0 {
		t.Errorf("RejectionError(ErrShed) allocates %v times, want 0", n)
	}
}
