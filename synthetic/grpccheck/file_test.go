package grpccheck_test

import (
	"crypto/tls"
	"errors"
	"strings"
	"testing"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/nines-sre/nines/synthetic"
	"github.com/nines-sre/nines/synthetic/grpccheck"
	"github.com/nines-sre/nines/synthetic/yamlcheck"
)

const fileChecks = `{"checks":[{"name":"grpc","vars":{"svc":"shop"},"steps":[
  {"name":"health","grpc":{"target":"ADDR","service":"shop"},"assert":[{"code":"SERVING"}]},
  {"name":"by-method","grpc":{"target":"ADDR","method":"/grpc.health.v1.Health/Check","request":"{\"service\":\"${svc}\"}","metadata":{"x-tenant":"t1"}},
   "assert":[{"code":"OK"},{"json_path":"$.status","value":"SERVING"}],"extract":[{"name":"session","header":"x-session"}]},
  {"name":"inline","grpc":{"target":"ADDR","method":"/grpc.health.v1.Health/Check","request":{"service":"${session}"}},"assert":[{"code":"NOT_FOUND"}]}
]}]}`

const yamlChecks = `
checks:
  - name: grpc
    steps:
      - name: health
        grpc: {target: "ADDR", service: shop}
        assert: [{code: SERVING}]
      - name: by-method
        grpc:
          target: "ADDR"
          method: /grpc.health.v1.Health/Check
          request: '{"service": "shop"}'
        assert: [{json_path: $.status, value: SERVING}]
`

func TestLoadGRPCSteps(t *testing.T) {
	tg := newTarget(t)
	tg.health.SetServingStatus("shop", healthpb.HealthCheckResponse_SERVING)
	for name, load := range map[string]func() ([]synthetic.Check, error){
		"json": func() ([]synthetic.Check, error) {
			return grpccheck.Load(strings.NewReader(strings.ReplaceAll(fileChecks, "ADDR", tg.addr)))
		},
		"yaml": func() ([]synthetic.Check, error) {
			return yamlcheck.Load(strings.NewReader(strings.ReplaceAll(yamlChecks, "ADDR", tg.addr)), grpccheck.FileSupport())
		},
	} {
		t.Run(name, func(t *testing.T) {
			checks, err := load()
			if err != nil {
				t.Fatal(err)
			}
			res := runOnce(t, checks[0])
			if res.Outcome != synthetic.Pass {
				t.Fatalf("outcome %v: %s", res.Outcome, res.Err())
			}
			if res.Steps[0].Code != "SERVING" || res.Steps[1].Code != "OK" {
				t.Errorf("codes %q %q", res.Steps[0].Code, res.Steps[1].Code)
			}
		})
	}
	tenants := 0 // only the JSON file's by-method step sets it
	for _, md := range tg.calls() {
		if v := md.Get("x-tenant"); len(v) == 1 && v[0] == "t1" {
			tenants++
		}
	}
	if tenants != 1 {
		t.Errorf("%d calls carried the file's metadata x-tenant: t1, want 1", tenants)
	}
}

