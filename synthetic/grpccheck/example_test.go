package grpccheck_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/synthetic"
	"github.com/nines-sre/nines/synthetic/grpccheck"
)

func Example() {
	// A gRPC server with the standard health service: "cart" serves,
	// "payments" does not.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	hs := health.NewServer()
	hs.SetServingStatus("cart", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus("payments", healthpb.HealthCheckResponse_NOT_SERVING)
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, hs)
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()
	addr := lis.Addr().String()

	cart, err := grpccheck.Health(addr, "cart")
	if err != nil {
		fmt.Println(err)
		return
	}
	// A unary call named by its method, the request as protojson with a
	// reference to a Var.
	payments, err := grpccheck.Unary(addr, grpccheck.HealthMethod, `{"service":"${svc}"}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := synthetic.NewRunner([]synthetic.Check{{
		Name: "backend",
		Vars: map[string]string{"svc": "payments"},
		Steps: []synthetic.Step{
			{Name: "cart", Call: cart},
			{Name: "payments", Call: payments, Assert: []synthetic.Assertion{
				{Code: "OK"}, {JSONPath: "$.status", Value: "SERVING"}}},
		},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Run(context.Background(), "backend")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("run:", res.Outcome)
	for _, s := range res.Steps {
		fmt.Println(s.Name, s.Code, s.Outcome, s.Failures)
	}
	// Output:
	// run: fail
	// cart SERVING pass []
	// payments OK fail [JSON $.status = "NOT_SERVING", want "SERVING"]
}

func ExampleWithFileTLS() {
	// The internal CA's roots: pool.AppendCertsFromPEM(the CA's PEM).
	pool := x509.NewCertPool()
	files := grpccheck.WithFileTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})

	// The steps that say "tls": true use the pool. "cart" dials an IP
	// address whose certificate is for cart.internal; "ledger" is
	// plaintext.
	const file = `{"checks":[{"name":"backend","steps":[
	  {"name":"cart", "grpc":{"target":"10.0.0.7:50051","service":"cart","tls":true,"server_name":"cart.internal"}},
	  {"name":"ledger", "grpc":{"target":"ledger.internal:50051"}}]}]}`
	checks, err := grpccheck.Load(strings.NewReader(file), files)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range checks[0].Steps {
		fmt.Println(checks[0].Name, s.Name)
	}

	// A server name is for a TLS step only: loading refuses it without
	// "tls": true, naming the step.
	_, err = grpccheck.Load(strings.NewReader(strings.Replace(file, `"tls":true,`, "", 1)), files)
	fmt.Println(err)
	// Output:
	// backend cart
	// backend ledger
	// checks[0]: synthetic: invalid config: check "backend" step "cart" grpc = "{...}": server_name needs "tls": true: it is the name the server's certificate is verified against
}
