package synthetic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/nines-sre/nines/internal/config"
)

// MaxFileBytes is the largest check file Load reads.
const MaxFileBytes = 4 << 20

// The file schema: one JSON object {"checks": [...]}, each check and step
// with the fields of Check and Step in snake_case, durations as Go
// duration strings ("1m", "500ms"). Unknown fields are errors, so a typo
// is not silently ignored. See testdata/shop.json.
type fileDoc struct {
	Checks []fileCheck `json:"checks"`
}

type fileCheck struct {
	Name          string            `json:"name"`
	Interval      duration          `json:"interval"`
	Timeout       duration          `json:"timeout"`
	Vars          map[string]string `json:"vars"`
	Readiness     bool              `json:"readiness"`
	SuccessTarget float64           `json:"success_target"`
	LatencyBound  duration          `json:"latency_bound"`
	LatencyTarget float64           `json:"latency_target"`
	Steps         []fileStep        `json:"steps"`
}

type fileStep struct {
	Name            string            `json:"name"`
	Method          string            `json:"method"`
	URL             string            `json:"url"`
	Headers         map[string]string `json:"headers"`
	Body            string            `json:"body"`
	Timeout         duration          `json:"timeout"`
	FollowRedirects *bool             `json:"follow_redirects"`
	Assert          []fileAssert      `json:"assert"`
	Extract         []fileExtract     `json:"extract"`
	// GRPC makes the step a gRPC call, decoded by the LoadOption that
	// WithGRPC gives (grpccheck.FileSupport).
	GRPC json.RawMessage `json:"grpc"`
}

type fileAssert struct {
	Status       int      `json:"status"`
	Code         string   `json:"code"`
	Header       string   `json:"header"`
	BodyContains string   `json:"body_contains"`
	BodyRegex    string   `json:"body_regex"`
	JSONPath     string   `json:"json_path"`
	Value        string   `json:"value"`
	MaxLatency   duration `json:"max_latency"`
	Soft         bool     `json:"soft"`
}

type fileExtract struct {
	Name     string `json:"name"`
	JSONPath string `json:"json_path"`
	Header   string `json:"header"`
	Cookie   string `json:"cookie"`
}

// duration reads a Go duration string.
type duration time.Duration

func (d *duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"1m\" or \"500ms\", got %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %v", s, err)
	}
	*d = duration(v)
	return nil
}

// LoadOption configures Load. It is sealed: only this package's WithX
// functions make one.
type LoadOption interface{ applyLoad(*loadSettings) }

type loadSettings struct {
	grpc func(data []byte) (Call, error)
}

type loadOptionFunc func(*loadSettings)

func (f loadOptionFunc) applyLoad(s *loadSettings) { f(s) }

// WithGRPC lets Load read steps with a "grpc" object, each made into a
// Call by decode from the object's JSON text. This package does not link
// gRPC: grpccheck.FileSupport returns this option with grpccheck's
// decoder. Without it, a file with a grpc step is refused, naming the
// step. An error from decode is reported as the step's "grpc" field.
func WithGRPC(decode func(data []byte) (Call, error)) LoadOption {
	return loadOptionFunc(func(s *loadSettings) { s.grpc = decode })
}

// LoadFile reads checks from a JSON file; see Load.
func LoadFile(path string, opts ...LoadOption) ([]Check, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("synthetic: %w", err)
	}
	defer f.Close()
	return Load(f, opts...)
}

// Load reads checks from JSON: {"checks": [{"name": ..., "steps": [...]}]}
// with the fields of Check, Step, Assertion and Extract in snake_case
// ("headers" for Step.Header, "follow_redirects" true by default) and
// durations as strings. A step with a "grpc" object instead of a URL is a
// gRPC call, read only with WithGRPC (see package synthetic/grpccheck for
// its fields). Each check is validated as NewRunner validates it; a bad
// file is an error wrapping ErrInvalidConfig that names the check, the
// step and the field.
func Load(r io.Reader, opts ...LoadOption) ([]Check, error) {
	var ls loadSettings
	for _, o := range opts {
		if o != nil {
			o.applyLoad(&ls)
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("synthetic: reading checks: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, config.Errorf(ErrInvalidConfig, "check file exceeds %d bytes", MaxFileBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc fileDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, config.Errorf(ErrInvalidConfig, "check file: %v", describe(err))
	}
	if dec.More() {
		return nil, config.Errorf(ErrInvalidConfig, "check file: data after the top-level object")
	}
	if len(doc.Checks) == 0 {
		return nil, config.Errorf(ErrInvalidConfig, "check file: no checks")
	}
	checks := make([]Check, len(doc.Checks))
	for i, fc := range doc.Checks {
		c, err := fc.check(&ls)
		if err != nil {
			return nil, fmt.Errorf("checks[%d]: %w", i, err)
		}
		if _, err := c.normalized(); err != nil {
			return nil, fmt.Errorf("checks[%d]: %w", i, err)
		}
		checks[i] = c
	}
	return checks, nil
}

// describe names the JSON path of a type error.
func describe(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("field %s: %v", te.Field, err)
	}
	return err.Error()
}

func (fc fileCheck) check(ls *loadSettings) (Check, error) {
	c := Check{
		Name: fc.Name, Interval: time.Duration(fc.Interval), Timeout: time.Duration(fc.Timeout), Vars: fc.Vars,
		Readiness: fc.Readiness, SuccessTarget: fc.SuccessTarget, LatencyBound: time.Duration(fc.LatencyBound), LatencyTarget: fc.LatencyTarget,
	}
	for _, fs := range fc.Steps {
		s := Step{Name: fs.Name, Method: fs.Method, URL: fs.URL, Header: fs.Headers, Body: fs.Body, Timeout: time.Duration(fs.Timeout),
			NoFollowRedirects: fs.FollowRedirects != nil && !*fs.FollowRedirects}
		for _, a := range fs.Assert {
			s.Assert = append(s.Assert, Assertion{Status: a.Status, Code: a.Code, Header: a.Header, BodyContains: a.BodyContains, BodyRegex: a.BodyRegex,
				JSONPath: a.JSONPath, Value: a.Value, MaxLatency: time.Duration(a.MaxLatency), Soft: a.Soft})
		}
		for _, e := range fs.Extract {
			s.Extract = append(s.Extract, Extract(e))
		}
		if fs.GRPC != nil {
			field := fmt.Sprintf("check %q step %q grpc", fc.Name, fs.Name)
			if ls.grpc == nil {
				return c, config.Error(ErrInvalidConfig, field, "{...}", "gRPC steps need gRPC support: load with grpccheck.Load or synthetic.Load(r, grpccheck.FileSupport())")
			}
			call, err := ls.grpc(fs.GRPC)
			if err != nil {
				return c, config.Error(ErrInvalidConfig, field, "{...}", err.Error())
			}
			s.Call = call
		}
		c.Steps = append(c.Steps, s)
	}
	return c, nil
}
