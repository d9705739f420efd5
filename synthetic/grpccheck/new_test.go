package grpccheck_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/nines-sre/nines/synthetic"
	"github.com/nines-sre/nines/synthetic/grpccheck"
)

func TestInvalidCalls(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func() (synthetic.Call, error)
		want string
	}{
		{"no target", func() (synthetic.Call, error) { return grpccheck.Health("", "") }, `grpc.target = "": required`},
		{"no port", func() (synthetic.Call, error) { return grpccheck.Health("localhost", "") }, `grpc.target = "localhost": must be host:port`},
		{"method shape", func() (synthetic.Call, error) { return grpccheck.Unary("h:1", "grpc.health.v1.Health/Check", "") }, `grpc.method = "grpc.health.v1.Health/Check": must be /package.Service/Method`},
		{"unknown service", func() (synthetic.Call, error) { return grpccheck.Unary("h:1", "/shop.Cart/Add", "") }, `service shop.Cart is not registered`},
		{"unknown method", func() (synthetic.Call, error) { return grpccheck.Unary("h:1", "/grpc.health.v1.Health/Nope", "") }, `has no method Nope`},
		{"streaming", func() (synthetic.Call, error) { return grpccheck.Unary("h:1", "/grpc.health.v1.Health/Watch", "") }, `a streaming method`},
		{"not a service", func() (synthetic.Call, error) {
			return grpccheck.Unary("h:1", "/grpc.health.v1.HealthCheckRequest/X", "")
		}, `is not a service`},
		{"bad request", func() (synthetic.Call, error) { return grpccheck.Unary("h:1", grpccheck.HealthMethod, `{"svc":"x"}`) }, `grpc.request = "{\"svc\":\"x\"}"`},
		{"bad metadata key", func() (synthetic.Call, error) {
			return grpccheck.Health("h:1", "", grpccheck.WithMetadata(map[string]string{"grpc-timeout": "1"}))
		}, `grpc.metadata = "grpc-timeout"`},
		{"own-traffic key", func() (synthetic.Call, error) {
			return grpccheck.Health("h:1", "", grpccheck.WithMetadata(map[string]string{"Nines-Own-Traffic": "0"}))
		}, `grpc.metadata = "Nines-Own-Traffic"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.make()
			if !errors.Is(err, synthetic.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrInvalidConfig containing %q", err, tc.want)
			}
		})
	}
}

// A reference in a call's text is checked by NewRunner like an HTTP
// step's, naming the check, the step and the field.
func TestUnknownReferenceInCall(t *testing.T) {
	for field, call := range map[string]func() (synthetic.Call, error){
		"grpc.target": func() (synthetic.Call, error) { return grpccheck.Health("${host}:50051", "") },
		"grpc.request": func() (synthetic.Call, error) {
			return grpccheck.Unary("h:1", grpccheck.HealthMethod, `{"service":"${svc}"}`)
		},
		"grpc.metadata.authorization": func() (synthetic.Call, error) {
			return grpccheck.Health("h:1", "", grpccheck.WithMetadata(map[string]string{"Authorization": "${tok}"}))
		},
	} {
		c, err := call()
		if err != nil {
			t.Fatal(err)
		}
		_, err = synthetic.NewRunner([]synthetic.Check{{Name: "c", Steps: []synthetic.Step{{Name: "s", Call: c}}}})
		if want := `check "c" step "s" ` + field + ` = "${`; !errors.Is(err, synthetic.ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", field, err, want)
		}
	}
}
