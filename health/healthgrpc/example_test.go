package healthgrpc_test

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/test/bufconn"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/health/healthgrpc"
)

func Example() {
	ctx := context.Background()
	reg := health.NewRegistry()
	_ = reg.Register(health.Check{Name: "db", Func: func(context.Context) health.Result { return health.Pass() }})

	srv, err := healthgrpc.New(reg)
	if err != nil {
		fmt.Println(err)
		return
	}
	gs := grpc.NewServer()
	healthpb.RegisterHealthServer(gs, srv)
	lis := bufconn.Listen(1 << 16) // in a service: net.Listen("tcp", ":8081")
	go gs.Serve(lis)

	conn, _ := grpc.NewClient("passthrough:///example",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	client := healthpb.NewHealthClient(conn)
	check := func(service string) {
		resp, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
		fmt.Printf("%q: %v %v\n", service, resp.GetStatus(), err)
	}

	check("") // no result yet: not ready
	_ = reg.RunChecks(ctx)
	check("")
	check("db")
	reg.Drain()
	check("")

	conn.Close()
	_ = srv.Shutdown(ctx)
	_ = reg.Shutdown(ctx)
	gs.Stop()
	// Output:
	// "": NOT_SERVING <nil>
	// "": SERVING <nil>
	// "db": SERVING <nil>
	// "": NOT_SERVING <nil>
}
