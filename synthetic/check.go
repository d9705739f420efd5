package synthetic

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/nines-sre/nines/internal/config"
)

// ErrInvalidConfig is wrapped by every error NewRunner and Load return for
// a check they refuse; the message names the check, the step and the
// field: `synthetic: invalid config: check "shop" step "login" URL = "":
// required`.
var ErrInvalidConfig = config.New("synthetic")

// Defaults applied to the zero fields of a Check.
const (
	// DefaultInterval is the Interval of a Check that leaves it zero.
	DefaultInterval = time.Minute
	// DefaultTimeout is the Timeout of a Check that leaves it zero (cut
	// down to the Interval when that is shorter).
	DefaultTimeout = 30 * time.Second
	// MaxNameLen is the longest Check name: its health check is named
	// "synthetic." + Name, within health.MaxNameLen.
	MaxNameLen = 53
	// MaxRedirects is how many redirects a step follows before it fails.
	MaxRedirects = 10
)

// Check is one synthetic transaction: steps run in order, each a request
// with assertions, sharing a cookie jar and the values earlier steps
// extracted. It is a plain value: build it as a literal (or Load it from a
// file) and pass it to NewRunner, which validates it and copies it.
//
// The zero Check is not valid: Name and at least one Step are required.
type Check struct {
	// Name identifies the check in results, metrics (synthetic.check.name)
	// and health output. Required: 1 to MaxNameLen (53) characters of [A-Za-z0-9._-],
	// starting with a letter or digit.
	Name string
	// Steps run in order; the first hard failure ends the run. Required.
	Steps []Step
	// Interval is the time between the starts of two scheduled runs. Zero
	// means DefaultInterval. At least 1s.
	Interval time.Duration
	// Timeout bounds a whole run, enforced by the runner whatever the
	// target does. Zero means DefaultTimeout, or the Interval if shorter.
	// At most the Interval.
	Timeout time.Duration
	// Vars are values available to every step as ${name} before any is
	// extracted. A value "env:NAME" is read from the environment and
	// "file:PATH" from a file (trailing newline trimmed) at each run;
	// such values are secrets, replaced by "***" in every error and
	// result. Nil means none.
	Vars map[string]string
	// Readiness makes the check's health check critical for readiness:
	// a failing run fails /readyz. The zero value, false, registers it as
	// non-critical (a failure degrades readiness to warn). A synthetic
	// check is never in liveness.
	Readiness bool
	// SuccessTarget is the fraction of runs that must pass (degraded
	// counts as passing), the target of the check's success objective.
	// Zero means 0.99.
	SuccessTarget float64
	// LatencyBound is the run duration a good run stays under, for the
	// latency objective. Zero means half the Timeout.
	LatencyBound time.Duration
	// LatencyTarget is the fraction of runs that must finish under
	// LatencyBound. Zero means 0.99.
	LatencyTarget float64
}

// Step is one HTTP request of a Check, or one Call (a gRPC call, made by
// package synthetic/grpccheck). Its URL, header values and body (or the
// Call's texts) may refer to values as ${name}: a Var or a value extracted
// by an earlier step. A reference to anything else is refused by
// NewRunner.
//
// Method, URL, Header, Body and NoFollowRedirects are HTTP fields: a step
// with a Call must leave them zero, and NewRunner refuses one that does
// not, as it refuses the HTTP-only assertion Status and extraction Cookie
// on a call step and the call-only assertion Code on an HTTP step.
type Step struct {
	// Name identifies the step in results and metrics (synthetic.step).
	// Required, unique within the check, same characters as Check.Name.
	Name string
	// Call makes the step a non-HTTP call. Nil means an HTTP request.
	Call Call
	// Method is the HTTP method. Zero means GET.
	Method string
	// URL is the absolute http or https URL. Required.
	URL string
	// Header holds the request headers. Nil means none.
	Header map[string]string
	// Body is the request body. Empty means none.
	Body string
	// Timeout bounds this step. Zero means the run's remaining time.
	Timeout time.Duration
	// NoFollowRedirects makes the step return a 3xx response as is. The
	// zero value follows up to MaxRedirects redirects, as
	// blackbox_exporter does.
	NoFollowRedirects bool
	// Assert lists the assertions on the response. Nil means only that a
	// response arrived: any status passes.
	Assert []Assertion
	// Extract lists the values taken from the response for later steps.
	Extract []Extract
}

