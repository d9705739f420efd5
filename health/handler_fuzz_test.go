package health

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func FuzzHandlerQuery(f *testing.F) {
	f.Add("/readyz", "verbose&exclude=db", "application/health+json")
	f.Add("/readyz/db", "", "text/plain;q=0.5, */*")
	f.Add("/readyz/", "exclude=a,b,,c&exclude=%zz", "application/json;q=0.x")
	f.Add("/readyz//db", "verbose=%", ";;,,q=")
	r := NewRegistry(WithJitter(0))
	for _, name := range []string{"db", "cache"} {
		if err := r.Register(Check{Name: name, Func: scripted(StatusPass, StatusFail).run}); err != nil {
			f.Fatal(err)
		}
	}
	if err := r.RunChecks(context.Background()); err != nil {
		f.Fatal(err)
	}
	h := r.Handler(Readiness, WithDetailsAuthorizer(func(req *http.Request) bool { return req.URL.Query().Has("verbose") }))
	f.Fuzz(func(t *testing.T, path, rawQuery, accept string) {
		req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path, RawQuery: rawQuery}, Header: http.Header{"Accept": {accept}}}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 503, 404:
		default:
			t.Fatalf("GET %q?%q answered %d", path, rawQuery, rec.Code)
		}
		if rec.Body.Len() == 0 {
			t.Fatalf("GET %q?%q: empty body", path, rawQuery)
		}
		q := parseProbeQuery(rawQuery)
		for _, name := range q.exclude {
			if name == "" {
				t.Fatalf("empty exclude name from %q", rawQuery)
			}
		}
		_ = negotiate(accept)
	})
}
