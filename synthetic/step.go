package synthetic

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/nines-sre/nines/internal/owntraffic"
)

// run is the state one run of a check shares between its steps.
type run struct {
	r       *Runner
	values  map[string]string
	secrets []string
	client  http.Client
}

// redact replaces every secret value in s with "***".
func (rn *run) redact(s string) string {
	for _, v := range rn.secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, "***")
		}
	}
	return s
}

func (rn *run) lookup(name string) (string, bool) {
	v, ok := rn.values[name]
	return v, ok
}

// step runs one step: one request (and its redirects), its assertions and
// its extractions.
func (rn *run) step(ctx context.Context, s *Step) StepResult {
	res := StepResult{Name: s.Name}
	fail := func(o Outcome, format string, args ...any) StepResult {
		rn.failed(&res, o, format, args...)
		return res
	}
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	if s.Call != nil {
		rn.callStep(owntraffic.Mark(ctx), s, &res)
		return res
	}
	u, err := expand(s.URL, nil, rn.lookup)
	if err != nil {
		return fail(Fail, "URL: %v", err)
	}
	body, err := expand(s.Body, nil, rn.lookup)
	if err != nil {
		return fail(Fail, "Body: %v", err)
	}
	tr := &tracer{now: rn.r.cfg.now}
	req, err := http.NewRequestWithContext(tr.trace(owntraffic.Mark(ctx)), s.Method, u, strings.NewReader(body))
	if err != nil {
		return fail(Fail, "request: %v", err)
	}
	if body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, v := range s.Header {
		v, err := expand(v, nil, rn.lookup)
		if err != nil {
			return fail(Fail, "Header.%s: %v", k, err)
		}
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	req.Header.Set(owntraffic.Header, "synthetic")
	req.Header.Set("Traceparent", traceparent())
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "nines-synthetic")
	}
	follow := !s.NoFollowRedirects
	rn.client.CheckRedirect = func(_ *http.Request, via []*http.Request) error {
		if !follow {
			return http.ErrUseLastResponse
		}
		if len(via) > MaxRedirects {
			return fmt.Errorf("stopped after %d redirects", MaxRedirects)
		}
		return nil
	}
	start := rn.r.cfg.now()
	resp, err := rn.client.Do(req)
	if err != nil {
		res.Duration = rn.r.cfg.now().Sub(start)
		res.Phases = tr.end(rn.r.cfg.now())
		if ctx.Err() != nil {
			return fail(Timeout, "request: %v", ctx.Err())
		}
		return fail(Fail, "request: %v", err)
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	data, err := io.ReadAll(io.LimitReader(resp.Body, rn.r.cfg.maxBody+1))
	end := rn.r.cfg.now()
	res.Duration = end.Sub(start)
	res.Phases = tr.end(end)
	if err != nil {
		if ctx.Err() != nil {
			return fail(Timeout, "body: %v", ctx.Err())
		}
		return fail(Fail, "body: %v", err)
	}
	if int64(len(data)) > rn.r.cfg.maxBody {
		return fail(Fail, "body exceeds %d bytes (WithMaxBodyBytes)", rn.r.cfg.maxBody)
	}
	rn.judge(s, &res, response{status: resp.StatusCode, http: resp, body: data})
	return res
}

// failed records a failure of a step, secrets redacted.
func (rn *run) failed(res *StepResult, o Outcome, format string, args ...any) {
	res.Outcome = max(res.Outcome, o)
	res.Failures = append(res.Failures, rn.redact(fmt.Sprintf(format, args...)))
}

// response is what assertions and extractions read, from an HTTP response
// or a Call's. Plain fields rather than closures: an HTTP step allocates
// nothing more for being able to read either.
type response struct {
	status int            // HTTP status, 0 for a call
	code   string         // a call's code, "" for HTTP
	http   *http.Response // nil for a call
	md     map[string][]string
	body   []byte
}

