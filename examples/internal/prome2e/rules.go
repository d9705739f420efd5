package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/nines-sre/nines/examples/internal/harness"
	"github.com/nines-sre/nines/exporters"
)

// rules creates the SLOs of the /status/{code} route on every replica with
// one good and one bad request, reads every objective from one replica's
// /statusz and writes the rules exporters generates for them.
func rules(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rules", flag.ExitOnError)
	app := fs.String("app", "", "base URLs of the service's replicas, comma-separated")
	ops := fs.String("ops", "", "base URL of one replica's operational endpoints")
	out := fs.String("o", "", "file to write the rules to")
	_ = fs.Parse(args)
	if *app == "" || *ops == "" || *out == "" {
		return fmt.Errorf("rules: need -app, -ops and -o")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for _, base := range harness.SplitList(*app) {
		for _, code := range []int{200, 500} {
			if err := harness.Get(ctx, client, fmt.Sprintf("%s/status/%d", base, code), code); err != nil {
				return err
			}
		}
	}
	objs, err := objectives(ctx, *ops)
	if err != nil {
		return err
	}
	for _, o := range objs {
		logf("objective %s: target %v over %v", o.Name, o.Target, o.Window.Period())
	}
	text, err := exporters.PrometheusRules(objs)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, text, 0o644)
}
