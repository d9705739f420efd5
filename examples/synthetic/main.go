// Command synthetic runs a shop (login, search, checkout) behind an
// availability.Monitor with a synthetic check of the whole flow attached
// to it. A third of the way through, a bad deploy breaks checkout only;
// the check catches it on its next run, at the checkout step, while users
// who only log in and search see nothing wrong, and before any user
// request to checkout has failed.
//
//	SHOP_PASSWORD=s3cret go run ./examples/synthetic
//	SHOP_PASSWORD=s3cret go run ./examples/synthetic -duration 5s
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/synthetic"
)

func main() {
	duration := flag.Duration("duration", 6*time.Second, "how long the demo runs (at least 3s)")
	flag.Parse()
	if err := run(context.Background(), *duration, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "synthetic:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, duration time.Duration, out io.Writer) error {
	if duration < 3*time.Second {
		return fmt.Errorf("-duration %v: must be at least 3s", duration)
	}
	if os.Getenv("SHOP_PASSWORD") == "" {
		return fmt.Errorf("SHOP_PASSWORD is not set (the shop's password is s3cret)")
	}
	a, err := newApp(time.Second)
	if err != nil {
		return err
	}
	a.monitor.OnEvent(func(e availability.Event) {
		if e.Subject == "synthetic.shop-flow" {
			fmt.Fprintf(out, "%s  %s\n", e.Time.Format("15:04:05.000"), e.Message)
		}
	})
	a.runner.OnResult(func(r synthetic.Result) {
		for _, s := range r.Steps {
			fmt.Fprintf(out, "  %-8s %3d %-8s %v\n", s.Name, s.Status, s.Outcome, s.Duration.Round(time.Microsecond))
		}
	})
	if err := a.monitor.Start(ctx); err != nil {
		return err
	}
	if err := a.runner.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "shop on %s; the check runs every second\n", a.base)
	deadline := time.Now().Add(duration)
	broken := false
	userErrors := 0
	for time.Now().Before(deadline) {
		if !broken && time.Until(deadline) < duration*2/3 {
			broken = true
			a.shop.checkoutBroken.Store(true)
			fmt.Fprintln(out, "FAULT: a bad deploy breaks checkout (login and search still work)")
		}
		for _, p := range []string{"/login", "/search?q=tea"} {
			if code, err := a.user(ctx, p); err != nil || code >= 500 {
				userErrors++
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Fprintf(out, "user requests that failed: %d; the check's last run: %v\n", userErrors, lastOutcome(a.runner))
	return a.close()
}

func lastOutcome(r *synthetic.Runner) string {
	last := r.Last("shop-flow")
	if len(last) == 0 {
		return "none"
	}
	res := last[len(last)-1]
	if e := res.Err(); e != "" {
		return res.Outcome.String() + " (" + e + ")"
	}
	return res.Outcome.String()
}
