package grpccheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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
}

// FileSupport returns the synthetic.LoadOption that reads a step's "grpc"
// object (see the package documentation for its fields). Pass it to
// synthetic.Load, synthetic.LoadFile or yamlcheck.Load.
func FileSupport() synthetic.LoadOption { return synthetic.WithGRPC(decode) }

// Load is synthetic.Load with gRPC steps.
func Load(r io.Reader) ([]synthetic.Check, error) { return synthetic.Load(r, FileSupport()) }

// LoadFile is synthetic.LoadFile with gRPC steps.
func LoadFile(path string) ([]synthetic.Check, error) {
	return synthetic.LoadFile(path, FileSupport())
}

func decode(data []byte) (synthetic.Call, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var fc fileCall
	if err := dec.Decode(&fc); err != nil {
		return nil, err
	}
	var opts []Option
	if fc.TLS {
		opts = append(opts, WithTLS(nil))
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
