package synthetic_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/synthetic"
)

// The overhead of one step over a bare http.Client request to the same
// loopback server, keep-alive on both: run them side by side,
//
//	go test -run XXX -bench 'Step|BareClient' -benchmem ./synthetic
func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"ok":true}`)) }))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkBareClient(b *testing.B) {
	srv := benchServer(b)
	c := &http.Client{Transport: &http.Transport{}}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.StatusCode)
		}
	}
}

func BenchmarkStep(b *testing.B) {
	srv := benchServer(b)
	r, err := synthetic.NewRunner([]synthetic.Check{{Name: "c", Steps: []synthetic.Step{
		{Name: "s", URL: srv.URL, Assert: []synthetic.Assertion{{Status: 200}}}}}},
		synthetic.WithTransport(&http.Transport{}), synthetic.WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Run(ctx, "c")
		if err != nil || res.Outcome != synthetic.Pass {
			b.Fatal(err, res.Err())
		}
	}
}
