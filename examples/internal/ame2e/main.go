// Command ame2e is the Go side of CI's Alertmanager loop check
// (.ci/checks/50-alertmanager-e2e.sh): a service replica with a
// remediation policy and the Alertmanager receiver, the rules it is
// watched by, and the checker that drives a fault and follows the loop.
//
//	ame2e ports N                   print N free loopback ports
//	ame2e wait URL TIMEOUT          poll URL until it answers 200
//	ame2e rules -o FILE             write the Prometheus rules of the
//	                                replicas' objective
//	ame2e replica -addr A -ops A -token T -duration D
//	                                serve /work (500 while the fault is on)
//	                                and, on the ops port, the Monitor's
//	                                endpoints, /alertmanager, /ame2e/fault
//	                                and /ame2e/state
//	ame2e check -app URL,URL -ops URL,URL -prom URL
//	                                fault on both replicas until the fleet
//	                                alert has made both shed, then healthy
//	                                until it resolved and both stopped; print
//	                                the timeline and check the audits
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nines-sre/nines/examples/internal/harness"
	"github.com/nines-sre/nines/slo"
)

// objective is the replicas' SLO: 95% over 30 days, so that the page tier's
// burn threshold (14.4) is crossed by a full outage (burn 20) and left
// again within seconds of healthy traffic.
var objective = slo.Objective{Name: "ame2e-work", Target: 0.95, Window: slo.Window{Rolling: 30 * 24 * time.Hour}}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	var err error
	switch os.Args[1] {
	case "ports":
		err = harness.PortsCommand(os.Stdout, os.Args[2:])
	case "wait":
		err = harness.WaitCommand(ctx, os.Args[2:])
	case "rules":
		err = rules(os.Args[2:])
	case "replica":
		err = replica(os.Args[2:])
	case "check":
		err = check(ctx, os.Args[2:])
	default:
		usage()
	}
	if errors.Is(err, harness.ErrUsage) {
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ame2e:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: ame2e ports N | wait URL TIMEOUT | rules -o FILE | replica ... | check ...")
	os.Exit(2)
}
