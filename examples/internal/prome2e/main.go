// Command prome2e is the Go side of CI's end-to-end Prometheus check
// (.ci/checks/40-prometheus-e2e.sh), against a running examples/httpservice:
//
//	prome2e ports N                 print N free loopback ports
//	prome2e wait URL TIMEOUT        poll URL until it answers 200
//	prome2e rules -app URL,URL -ops URL -o FILE
//	                                create the /status/{code} route's SLOs on
//	                                every replica with one good and one bad
//	                                request, read them from one /statusz and
//	                                write their Prometheus rules
//	                                (exporters.PrometheusRules) to FILE
//	prome2e check -app URL,URL -ops URL,URL -prom URL -bad-every N,N [flags]
//	                                drive traffic with a known bad ratio per
//	                                replica, wait for quiet, and compare
//	                                Prometheus's fleet numbers with the sum of
//	                                the replicas' /statusz (-save FILE keeps
//	                                them for restart)
//	prome2e restart -app URL,URL -ops URL,URL -prom URL -before FILE -restarted K [flags]
//	                                after replica K was stopped (SIGTERM, its
//	                                state saved) and started again with the
//	                                same state: check its exported counter
//	                                reset once to the new process's own
//	                                counts, drive mostly good traffic, and
//	                                check every fleet window and the burn
//	                                alerts against the exact values
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nines-sre/nines/examples/internal/harness"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var err error
	switch os.Args[1] {
	case "ports":
		err = harness.PortsCommand(os.Stdout, os.Args[2:])
	case "wait":
		err = harness.WaitCommand(ctx, os.Args[2:])
	case "rules":
		err = rules(ctx, os.Args[2:])
	case "check":
		err = check(ctx, os.Args[2:])
	case "restart":
		err = restart(ctx, os.Args[2:])
	default:
		usage()
	}
	if errors.Is(err, harness.ErrUsage) {
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "prome2e:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: prome2e ports N | wait URL TIMEOUT | rules -app URL -ops URL -o FILE | check -app URL -ops URL -prom URL | restart -app URL -ops URL -prom URL -before FILE")
	os.Exit(2)
}
