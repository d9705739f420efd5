package openslo

import (
	"errors"
	"fmt"

	"github.com/nines-sre/nines/slo"
)

// ErrUnsupported is wrapped by every Parse error about the documents'
// content (as opposed to their YAML syntax); the message names the field
// path.
var ErrUnsupported = errors.New("openslo: unsupported or invalid document")

// maxSize bounds the input Parse accepts: the documents are configuration,
// and a larger input is rejected whole, never cut.
const maxSize = 8 << 20

// Parse reads a stream of OpenSLO v1 YAML documents (at most 8 MiB) and
// returns one [slo.Objective] per objective of every kind: SLO document, in
// stream order. Each returned objective passes [slo.Objective.Validate].
//
// The package documentation lists what is supported and how objectives are
// named. Everything else is an error wrapping [ErrUnsupported] that names
// the field path, for example
// "openslo: unsupported or invalid document: spec.alertPolicies: unsupported field".
func Parse(data []byte) ([]slo.Objective, error) {
	if len(data) > maxSize {
		return nil, fmt.Errorf("openslo: input of %d bytes is larger than the %d-byte limit", len(data), maxSize)
	}
	st, err := readStream(data)
	if err != nil {
		return nil, err
	}
	var out []slo.Objective
	seen := map[string]bool{}
	for _, doc := range st.slos {
		objs, err := sloObjectives(doc, st.slis)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			if seen[o.Name] {
				return nil, fmt.Errorf("%w: objective name %q used twice", ErrUnsupported, o.Name)
			}
			seen[o.Name] = true
			out = append(out, o)
		}
	}
	return out, nil
}