// Assertion is one test of a step's response. Exactly one of its test
// fields (Status, Code, Header, BodyContains, BodyRegex, JSONPath,
// MaxLatency) is set. On a call step, Header reads the response metadata
// and the body tests read the response as JSON (CallResponse).
type Assertion struct {
	// Status is the HTTP status code the response must have (HTTP steps
	// only).
	Status int
	// Code is the code a call step's response must have
	// (CallResponse.Code: "OK", "NOT_FOUND", "SERVING"...). Call steps
	// only; with it, a call that is not OK can pass.
	Code string
	// Header names a response header that must be present; with Value,
	// its first value must contain Value.
	Header string
	// BodyContains is a string the body must contain.
	BodyContains string
	// BodyRegex is a regular expression (RE2) the body must match.
	BodyRegex string
	// JSONPath selects a value in a JSON body ($.a.b[0]); it must exist
	// and, with Value, its text must equal Value.
	JSONPath string
	// Value qualifies Header and JSONPath.
	Value string
	// MaxLatency is the bound on the step's total duration.
	MaxLatency time.Duration
	// Soft makes a failure mark the run degraded and continue, instead
	// of failing it. The zero value, false, is a hard assertion.
	Soft bool

	re *regexp.Regexp
}

// Extract takes one value from a step's response into the run's values,
// as Name. Exactly one of JSONPath, Header and Cookie is set; Cookie is
// for HTTP steps only. A value that is absent fails the step.
type Extract struct {
	// Name is the value's name in later ${name} references. Required:
	// [A-Za-z_][A-Za-z0-9_]*.
	Name string
	// JSONPath selects a value in a JSON body.
	JSONPath string
	// Header names a response header; its first value is taken.
	Header string
	// Cookie names a cookie set by the response.
	Cookie string
}

