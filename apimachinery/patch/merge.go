package patch

import "fmt"

// MergePatch applies a JSON merge patch (RFC 7386) to a JSON document and returns the result.
//
// A patch that is an object is merged member by member: a null member deletes the member of the
// document, an object member is merged recursively, and any other member (arrays included)
// replaces the document's. A patch that is not an object replaces the whole document. Both inputs
// must be valid JSON; the inputs are never modified. Object members of the result are sorted.
func MergePatch(original, patch []byte) ([]byte, error) {
	doc, err := decode(original)
	if err != nil {
		return nil, fmt.Errorf("merge patch: document: %w", err)
	}
	p, err := decode(patch)
	if err != nil {
		return nil, fmt.Errorf("merge patch: patch: %w", err)
	}
	out, err := encode(mergeValue(doc, p))
	if err != nil {
		return nil, fmt.Errorf("merge patch: %w", err)
	}
	return out, nil
}

// mergeValue implements RFC 7386 section 2 on decoded values; it may reuse target.
func mergeValue(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = make(map[string]any, len(pm))
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = mergeValue(tm[k], v)
	}
	return tm
}

// CreateMergePatch returns a JSON merge patch that turns original into modified: members of
// original missing from modified become null, changed members carry their new value (objects as
// a recursive patch, anything else whole), and equal members are left out. When either document
// is not an object the patch is modified itself.
//
// A merge patch cannot set a member to null (null means delete), so MergePatch(original, patch)
// equals modified whenever modified contains no null inside an object.
func CreateMergePatch(original, modified []byte) ([]byte, error) {
	o, err := decode(original)
	if err != nil {
		return nil, fmt.Errorf("create merge patch: original: %w", err)
	}
	m, err := decode(modified)
	if err != nil {
		return nil, fmt.Errorf("create merge patch: modified: %w", err)
	}
	om, ok1 := o.(map[string]any)
	mm, ok2 := m.(map[string]any)
	if !ok1 || !ok2 {
		return encode(m)
	}
	return encode(diffMerge(om, mm))
}

func diffMerge(o, m map[string]any) map[string]any {
	p := map[string]any{}
	for k := range o {
		if _, ok := m[k]; !ok {
			p[k] = nil
		}
	}
	for k, mv := range m {
		ov, ok := o[k]
		if !ok {
			p[k] = mv
			continue
		}
		if equal(ov, mv) {
			continue
		}
		om, ok1 := ov.(map[string]any)
		mm, ok2 := mv.(map[string]any)
		if ok1 && ok2 {
			p[k] = diffMerge(om, mm)
			continue
		}
		p[k] = mv
	}
	return p
}
