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
// DataSource documents are skipped, the alerting kinds skipped with a
// warning, other kinds are an error.
func readStream(data []byte, ps *parseState) (stream, error) {
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
		if len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
			continue // an empty document: "---" twice, or a trailing one
		}
		if err := st.add(node{doc.Content[0], "", i, ps}); err != nil {
			return stream{}, err
		}
	}
}

// skippedKinds are read (their header checked) and left out with a
// warning: nines alerts with its own burn-rate tiers, and routes alerts
// with Alertmanager, not with OpenSLO's alerting objects.
var skippedKinds = map[string]string{
	"AlertPolicy":             "alert policies are not imported: objectives alert with slo.DefaultTiers",
	"AlertCondition":          "alert conditions are not imported: objectives alert with slo.DefaultTiers",
	"AlertNotificationTarget": "notification targets are not imported: route alerts with Alertmanager",
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
		if prev, dup := st.slis[name]; dup {
			return kv.errorf("SLI %q defined twice (first in document %d)", name, prev.doc)
		}
		st.slis[name] = root
	case "Service", "DataSource":
	default:
		why, ok := skippedKinds[kind]
		if !ok {
			return kv.errorf("kind %q is not supported", kind)
		}
		root.warn("kind %s skipped: %s", kind, why)
	}
	return nil
}
