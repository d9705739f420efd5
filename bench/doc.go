// Package bench holds benchmarks of nines against peer libraries. It is a
// separate Go module (its own go.mod, with a replace directive pointing at the
// repository root) so that peer libraries never enter the library's go.mod.
//
// Each subdirectory compares one capability in one benchmark binary, so that
// ratios are measured within one run on the same machine:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./... | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest new.txt
package bench
