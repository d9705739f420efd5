package main

import (
	"context"
	"time"

	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/examples/internal/runapp"
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

// objectives are the Monitor options that decide its SLOs: the defaults,
// and the service's methods declared up front, as the interceptors name
// them (full method names from the service descriptor). The service and
// -rules share them.
func objectives() []availability.Option {
	var methods []string
	for _, md := range testpb.TestService_ServiceDesc.Methods {
		methods = append(methods, "/"+testpb.TestService_ServiceDesc.ServiceName+"/"+md.MethodName)
	}
	for _, sd := range testpb.TestService_ServiceDesc.Streams {
		methods = append(methods, "/"+testpb.TestService_ServiceDesc.ServiceName+"/"+sd.StreamName)
	}
	return []availability.Option{
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.99, Latency: 300 * time.Millisecond}),
		availability.WithRoutes(methods...),
	}
}

// writeRules writes the Prometheus rules of every method's objectives to
// path: the -rules flag.
func writeRules(path string) error {
	m, err := availability.New(objectives()...)
	if err != nil {
		return err
	}
	defer m.Shutdown(context.Background())
	return runapp.WriteRules(path, m.Objectives())
}
