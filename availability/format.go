package availability

import (
	"strconv"
	"strings"
)

// formatNumber prints v for people: no exponent, at most three significant
// decimals below 10 ("0.086", "2.5", "14.4", "250", "12000"), trailing
// zeros dropped. Event messages use it, so that a burn rate of 1200 does
// not read "1.2e+03", nor a p99 "8.602e-05".
func formatNumber(v float64) string {
	a := v
	if a < 0 {
		a = -a
	}
	prec := 0
	switch {
	case a < 1:
		prec = 3
	case a < 10:
		prec = 2
	case a < 100:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// formatSeriesValue prints a detector series' value in its unit, which the
// series name's suffix tells: p99 latency in ms, rate in req/s, error ratio
// in percent.
func formatSeriesValue(series string, v float64) string {
	switch {
	case strings.HasSuffix(series, ":p99"):
		return formatNumber(v*1000) + " ms"
	case strings.HasSuffix(series, ":rate"):
		return formatNumber(v) + " req/s"
	case strings.HasSuffix(series, ":error_ratio"):
		return formatNumber(v*100) + "% errors"
	}
	return formatNumber(v)
}
