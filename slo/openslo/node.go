package openslo

import (
	"fmt"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// node is a YAML node with the field path that reached it, so every error
// names the field (spec.objectives[1].target).
type node struct {
	n    *yaml.Node
	path string
}

func (y node) errorf(format string, args ...any) error {
	if y.path == "" {
		y.path = "(document)"
	}
	return fmt.Errorf("%w: %s: %s", ErrUnsupported, y.path, fmt.Sprintf(format, args...))
}

// child is the node at key below y.
func (y node) child(n *yaml.Node, key string) node {
	if y.path == "" {
		return node{n, key}
	}
	return node{n, y.path + "." + key}
}

// resolved follows aliases, a bounded number of times so that a cycle
// cannot hang the parser.
func (y node) resolved() *yaml.Node {
	n := y.n
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// fields returns the mapping's fields; keys outside allowed are an error
// naming the unsupported field.
func (y node) fields(allowed ...string) (map[string]node, error) {
	n := y.resolved()
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
		if !slices.Contains(allowed, k.Value) {
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
	n := y.resolved()
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
	n := y.resolved()
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil, y.errorf("must be a list")
	}
	out := make([]node, len(n.Content))
	for i, c := range n.Content {
		out[i] = node{c, fmt.Sprintf("%s[%d]", y.path, i)}
	}
	return out, nil
}
