package slo

import (
	"fmt"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// ynode is a YAML node with the field path that reached it, so every
// OpenSLO error names the field (spec.objectives[1].target).
type ynode struct {
	n    *yaml.Node
	path string
}

func (y ynode) errorf(format string, args ...any) error {
	if y.path == "" {
		y.path = "(document)"
	}
	return fmt.Errorf("%w: %s: %s", ErrUnsupportedOpenSLO, y.path, fmt.Sprintf(format, args...))
}

func (y ynode) resolved() *yaml.Node {
	n := y.n
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// fields returns the mapping's fields; keys outside allowed are an error
// naming the unsupported field.
func (y ynode) fields(allowed ...string) (map[string]ynode, error) {
	n := y.resolved()
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, y.errorf("must be a mapping")
	}
	out := make(map[string]ynode, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, y.errorf("keys must be strings")
		}
		child := ynode{n.Content[i+1], y.path + "." + k.Value}
		if y.path == "" {
			child.path = k.Value
		}
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

func (y ynode) str() (string, error) {
	n := y.resolved()
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", y.errorf("must be a string")
	}
	return n.Value, nil
}

func (y ynode) float() (float64, error) {
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

func (y ynode) boolean() (bool, error) {
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

func (y ynode) items() ([]ynode, error) {
	n := y.resolved()
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil, y.errorf("must be a list")
	}
	out := make([]ynode, len(n.Content))
	for i, c := range n.Content {
		out[i] = ynode{c, fmt.Sprintf("%s[%d]", y.path, i)}
	}
	return out, nil
}
