// Package peers measures the per-replica statistics of remediate/eject on
// the client path: what a call through the Monitor's RoundTripper costs
// with an eject.Balancer under it (pick, request copy, Stats.Record)
// against the same RoundTripper straight on the transport, in one run.
//
//	cd bench && go test -run '^$' -bench . -benchmem -count 6 ./peers
package peers
