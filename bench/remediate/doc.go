// Package remediate benchmarks the nines breaker against raw gobreaker and
// failsafe-go on the closed path, and the shedder and concurrency limiter
// against bare x/time/rate and an atomic counter, in one binary so ratios
// are measured in one run. sentinel-golang is not in the comparison: the Go
// module proxy answers 403 for it.
package remediate
