package openslo

import (
	"errors"
	"fmt"

	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/slo"
)

// ErrUnsupported is wrapped by every Parse error about the documents'
// content (as opposed to their YAML syntax); the message names the
// document's index in the stream and the field path.
var ErrUnsupported = errors.New("openslo: unsupported or invalid document")

// ErrInvalidConfig is wrapped by the errors of invalid options; it also
// matches the invalid-config sentinel every nines package shares.
var ErrInvalidConfig = config.New("openslo")

// Bounds of the input. The documents are configuration: a larger input, or
// one that expands past them through YAML aliases, is rejected whole, never
// cut.
const (
	// defaultMaxBytes and maxMaxBytes bound the input (WithMaxBytes). The
	// YAML node tree is built before anything can be counted, and costs up
	// to about 60 bytes of memory per input byte (a flow list of
	// one-character items or aliases: 7.7 MB made 440 MB), so the size is
	// the bound on memory.
	defaultMaxBytes = 1 << 20
	maxMaxBytes     = 64 << 20
	// defaultMaxObjectives bounds the objectives of one input unless
	// WithMaxObjectives says otherwise: far more than a service declares,
	// and about 1 MB of slo.Objective values.
	defaultMaxObjectives = 10000
	// maxAliases bounds the YAML aliases followed in one input. Real
	// documents use a handful (a shared indicator); a hostile one uses
	// millions, each standing for a whole subtree.
	maxAliases = 10000
)

// Warning is something Parse read and left out without failing: a kind it
// does not import (AlertPolicy, AlertCondition, AlertNotificationTarget), an
// SLO's alertPolicies, a calendar startTime that is not a period boundary.
// It is a plain value.
type Warning struct {
	// Document is the index of the document in the stream, from 0.
	Document int
	// Path is the field path in the document; empty for the whole
	// document.
	Path string
	// Message says what was left out and why.
	Message string
}

// String returns "openslo: document N: PATH: MESSAGE".
func (w Warning) String() string {
	path := w.Path
	if path == "" {
		path = "(document)"
	}
	return fmt.Sprintf("openslo: document %d: %s: %s", w.Document, path, w.Message)
}

// Option configures Parse. It is sealed: only this package's WithX
// functions make one. Nil options are ignored.
type Option interface {
	apply(*parseOptions)
}

type parseOptions struct {
	maxObjectives int
	maxBytes      int
}

type optionFunc func(*parseOptions)

func (f optionFunc) apply(o *parseOptions) { f(o) }

// WithMaxObjectives bounds the objectives Parse returns for one input;
// more is an error wrapping ErrUnsupported. The default is 10000; n must be
// positive.
func WithMaxObjectives(n int) Option {
	return optionFunc(func(o *parseOptions) { o.maxObjectives = n })
}

// WithMaxBytes bounds the input Parse accepts; a larger one is an error,
// never cut. The default is 1 MiB (thousands of SLO documents); n must be
// in [1, 64 MiB]. Parsing may take about 60 times the input's size in
// memory for a hostile input, about 10 times for a real one.
func WithMaxBytes(n int) Option {
	return optionFunc(func(o *parseOptions) { o.maxBytes = n })
}

// parseState is what one Parse call shares across its documents.
type parseState struct {
	aliases    int // aliases that may still be followed
	objectives int // objectives that may still be returned
	maxObjs    int
	warnings   []Warning
}

// Parse reads a stream of OpenSLO v1 YAML documents (at most 1 MiB unless
// WithMaxBytes says otherwise) and
// returns one [slo.Objective] per objective of every kind: SLO document, in
// stream order, and the warnings about what it skipped. Each returned
// objective passes [slo.Objective.Validate].
//
// The package documentation lists what is supported and how objectives are
// named. Everything else is an error wrapping [ErrUnsupported] that names
// the document and the field path, for example
// "openslo: unsupported or invalid document: document 1: spec.objectives[0].compositeWeight: composite SLOs are not supported".
// An invalid option is an error wrapping [ErrInvalidConfig].
func Parse(data []byte, opts ...Option) ([]slo.Objective, []Warning, error) {
	o := parseOptions{maxObjectives: defaultMaxObjectives, maxBytes: defaultMaxBytes}
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&o)
		}
	}
	if o.maxObjectives < 1 {
		return nil, nil, config.Error(ErrInvalidConfig, "WithMaxObjectives", o.maxObjectives, "must be positive")
	}
	if o.maxBytes < 1 || o.maxBytes > maxMaxBytes {
		return nil, nil, config.Error(ErrInvalidConfig, "WithMaxBytes", o.maxBytes, fmt.Sprintf("must be in [1, %d]", maxMaxBytes))
	}
	if len(data) > o.maxBytes {
		return nil, nil, fmt.Errorf("openslo: input of %d bytes is larger than the %d-byte limit (WithMaxBytes)", len(data), o.maxBytes)
	}
	ps := &parseState{aliases: maxAliases, objectives: o.maxObjectives, maxObjs: o.maxObjectives}
	st, err := readStream(data, ps)
	if err != nil {
		return nil, nil, err
	}
	var out []slo.Objective
	seen := map[string]bool{}
	for _, doc := range st.slos {
		objs, err := sloObjectives(doc, st.slis)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range objs {
			if seen[o.Name] {
				return nil, nil, fmt.Errorf("%w: document %d: objective name %q used twice", ErrUnsupported, doc.doc, o.Name)
			}
			seen[o.Name] = true
			out = append(out, o)
		}
	}
	return out, ps.warnings, nil
}
