// Package openslo imports OpenSLO v1 documents as [slo.Objective] values,
// so objectives kept as OpenSLO YAML (for example beside other tools that
// read it) configure the in-process SLOs. It is a sub-package so that the
// YAML parser stays out of package slo: a service that builds its
// objectives in Go links none of it.
//
// # Parsing
//
// [Parse] reads a stream of YAML documents and returns one objective per
// objective of every kind: SLO document, in stream order:
//
//	objs, err := openslo.Parse(data) // data from os.ReadFile("slo.yaml")
//	for _, o := range objs {
//		s, err := slo.New(o) // valid: Parse checked it
//		...
//	}
//
// Supported: an SLO's indicator inline or as indicatorRef to a kind: SLI
// document in the same stream, with a ratioMetric of good/total or
// bad/total (the metric sources are checked for shape and otherwise
// ignored: events are recorded in process); timeWindow rolling (durations
// in m, h, d or w) or calendar (1w, 1M or 1Q, starting on a week, month or
// quarter boundary in calendar.timeZone); budgetingMethod Occurrences or
// Timeslices (with timeSliceTarget and timeSliceWindow); target or
// targetPercent. Service and DataSource documents are skipped.
//
// Everything else (thresholdMetric, raw ratios, RatioTimeslices,
// alertPolicies, composite objectives, other kinds) is an error wrapping
// [ErrUnsupported] that names the field path, such as
// spec.objectives[1].target or "SLI checkout-errors.spec.ratioMetric".
// A YAML syntax error names the document's index in the stream.
//
// # Names
//
// Each objective is named "<metadata.name>:<displayName>", or
// "<metadata.name>:<index>" (0-based) when it has no displayName, with
// characters outside [A-Za-z0-9_.:-] replaced by "_"; two objectives with
// the same name are an error. Adding an objective to an SLO never renames
// the others. Alert tiers are left nil, so the objectives get
// slo.DefaultTiers.
//
// # Performance
//
// Parsing is configuration-time work: the input is limited to 8 MiB and
// YAML aliases are followed a bounded number of times, so a hostile
// document cannot make Parse run away. Nothing here is on a request path.
//
// # Cardinality
//
// Parse adds no metrics. Each returned objective becomes one slo.name value
// when added to an slo.Set.
package openslo
