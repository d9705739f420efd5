// Package bench holds benchmarks of nines against peer libraries. It is a
// separate Go module (its own go.mod, with a replace directive pointing at the
// repository root) so that peer libraries never enter the library's go.mod.
//
// Each subdirectory compares one capability in one benchmark binary, so that
// ratios are measured within one run on the same machine:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./... | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest new.txt
//
// BenchmarkNAB in detect needs the NAB corpus: $NAB_DIR (a checkout of
// https://github.com/numenta/NAB, or a copy with data/ and labels.json),
// else ../shared/nab beside the clone; without either it fails naming the
// path. To run every other benchmark without the corpus:
//
//	go test -run '^$' -bench . -skip '^BenchmarkNAB$' -benchmem -count 6 ./... | tee new.txt
package bench
