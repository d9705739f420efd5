package health

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchRegistry has 20 readiness checks, one of them hung for good, each
// run once. The returned func releases the hung check and shuts down.
func benchRegistry(b *testing.B) (*Registry, func()) {
	r := NewRegistry(WithJitter(0))
	release := make(chan struct{})
	for i := range 20 {
		fn := scripted(StatusPass).run
		if i == 7 {
			fn = func(context.Context) Result { <-release; return Pass() }
		}
		if err := r.Register(Check{Name: fmt.Sprintf("dep-%02d", i), Func: fn, NonCritical: i == 7, Timeout: 10 * time.Millisecond, Interval: time.Hour}); err != nil {
			b.Fatal(err)
		}
	}
	if err := r.RunChecks(context.Background()); err != nil {
		b.Fatal(err)
	}
	return r, func() {
		close(release)
		_ = r.Shutdown(context.Background())
	}
}

func BenchmarkProbe(b *testing.B) {
	for _, tc := range []struct{ name, target, accept string }{
		{"plain", "/readyz", ""},
		{"verbose", "/readyz?verbose", ""},
		{"json", "/readyz", "application/health+json"},
		{"check", "/readyz/dep-03", ""},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r, done := benchRegistry(b)
			defer done()
			h := r.Handler(Readiness)
			req := httptest.NewRequest(http.MethodGet, tc.target, nil)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			w := &nullWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
			if w.code != 200 {
				b.Fatalf("probe answered %d", w.code)
			}
		})
	}
}

func BenchmarkStatus(b *testing.B) {
	r, done := benchRegistry(b)
	defer done()
	b.ReportAllocs()
	for b.Loop() {
		if r.Status(Readiness) != StatusWarn {
			b.Fatal("unexpected status")
		}
	}
}