// normalized returns c with its defaults applied and its regular
// expressions compiled, or an error naming the first bad field.
func (c Check) normalized() (Check, error) {
	// The health check is named "synthetic." + Name, within health's 63.
	if !validName(c.Name) || len(c.Name) > MaxNameLen {
		return c, config.Error(ErrInvalidConfig, "Name", c.Name, "must be 1 to 53 characters of [A-Za-z0-9._-], starting with a letter or digit")
	}
	bad := func(field string, value any, why string) error {
		return config.Error(ErrInvalidConfig, fmt.Sprintf("check %q %s", c.Name, field), value, why)
	}
	if len(c.Steps) == 0 {
		return c, bad("Steps", len(c.Steps), "at least one step is required")
	}
	if c.Interval == 0 {
		c.Interval = DefaultInterval
	}
	if c.Interval < time.Second || c.Interval > 24*time.Hour {
		return c, bad("Interval", c.Interval, "must be between 1s and 24h")
	}
	if c.Timeout == 0 {
		c.Timeout = min(DefaultTimeout, c.Interval)
	}
	if c.Timeout <= 0 || c.Timeout > c.Interval {
		return c, bad("Timeout", c.Timeout, fmt.Sprintf("must be positive and at most the Interval (%v)", c.Interval))
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"SuccessTarget", &c.SuccessTarget}, {"LatencyTarget", &c.LatencyTarget}} {
		if *f.v == 0 {
			*f.v = 0.99
		}
		if !(*f.v > 0 && *f.v < 1) {
			return c, bad(f.name, *f.v, "must be between 0 and 1, exclusive")
		}
	}
	if c.LatencyBound == 0 {
		c.LatencyBound = c.Timeout / 2
	}
	if c.LatencyBound < 0 || c.LatencyBound > c.Timeout {
		return c, bad("LatencyBound", c.LatencyBound, "must be positive and at most the Timeout")
	}
	known := map[string]bool{}
	for k, v := range c.Vars {
		if !validRef(k) {
			return c, bad("Vars", k, "a name must match [A-Za-z_][A-Za-z0-9_]*")
		}
		if src, ok := strings.CutPrefix(v, "env:"); ok && src == "" {
			return c, bad("Vars."+k, v, "env: needs a variable name")
		}
		if src, ok := strings.CutPrefix(v, "file:"); ok && src == "" {
			return c, bad("Vars."+k, v, "file: needs a path")
		}
		known[k] = true
	}
	steps := make([]Step, len(c.Steps))
	seen := map[string]bool{}
	for i, s := range c.Steps {
		if !validName(s.Name) {
			return c, bad(fmt.Sprintf("Steps[%d].Name", i), s.Name, "must be 1 to 63 characters of [A-Za-z0-9._-], starting with a letter or digit")
		}
		if s.Name == "total" {
			return c, bad(fmt.Sprintf("Steps[%d].Name", i), s.Name, "reserved for the whole run in synthetic.step")
		}
		if seen[s.Name] {
			return c, bad(fmt.Sprintf("step %q Name", s.Name), s.Name, "duplicate step name")
		}
		seen[s.Name] = true
		ns, err := s.normalized(known, func(field string, value any, why string) error {
			return bad(fmt.Sprintf("step %q %s", s.Name, field), value, why)
		})
		if err != nil {
			return c, err
		}
		steps[i] = ns
		for _, e := range s.Extract {
			known[e.Name] = true
		}
	}
	c.Steps = steps
	vars := make(map[string]string, len(c.Vars))
	for k, v := range c.Vars {
		vars[k] = v
	}
	c.Vars = vars
	return c, nil
}

type badFunc func(field string, value any, why string) error

func (s Step) normalized(known map[string]bool, bad badFunc) (Step, error) {
	if s.Call != nil {
		return s.normalizedCall(known, bad)
	}
	if s.Method == "" {
		s.Method = http.MethodGet
	}
	if !validToken(s.Method) {
		return s, bad("Method", s.Method, "not an HTTP method token")
	}
	if s.URL == "" {
		return s, bad("URL", s.URL, "required")
	}
	if err := checkText(known, bad, "URL", s.URL); err != nil {
		return s, err
	}
	if len(refs(s.URL)) == 0 {
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return s, bad("URL", s.URL, "must be an absolute http or https URL")
		}
	}
	header := make(map[string]string, len(s.Header))
	for k, v := range s.Header {
		if !validToken(k) {
			return s, bad("Header", k, "not a header name")
		}
		if err := checkText(known, bad, "Header."+k, v); err != nil {
			return s, err
		}
		header[k] = v
	}
	s.Header = header
	if err := checkText(known, bad, "Body", s.Body); err != nil {
		return s, err
	}
	for i, a := range s.Assert {
		if a.Code != "" {
			return s, bad(fmt.Sprintf("Assert[%d].Code", i), a.Code, "a call's code: an HTTP step asserts Status")
		}
	}
	return s.normalizedChecks(bad)
}

