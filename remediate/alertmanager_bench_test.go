package remediate

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// BenchmarkReceiver: one Alertmanager notification of one alert (the
// testdata payload), a duplicate after the first; and a request with a
// wrong token, which is what a flood costs.
func BenchmarkReceiver(b *testing.B) {
	body, err := os.ReadFile("testdata/alertmanager-firing.json")
	if err != nil {
		b.Fatal(err)
	}
	rc := mustReceiver(b, sinkFunc(func(Signal) bool { return true }))
	for _, bc := range []struct{ name, auth string }{{"duplicate", "Bearer " + testToken}, {"unauthorized", "Bearer nope"}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
				req.Header.Set("Authorization", bc.auth)
				rc.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
