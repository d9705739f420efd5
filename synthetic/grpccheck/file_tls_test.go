package grpccheck_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	"github.com/nines-sre/nines/internal/testcert"
	"github.com/nines-sre/nines/synthetic"
	"github.com/nines-sre/nines/synthetic/grpccheck"
	"github.com/nines-sre/nines/synthetic/yamlcheck"
)

// tlsTarget serves the standard health service over TLS with cert on a
// fresh 127.0.0.1 port until the test ends.
func tlsTarget(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	srv := grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})))
	healthpb.RegisterHealthServer(srv, health.NewServer())
	return serve(t, srv)
}

// healthFile is a check file of one check "tls" whose one step "health"
// has the grpc object obj, with ADDR standing for the target.
func healthFile(addr, obj string) string {
	return `{"checks":[{"name":"tls","steps":[{"name":"health","grpc":` + strings.ReplaceAll(obj, "ADDR", addr) + `}]}]}`
}

// runSteps runs each loaded check once on the ticking clock and returns
// each one's first step.
func runSteps(t *testing.T, checks []synthetic.Check) []synthetic.StepResult {
	t.Helper()
	r, err := synthetic.NewRunner(checks, synthetic.WithClock(tickClock()))
	if err != nil {
		t.Fatal(err)
	}
	var steps []synthetic.StepResult
	for _, c := range checks {
		res, err := r.Run(context.Background(), c.Name)
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, res.Steps[0])
	}
	return steps
}

// checkStep fails t unless s passed as SERVING (wantFail "") or failed
// as UNAVAILABLE with a failure containing wantFail.
func checkStep(t *testing.T, s synthetic.StepResult, wantFail string) {
	t.Helper()
	if wantFail == "" {
		if s.Outcome != synthetic.Pass || s.Code != "SERVING" {
			t.Errorf("%v %q %v, want pass with SERVING", s.Outcome, s.Code, s.Failures)
		}
		return
	}
	if s.Outcome != synthetic.Fail || s.Code != "UNAVAILABLE" || !strings.Contains(strings.Join(s.Failures, "\n"), wantFail) {
		t.Errorf("%v %q %v, want fail with UNAVAILABLE and a failure containing %q", s.Outcome, s.Code, s.Failures, wantFail)
	}
}

// The file's "tls": true dials with WithFileTLS's config: a pool with
// the self-signed CA verifies the server, the system roots do not.
func TestLoadTLS(t *testing.T) {
	cert, pool := testcert.SelfSigned(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	addr := tlsTarget(t, cert)
	trusting := func() *tls.Config { return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12} }
	// Changed after WithFileTLS: the option holds its own clone.
	changed := trusting()
	changedOpt := grpccheck.WithFileTLS(changed)
	changed.RootCAs = x509.NewCertPool()

	for _, tc := range []struct {
		name     string
		obj      string
		opts     []grpccheck.FileOption
		wantFail string
	}{
		{"trusted CA", `{"target":"ADDR","tls":true}`, []grpccheck.FileOption{grpccheck.WithFileTLS(trusting())}, ""},
		{"option cloned", `{"target":"ADDR","tls":true}`, []grpccheck.FileOption{changedOpt}, ""},
		{"last option wins", `{"target":"ADDR","tls":true}`, []grpccheck.FileOption{grpccheck.WithFileTLS(nil), nil, grpccheck.WithFileTLS(trusting())}, ""},
		{"system roots", `{"target":"ADDR","tls":true}`, nil, "unknown authority"},
		{"nil config", `{"target":"ADDR","tls":true}`, []grpccheck.FileOption{grpccheck.WithFileTLS(nil)}, "unknown authority"},
		// The option is for "tls": true steps only.
		{"plaintext", `{"target":"ADDR"}`, []grpccheck.FileOption{grpccheck.WithFileTLS(trusting())}, "code UNAVAILABLE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checks, err := grpccheck.Load(strings.NewReader(healthFile(addr, tc.obj)), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			checkStep(t, runSteps(t, checks)[0], tc.wantFail)
		})
	}
}

