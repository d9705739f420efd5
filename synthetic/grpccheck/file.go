package grpccheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/nines-sre/nines/synthetic"
)

// fileCall is a step's "grpc" object in a check file. With Method it is a
// Unary call, without it a Health call.
type fileCall struct {
	Target   string            `json:"target"`
	Service  *string           `json:"service"`
	Method   string            `json:"method"`
	Request  json.RawMessage   `json:"request"`
	Metadata map[string]string `json:"metadata"`
	TLS      bool              `json:"tls"`
	// ServerName is a pointer so that an empty one, most likely a
	// template that rendered nothing, is refused rather than read as
	// absent: a silent fallback would verify against the target's host.
	ServerName *string `json:"server_name"`
}

// FileSupport returns the synthetic.LoadOption that reads a step's "grpc"
// object (see the package documentation for its fields). Pass it to
// synthetic.Load, synthetic.LoadFile or yamlcheck.Load; opts apply to
// every gRPC step of the files it reads (WithFileTLS).
func FileSupport(opts ...FileOption) synthetic.LoadOption {
	s := applyFileOptions(opts)
	return synthetic.WithGRPC(func(data []byte) (synthetic.Call, error) { return decode(data, s) })
}

// Load is synthetic.Load with gRPC steps.
func Load(r io.Reader, opts ...FileOption) ([]synthetic.Check, error) {
	return synthetic.Load(r, FileSupport(opts...))
}

// LoadFile is synthetic.LoadFile with gRPC steps.
func LoadFile(path string, opts ...FileOption) ([]synthetic.Check, error) {
	return synthetic.LoadFile(path, FileSupport(opts...))
}

func decode(data []byte, fs fileSettings) (synthetic.Call, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var fc fileCall
	if err := dec.Decode(&fc); err != nil {
		// encoding/json names the Go struct (fileCall), which the
		// writer of the file has never seen; name the file's field.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("%s: a JSON %s where %s belongs", te.Field, te.Value, jsonKind(te.Type))
		}
		return nil, err
	}
	if fc.ServerName != nil && !fc.TLS {
		return nil, errors.New(`server_name needs "tls": true: it is the name the server's certificate is verified against`)
	}
	var opts []Option
	if fc.TLS {
		cfg, err := stepTLS(fs.tls, fc.ServerName)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithTLS(cfg))
	}
	if fc.Metadata != nil {
		opts = append(opts, WithMetadata(fc.Metadata))
	}
	if fc.Method == "" {
		if fc.Request != nil {
			return nil, errors.New("request needs a method: without one the step is a health check")
		}
		service := ""
		if fc.Service != nil {
			service = *fc.Service
		}
		return Health(fc.Target, service, opts...)
	}
	if fc.Service != nil {
		return nil, errors.New("service is for a health check: a unary call gives its request instead")
	}
	request, err := requestText(fc.Request)
	if err != nil {
		return nil, err
	}
	return Unary(fc.Target, fc.Method, request, opts...)
}

// jsonKind names a fileCall field's Go type as the file's writer knows it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean (true or false)"
	case reflect.String:
		return "a string"
	case reflect.Map:
		return "an object of strings"
	}
	return t.String()
}

// requestText accepts the request as protojson text in a string (where
// ${name} references fit anywhere) or as a JSON object written inline.
func requestText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "{}", nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("request: %v", err)
		}
		return s, nil
	case '{':
		return string(raw), nil
	}
	return "", fmt.Errorf("request must be protojson text in a string or a JSON object, got %.20s", raw)
}
