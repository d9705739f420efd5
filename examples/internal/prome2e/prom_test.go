package main

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// promClient reads instant vectors from Prometheus's API answers and
// reports its errors and unexpected shapes.
func TestPromClientQuery(t *testing.T) {
	answers := map[string]string{
		`up`:    `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"nines"},"value":[1795290858.057,"1"]}]}}`,
		`two`:   `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]},{"metric":{},"value":[1,"2"]}]}}`,
		`bad(`:  `{"status":"error","errorType":"bad_data","error":"parse error"}`,
		`range`: `{"status":"success","data":{"resultType":"matrix","result":[]}}`,
		`nan`:   `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(answers[r.URL.Query().Get("query")]))
	}))
	defer srv.Close()
	p := promClient{base: srv.URL, client: srv.Client()}
	ctx := context.Background()

	v, err := p.query(ctx, "up")
	if err != nil || len(v) != 1 || v[0].Value != 1 || v[0].Metric["job"] != "nines" {
		t.Errorf("query(up) = %v, %v; want one sample 1 of job nines", v, err)
	}
	if got, err := p.scalar(ctx, "up"); err != nil || got != 1 {
		t.Errorf("scalar(up) = %v, %v; want 1", got, err)
	}
	for _, q := range []string{"two", "bad(", "range"} {
		if got, err := p.scalar(ctx, q); err == nil {
			t.Errorf("scalar(%s) = %v, want an error", q, got)
		}
	}
	if got, err := p.scalar(ctx, "nan"); err != nil || !math.IsNaN(got) {
		t.Errorf("scalar(nan) = %v, %v; want NaN", got, err)
	}
	if err := p.waitFor(ctx, "up", 1, 0); err != nil {
		t.Errorf("waitFor(up, 1): %v", err)
	}
	short, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.waitFor(short, "up", 2, 0); err == nil {
		t.Error("waitFor(up, 2) with an ended context returned nil")
	}
}

// parseVector never panics and accepts only vectors of parseable values.
func FuzzParseVector(f *testing.F) {
	f.Add([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"b"},"value":[1,"0.5"]}]}}`))
	f.Add([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}`))
	f.Add([]byte(`{"status":"error","error":"x"}`))
	f.Add([]byte(`{"status":"success","data":{"resultType":"matrix"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := parseVector(body)
		if err != nil && v != nil {
			t.Fatalf("parseVector returned samples %v with error %v", v, err)
		}
	})
}
