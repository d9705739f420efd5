package synthetic_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/synthetic"
)

func TestLoadFile(t *testing.T) {
	checks, err := synthetic.LoadFile("testdata/shop.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 || len(checks[0].Steps) != 3 {
		t.Fatalf("%+v", checks)
	}
	c := checks[0]
	if c.Interval != 30*time.Second || !c.Readiness || c.Vars["password"] != "env:SHOP_PASSWORD" {
		t.Errorf("check fields: %+v", c)
	}
	if s := c.Steps[1]; s.Timeout != 2*time.Second || s.Assert[2].MaxLatency != 500*time.Millisecond || !s.Assert[2].Soft || s.Extract[0].JSONPath != "$.items[0].id" {
		t.Errorf("search step: %+v", s)
	}
	if !c.Steps[2].NoFollowRedirects || c.Steps[0].NoFollowRedirects || c.Steps[2].Header["Authorization"] != "Bearer ${token}" {
		t.Errorf("redirects or headers: %+v", c.Steps)
	}
	if _, err := synthetic.NewRunner(checks); err != nil {
		t.Error(err)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"not json", `{`, "check file: unexpected EOF"},
		{"unknown field", `{"checks":[{"name":"c","stepz":[]}]}`, `unknown field "stepz"`},
		{"bad duration", `{"checks":[{"name":"c","interval":"soon"}]}`, `duration "soon"`},
		{"duration as number", `{"checks":[{"name":"c","steps":[{"name":"s","timeout":5}]}]}`, `a duration is a string`},
		{"wrong type", `{"checks":[{"name":"c","steps":[{"name":"s","url":3}]}]}`, `checks.steps.url`},
		{"no checks", `{"checks":[]}`, "no checks"},
		{"trailing", `{"checks":[]} {}`, "data after"},
		{"unknown ref", `{"checks":[{"name":"c","steps":[{"name":"pay","url":"http://h/${nope}"}]}]}`, `checks[0]: synthetic: invalid config: check "c" step "pay" URL = "${nope}"`},
		{"assert two tests", `{"checks":[{"name":"c","steps":[{"name":"s","url":"http://h/","assert":[{"status":200,"body_contains":"x"}]}]}]}`, `step "s" Assert[0] = 2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := synthetic.Load(strings.NewReader(tc.file))
			if !errors.Is(err, synthetic.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrInvalidConfig containing %q", err, tc.want)
			}
		})
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","url":"http://h/${x}","extract":[{"name":"x","header":"X"}]}]}]}`)
	f.Add(`{"checks":[{"name":"c","vars":{"a":"env:A"},"steps":[{"name":"s","url":"http://h/${a}","assert":[{"json_path":"$.a[0].b","value":"1"},{"body_regex":"a+"}]}]}]}`)
	f.Add(`{"checks":[{"name":"c","interval":"1s","timeout":"2s","steps":[]}]}`)
	f.Add(`{"checks":[{"name":"c","steps":[{"name":"s","grpc":{"target":"h:1"},"assert":[{"code":"SERVING"}]}]}]}`)
	f.Fuzz(func(t *testing.T, file string) {
		checks, err := synthetic.Load(strings.NewReader(file))
		if err != nil {
			if !errors.Is(err, synthetic.ErrInvalidConfig) {
				t.Fatalf("error does not wrap ErrInvalidConfig: %v", err)
			}
			return
		}
		if len(checks) == 1 { // several may repeat a name, which NewRunner refuses
			if _, err := synthetic.NewRunner(checks); err != nil {
				t.Fatalf("Load accepted what NewRunner refuses: %v", err)
			}
		}
	})
}
