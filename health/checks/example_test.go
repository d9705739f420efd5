package checks_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/health/checks"
)

func ExampleHTTPGet() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	client := srv.Client() // in a service: the client the handlers already use

	check, err := checks.HTTPGet(client, srv.URL+"/healthz", checks.WithStatusRange(200, 299))
	if err != nil {
		fmt.Println(err)
		return
	}
	res := check(context.Background())
	fmt.Println(res.Status, res.Measurement, res.ObservedValue)
	// Output: pass status 200
}

func ExampleNewHeartbeat() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	hb, err := checks.NewHeartbeat(5*time.Minute, checks.WithClock(func() time.Time { return now }))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(hb.Check(context.Background()).Err)

	hb.BeatAt(now.Add(-2 * time.Minute)) // the job reported in two minutes ago
	fmt.Println(hb.Check(context.Background()).Status)

	now = now.Add(4 * time.Minute) // six minutes since the beat
	res := hb.Check(context.Background())
	fmt.Println(res.Status, res.Err)
	// Output:
	// checks: no heartbeat yet
	// pass
	// fail checks: heartbeat late: last beat 6m0s ago, max 5m0s
}

func ExampleMaintenance() {
	var m checks.Maintenance // zero value: off
	fmt.Println(m.Check(context.Background()).Status)
	m.Set(true)
	res := m.Check(context.Background())
	fmt.Println(res.Status, res.Err)
	// Output:
	// pass
	// fail checks: maintenance mode
}

func ExampleDiskFree_invalid() {
	_, err := checks.DiskFree("/var/lib/app", 1<<30, 10<<30)
	fmt.Println(err)
	// Output: checks: invalid config: DiskFree failBelow = 10737418240: exceeds warnBelow (1073741824)
}

// A heartbeat registered with the registry: the background job beats, the
// registry runs the check on its schedule, probes read the cached status.
func ExampleHeartbeat_registry() {
	ctx := context.Background()
	hb, _ := checks.NewHeartbeat(time.Hour)
	reg := health.NewRegistry()
	if err := reg.Register(health.Check{Name: "nightly-export", Func: hb.Check}); err != nil {
		fmt.Println(err)
		return
	}
	_ = reg.RunChecks(ctx) // in a service: reg.Start(ctx)
	st, _ := reg.CheckStatus("nightly-export")
	fmt.Println("before the first beat:", st)

	hb.Beat() // the job finished a run
	_ = reg.RunChecks(ctx)
	st, _ = reg.CheckStatus("nightly-export")
	fmt.Println("after a beat:", st)
	_ = reg.Shutdown(ctx)
	// Output:
	// before the first beat: fail
	// after a beat: pass
}
