package yamlcheck_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/nines-sre/nines/synthetic"
	"github.com/nines-sre/nines/synthetic/yamlcheck"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const shop = `
checks:
  - name: shop
    interval: 30s
    readiness: true
    vars: {password: "env:SHOP_PASSWORD"}
    steps:
      - name: login
        method: POST
        url: http://127.0.0.1:8080/login
        body: '{"password":"${password}"}'
        assert: [{status: 200}]
        extract: [{name: token, json_path: $.token}]
      - name: checkout
        url: http://127.0.0.1:8080/checkout
        follow_redirects: false
        headers: {Authorization: "Bearer ${token}"}
        assert: [{status: 200}, {max_latency: 500ms, soft: true}]
`

func TestLoad(t *testing.T) {
	checks, err := yamlcheck.Load(strings.NewReader(shop))
	if err != nil {
		t.Fatal(err)
	}
	c := checks[0]
	if c.Name != "shop" || c.Interval != 30*time.Second || !c.Readiness || len(c.Steps) != 2 {
		t.Fatalf("%+v", c)
	}
	s := c.Steps[1]
	if !s.NoFollowRedirects || s.Header["Authorization"] != "Bearer ${token}" || s.Assert[1].MaxLatency != 500*time.Millisecond || !s.Assert[1].Soft {
		t.Errorf("checkout step: %+v", s)
	}
	if c.Steps[0].Extract[0].JSONPath != "$.token" {
		t.Errorf("extract: %+v", c.Steps[0].Extract)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"not yaml", "checks: [", "check file: yaml"},
		{"non-string key", "checks:\n  - {1: x}", "keys must be strings"},
		{"unknown field", "checks:\n  - name: c\n    stepz: []", `unknown field "stepz"`},
		{"unknown ref", "checks:\n  - name: c\n    steps:\n      - name: pay\n        url: http://h/${nope}", `check "c" step "pay" URL = "${nope}"`},
		{"bad duration", "checks:\n  - name: c\n    interval: soon", `duration "soon"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := yamlcheck.Load(strings.NewReader(tc.file))
			if !errors.Is(err, synthetic.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrInvalidConfig containing %q", err, tc.want)
			}
		})
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(shop)
	f.Add("checks:\n  - name: c\n    steps: [{name: s, url: 'http://h/'}]")
	f.Fuzz(func(t *testing.T, file string) {
		if _, err := yamlcheck.Load(strings.NewReader(file)); err != nil && !errors.Is(err, synthetic.ErrInvalidConfig) {
			t.Fatalf("error does not wrap ErrInvalidConfig: %v", err)
		}
	})
}
