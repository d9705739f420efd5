package availability

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/nines-sre/nines/health"
)

func TestHandlerPaths(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "# metrics\n") })
	reg := health.NewRegistry(health.WithJitter(0))
	if err := reg.Register(health.Check{Name: "db", Func: func(context.Context) health.Result {
		return health.Fail(errors.New("down"))
	}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(health.Check{Name: "self", Groups: health.Liveness | health.Startup,
		Func: func(context.Context) health.Result { return health.Pass() }}); err != nil {
		t.Fatal(err)
	}
	with, _, _ := newTestMonitor(t, WithHealth(reg), WithMetricsHandler(metrics))
	without, _, _ := newTestMonitor(t)
	if err := reg.RunChecks(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		m      *Monitor
		path   string
		status int
	}{
		{with, "/livez", 200},
		{with, "/livez/self", 200},
		{with, "/readyz", 503},
		{with, "/readyz/db", 503},
		{with, "/readyz/nope", 404},
		{with, "/startupz", 200},
		{with, "/statusz", 200},
		{with, "/metrics", 200},
		{with, "/elsewhere", 404},
		{without, "/metrics", 404},
		{without, "/readyz", 200},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", tc.path, nil)
		req.RemoteAddr = "127.0.0.1:1234" // LoopbackOnly serves /statusz
		tc.m.Handler().ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.path, rec.Code, tc.status, rec.Body.String())
		}
	}
	with.health.Drain()
	rec := httptest.NewRecorder()
	with.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/statusz", nil))
	if st := with.Statusz(); !st.Health.Draining || st.Health.Groups["ready"] != "draining" {
		t.Errorf("statusz health %+v after Drain", st.Health)
	}
}
