package openslo

// metricKind is the kind of an SLI's metric: it decides what its
// objectives may say.
type metricKind uint8

const (
	ratioMetric     metricKind = iota // good/total or bad/total: a request objective
	thresholdMetric                   // a value against op/value: a latency objective
)

// indicator checks the SLO's indicator, inline or by indicatorRef to a
// kind: SLI document of the stream, and returns its metric kind. Its metric
// sources are not used (events are recorded in process), so only their
// shape is checked.
func indicator(sf map[string]node, spec node, slis map[string]node) (metricKind, error) {
	inline, hasInline := sf["indicator"]
	ref, hasRef := sf["indicatorRef"]
	switch {
	case hasInline == hasRef:
		return 0, spec.errorf("exactly one of indicator and indicatorRef is required")
	case hasInline:
		return inlineIndicator(inline)
	}
	name, err := ref.str()
	if err != nil {
		return 0, err
	}
	doc, ok := slis[name]
	if !ok {
		return 0, ref.errorf("no kind: SLI named %q in the stream", name)
	}
	// Errors in the SLI document name it: "document 3: SLI errors.spec.ratioMetric".
	sli := node{doc.n, "SLI " + name, doc.doc, doc.ps}
	f, _ := sli.fields(topFields...) // checked by stream.add
	s, err := required(f, sli, "spec")
	if err != nil {
		return 0, err
	}
	return sliSpec(s)
}

func inlineIndicator(inline node) (metricKind, error) {
	f, err := inline.fields("metadata", "spec")
	if err != nil {
		return 0, err
	}
	if _, err := metadataName(f, inline); err != nil {
		return 0, err
	}
	s, err := required(f, inline, "spec")
	if err != nil {
		return 0, err
	}
	return sliSpec(s)
}

// sliSpec accepts a ratioMetric of good/total or bad/total, or a
// thresholdMetric.
func sliSpec(spec node) (metricKind, error) {
	f, err := spec.fields("description", "ratioMetric", "thresholdMetric")
	if err != nil {
		return 0, err
	}
	rm, hasRatio := f["ratioMetric"]
	tm, hasThreshold := f["thresholdMetric"]
	switch {
	case hasRatio == hasThreshold:
		return 0, spec.errorf("exactly one of ratioMetric and thresholdMetric is required")
	case hasThreshold:
		return thresholdMetric, metricSource(tm)
	}
	rf, err := rm.fields("counter", "good", "bad", "total")
	if err != nil {
		return 0, err
	}
	if c, ok := rf["counter"]; ok {
		if _, err := c.boolean(); err != nil {
			return 0, err
		}
	}
	_, good := rf["good"]
	_, bad := rf["bad"]
	if good == bad {
		return 0, rm.errorf("exactly one of good and bad is required")
	}
	if _, err := required(rf, rm, "total"); err != nil {
		return 0, err
	}
	for _, k := range []string{"good", "bad", "total"} {
		if v, ok := rf[k]; ok {
			if err := metricSource(v); err != nil {
				return 0, err
			}
		}
	}
	return ratioMetric, nil
}

// metricSource checks one metric: a metricSource of any type.
func metricSource(v node) error {
	mf, err := v.fields("metricSource")
	if err != nil {
		return err
	}
	ms, err := required(mf, v, "metricSource")
	if err != nil {
		return err
	}
	_, err = ms.fields("metricSourceRef", "type", "spec")
	return err
}
