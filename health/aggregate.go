package health

import "time"

// severity orders statuses for aggregation: the worst one wins.
func severity(s Status) int {
	switch s {
	case StatusPass:
		return 0
	case StatusWarn:
		return 1
	case StatusUnknown:
		return 2
	}
	return 3 // StatusFail
}

func worse(a, b Status) Status {
	if severity(b) > severity(a) {
		return b
	}
	return a
}

// impact is what one check, reading v, contributes to group g.
//
// A failing or stale non-critical check degrades its groups to warn. A
// check with no settled result yet holds back Readiness and Startup (not
// ready until every critical check has passed) but not Liveness, which
// starts alive as Kubernetes assumes; once stale it counts everywhere.
func impact(g Group, c *Check, v view) Status {
	switch v.status {
	case StatusPass, StatusWarn:
		return v.status
	case StatusFail:
		if c.NonCritical {
			return StatusWarn
		}
		return StatusFail
	}
	if v.pending && (c.NonCritical || g == Liveness) {
		return StatusPass
	}
	if c.NonCritical {
		return StatusWarn
	}
	return StatusUnknown
}

// aggregate computes the status of group g from its checks at now,
// skipping those skip reports; skip may be nil. It does not account for
// draining.
func aggregate(g Group, checks []*entry, now time.Time, skip func(name string) bool) Status {
	agg := StatusPass
	for _, e := range checks {
		if skip != nil && skip(e.check.Name) {
			continue
		}
		agg = worse(agg, impact(g, &e.check, e.view(now)))
	}
	return agg
}
