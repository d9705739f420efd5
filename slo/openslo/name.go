package openslo

import "strings"

// metadataName returns the document's metadata.name, which must not be
// empty.
func metadataName(f map[string]node, root node) (string, error) {
	md, err := required(f, root, "metadata")
	if err != nil {
		return "", err
	}
	mf, err := md.fields("name", "displayName", "labels", "annotations")
	if err != nil {
		return "", err
	}
	nv, name, err := requiredStr(mf, md, "name")
	if err == nil && name == "" {
		err = nv.errorf("must not be empty")
	}
	return name, err
}

// objectiveName is "<slo>:<suffix>" with the characters slo.Objective.Name
// does not allow replaced by "_".
func objectiveName(sloName, suffix string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == ':' || r == '-' {
			return r
		}
		return '_'
	}, sloName+":"+suffix)
}

// annotatedName returns the NameAnnotation of the document's metadata, if
// it has one (metadataName has checked the metadata's shape).
func annotatedName(f map[string]node) (node, string, bool, error) {
	mf, _ := f["metadata"].fields("name", "displayName", "labels", "annotations")
	av, ok := mf["annotations"]
	if !ok {
		return node{}, "", false, nil
	}
	af, err := av.fields(anyKey...)
	if err != nil {
		return node{}, "", false, err
	}
	nv, ok := af[NameAnnotation]
	if !ok {
		return node{}, "", false, nil
	}
	name, err := nv.str()
	return nv, name, err == nil, err
}
