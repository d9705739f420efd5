package availgrpc

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestBadCodes(t *testing.T) {
	// Every code, with the verdict on each side; a change to either set
	// must show up here.
	tests := []struct {
		code           codes.Code
		server, client bool
	}{
		{codes.OK, false, false},
		{codes.Canceled, false, false},
		{codes.Unknown, true, true},
		{codes.InvalidArgument, false, false},
		{codes.DeadlineExceeded, true, true},
		{codes.NotFound, false, false},
		{codes.AlreadyExists, false, false},
		{codes.PermissionDenied, false, false},
		{codes.ResourceExhausted, false, true},
		{codes.FailedPrecondition, false, false},
		{codes.Aborted, false, false},
		{codes.OutOfRange, false, false},
		{codes.Unimplemented, true, true},
		{codes.Internal, true, true},
		{codes.Unavailable, true, true},
		{codes.DataLoss, true, true},
		{codes.Unauthenticated, false, false},
		{codes.Code(17), false, false},
		{codes.Code(1 << 31), false, false},
	}
	for _, tt := range tests {
		if got := ServerBadCodes.Has(tt.code); got != tt.server {
			t.Errorf("ServerBadCodes.Has(%v) = %v, want %v", tt.code, got, tt.server)
		}
		if got := ClientBadCodes.Has(tt.code); got != tt.client {
			t.Errorf("ClientBadCodes.Has(%v) = %v, want %v", tt.code, got, tt.client)
		}
	}
}

func TestCodeSetString(t *testing.T) {
	tests := []struct {
		set  CodeSet
		want string
	}{
		{0, ""},
		{Codes(codes.Internal), "Internal"},
		{Codes(codes.DataLoss, codes.Unknown, codes.Code(40)), "Unknown,DataLoss"},
		{ServerBadCodes, "Unknown,DeadlineExceeded,Unimplemented,Internal,Unavailable,DataLoss"},
	}
	for _, tt := range tests {
		if got := tt.set.String(); got != tt.want {
			t.Errorf("%#x.String() = %q, want %q", uint32(tt.set), got, tt.want)
		}
	}
}

type nilStatusErr struct{}

func (nilStatusErr) Error() string              { return "nil status" }
func (nilStatusErr) GRPCStatus() *status.Status { return nil }

func TestCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want codes.Code
	}{
		{"nil", nil, codes.OK},
		{"status", status.Error(codes.NotFound, "x"), codes.NotFound},
		{"wrapped status", fmt.Errorf("ctx: %w", status.Error(codes.Unavailable, "down")), codes.Unavailable},
		{"plain", errors.New("boom"), codes.Unknown},
		{"deadline", context.DeadlineExceeded, codes.DeadlineExceeded},
		{"wrapped canceled", fmt.Errorf("op: %w", context.Canceled), codes.Canceled},
		{"nil status", nilStatusErr{}, codes.Unknown},
		{"rejection", RejectionError(errors.New("x")), codes.Unavailable},
	}
	for _, tt := range tests {
		if got := Code(tt.err); got != tt.want {
			t.Errorf("%s: Code(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
		// Code must agree with how grpc-go's server turns a handler
		// error into a status (status.FromError, then FromContextError).
		st, ok := status.FromError(tt.err)
		if !ok {
			st = status.FromContextError(tt.err)
		}
		if st.Code() != tt.want {
			t.Errorf("%s: grpc-go says %v, Code says %v", tt.name, st.Code(), tt.want)
		}
	}
}

func TestCodeAllocs(t *testing.T) {
	errs := []error{nil, status.Error(codes.Internal, "x"), rejectShed}
	for _, err := range errs {
		if n := testing.AllocsPerRun(100, func() { _ = Code(err) }); n != 0 {
			t.Errorf("Code(%v) allocates %v times, want 0", err, n)
		}
	}
}
