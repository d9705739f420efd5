package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/nines-sre/nines/exporters"
)

// rules creates the SLOs of the service's /status/{code} route with one
// good and one bad request, reads every objective from /statusz and writes
// the rules exporters generates for them.
func rules(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rules", flag.ExitOnError)
	app := fs.String("app", "", "base URL of the service")
	ops := fs.String("ops", "", "base URL of its operational endpoints")
	out := fs.String("o", "", "file to write the rules to")
	_ = fs.Parse(args)
	if *app == "" || *ops == "" || *out == "" {
		return fmt.Errorf("rules: need -app, -ops and -o")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for _, code := range []int{200, 500} {
		if err := get(ctx, client, fmt.Sprintf("%s/status/%d", *app, code), code); err != nil {
			return err
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