// normalizedCall validates a step whose Call is set: no HTTP field, the
// Call's texts referring only to known values.
func (s Step) normalizedCall(known map[string]bool, bad badFunc) (Step, error) {
	for _, f := range []struct {
		name string
		set  bool
		v    any
	}{
		{"Method", s.Method != "", s.Method}, {"URL", s.URL != "", s.URL}, {"Header", s.Header != nil, s.Header},
		{"Body", s.Body != "", s.Body}, {"NoFollowRedirects", s.NoFollowRedirects, s.NoFollowRedirects},
	} {
		if f.set {
			return s, bad(f.name, f.v, "an HTTP field: a step with a Call must leave it zero")
		}
	}
	texts := s.Call.Texts()
	names := make([]string, 0, len(texts))
	for k := range texts {
		names = append(names, k)
	}
	slices.Sort(names) // the first bad field named is the same every time
	for _, k := range names {
		if err := checkText(known, bad, k, texts[k]); err != nil {
			return s, err
		}
	}
	for i, a := range s.Assert {
		if a.Status != 0 {
			return s, bad(fmt.Sprintf("Assert[%d].Status", i), a.Status, "an HTTP status: a call step asserts Code")
		}
	}
	for i, e := range s.Extract {
		if e.Cookie != "" {
			return s, bad(fmt.Sprintf("Extract[%d].Cookie", i), e.Cookie, "cookies are HTTP: a call step extracts a JSONPath or a Header (metadata)")
		}
	}
	return s.normalizedChecks(bad)
}

// checkText refuses a reference to an unknown value, or a malformed one.
func checkText(known map[string]bool, bad badFunc, field, text string) error {
	for _, name := range refs(text) {
		if !known[name] {
			return bad(field, "${"+name+"}", "refers to a value no Var defines and no earlier step extracts")
		}
	}
	if _, err := expand(text, nil, func(string) (string, bool) { return "x", true }); err != nil {
		return bad(field, text, err.Error())
	}
	return nil
}

// normalizedChecks validates what HTTP and call steps share: the timeout,
// the assertions and the extractions.
func (s Step) normalizedChecks(bad badFunc) (Step, error) {
	if s.Timeout < 0 {
		return s, bad("Timeout", s.Timeout, "must not be negative")
	}
	asserts := make([]Assertion, len(s.Assert))
	for i, a := range s.Assert {
		field := fmt.Sprintf("Assert[%d]", i)
		n := 0
		for _, set := range []bool{a.Status != 0, a.Code != "", a.Header != "", a.BodyContains != "", a.BodyRegex != "", a.JSONPath != "", a.MaxLatency != 0} {
			if set {
				n++
			}
		}
		if n != 1 {
			return s, bad(field, n, "exactly one of Status, Code, Header, BodyContains, BodyRegex, JSONPath, MaxLatency must be set")
		}
		if a.Status != 0 && (a.Status < 100 || a.Status > 599) {
			return s, bad(field+".Status", a.Status, "must be between 100 and 599")
		}
		if a.MaxLatency < 0 {
			return s, bad(field+".MaxLatency", a.MaxLatency, "must be positive")
		}
		if a.BodyRegex != "" {
			re, err := regexp.Compile(a.BodyRegex)
			if err != nil {
				return s, bad(field+".BodyRegex", a.BodyRegex, err.Error())
			}
			a.re = re
		}
		if a.JSONPath != "" {
			if _, err := parsePath(a.JSONPath); err != nil {
				return s, bad(field+".JSONPath", a.JSONPath, err.Error())
			}
		}
		asserts[i] = a
	}
	s.Assert = asserts
	for i, e := range s.Extract {
		field := fmt.Sprintf("Extract[%d]", i)
		if !validRef(e.Name) {
			return s, bad(field+".Name", e.Name, "must match [A-Za-z_][A-Za-z0-9_]*")
		}
		n := 0
		for _, set := range []bool{e.JSONPath != "", e.Header != "", e.Cookie != ""} {
			if set {
				n++
			}
		}
		if n != 1 {
			return s, bad(field, n, "exactly one of JSONPath, Header, Cookie must be set")
		}
		if e.JSONPath != "" {
			if _, err := parsePath(e.JSONPath); err != nil {
				return s, bad(field+".JSONPath", e.JSONPath, err.Error())
			}
		}
	}
	s.Extract = append([]Extract(nil), s.Extract...)
	return s, nil
}

func validName(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i, r := range s {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || (r != '.' && r != '_' && r != '-')) {
			return false
		}
	}
	return true
}

func validRef(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// validToken reports whether s is an RFC 9110 token (a method or a header
// name).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}
