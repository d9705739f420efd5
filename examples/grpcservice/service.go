package main

import (
	"context"

	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
)

// service implements UnaryCall of grpc.testing.TestService; its other
// methods answer Unimplemented.
type service struct {
	testpb.UnimplementedTestServiceServer
}

// UnaryCall answers the status the request asks for (OK when none), so a
// client can drive a known bad ratio.
func (service) UnaryCall(_ context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if es := req.GetResponseStatus(); es != nil && es.Code != 0 {
		if es.Code < 0 || es.Code > int32(codes.Unauthenticated) {
			return nil, status.Errorf(codes.InvalidArgument, "response_status.code %d: must be 0 to 16", es.Code)
		}
		return nil, status.Error(codes.Code(es.Code), es.Message)
	}
	return &testpb.SimpleResponse{Payload: req.GetPayload()}, nil
}
