package openslo_test

import (
	"errors"
	"fmt"
	"time"

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
	objs, _, err := openslo.Parse(doc)
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

// An error names the document and the field path, and wraps
// ErrUnsupported.
func ExampleParse_unsupported() {
	doc := []byte(`
apiVersion: openslo/v1
kind: Service
metadata: {name: api}
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: api}
spec:
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives:
    - {target: 0.999, compositeWeight: 1, indicatorRef: api-errors}
`)
	_, _, err := openslo.Parse(doc)
	fmt.Println(errors.Is(err, openslo.ErrUnsupported))
	fmt.Println(err)
	// Output:
	// true
	// openslo: unsupported or invalid document: document 1: spec.objectives[0].compositeWeight: composite SLOs are not supported: each objective needs the SLO's own indicator, and nines computes each on its own
}

// Export writes the objectives the library knows as OpenSLO, for tools that
// read it; Parse reads them back under the same names.
func ExampleExport() {
	data, err := openslo.Export([]slo.Objective{
		{Name: "route:GET__checkout:availability", Target: 0.999, Window: slo.Window{Rolling: 28 * 24 * time.Hour}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Print(string(data))
	objs, _, _ := openslo.Parse(data)
	fmt.Println(objs[0].Name, objs[0].Target, objs[0].Window.Rolling)
	// Output:
	// apiVersion: openslo/v1
	// kind: SLO
	// metadata:
	//   name: route-get-checkout-availability
	//   displayName: route:GET__checkout:availability
	//   annotations:
	//     nines.objective/name: route:GET__checkout:availability
	// spec:
	//   description: 'Exported by nines: the share of good slo.events of route:GET__checkout:availability'
	//   indicator:
	//     metadata:
	//       name: route-get-checkout-availability-events
	//     spec:
	//       ratioMetric:
	//         counter: true
	//         bad:
	//           metricSource:
	//             type: Prometheus
	//             spec:
	//               query: sum(slo_events_total{slo_name="route:GET__checkout:availability",slo_outcome="bad"})
	//         total:
	//           metricSource:
	//             type: Prometheus
	//             spec:
	//               query: sum(slo_events_total{slo_name="route:GET__checkout:availability"})
	//   timeWindow:
	//     - duration: 4w
	//       isRolling: true
	//   budgetingMethod: Occurrences
	//   objectives:
	//     - displayName: route:GET__checkout:availability
	//       target: 0.999
	// route:GET__checkout:availability 0.999 672h0m0s
}

// Documents Parse reads but does not import are reported as warnings, so a
// stream written for another tool still loads.
func ExampleParse_warnings() {
	doc := []byte(`
apiVersion: openslo/v1
kind: AlertPolicy
metadata: {name: page-oncall}
spec: {conditions: [{conditionRef: fast-burn}], notificationTargets: [{targetRef: pager}]}
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: api}
spec:
  indicator:
    metadata: {name: api-latency}
    spec:
      thresholdMetric: {metricSource: {type: Prometheus}}
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives: [{displayName: fast, op: lte, value: 0.3, target: 0.99}]
  alertPolicies: [{alertPolicyRef: page-oncall}]
`)
	objs, warnings, err := openslo.Parse(doc)
	if err != nil {
		panic(err)
	}
	for _, o := range objs {
		fmt.Println(o.Name, o.Target, o.Latency)
	}
	for _, w := range warnings {
		fmt.Println(w)
	}
	// Output:
	// api:fast 0.99 300ms
	// openslo: document 0: (document): kind AlertPolicy skipped: alert policies are not imported: objectives alert with slo.DefaultTiers
	// openslo: document 1: spec.alertPolicies: alert policies skipped: objectives alert with slo.DefaultTiers
}
