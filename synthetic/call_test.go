package synthetic_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/synthetic"
)

// echoCall is a Call that answers from the run's values without a network:
// it tests the step machinery around a Call (grpccheck tests real gRPC).
type echoCall struct {
	text string // expanded into the body
	code string
	ok   bool
}

func (c echoCall) Texts() map[string]string { return map[string]string{"echo.text": c.text} }

func (c echoCall) Do(ctx context.Context, in synthetic.CallInput) (synthetic.CallResponse, error) {
	v, err := in.Expand(c.text, func(s string) string { return strings.ReplaceAll(s, `"`, `\"`) })
	if err != nil {
		return synthetic.CallResponse{}, err
	}
	return synthetic.CallResponse{
		Code: c.code, OK: c.ok, Message: "as told",
		Header: map[string][]string{"x-own": {in.OwnTraffic}, "x-trace": {in.Traceparent}},
		Body:   []byte(`{"echo":"` + v + `"}`),
	}, nil
}

func TestCallStepValidation(t *testing.T) {
	call := echoCall{text: "${v}", code: "OK", ok: true}
	vars := map[string]string{"v": "1"}
	for _, tc := range []struct {
		name string
		step synthetic.Step
		want string
	}{
		{"url", synthetic.Step{Name: "s", Call: call, URL: "http://h/"}, `check "c" step "s" URL = "http://h/": an HTTP field`},
		{"method", synthetic.Step{Name: "s", Call: call, Method: "POST"}, `step "s" Method = "POST": an HTTP field`},
		{"header", synthetic.Step{Name: "s", Call: call, Header: map[string]string{"A": "b"}}, `step "s" Header = map[A:b]: an HTTP field`},
		{"body", synthetic.Step{Name: "s", Call: call, Body: "x"}, `step "s" Body = "x": an HTTP field`},
		{"redirects", synthetic.Step{Name: "s", Call: call, NoFollowRedirects: true}, `step "s" NoFollowRedirects = true`},
		{"status", synthetic.Step{Name: "s", Call: call, Assert: []synthetic.Assertion{{Status: 200}}}, `step "s" Assert[0].Status = 200: an HTTP status`},
		{"cookie", synthetic.Step{Name: "s", Call: call, Extract: []synthetic.Extract{{Name: "k", Cookie: "k"}}}, `step "s" Extract[0].Cookie = "k": cookies are HTTP`},
		{"unknown ref", synthetic.Step{Name: "s", Call: echoCall{text: "${nope}"}}, `step "s" echo.text = "${nope}": refers to a value no Var defines`},
		{"code on http", synthetic.Step{Name: "s", URL: "http://h/", Assert: []synthetic.Assertion{{Code: "OK"}}}, `step "s" Assert[0].Code = "OK": a call's code`},
		{"code and header", synthetic.Step{Name: "s", Call: call, Assert: []synthetic.Assertion{{Code: "OK", Header: "x"}}}, `step "s" Assert[0] = 2: exactly one of Status, Code`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := synthetic.NewRunner([]synthetic.Check{{Name: "c", Vars: vars, Steps: []synthetic.Step{tc.step}}})
			if !errors.Is(err, synthetic.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrInvalidConfig containing %q", err, tc.want)
			}
		})
	}
}

func TestCallStep(t *testing.T) {
	r, err := synthetic.NewRunner([]synthetic.Check{{Name: "c", Vars: map[string]string{"v": `a"b`, "pw": "env:SYNTH_CALL_PW"}, Steps: []synthetic.Step{
		{Name: "first", Call: echoCall{text: "${v}", code: "OK", ok: true},
			Assert:  []synthetic.Assertion{{Code: "OK"}, {JSONPath: "$.echo", Value: `a"b`}, {Header: "X-Own", Value: "synthetic"}, {BodyRegex: `^\{"echo"`}, {MaxLatency: time.Hour}},
			Extract: []synthetic.Extract{{Name: "e", JSONPath: "$.echo"}, {Name: "tp", Header: "x-trace"}}},
		{Name: "second", Call: echoCall{text: "${e}|${tp}", code: "OK", ok: true}, Assert: []synthetic.Assertion{{BodyContains: `a\"b|00-`}}},
		{Name: "not-ok", Call: echoCall{text: "${pw}", code: "UNAVAILABLE"}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SYNTH_CALL_PW", "hunter2")
	res, err := r.Run(context.Background(), "c")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 3 || res.Steps[0].Outcome != synthetic.Pass || res.Steps[1].Outcome != synthetic.Pass {
		t.Fatalf("%+v", res.Steps)
	}
	// Without a Code assertion a call that is not OK fails.
	last := res.Steps[2]
	if res.Outcome != synthetic.Fail || last.Code != "UNAVAILABLE" || last.Failures[0] != "code UNAVAILABLE: as told" {
		t.Errorf("outcome %v, last step %+v", res.Outcome, last)
	}
}

func TestLoadGRPCStepWithoutSupport(t *testing.T) {
	file := `{"checks":[{"name":"c","steps":[{"name":"health","grpc":{"target":"127.0.0.1:1"}}]}]}`
	_, err := synthetic.Load(strings.NewReader(file))
	want := `checks[0]: synthetic: invalid config: check "c" step "health" grpc = "{...}": gRPC steps need gRPC support`
	if !errors.Is(err, synthetic.ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
	decoded := ""
	checks, err := synthetic.Load(strings.NewReader(file), synthetic.WithGRPC(func(data []byte) (synthetic.Call, error) {
		decoded = string(data)
		return echoCall{code: "OK", ok: true}, nil
	}))
	if err != nil || decoded != `{"target":"127.0.0.1:1"}` || checks[0].Steps[0].Call == nil {
		t.Errorf("with a decoder: %v, decoded %q", err, decoded)
	}
	_, err = synthetic.Load(strings.NewReader(file), synthetic.WithGRPC(func([]byte) (synthetic.Call, error) { return nil, errors.New("no such method") }))
	if want := `step "health" grpc = "{...}": no such method`; !errors.Is(err, synthetic.ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
		t.Errorf("decoder error: %v, want %q", err, want)
	}
}
