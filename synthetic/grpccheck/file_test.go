package grpccheck_test

import (
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

func FuzzLoadGRPC(f *testing.F) {
	f.Add(strings.ReplaceAll(fileChecks, "ADDR", "127.0.0.1:1"))
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"h:1","method":"/grpc.health.v1.Health/Check","request":"{\"service\":1}"}}]}]}`)
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"${h}:1","metadata":{"A":"${x}"},"tls":true}}]}]}`)
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"h:1","method":"/grpc.health.v1.Health/Watch","request":{}}}]}]}`)
	f.Fuzz(func(t *testing.T, file string) {
		checks, err := grpccheck.Load(strings.NewReader(file))
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