func TestLoadGRPCErrors(t *testing.T) {
	step := func(grpc string) string {
		return `{"checks":[{"name":"c","steps":[{"name":"s","grpc":` + grpc + `}]}]}`
	}
	for _, tc := range []struct{ name, file, want string }{
		{"unknown field", step(`{"target":"h:1","servce":"x"}`), `step "s" grpc = "{...}": json: unknown field "servce"`},
		{"no target", step(`{"service":"x"}`), `step "s" grpc = "{...}": synthetic: invalid config: grpc.target = "": required`},
		{"service and method", step(`{"target":"h:1","service":"x","method":"/grpc.health.v1.Health/Check"}`), `service is for a health check`},
		{"request without method", step(`{"target":"h:1","request":"{}"}`), `request needs a method`},
		{"request not text", step(`{"target":"h:1","method":"/grpc.health.v1.Health/Check","request":3}`), `request must be protojson text`},
		{"unknown method", step(`{"target":"h:1","method":"/shop.Cart/Add"}`), `service shop.Cart is not registered`},
		{"url too", `{"checks":[{"name":"c","steps":[{"name":"s","url":"http://h/","grpc":{"target":"h:1"}}]}]}`, `step "s" URL = "http://h/": an HTTP field`},
		{"status assertion", `{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"h:1"},"assert":[{"status":200}]}]}]}`, `step "s" Assert[0].Status = 200`},
		{"server_name without tls", step(`{"target":"h:1","server_name":"svc.internal"}`), `server_name needs "tls": true`},
		{"server_name with tls false", step(`{"target":"h:1","tls":false,"server_name":"svc.internal"}`), `server_name needs "tls": true`},
		{"empty server_name", step(`{"target":"h:1","tls":true,"server_name":""}`), `server_name is empty`},
		{"server_name with port", step(`{"target":"h:1","tls":true,"server_name":"svc.internal:443"}`), `server_name "svc.internal:443": must be a DNS name or an IP address, without a port`},
		{"server_name a URL", step(`{"target":"h:1","tls":true,"server_name":"https://svc.internal"}`), `must be a DNS name or an IP address`},
		{"server_name empty label", step(`{"target":"h:1","tls":true,"server_name":"svc..internal"}`), `must be a DNS name or an IP address`},
		{"server_name ref", step(`{"target":"h:1","tls":true,"server_name":"${host}"}`), `server_name "${host}": a server name takes no ${name} references`},
		{"server_name not a string", step(`{"target":"h:1","tls":true,"server_name":443}`), `server_name: a JSON number where a string belongs`},
		{"tls not a bool", step(`{"target":"h:1","tls":"yes"}`), `tls: a JSON string where a boolean (true or false) belongs`},
		{"metadata value not a string", step(`{"target":"h:1","metadata":{"a":1}}`), `metadata: a JSON number where a string belongs`},
		{"metadata not an object", step(`{"target":"h:1","metadata":["a"]}`), `metadata: a JSON array where an object of strings belongs`},
		{"service not a string", step(`{"target":"h:1","service":1}`), `service: a JSON number where a string belongs`},
		{"unknown ref", step(`{"target":"h:1","method":"/grpc.health.v1.Health/Check","request":"{\"service\":\"${x}\"}"}`), `step "s" grpc.request = "${x}"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := grpccheck.Load(strings.NewReader(tc.file))
			if !errors.Is(err, synthetic.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrInvalidConfig containing %q", err, tc.want)
			}
		})
	}
}

// The names a certificate can hold load; the refused ones are in
// TestLoadGRPCErrors.
func TestLoadServerNameAccepted(t *testing.T) {
	for _, name := range []string{"svc.internal", "svc.internal.", "localhost", "my_svc.example.com", "10.0.0.7", "::1"} {
		file := `{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"10.0.0.7:1","tls":true,"server_name":"` + name + `"}}]}]}`
		if _, err := grpccheck.Load(strings.NewReader(file)); err != nil {
			t.Errorf("server_name %q: %v", name, err)
		}
	}
}

func FuzzLoadGRPC(f *testing.F) {
	f.Add(strings.ReplaceAll(fileChecks, "ADDR", "127.0.0.1:1"))
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"h:1","method":"/grpc.health.v1.Health/Check","request":"{\"service\":1}"}}]}]}`)
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"${h}:1","metadata":{"A":"${x}"},"tls":true}}]}]}`)
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"h:1","method":"/grpc.health.v1.Health/Watch","request":{}}}]}]}`)
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"10.0.0.7:1","tls":true,"server_name":"svc.internal"}}]}]}`)
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"h:1","server_name":"::1"}}]}]}`)
	f.Fuzz(func(t *testing.T, file string) {
		// With a config, so that a step's server_name is set on a clone.
		checks, err := grpccheck.Load(strings.NewReader(file), grpccheck.WithFileTLS(&tls.Config{MinVersion: tls.VersionTLS12}))
		if err != nil {
			if !errors.Is(err, synthetic.ErrInvalidConfig) {
				t.Fatalf("error does not wrap ErrInvalidConfig: %v", err)
			}
			return
		}
		if len(checks) == 1 {
			if _, err := synthetic.NewRunner(checks); err != nil {
				t.Fatalf("Load accepted what NewRunner refuses: %v", err)
			}
		}
	})
}
