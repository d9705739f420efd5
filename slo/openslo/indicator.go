package openslo

// indicator checks the SLO's indicator, inline or by indicatorRef to a
// kind: SLI document of the stream. Its metric sources are not used (events
// are recorded in process), so only their shape is checked.
func indicator(sf map[string]node, spec node, slis map[string]node) error {
	inline, hasInline := sf["indicator"]
	ref, hasRef := sf["indicatorRef"]
	switch {
	case hasInline == hasRef:
		return spec.errorf("exactly one of indicator and indicatorRef is required")
	case hasInline:
		return inlineIndicator(inline)
	}
	name, err := ref.str()
	if err != nil {
		return err
	}
	doc, ok := slis[name]
	if !ok {
		return ref.errorf("no kind: SLI named %q in the stream", name)
	}
	// Errors in the SLI document name it: "SLI errors.spec.ratioMetric".
	sli := node{doc.n, "SLI " + name}
	f, _ := sli.fields(topFields...) // checked by stream.add
	s, err := required(f, sli, "spec")
	if err != nil {
		return err
	}
	return sliSpec(s)
}

func inlineIndicator(inline node) error {
	f, err := inline.fields("metadata", "spec")
	if err != nil {
		return err
	}
	if _, err := metadataName(f, inline); err != nil {
		return err
	}
	s, err := required(f, inline, "spec")
	if err != nil {
		return err
	}
	return sliSpec(s)
}

// sliSpec accepts a ratioMetric of good/total or bad/total.
func sliSpec(spec node) error {
	f, err := spec.fields("description", "ratioMetric")
	if err != nil {
		return err
	}
	rm, err := required(f, spec, "ratioMetric")
	if err != nil {
		return err
	}
	rf, err := rm.fields("counter", "good", "bad", "total")
	if err != nil {
		return err
	}
	if c, ok := rf["counter"]; ok {
		if _, err := c.boolean(); err != nil {
			return err
		}
	}
	_, good := rf["good"]
	_, bad := rf["bad"]
	if good == bad {
		return rm.errorf("exactly one of good and bad is required")
	}
	if _, err := required(rf, rm, "total"); err != nil {
		return err
	}
	for _, k := range []string{"good", "bad", "total"} {
		if v, ok := rf[k]; ok {
			if err := metricSource(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// metricSource checks one side of the ratio: a metricSource of any type.
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
