// Package health benchmarks the probe handler of nines/health against
// peer libraries: alexliesenfeld/health (per-request and periodic modes)
// and hellofresh/health-go/v5.
//
// Every contender gets the same 20 dependency checks, one of which hangs
// (it ignores its context and blocks until the benchmark ends). Each
// benchmark reports ns/op and allocs/op of one probe through the handler
// (httptest.NewRecorder) and depcalls/1000probes: how many times a
// dependency was called per thousand probes while the timer ran, and
// stuckgoroutines/1000probes: how many more goroutines were alive after the
// timed loop than before it, per thousand probes.
//
// Per-request libraries would block on the hanging check forever (or for
// their 10s/2s default), so their checks get their own 10ms timeout: their
// probe latency is that timeout, and each probe leaves one goroutine
// blocked on the hung dependency.
//
// Run:
//
//	cd bench && go test -run '^$' -bench . -benchmem -count 6 ./health/
package health
