package main

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

const msec = time.Millisecond

func TestToleranceOf(t *testing.T) {
	tol := tolerance{abs: 2 * msec, rel: 0.02}
	for _, tc := range []struct{ a, b, want time.Duration }{
		{0, 0, 2 * msec},
		{300 * msec, 290 * msec, 8 * msec}, // 2% of the larger
		{290 * msec, 300 * msec, 8 * msec},
	} {
		if got := tol.of(tc.a, tc.b); got != tc.want {
			t.Errorf("of(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestMedian(t *testing.T) {
	in := []time.Duration{5, 1, 9, 3}
	if got := median(in); got != 4 {
		t.Errorf("median of %v = %v, want 4", in, got)
	}
	if !slices.Equal(in, []time.Duration{5, 1, 9, 3}) {
		t.Errorf("median reordered its input: %v", in)
	}
	if got := median([]time.Duration{7, 100, 1}); got != 7 {
		t.Errorf("odd median = %v, want 7", got)
	}
	if got := median(nil); got != 0 {
		t.Errorf("median of none = %v", got)
	}
}

// obs makes n observations with the given phases (in ms), jittered by
// ±j µs alternately so that medians are not trivially one value.
func obs(n int, o outcome, j time.Duration, phases ...float64) []observation {
	out := make([]observation, n)
	for i := range out {
		out[i].outcome = o
		d := j * time.Microsecond
		if i%2 == 1 {
			d = -d
		}
		for p, v := range phases {
			out[i].phases[p] = time.Duration(v*float64(msec)) + d
		}
	}
	return out
}

var ok200 = outcome{success: true, status: 200, conns: 1}

func TestCompareCaseAgrees(t *testing.T) {
	bb := obs(20, ok200, 50, 0.01, 0.15, 1.1, 300.8, 200.5)
	nn := obs(20, ok200, 30, 0, 0.06, 0.8, 300.6, 200.4)
	r := compareCase("slow", bb, nn, tolerances)
	if !r.agree() || !r.outcomesAgree {
		t.Fatalf("problems: %v", r.problems)
	}
	if got := r.phases[processing]; got.blackbox != 300800*time.Microsecond || got.nines != 300600*time.Microsecond || got.diff != -200*time.Microsecond {
		t.Errorf("processing row = %+v", got)
	}
}

func TestCompareCaseNamesCaseAndPhase(t *testing.T) {
	bb := obs(20, ok200, 0, 0.02, 0.3, 0, 0.6, 0.12)
	nn := obs(20, ok200, 0, 0, 0.2, 0, 0.3, 100.98) // a redirect's body counted as transfer
	r := compareCase("redirect", bb, nn, tolerances)
	if len(r.problems) != 1 || !strings.Contains(r.problems[0], "case redirect phase transfer") {
		t.Fatalf("problems = %q, want one naming case redirect phase transfer", r.problems)
	}
	if r.phases[transfer].agree || !r.phases[processing].agree {
		t.Errorf("rows: %+v", r.phases)
	}
	// Just inside and just outside the tolerance (2ms + 2% of 100ms).
	for _, tc := range []struct {
		nines float64
		agree bool
	}{{103.9, true}, {104.2, false}} {
		r := compareCase("x", obs(3, ok200, 0, 0, 0, 0, 0, 100), obs(3, ok200, 0, 0, 0, 0, 0, tc.nines), tolerances)
		if r.agree() != tc.agree {
			t.Errorf("transfer 100ms vs %vms: agree = %v, want %v (%v)", tc.nines, r.agree(), tc.agree, r.problems)
		}
	}
}

func TestCompareCaseOutcomes(t *testing.T) {
	bb := obs(5, ok200, 0, 0, 0, 0, 0, 0)
	nn := obs(5, ok200, 0, 0, 0, 0, 0, 0)
	nn[2].outcome = outcome{status: 500, conns: 1}
	bb[4].redirects = 1
	r := compareCase("plain", bb, nn, tolerances)
	if r.outcomesAgree || r.agree() {
		t.Fatal("differing outcomes agreed")
	}
	want := []string{
		"case plain: outcome of blackbox probe 5 is ok 200 r1 c1, blackbox's first is ok 200 r0 c1",
		"case plain: outcome of nines probe 3 is fail 500 r0 c1, blackbox's first is ok 200 r0 c1",
	}
	if !slices.Equal(r.problems, want) {
		t.Errorf("problems = %q, want %q", r.problems, want)
	}
	if r := compareCase("none", nil, nn, tolerances); r.agree() {
		t.Error("no blackbox probes agreed")
	}
}

// A value blackbox reported that no duration holds never agrees, not even
// with a nines median of -1ns.
func TestCompareCaseUnreadableValue(t *testing.T) {
	bb := obs(1, ok200, 0, 0, 0, 0, 0, 0)
	bb[0].phases[connect] = seconds(math.NaN())
	nn := obs(1, ok200, 0, 0, 0, 0, 0, 0)
	nn[0].phases[connect] = -1
	if r := compareCase("plain", bb, nn, tolerances); r.agree() || r.phases[connect].agree {
		t.Error("an unreadable connect agreed")
	}
}

func TestSeconds(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want time.Duration
	}{{0.0015, 1500 * time.Microsecond}, {0, 0}, {math.NaN(), -1}, {math.Inf(1), -1}, {-0.5, -1}, {1e12, -1}} {
		if got := seconds(tc.v); got != tc.want {
			t.Errorf("seconds(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestBlackboxObservationMissing(t *testing.T) {
	full := "probe_success 1\nprobe_http_status_code 200\nprobe_http_redirects 0\nprobe_duration_seconds 0.001\n" +
		"probe_http_duration_seconds{phase=\"resolve\"} 0\nprobe_http_duration_seconds{phase=\"connect\"} 0\n" +
		"probe_http_duration_seconds{phase=\"tls\"} 0\nprobe_http_duration_seconds{phase=\"processing\"} 0\n" +
		"probe_http_duration_seconds{phase=\"transfer\"} 0\n"
	for _, tc := range []struct{ drop, want string }{
		{"probe_success 1\n", "probe_success is missing"},
		{"probe_http_redirects 0\n", "probe_http_redirects is missing"},
		{"probe_http_duration_seconds{phase=\"tls\"} 0\n", `probe_http_duration_seconds{phase="tls"} is missing`},
	} {
		samples, err := parseExposition(strings.Replace(full, tc.drop, "", 1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := blackboxObservation(samples); err == nil || err.Error() != tc.want {
			t.Errorf("without %q: err = %v, want %q", tc.drop, err, tc.want)
		}
	}
	samples, _ := parseExposition(full + "probe_http_duration_seconds{phase=\"queue\"} 0\n")
	if _, err := blackboxObservation(samples); err == nil || !strings.Contains(err.Error(), `unknown phase "queue"`) {
		t.Errorf("unknown phase: err = %v", err)
	}
	samples, _ = parseExposition(full)
	if _, err := blackboxObservation(samples); err != nil {
		t.Errorf("complete answer: %v", err)
	}
}

func TestBlackboxConfig(t *testing.T) {
	cases := []probeCase{{"plain", "http://127.0.0.1:1/ok"}, {"tls", "https://127.0.0.1:2/ok"}}
	if _, err := blackboxConfig(cases, "/tmp/it's/ca.pem"); err == nil {
		t.Error("a quote in the CA path was written into the YAML")
	}
	if _, err := blackboxConfig([]probeCase{{"a: b", "http://x/"}}, "/ca.pem"); err == nil {
		t.Error("a case name that is no plain YAML key was written")
	}
	cfg, err := blackboxConfig(cases, "/tmp/x/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"  plain:\n", "  tls:\n", "ca_file: '/tmp/x/ca.pem'"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
	if strings.Count(cfg, "valid_status_codes: [200]") != 2 || strings.Count(cfg, "ca_file") != 1 {
		t.Errorf("want two modules, one with the CA:\n%s", cfg)
	}
}

// On a busy machine both sides scatter: a median difference within the
// larger interquartile range passes, but the scatter never hides a
// misplaced boundary (100 ms), since its share is capped.
func TestCompareCaseNoise(t *testing.T) {
	scatter := func(n int, base, spread float64) []observation {
		out := make([]observation, n)
		for i := range out {
			out[i].outcome = ok200
			// A uniform spread of width spread ms: IQR about spread/2.
			out[i].phases[connect] = time.Duration((base + spread*float64(i)/float64(n-1)) * float64(msec))
		}
		return out
	}
	busyBB, busyNN := scatter(20, 2, 20), scatter(20, 0, 8) // medians 12 and 4 ms apart by 8 ms; IQR ~10 ms
	if r := compareCase("busy", busyBB, busyNN, tolerances); !r.phases[connect].agree {
		t.Errorf("busy machine: %v, want connect within tolerance (IQR %v)", r.problems, r.phases[connect].blackboxSpread)
	}
	if r := compareCase("idle", scatter(20, 7.9, 0.2), scatter(20, 0, 0.2), tolerances); r.phases[connect].agree {
		t.Error("idle machine: 8 ms apart with no scatter agrees, want a disagreement")
	}
	// A boundary 100 ms off, both sides scattering by 60 ms (IQR ~30 ms).
	if r := compareCase("bug", scatter(20, 100, 60), scatter(20, 0, 60), tolerances); r.phases[connect].agree {
		t.Errorf("a 100 ms shift passed under scatter: tolerance %v", r.phases[connect].tolerance)
	}
}
