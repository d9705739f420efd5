package openslo

import (
	"bytes"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// stream is a document stream sorted by kind: the SLOs in stream order and
// the SLIs by name, for the SLOs' indicatorRef.
type stream struct {
	slos []node
	slis map[string]node
}

// topFields are the fields of every document.
var topFields = []string{"apiVersion", "kind", "metadata", "spec"}

// readStream decodes every document and sorts it by kind; Service and
// DataSource documents are skipped, other kinds are an error.
func readStream(data []byte) (stream, error) {
	st := stream{slis: map[string]node{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for i := 0; ; i++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return stream{}, fmt.Errorf("openslo: document %d: %w", i, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		if err := st.add(node{doc.Content[0], ""}); err != nil {
			return stream{}, err
		}
	}
}

// add checks one document's header and files it by kind.
func (st *stream) add(root node) error {
	f, err := root.fields(topFields...)
	if err != nil {
		return err
	}
	v, err := required(f, root, "apiVersion")
	if err != nil {
		return err
	}
	if version, err := v.str(); err != nil || version != "openslo/v1" {
		return v.errorf("must be openslo/v1")
	}
	kv, kind, err := requiredStr(f, root, "kind")
	if err != nil {
		return err
	}
	switch kind {
	case "SLO":
		st.slos = append(st.slos, root)
	case "SLI":
		name, err := metadataName(f, root)
		if err != nil {
			return err
		}
		if _, dup := st.slis[name]; dup {
			return kv.errorf("SLI %q defined twice", name)
		}
		st.slis[name] = root
	case "Service", "DataSource":
	default:
		return kv.errorf("kind %q is not supported", kind)
	}
	return nil
}
