package availability_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/nines-sre/nines/availability"
)

// The status page for a browser, JSON for a script, and nothing for a
// client the Authorizer refuses (the default serves loopback only).
func ExampleMonitor_Handler_statusPage() {
	m, err := availability.New(availability.WithRoutes("GET /hello"),
		availability.WithRouteObjectives(availability.RouteObjectives{Availability: 0.999}))
	if err != nil {
		panic(err)
	}
	ops := m.Handler()
	ask := func(remote, accept string) {
		req := httptest.NewRequest("GET", "/statusz", nil)
		req.RemoteAddr = remote
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		ops.ServeHTTP(rec, req)
		body := rec.Body.String()
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"),
			strings.Contains(body, `<section id="slos">`), strings.Contains(body, `"name": "route:GET:hello:availability"`))
	}
	ask("127.0.0.1:40000", "text/html")
	ask("127.0.0.1:40000", "application/json")
	ask("198.51.100.7:40000", "text/html")

	// A service behind an authenticating proxy trusts the proxy instead.
	open := m.Handler(availability.WithAuthorizer(func(r *http.Request) (allowed, details bool) {
		return r.Header.Get("X-Authenticated-User") != "", false
	}))
	req := httptest.NewRequest("GET", "/statusz?format=json", nil)
	req.Header.Set("X-Authenticated-User", "oncall")
	rec := httptest.NewRecorder()
	open.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	// Output:
	// 200 text/html; charset=utf-8 true false
	// 200 application/json false true
	// 403 text/plain; charset=utf-8 false false
	// 200 application/json
}
