package yamlcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/synthetic"
)

// LoadFile reads checks from a YAML file; see Load.
func LoadFile(path string, opts ...synthetic.LoadOption) ([]synthetic.Check, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("yamlcheck: %w", err)
	}
	defer f.Close()
	return Load(f, opts...)
}

// Load reads checks from a YAML document with synthetic.Load's schema. A
// malformed document, or one synthetic.Load refuses, is an error wrapping
// synthetic.ErrInvalidConfig. The options are synthetic.Load's: pass
// grpccheck.FileSupport() to read gRPC steps.
func Load(r io.Reader, opts ...synthetic.LoadOption) ([]synthetic.Check, error) {
	data, err := io.ReadAll(io.LimitReader(r, synthetic.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("yamlcheck: reading checks: %w", err)
	}
	if len(data) > synthetic.MaxFileBytes {
		return nil, config.Errorf(synthetic.ErrInvalidConfig, "check file exceeds %d bytes", synthetic.MaxFileBytes)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, config.Errorf(synthetic.ErrInvalidConfig, "check file: %v", err)
	}
	// The same document as JSON goes through synthetic.Load, so both
	// formats share one schema and one validation.
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, config.Errorf(synthetic.ErrInvalidConfig, "check file: keys must be strings: %v", err)
	}
	return synthetic.Load(bytes.NewReader(js), opts...)
}
