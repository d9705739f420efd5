package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
)

func TestMain(m *testing.M) {
	// Re-executed by TestCommand: run the command itself.
	if os.Getenv("GRPCSERVICE_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// The service answers, measures its methods (the counts in /statusz and the
// Prometheus exposition on /metrics move), serves gRPC health, and stops
// cleanly when its context ends.
func TestServiceSmoke(t *testing.T) {
	grpcLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, 10*time.Millisecond, grpcLn, opsLn) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	cc, err := grpc.NewClient(grpcLn.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	client := testpb.NewTestServiceClient(cc)
	for _, c := range []struct {
		code, want codes.Code
	}{
		{codes.OK, codes.OK},
		{codes.Unavailable, codes.Unavailable},
		{codes.NotFound, codes.NotFound},
		{codes.Code(99), codes.InvalidArgument},
	} {
		req := &testpb.SimpleRequest{ResponseStatus: &testpb.EchoStatus{Code: int32(c.code)}}
		if _, err := client.UnaryCall(context.Background(), req); status.Code(err) != c.want {
			t.Errorf("UnaryCall asking for %v: %v, want %v", c.code, err, c.want)
		}
	}
	if _, err := client.EmptyCall(context.Background(), &testpb.Empty{}); status.Code(err) != codes.Unimplemented {
		t.Errorf("EmptyCall: %v, want Unimplemented", err)
	}
	resp, err := healthpb.NewHealthClient(cc).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || resp.Status != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health Check: %v, %v; want SERVING", resp, err)
	}

	ops := "http://" + opsLn.Addr().String()
	get := func(path string) (int, string) {
		t.Helper()
		r, err := http.Get(ops + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		body, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(body)
	}
	code, body := get("/statusz")
	var st struct {
		Endpoints []struct {
			Kind, Pattern    string
			Requests, Errors uint64
		}
	}
	if err := json.Unmarshal([]byte(body), &st); code != 200 || err != nil {
		t.Fatalf("GET /statusz = %d, %v: %s", code, err, body)
	}
	want := map[string][2]uint64{
		"/grpc.testing.TestService/UnaryCall": {4, 1}, // Unavailable is bad; NotFound, InvalidArgument are not
		"/grpc.testing.TestService/EmptyCall": {1, 1}, // Unimplemented is bad
	}
	got := map[string][2]uint64{}
	for _, e := range st.Endpoints {
		got[e.Pattern] = [2]uint64{e.Requests, e.Errors}
		if strings.Contains(e.Pattern, "grpc.health") {
			t.Errorf("endpoint %s: health probes are measured", e.Pattern)
		}
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("endpoint %s: [requests bad] = %v, want %v", name, got[name], w)
		}
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, `slo_events_total{`) {
		t.Errorf("GET /metrics = %d, without slo_events_total:\n%.500s", code, body)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("GET /readyz = %d, want 200", code)
	}
}

// TestCommand runs the command as a user would, briefly, with its flags.
func TestCommand(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-ops", "127.0.0.1:0", "-duration", "200ms", "-drain", "10ms")
	cmd.Env = append(os.Environ(), "GRPCSERVICE_MAIN=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("grpcservice: %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), "serving gRPC on 127.0.0.1:") {
		t.Errorf("output %q", out.String())
	}
	bad := exec.Command(os.Args[0], "-addr", "not an address")
	bad.Env = cmd.Env
	if outb, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(outb), "grpcservice:") {
		t.Errorf("a bad -addr: %v, %q; want exit 1 with a message", err, outb)
	}
}

// -rules writes the Prometheus rules of every method of the service,
// before any call, and exits.
func TestCommandWritesRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	cmd := exec.Command(os.Args[0], "-rules", path)
	cmd.Env = append(os.Environ(), "GRPCSERVICE_MAIN=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("grpcservice -rules: %v\n%s", err, out)
	}
	rules, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"slo_name: route:grpc.testing.TestService.UnaryCall:availability",
		"slo_name: route:grpc.testing.TestService.FullDuplexCall:latency"} {
		if !strings.Contains(string(rules), want) {
			t.Errorf("rules lack %q:\n%.1000s", want, rules)
		}
	}
}