// header returns a response header's first value: canonical keys for
// HTTP, lower-case metadata keys for a call.
func (r *response) header(name string) (string, bool) {
	var vs []string
	if r.http != nil {
		vs = r.http.Header[http.CanonicalHeaderKey(name)]
	} else {
		vs = r.md[lower(name)]
	}
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// judge applies a step's assertions and extractions to its response.
func (rn *run) judge(s *Step, res *StepResult, resp response) {
	var parsed any
	var parseErr error
	decoded := false
	doc := func() (any, error) { // decoded once, on the first JSON assertion
		if !decoded {
			decoded = true
			parseErr = decodeJSON(resp.body, &parsed)
		}
		return parsed, parseErr
	}
	for _, a := range s.Assert {
		o := Fail
		if a.Soft {
			o = Degraded
		}
		if msg := a.check(&resp, res.Duration, doc); msg != "" {
			rn.failed(res, o, "%s", msg)
			if o == Fail {
				return
			}
		}
	}
	for _, e := range s.Extract {
		v, err := e.from(&resp, doc)
		if err != nil {
			rn.failed(res, Fail, "extract %s: %v", e.Name, err)
			return
		}
		rn.values[e.Name] = v
	}
}

func decodeJSON(data []byte, v *any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("body is not JSON: %v", err)
	}
	return nil
}

// check returns "" when the assertion holds, or why it does not.
func (a *Assertion) check(resp *response, d time.Duration, doc func() (any, error)) string {
	body := resp.body
	switch {
	case a.Status != 0:
		if resp.status != a.Status {
			return fmt.Sprintf("status %d, want %d", resp.status, a.Status)
		}
	case a.Code != "":
		if resp.code != a.Code {
			return fmt.Sprintf("code %s, want %s", resp.code, a.Code)
		}
	case a.Header != "":
		v, ok := resp.header(a.Header)
		if !ok {
			return fmt.Sprintf("header %s absent", a.Header)
		}
		if a.Value != "" && !strings.Contains(v, a.Value) {
			return fmt.Sprintf("header %s = %q, want it to contain %q", a.Header, v, a.Value)
		}
	case a.BodyContains != "":
		if !strings.Contains(string(body), a.BodyContains) {
			return fmt.Sprintf("body does not contain %q", a.BodyContains)
		}
	case a.BodyRegex != "":
		if !a.re.Match(body) {
			return fmt.Sprintf("body does not match %q", a.BodyRegex)
		}
	case a.JSONPath != "":
		d, err := doc()
		if err != nil {
			return err.Error()
		}
		p, _ := parsePath(a.JSONPath)
		v, ok := p.lookup(d)
		if !ok {
			return fmt.Sprintf("JSON %s absent", a.JSONPath)
		}
		if a.Value != "" && text(v) != a.Value {
			return fmt.Sprintf("JSON %s = %q, want %q", a.JSONPath, text(v), a.Value)
		}
	case a.MaxLatency != 0:
		if d > a.MaxLatency {
			return fmt.Sprintf("latency %v, want at most %v", d, a.MaxLatency)
		}
	}
	return ""
}

// from takes the extraction's value from a response.
func (e *Extract) from(resp *response, doc func() (any, error)) (string, error) {
	switch {
	case e.JSONPath != "":
		d, err := doc()
		if err != nil {
			return "", err
		}
		p, _ := parsePath(e.JSONPath)
		v, ok := p.lookup(d)
		if !ok {
			return "", fmt.Errorf("JSON %s absent", e.JSONPath)
		}
		return text(v), nil
	case e.Header != "":
		if v, ok := resp.header(e.Header); ok && v != "" {
			return v, nil
		}
		return "", fmt.Errorf("header %s absent", e.Header)
	default:
		if resp.http == nil {
			return "", errors.New("cookie " + e.Cookie + ": not an HTTP response")
		}
		for _, c := range resp.http.Cookies() {
			if c.Name == e.Cookie {
				return c.Value, nil
			}
		}
		return "", errors.New("cookie " + e.Cookie + " not set by the response")
	}
}

// traceparent returns a W3C trace context header for a new sampled trace,
// so that a synthetic request can be found in the target's traces.
func traceparent() string {
	var id [24]byte
	_, _ = rand.Read(id[:])
	return "00-" + hex.EncodeToString(id[:16]) + "-" + hex.EncodeToString(id[16:]) + "-01"
}
