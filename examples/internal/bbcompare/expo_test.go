package main

import (
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var sampleOpts = cmp.Options{cmp.AllowUnexported(sample{}), cmpopts.EquateEmpty(), cmpopts.EquateNaNs()}

func TestParseExposition(t *testing.T) {
	text := "# HELP x_total a help text with \"quotes\"\n" +
		"# TYPE x_total counter\n" +
		"\n" +
		"x_total 3\n" +
		"  indented{a=\"1\"} 1.5e-05 1700000000000\r\n" +
		"esc{path=\"C:\\\\dir\\\\\\\"q\\\"\\nnext\",b=\"\",} -Inf\n" +
		"spaced{ a = \"x\" , b=\"y\" } NaN\n" +
		"colon:name_sum{le=\"+Inf\"} +Inf\n"
	got, err := parseExposition(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []sample{
		{name: "x_total", value: 3},
		{name: "indented", labels: map[string]string{"a": "1"}, value: 1.5e-05},
		{name: "esc", labels: map[string]string{"path": "C:\\dir\\\"q\"\nnext", "b": ""}, value: math.Inf(-1)},
		{name: "spaced", labels: map[string]string{"a": "x", "b": "y"}, value: math.NaN()},
		{name: "colon:name_sum", labels: map[string]string{"le": "+Inf"}, value: math.Inf(1)},
	}
	if diff := cmp.Diff(want, got, sampleOpts); diff != "" {
		t.Errorf("parseExposition (-want +got):\n%s", diff)
	}
}

func TestParseExpositionErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"ok 1\n{a=\"1\"} 2", "line 2: no metric name"},
		{"9lives 1", "line 1: no metric name"},
		{"m", "m: want a value"},
		{"m 1 2 3", "m: want a value and an optional timestamp"},
		{"m one", `m: value "one" is not a number`},
		{"m 1 soon", `m: timestamp "soon" is not an integer`},
		{"m{a=\"1\"}2", "m: want a value"},
		{"m{a=1} 2", `m: label a: want ="value"`},
		{"m{a=\"1} 2", "m: label a: value has no closing quote"},
		{"m{a=\"\\t\"} 2", `m: label a: unknown escape \t`},
		{"m{a=\"x\\", "m: label a: value ends inside an escape"},
		{"m{a=\"1\" b=\"2\"} 2", "m: label a: want , or } after the value"},
		{"m{a=\"1\",a=\"2\"} 2", "m: label a appears twice"},
		{"m{=\"1\"} 2", "m: no label name"},
		{"m{a:b=\"1\"} 2", `m: label a: want ="value"`},
		{"m{a=\"1\"", "m: label a: want , or } after the value"},
		{"m{a", `m: label a: want ="value"`},
	} {
		_, err := parseExposition(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseExposition(%q) = %v, want an error containing %q", tc.text, err, tc.want)
		}
	}
}

func TestParseExpositionBounded(t *testing.T) {
	text := strings.Repeat("m 1\n", maxSamples+1)
	if _, err := parseExposition(text); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("%d samples: err = %v, want the bound named", maxSamples+1, err)
	}
	if s, err := parseExposition(strings.Repeat("m 1\n", maxSamples)); err != nil || len(s) != maxSamples {
		t.Errorf("%d samples: %d, %v", maxSamples, len(s), err)
	}
}

// A real answer of Debian's blackbox_exporter 0.23.0 to /probe.
func TestBlackboxObservationFromRealAnswer(t *testing.T) {
	data, err := os.ReadFile("testdata/probe-0.23.txt")
	if err != nil {
		t.Fatal(err)
	}
	samples, err := parseExposition(string(data))
	if err != nil {
		t.Fatal(err)
	}
	got, err := blackboxObservation(samples)
	if err != nil {
		t.Fatal(err)
	}
	want := observation{
		outcome: outcome{success: true, status: 200},
		phases:  [numPhases]time.Duration{11436, 105381, 0, 117420, 47939},
		total:   516219,
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(observation{}, outcome{})); diff != "" {
		t.Errorf("blackboxObservation (-want +got):\n%s", diff)
	}
}

// FuzzParseExposition: no input panics, and what parses prints back (one
// space, canonical escapes) to text that parses to the same samples.
func FuzzParseExposition(f *testing.F) {
	if data, err := os.ReadFile("testdata/probe-0.23.txt"); err == nil {
		f.Add(string(data))
	}
	f.Add("m{a=\"x\\\\y\\\"z\\n\",b=\"\"} -1.5e3 17\n# c\n")
	f.Add("m{a=\"1\",} NaN\r\nn +Inf")
	f.Fuzz(func(t *testing.T, text string) {
		got, err := parseExposition(text)
		if err != nil {
			return
		}
		again, err := parseExposition(format(got))
		if err != nil {
			t.Fatalf("reformatted %q does not parse: %v", format(got), err)
		}
		if diff := cmp.Diff(got, again, sampleOpts); diff != "" {
			t.Fatalf("round trip of %q (-first +second):\n%s", text, diff)
		}
	})
}

// format writes samples in the text format, labels sorted.
func format(samples []sample) string {
	var b strings.Builder
	escape := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	for _, s := range samples {
		b.WriteString(s.name)
		if len(s.labels) > 0 {
			names := make([]string, 0, len(s.labels))
			for k := range s.labels {
				names = append(names, k)
			}
			sort.Strings(names)
			b.WriteByte('{')
			for i, k := range names {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(k + `="` + escape.Replace(s.labels[k]) + `"`)
			}
			b.WriteByte('}')
		}
		b.WriteString(" " + strconv.FormatFloat(s.value, 'g', -1, 64) + "\n")
	}
	return b.String()
}
