package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/slo"
)

// rules writes the generated rules of the replicas' objective, with no
// for: clause so that the loop is not slowed by a minute of confirmation.
func rules(args []string) error {
	fs := flag.NewFlagSet("rules", flag.ExitOnError)
	out := fs.String("o", "", "file to write the rules to")
	_ = fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("rules: need -o")
	}
	text, err := exporters.PrometheusRules([]slo.Objective{objective}, exporters.WithAlertFor(0))
	if err != nil {
		return err
	}
	return os.WriteFile(*out, text, 0o644)
}
