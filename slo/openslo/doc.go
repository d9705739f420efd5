// Package openslo imports OpenSLO v1 documents as [slo.Objective] values,
// so objectives kept as OpenSLO YAML (for example beside other tools that
// read it) configure the in-process SLOs, and exports the objectives the
// library knows as OpenSLO, so those tools can read them. It is a
// sub-package so that the YAML parser stays out of package slo: a service
// that builds its objectives in Go links none of it.
//
// # Parsing
//
// [Parse] reads a stream of YAML documents and returns one objective per
// objective of every kind: SLO document, in stream order, with the
// warnings about what it read and left out:
//
//	objs, warnings, err := openslo.Parse(data) // data from os.ReadFile("slo.yaml")
//	for _, w := range warnings {
//		log.Print(w) // a skipped AlertPolicy, an SLO's alertPolicies, ...
//	}
//	for _, o := range objs {
//		s, err := slo.New(o) // valid: Parse checked it
//		...
//	}
//
// Supported: an SLO's indicator inline or as indicatorRef to a kind: SLI
// document in the same stream, with a ratioMetric of good/total or
// bad/total, or a thresholdMetric whose objectives bound the latency from
// above (op lte or lt; value in seconds, or a duration such as 300ms):
// those are latency objectives (slo.Objective.Latency), an event being
// good when its latency is at most the value. The metric sources are
// checked for shape and otherwise ignored: events are recorded in
// process. timeWindow rolling (durations in m, h, d or w) or calendar (1w,
// 1M or 1Q, in calendar.timeZone; a startTime that is not the start of a
// week, month or quarter, like the specification's own 2020-01-21
// 12:30:00, is accepted with a warning, since slo's periods start at local
// midnight on a Monday, the 1st or a quarter's 1st); budgetingMethod
// Occurrences or Timeslices (with timeSliceTarget and timeSliceWindow);
// target or targetPercent. Service and DataSource documents are skipped;
// AlertPolicy, AlertCondition and AlertNotificationTarget documents and an
// SLO's alertPolicies are skipped with a [Warning] each: objectives alert
// with slo.DefaultTiers, and alerts are routed by Alertmanager.
//
// Everything else (a thresholdMetric lower bound, raw ratios,
// RatioTimeslices, composite SLOs, other kinds) is an error wrapping
// [ErrUnsupported] that names the document's index in the stream and the
// field path, such as "document 2: spec.objectives[1].target" or
// "document 3: SLI checkout-errors.spec.ratioMetric"; a composite SLO's
// error says that composites are unsupported. A YAML syntax error names
// the document's index too.
//
// # Names
//
// Each objective is named "<metadata.name>:<displayName>", or
// "<metadata.name>:<index>" (0-based) when it has no displayName, with
// characters outside [A-Za-z0-9_.:-] replaced by "_"; two objectives with
// the same name are an error. Adding an objective to an SLO never renames
// the others. An SLO of one objective annotated with [NameAnnotation] (as
// Export writes) takes that exact name. Alert tiers are left nil, so the
// objectives get slo.DefaultTiers.
//
// # Export
//
// [Export] writes one kind: SLO document per objective: its window,
// budgeting and target, and an indicator that is the ratio of bad to total
// slo.events as Prometheus scrapes them (slo_events_total by slo_name), so
// that Pyrra, Sloth or a vendor computes the fleet's SLI from the same
// counters. Parse reads the export back into the same objectives.
//
// # Performance
//
// Parsing is configuration-time work, bounded so that a hostile input
// cannot make it run away: the input is at most 1 MiB unless
// [WithMaxBytes] says otherwise (the YAML node tree costs up to about 60
// bytes of memory per input byte, so this is the bound on memory); at most
// 10000 objectives per input ([WithMaxObjectives]), counted before any is
// built; and at most 10000 YAML aliases followed, each chain at most 64
// long (an alias is a few bytes that can stand for a whole objective: a
// 7.7 MB input once made 2.7 million). Nothing here is on a request path.
//
// # Cardinality
//
// Parse and Export add no metrics. Each returned objective becomes one
// slo.name value when added to an slo.Set.
package openslo
