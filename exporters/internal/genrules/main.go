// Command genrules writes the Prometheus rules for the sample objectives
// (exporters/internal/samples) to -o, for CI's promtool check.
//
//	go run ./exporters/internal/genrules -o rules.yml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/exporters/internal/samples"
)

func main() {
	out := flag.String("o", "-", "output file; - means stdout")
	flag.Parse()
	rules, err := exporters.PrometheusRules(samples.Objectives())
	if err != nil {
		fmt.Fprintln(os.Stderr, "genrules:", err)
		os.Exit(1)
	}
	if *out == "-" {
		_, err = os.Stdout.Write(rules)
	} else {
		err = os.WriteFile(*out, rules, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genrules:", err)
		os.Exit(1)
	}
}
