// Command peersgrpc compares nines' peer-outlier ejection
// (remediate/eject) with grpc-go's outlier detection balancer (gRFC A50,
// registered as outlier_detection_experimental by importing
// google.golang.org/grpc/xds) on the scenarios of issue 16: one backend
// of ten at 20% errors; one 3x slower without errors; a long healthy
// run with realistic noise; two and three of ten failing at once (the
// maximum-ejection rule). It is a module of its own so that neither nines
// nor the bench module links xds.
//
// Both sides call the same kind of backends, over gRPC: ten
// grpc.health.v1 servers on 127.0.0.1 per system, whose Check takes about
// 5ms (log-normal jitter, sigma 0.3), 20ms more on 0.5% of calls and
// fails 0.1% of calls, faulty or not. grpc-go uses one ClientConn whose
// manual resolver lists each backend as an endpoint of its own, with the
// outlier detection config (round_robin child) as the default service
// config; the config is checked against the registered parser before the
// run. nines picks each call's backend with eject.Balancer.Pick
// (round-robin over the backends not ejected) and calls it over that
// backend's own ClientConn, recording the call in eject.Stats; every step
// the Detector's signals go to a remediate.Engine whose policy ejects
// with eject.Action. Both are configured alike: a 1s interval (grpc-go)
// and step (nines), 30s base ejection, 300s maximum, at most 10% ejected
// (one backend of ten), at least 20 calls per backend per interval to be
// judged. The systems run side by side, each on its own ten backends,
// with 8 closed-loop callers each, after a 5s healthy warm-up whose
// ejections count as false. Ejection is observed the same way for all,
// from the servers: a backend serving nothing for five 100ms samples in
// a row, in each of which at least half the backends served two calls or
// more, is ejected since the first of them (a sample in which the host
// stalled neither counts nor resets). With -v, nines' own ejector changes
// are logged next to the observed ejections, to check the observer.
//
// grpc-go runs twice: with success-rate and failure-percentage ejection
// (stdev factor 1.9, failure threshold 10%, enforcement 100%, minimum 5
// hosts), and with failure percentage only. nines runs with the latency
// quantile of eject.StatsConfig at 0.99 and at 0.9 (measured here: the
// default, 0.99 when this ran, is now 0.9).
//
//	cd bench/peersgrpc && go build -o /tmp/peersgrpc . && /tmp/peersgrpc -runs 3
//
// One run of every scenario (the default, -runs 1) takes about two and a
// half minutes; -scenarios, -phase, -healthy and the shared settings are
// flags. Measured 2026-12-07 on 2 cores shared with other jobs (load
// average 1.5 to 3), grpc-go v1.85.0, -runs 3:
//
//	| scenario | system (transport) | time to eject: median (range, runs that ejected) | failed calls before ejection (median) | false ejections | max ejected at once | failed / calls in phase | calls per backend per interval |
//	|---|---|---|---|---|---|---|---|
//	| one backend at 20% errors | grpc-go OD, success rate + failure % (gRPC) | never (0/3) | — | 3 | 1 | 988 / 42489 | 94 |
//	| one backend at 20% errors | grpc-go OD, failure % only (gRPC) | 1.2s (1.2s–1.2s, 3/3) | 15 | 0 | 1 | 83 / 42645 | 95 |
//	| one backend at 20% errors | nines remediate/eject, latency q0.99 (gRPC) | 3.2s (3.2s–3.2s, 3/3) | 53 | 0 | 1 | 208 / 42574 | 95 |
//	| one backend at 20% errors | nines remediate/eject, latency q0.9 (gRPC) | 3.1s (3.1s–3.2s, 3/3) | 56 | 0 | 1 | 207 / 42778 | 95 |
//	| one backend 3x slower, no errors | grpc-go OD, success rate + failure % (gRPC) | never (0/3) | — | 3 | 1 | 47 / 42780 | 95 |
//	| one backend 3x slower, no errors | grpc-go OD, failure % only (gRPC) | never (0/3) | — | 0 | 0 | 46 / 43314 | 96 |
//	| one backend 3x slower, no errors | nines remediate/eject, latency q0.99 (gRPC) | 11.1s (4.1s–12.2s, 3/3) | 12 | 0 | 1 | 54 / 46157 | 103 |
//	| one backend 3x slower, no errors | nines remediate/eject, latency q0.9 (gRPC) | 3.1s (3.1s–3.2s, 3/3) | 4 | 0 | 1 | 62 / 48623 | 108 |
//	| healthy, noisy | grpc-go OD, success rate + failure % (gRPC) | — | — | 7 | 1 | 208 / 203975 | 113 |
//	| healthy, noisy | grpc-go OD, failure % only (gRPC) | — | — | 0 | 0 | 197 / 204286 | 113 |
//	| healthy, noisy | nines remediate/eject, latency q0.99 (gRPC) | — | — | 1 | 1 | 187 / 204135 | 113 |
//	| healthy, noisy | nines remediate/eject, latency q0.9 (gRPC) | — | — | 0 | 0 | 197 / 203968 | 113 |
//	| 2 of 10 at 50% errors | grpc-go OD, success rate + failure % (gRPC) | never (0/3) | — | 3 | 1 | 4103 / 55750 | 124 |
//	| 2 of 10 at 50% errors | grpc-go OD, failure % only (gRPC) | 1.2s (1.2s–1.2s, 3/3) | 137 | 0 | 1 | 3244 / 55601 | 124 |
//	| 2 of 10 at 50% errors | nines remediate/eject, latency q0.99 (gRPC) | 3.2s (3.1s–3.2s, 3/3) | 380 | 0 | 1 | 3595 / 55509 | 123 |
//	| 2 of 10 at 50% errors | nines remediate/eject, latency q0.9 (gRPC) | 3.1s (3.1s–3.1s, 3/3) | 387 | 0 | 1 | 3705 / 55542 | 123 |
//	| 3 of 10 at 50% errors | grpc-go OD, success rate + failure % (gRPC) | never (0/3) | — | 3 | 1 | 7307 / 56229 | 125 |
//	| 3 of 10 at 50% errors | grpc-go OD, failure % only (gRPC) | 1.2s (1.2s–1.2s, 3/3) | 228 | 0 | 1 | 6568 / 56358 | 125 |
//	| 3 of 10 at 50% errors | nines remediate/eject, latency q0.99 (gRPC) | never (0/3) | — | 1 | 1 | 8550 / 56128 | 125 |
//	| 3 of 10 at 50% errors | nines remediate/eject, latency q0.9 (gRPC) | 7.1s (7.1s–9.1s, 2/3) | 1273 | 0 | 1 | 7705 / 56134 | 125 |
//
// A longer healthy run (-scenarios healthy -healthy 6m -v, one run, about
// 443,000 calls per system): grpc-go with success rate made 12 false
// ejections, with failure percentage only none; nines with the 0.99
// latency quantile 2 (both on latency), with 0.9 none.
//
// What the runs show:
//
//   - The earlier caveat (grpc-go never ejected the faulty backend while a
//     healthy one went idle) was success-rate ejection working as A50
//     specifies, not a broken setup: with 0.1% background errors most
//     backends see no error in an interval, the standard deviation of the
//     success rates is tiny, and a backend with one or two errors falls
//     below mean - 1.9 stdev. It is ejected for 30s, which takes the whole
//     10% maximum, so the faulty backend is detected later but not ejected
//     (max_ejection_overflow; GRPC_GO_LOG_SEVERITY_LEVEL=info logs every
//     detection and ejection). That configuration ejected a healthy
//     backend in every run, about one per 30s of healthy traffic, so one
//     healthy backend is out nearly all the time, and never the faulty
//     one in these runs.
//   - grpc-go with failure percentage only ejects a backend at 20% errors
//     at the first sweep after the fault (1.2s in every run here) and
//     made no false ejection; as A50 says, it never ejects the 3x slower
//     backend.
//   - nines ejects on errors after its Persistence of three steps (3.1s to
//     3.2s), so two to three times as many calls fail before the ejection
//     as with grpc-go's failure percentage. It also ejects the 3x slower
//     backend: with the latency quantile at 0.9 in every run, in about 3s;
//     with the default 0.99 later (4s to 12s), and with false ejections
//     on latency (-v shows the signals): at about 100
//     calls per backend per step the 99th percentile is the step's slowest
//     call, which the 20ms pauses decide more than the backend does, and
//     three such steps in a row on one backend happen within minutes. In
//     one run of three, the 0.99 detector took the one ejection slot for a
//     healthy backend while three others failed half their calls.
//   - The maximum held everywhere: never more than one backend ejected at
//     once. With two of ten at 50% errors both eject one. With three of
//     ten, grpc-go's failure percentage (an absolute threshold) ejects one
//     at the first sweep; nines is erratic, as package eject warns for a
//     third of the group: the spread of the error ratios is their MAD when
//     at least two of the seven healthy backends had a background error in
//     the step (the three then stand out at z 70 to 100) and their mean
//     absolute deviation otherwise (z about 2.7, below 3.5), so it ejected one after
//     7s to 9s in two of its six runs and none in the others, leaving the
//     fault to the dependency's breaker.
//   - A first series of runs (not in the table) lost a nines run to a
//     wall-clock step back on this host: Detector.StepAt refused a step
//     whose time was not after the previous one. The nines side now steps
//     with times that follow the monotonic clock; the observer measures
//     with the monotonic clock as well.
//
// The test (go test .) checks the observer on made-up counters and that
// grpc-go parses the service config to the values given; it measures no
// time.
package main
