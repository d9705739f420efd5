package main

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/synthetic"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The fault breaks checkout only: the check fails at that step, the
// timeline says so, and the checkout route's user SLO has seen nothing,
// because no user request failed and the check's own are not user
// traffic.
func TestCheckCatchesTheCheckoutFault(t *testing.T) {
	t.Setenv("SHOP_PASSWORD", "s3cret")
	a, err := newApp(synthetic.DefaultInterval)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := a.close(); err != nil {
			t.Error(err)
		}
	}()
	var events []string
	a.monitor.OnEvent(func(e availability.Event) { events = append(events, e.Message) })
	ctx := context.Background()

	res, err := a.runner.Run(ctx, "shop-flow")
	if err != nil || res.Outcome != synthetic.Pass || len(res.Steps) != 3 {
		t.Fatalf("healthy shop: %v %v %q", err, res.Outcome, res.Err())
	}
	a.shop.checkoutBroken.Store(true)
	for _, p := range []string{"/login", "/search?q=tea"} {
		if code, err := a.user(ctx, p); err != nil || code >= 500 {
			t.Fatalf("user %s: %d %v", p, code, err)
		}
	}
	res, _ = a.runner.Run(ctx, "shop-flow")
	if res.Outcome != synthetic.Fail || len(res.Steps) != 3 || res.Steps[2].Status != 500 {
		t.Fatalf("broken checkout: %v %+v", res.Outcome, res.Steps)
	}
	if want := "step checkout: status 500, want 200"; res.Err() != want {
		t.Errorf("Err = %q, want %q", res.Err(), want)
	}
	if len(events) != 1 || !strings.Contains(events[0], "synthetic check shop-flow: fail: step checkout: status 500") {
		t.Errorf("timeline: %q", events)
	}
	sawLogin := false
	for _, s := range a.monitor.SLOs().Objectives() {
		good, bad := s.Events()
		if strings.Contains(s.Name(), "login") {
			// The user's one login counts; the check's two do not.
			sawLogin = true
			if good != 1 || bad != 0 {
				t.Errorf("user SLO %s: good %d bad %d, want 1 0", s.Name(), good, bad)
			}
		}
		if strings.Contains(s.Name(), "checkout") && good+bad != 0 {
			t.Errorf("user SLO %s counted the check's requests: good %d bad %d", s.Name(), good, bad)
		}
		if s.Name() == "synthetic.shop-flow.success" && (good != 1 || bad != 1) {
			t.Errorf("success SLO: good %d bad %d, want 1 1", good, bad)
		}
	}
	if !sawLogin {
		t.Error("no SLO for the login route")
	}
	a.shop.checkoutBroken.Store(false)
	if res, _ := a.runner.Run(ctx, "shop-flow"); res.Outcome != synthetic.Pass {
		t.Errorf("after the fix: %v", res.Outcome)
	}
	if len(events) != 2 || !strings.Contains(events[1], "passes again") {
		t.Errorf("timeline after recovery: %q", events)
	}
}

func TestRunShort(t *testing.T) {
	t.Setenv("SHOP_PASSWORD", "s3cret")
	if err := run(context.Background(), 0, nil); err == nil || !strings.Contains(err.Error(), "-duration 0s") {
		t.Errorf("err = %v", err)
	}
}