// "server_name" is the name verified when the target is an address the
// certificate does not name: here 127.0.0.1, the certificate being for
// svc.internal only.
func TestLoadServerName(t *testing.T) {
	cert, pool := testcert.SelfSignedFor(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), "svc.internal")
	addr := tlsTarget(t, cert)
	trusting := func(serverName string) grpccheck.FileOption {
		return grpccheck.WithFileTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12, ServerName: serverName})
	}
	for _, tc := range []struct {
		name     string
		obj      string
		opt      grpccheck.FileOption
		wantFail string
	}{
		{"no server name", `{"target":"ADDR","tls":true}`, trusting(""), "certificate for 127.0.0.1"},
		{"right name", `{"target":"ADDR","tls":true,"server_name":"svc.internal"}`, trusting(""), ""},
		{"wrong name", `{"target":"ADDR","tls":true,"server_name":"wrong.example"}`, trusting(""), "not wrong.example"},
		{"name from the config", `{"target":"ADDR","tls":true}`, trusting("svc.internal"), ""},
		{"step over config", `{"target":"ADDR","tls":true,"server_name":"svc.internal"}`, trusting("wrong.example"), ""},
		{"wrong step over config", `{"target":"ADDR","tls":true,"server_name":"wrong.example"}`, trusting("svc.internal"), "not wrong.example"},
		// Without WithFileTLS the name is checked against the system
		// roots, which do not know the CA.
		{"system roots", `{"target":"ADDR","tls":true,"server_name":"svc.internal"}`, nil, "unknown authority"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checks, err := grpccheck.Load(strings.NewReader(healthFile(addr, tc.obj)), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkStep(t, runSteps(t, checks)[0], tc.wantFail)
		})
	}

	// One step's server_name stays with that step: the file's config is
	// shared by all, and the step after it verifies 127.0.0.1 again.
	t.Run("per step", func(t *testing.T) {
		file := `{"checks":[
		  {"name":"named","steps":[{"name":"health","grpc":{"target":"ADDR","tls":true,"server_name":"svc.internal"}}]},
		  {"name":"unnamed","steps":[{"name":"health","grpc":{"target":"ADDR","tls":true}}]}]}`
		checks, err := grpccheck.Load(strings.NewReader(strings.ReplaceAll(file, "ADDR", addr)), trusting(""))
		if err != nil {
			t.Fatal(err)
		}
		steps := runSteps(t, checks)
		checkStep(t, steps[0], "")
		checkStep(t, steps[1], "certificate for 127.0.0.1")
	})

	t.Run("yaml", func(t *testing.T) {
		file := `
checks:
  - name: tls
    steps:
      - name: health
        grpc: {target: "ADDR", tls: true, server_name: svc.internal}
        assert: [{code: SERVING}]
`
		checks, err := yamlcheck.Load(strings.NewReader(strings.ReplaceAll(file, "ADDR", addr)), grpccheck.FileSupport(trusting("")))
		if err != nil {
			t.Fatal(err)
		}
		checkStep(t, runSteps(t, checks)[0], "")
	})
}

// A load balancer routes on the SNI and a gRPC server on :authority: a
// step's server_name is both, not the address dialed.
func TestServerNameSentAsSNIAndAuthority(t *testing.T) {
	cert, pool := testcert.SelfSignedFor(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), "svc.internal")
	var mu sync.Mutex
	var sni string
	var authority []string
	srv := grpc.NewServer(
		grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12,
			GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
				mu.Lock()
				defer mu.Unlock()
				sni = h.ServerName
				return nil, nil
			}})),
		grpc.UnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			md, _ := metadata.FromIncomingContext(ctx)
			mu.Lock()
			authority = md.Get(":authority")
			mu.Unlock()
			return h(ctx, req)
		}))
	healthpb.RegisterHealthServer(srv, health.NewServer())
	addr := serve(t, srv)
	checks, err := grpccheck.Load(strings.NewReader(healthFile(addr, `{"target":"ADDR","tls":true,"server_name":"svc.internal"}`)),
		grpccheck.WithFileTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}))
	if err != nil {
		t.Fatal(err)
	}
	checkStep(t, runSteps(t, checks)[0], "")
	mu.Lock()
	defer mu.Unlock()
	if sni != "svc.internal" || len(authority) != 1 || authority[0] != "svc.internal" {
		t.Errorf("SNI %q, :authority %q, want svc.internal for both", sni, authority)
	}
}
