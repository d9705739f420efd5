package availability

import "testing"

func TestFormatNumbers(t *testing.T) {
	for _, tc := range []struct {
		series string
		v      float64
		want   string
	}{
		{"", 0, "0"},
		{"", 14.4, "14.4"},
		{"", 6, "6"},
		{"", 83.33333, "83.3"},
		{"", 250, "250"},
		{"", 1234.56, "1235"},
		{"", 2.5e6, "2500000"},
		{"", 0.0866, "0.087"},
		{"", -0.0001, "0"},
		{"route:GET:a:p99", 8.602e-05, "0.086 ms"},
		{"route:GET:a:p99", 0.25, "250 ms"},
		{"route:GET:a:rate", 9.96, "9.96 req/s"},
		{"client:inventory:error_ratio", 1, "100% errors"},
		{"client:inventory:error_ratio", 0.0123, "1.23% errors"},
	} {
		if got := formatSeriesValue(tc.series, tc.v); got != tc.want {
			t.Errorf("formatSeriesValue(%q, %v) = %q, want %q", tc.series, tc.v, got, tc.want)
		}
	}
}
