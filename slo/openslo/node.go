package openslo

import (
	"fmt"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// node is a YAML node with the document and field path that reached it, so
// every error names both (document 2: spec.objectives[1].target), and the
// state of the whole parse it belongs to.
type node struct {
	n    *yaml.Node
	path string
	doc  int
	ps   *parseState
}

// errorf returns an error wrapping ErrUnsupported that names the document
// and the field.
func (y node) errorf(format string, args ...any) error {
	path := y.path
	if path == "" {
		path = "(document)"
	}
	return fmt.Errorf("%w: document %d: %s: %s", ErrUnsupported, y.doc, path, fmt.Sprintf(format, args...))
}

// warn records a warning about the field y.
func (y node) warn(format string, args ...any) {
	y.ps.warnings = append(y.ps.warnings, Warning{Document: y.doc, Path: y.path, Message: fmt.Sprintf(format, args...)})
}

// child is the node at key below y.
func (y node) child(n *yaml.Node, key string) node {
	if y.path == "" {
		return node{n, key, y.doc, y.ps}
	}
	return node{n, y.path + "." + key, y.doc, y.ps}
}

// maxAliasChain bounds one chain of aliases, so that a cycle cannot hang
// the parser; parseState.aliases bounds them all.
const maxAliasChain = 64

// resolved follows aliases. Every alias followed is charged to the parse's
// budget: an alias is a few bytes that can stand for a whole objective, so
// without a bound a small input could expand into millions of them.
func (y node) resolved() (*yaml.Node, error) {
	n := y.n
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i == maxAliasChain {
			return nil, y.errorf("alias chain longer than %d", maxAliasChain)
		}
		if y.ps.aliases--; y.ps.aliases < 0 {
			return nil, y.errorf("more than %d aliases followed in the input", maxAliases)
		}
		n = n.Alias
	}
	return n, nil
}

// anyKey, given as fields' allowed keys, allows every key (a free-form
// mapping such as metadata.annotations).
var anyKey = []string{"\x00any"}

// fields returns the mapping's fields; keys outside allowed are an error
// naming the unsupported field.
func (y node) fields(allowed ...string) (map[string]node, error) {
	free := len(allowed) == 1 && allowed[0] == anyKey[0]
	n, err := y.resolved()
	if err != nil {
		return nil, err
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, y.errorf("must be a mapping")
	}
	out := make(map[string]node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, y.errorf("keys must be strings")
		}
		child := y.child(n.Content[i+1], k.Value)
		if !free && !slices.Contains(allowed, k.Value) {
			return nil, child.errorf("unsupported field")
		}
		if _, dup := out[k.Value]; dup {
			return nil, child.errorf("duplicate field")
		}
		out[k.Value] = child
	}
	return out, nil
}

// required returns the field key of parent, whose fields are f, or an
// error naming the missing field.
func required(f map[string]node, parent node, key string) (node, error) {
	if v, ok := f[key]; ok {
		return v, nil
	}
	missing := parent.child(nil, key)
	return missing, missing.errorf("required")
}

func (y node) str() (string, error) {
	n, err := y.resolved()
	if err != nil {
		return "", err
	}
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", y.errorf("must be a string")
	}
	return n.Value, nil
}

// requiredStr is required followed by str.
func requiredStr(f map[string]node, parent node, key string) (node, string, error) {
	v, err := required(f, parent, key)
	if err != nil {
		return v, "", err
	}
	s, err := v.str()
	return v, s, err
}

func (y node) float() (float64, error) {
	s, err := y.str()
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, y.errorf("%q is not a number", s)
	}
	return v, nil
}

func (y node) boolean() (bool, error) {
	s, err := y.str()
	if err != nil {
		return false, err
	}
	switch s {
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	}
	return false, y.errorf("%q is not a boolean", s)
}

func (y node) items() ([]node, error) {
	n, err := y.resolved()
	if err != nil {
		return nil, err
	}
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil, y.errorf("must be a list")
	}
	out := make([]node, len(n.Content))
	for i, c := range n.Content {
		out[i] = node{c, fmt.Sprintf("%s[%d]", y.path, i), y.doc, y.ps}
	}
	return out, nil
}
