package openslo_test

import (
	"errors"
	"fmt"

	"github.com/nines-sre/nines/slo"
	"github.com/nines-sre/nines/slo/openslo"
)

func ExampleParse() {
	doc := []byte(`
apiVersion: openslo/v1
kind: SLO
metadata:
  name: search
spec:
  indicator:
    metadata: {name: search-errors}
    spec:
      ratioMetric:
        bad: {metricSource: {type: Prometheus}}
        total: {metricSource: {type: Prometheus}}
  timeWindow:
    - duration: 1M
      calendar: {startTime: "2026-01-01 00:00:00", timeZone: Europe/Paris}
  objectives:
    - displayName: availability
      targetPercent: 99.5
    - target: 0.9
`)
	objs, err := openslo.Parse(doc)
	if err != nil {
		panic(err)
	}
	for _, o := range objs {
		s, err := slo.New(o)
		if err != nil {
			panic(err)
		}
		fmt.Println(s.Objective().Name, o.Target, o.Window.Calendar, o.Window.Location, o.Window.Period())
	}
	// Output:
	// search:availability 0.995 month Europe/Paris 720h0m0s
	// search:1 0.9 month Europe/Paris 720h0m0s
}

// An error names the field path and wraps ErrUnsupported.
func ExampleParse_unsupported() {
	doc := []byte(`
apiVersion: openslo/v1
kind: SLO
metadata: {name: api}
spec:
  indicatorRef: api-errors
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives: [{target: 0.999}]
  alertPolicies: [page-me]
`)
	_, err := openslo.Parse(doc)
	fmt.Println(errors.Is(err, openslo.ErrUnsupported))
	fmt.Println(err)
	// Output:
	// true
	// openslo: unsupported or invalid document: spec.alertPolicies: unsupported field
}
