package patch

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// The directives of a strategic merge patch.
const (
	// DirectiveKey ("$patch") in a map or a list element: "replace" replaces the map (or, as a
	// list element {"$patch":"replace"}, the whole list) with the patch; "delete" deletes the map
	// (or the list element with the same merge key); "merge" is the default for maps.
	DirectiveKey = "$patch"
	// RetainKeysKey ("$retainKeys") lists the fields of a map to keep; the others are cleared
	// before the patch is merged (used for union types such as a Deployment's strategy).
	RetainKeysKey = "$retainKeys"
	// SetElementOrderPrefix ("$setElementOrder/<field>") gives the order of the elements of a
	// merged list: for lists of maps, a list of {mergeKey: value}; for primitives, the values.
	SetElementOrderPrefix = "$setElementOrder/"
	// DeleteFromPrimitiveListPrefix ("$deleteFromPrimitiveList/<field>") lists values to remove
	// from a merged list of primitives, such as finalizers.
	DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"
)

// StrategicMergePatch applies a strategic merge patch, as kubectl sends it, to a JSON object
// whose Go type is the type of dataStruct (a struct or a pointer to one, such as &corev1.Pod{}).
//
// It is a JSON merge patch (null deletes a field, maps merge, other values replace) except for
// lists: a list field tagged `patchStrategy:"merge" patchMergeKey:"name"` merges element by
// element, matching elements on the merge key (containers by name, ports by containerPort);
// a list tagged `patchStrategy:"merge"` without a merge key (finalizers) is a set union; any
// other list is replaced, and so is a map or struct tagged `patchStrategy:"replace"`. The
// directives $patch, $retainKeys, $setElementOrder/<field> and
// $deleteFromPrimitiveList/<field> are honoured at every level. Fields the type does not know,
// and fields of interface or raw JSON type, follow the JSON merge patch rules.
//
// Object members of the result are sorted; the inputs are never modified.
func StrategicMergePatch(original, patch []byte, dataStruct any) ([]byte, error) {
	s, err := structSchema(dataStruct)
	if err != nil {
		return nil, fmt.Errorf("strategic merge patch: %w", err)
	}
	o, err := decodeObject(original)
	if err != nil {
		return nil, fmt.Errorf("strategic merge patch: document: %w", err)
	}
	p, err := decodeObject(patch)
	if err != nil {
		return nil, fmt.Errorf("strategic merge patch: patch: %w", err)
	}
	r, err := mergeMapStrategic(o, p, s)
	if err != nil {
		return nil, fmt.Errorf("strategic merge patch: %w", err)
	}
	out, err := encode(r)
	if err != nil {
		return nil, fmt.Errorf("strategic merge patch: %w", err)
	}
	return out, nil
}

func structSchema(dataStruct any) (*schema, error) {
	if dataStruct == nil {
		return nil, fmt.Errorf("%w: nil data struct", ErrInvalidPatch)
	}
	s := schemaOf(reflect.TypeOf(dataStruct))
	if !s.isStruct() {
		return nil, fmt.Errorf("%w: data struct %T is not a struct", ErrInvalidPatch, dataStruct)
	}
	return s, nil
}

func decodeObject(b []byte) (map[string]any, error) {
	v, err := decode(b)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalidJSON)
	}
	return m, nil
}

func isDirective(k string) bool {
	return k == DirectiveKey || k == RetainKeysKey ||
		strings.HasPrefix(k, SetElementOrderPrefix) || strings.HasPrefix(k, DeleteFromPrimitiveListPrefix)
}

// mergeMapStrategic merges patch into orig (which it may modify; nil means absent) and returns
// the result.
func mergeMapStrategic(orig, patch map[string]any, s *schema) (map[string]any, error) {
	if d, ok := patch[DirectiveKey]; ok {
		switch d {
		case "replace":
			rest := make(map[string]any, len(patch))
			for k, v := range patch {
				if k != DirectiveKey {
					rest[k] = v
				}
			}
			return mergeMapStrategic(nil, rest, s)
		case "delete":
			// Kubernetes leaves an empty map where the deleted one was.
			return map[string]any{}, nil
		case "merge":
		default:
			return nil, fmt.Errorf("%w: unknown %s directive %v", ErrInvalidPatch, DirectiveKey, d)
		}
	}
	if orig == nil {
		orig = make(map[string]any, len(patch))
	}

	if rk, ok := patch[RetainKeysKey]; ok {
		if err := retainKeys(orig, patch, rk); err != nil {
			return nil, err
		}
	}

	// The live order of lists that $setElementOrder reorders, taken before the merge.
	serverOrder := map[string][]any{}
	for k, v := range patch {
		if f, ok := strings.CutPrefix(k, SetElementOrderPrefix); ok {
			if err := checkElementOrder(v, patch[f], s.field(f).mergeKey); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			l, _ := orig[f].([]any)
			serverOrder[f] = append([]any(nil), l...)
		}
	}

	for k, v := range patch {
		f, ok := strings.CutPrefix(k, DeleteFromPrimitiveListPrefix)
		if !ok {
			continue
		}
		del, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s is not a list", ErrInvalidPatch, k)
		}
		l, ok := orig[f].([]any)
		if !ok {
			continue
		}
		kept := l[:0:0]
		for _, x := range l {
			if !containsValue(del, x) {
				kept = append(kept, x)
			}
		}
		orig[f] = kept
	}

	for k, pv := range patch {
		if isDirective(k) {
			continue
		}
		if pv == nil {
			delete(orig, k)
			continue
		}
		ov, exists := orig[k]
		r, del, err := mergeValueStrategic(ov, exists, pv, s.field(k))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		if del {
			delete(orig, k)
		} else {
			orig[k] = r
		}
	}

	for k, v := range patch {
		f, ok := strings.CutPrefix(k, SetElementOrderPrefix)
		if !ok {
			continue
		}
		order, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s is not a list", ErrInvalidPatch, k)
		}
		l, ok := orig[f].([]any)
		if !ok {
			continue
		}
		sorted, err := applyElementOrder(l, order, serverOrder[f], s.field(f).mergeKey)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		orig[f] = sorted
	}
	return orig, nil
}

func retainKeys(orig, patch map[string]any, rk any) error {
	list, ok := rk.([]any)
	if !ok {
		return fmt.Errorf("%w: %s is not a list", ErrInvalidPatch, RetainKeysKey)
	}
	keep := make(map[string]bool, len(list))
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return fmt.Errorf("%w: %s holds a non-string %v", ErrInvalidPatch, RetainKeysKey, x)
		}
		keep[s] = true
	}
	for k, v := range patch {
		if v == nil || isDirective(k) {
			continue
		}
		if !keep[k] {
			return fmt.Errorf("%w: field %q is set by the patch but missing from %s", ErrInvalidPatch, k, RetainKeysKey)
		}
	}
	for k := range orig {
		if !keep[k] {
			delete(orig, k)
		}
	}
	return nil
}

// mergeValueStrategic merges one patch value into the original value of a field.
func mergeValueStrategic(ov any, exists bool, pv any, f fieldInfo) (any, bool, error) {
	switch p := pv.(type) {
	case map[string]any:
		om, _ := ov.(map[string]any)
		if f.replace {
			om = nil
		}
		r, err := mergeMapStrategic(om, p, f.schema)
		return r, false, err
	case []any:
		ol, _ := ov.([]any)
		if !exists {
			ol = nil
		}
		r, err := mergeList(ol, p, f)
		return r, false, err
	default:
		return pv, false, nil
	}
}

// mergeList merges a patch list into the original list of a field (nil: the field is absent).
func mergeList(orig, patch []any, f fieldInfo) ([]any, error) {
	elem := f.schema.elem()
	if orig == nil {
		return freshList(patch, elem)
	}
	replace := !f.merge
	var deletes []any // merge key values of elements to delete
	items := make([]any, 0, len(patch))
	for _, x := range patch {
		m, ok := x.(map[string]any)
		if !ok {
			items = append(items, x)
			continue
		}
		d, ok := m[DirectiveKey]
		if !ok {
			items = append(items, x)
			continue
		}
		switch d {
		case "replace":
			replace = true
		case "delete":
			kv, ok := m[f.mergeKey]
			if f.mergeKey == "" || !ok {
				return nil, fmt.Errorf("%w: %s: delete in a list needs the merge key of the element", ErrInvalidPatch, DirectiveKey)
			}
			deletes = append(deletes, kv)
		default:
			return nil, fmt.Errorf("%w: unsupported %s directive %v in a list", ErrInvalidPatch, DirectiveKey, d)
		}
	}

	if replace {
		return freshList(items, elem)
	}

	if f.mergeKey == "" { // a set of primitives: union, original order first
		out := append(make([]any, 0, len(orig)+len(items)), orig...)
		for _, x := range items {
			if !containsValue(out, x) {
				out = append(out, x)
			}
		}
		return applyElementOrder(out, items, orig, "")
	}

	out := make([]any, 0, len(orig)+len(items))
	for _, x := range orig {
		if m, ok := x.(map[string]any); ok {
			if kv, ok := m[f.mergeKey]; ok && containsValue(deletes, kv) {
				continue
			}
		}
		out = append(out, x)
	}
	for _, x := range items {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: list element %v is not an object with merge key %q", ErrInvalidPatch, x, f.mergeKey)
		}
		kv, ok := m[f.mergeKey]
		if !ok {
			return nil, fmt.Errorf("%w: list element has no merge key %q", ErrInvalidPatch, f.mergeKey)
		}
		i := indexByKey(out, f.mergeKey, kv)
		var om map[string]any
		if i >= 0 {
			om, _ = out[i].(map[string]any)
		}
		r, err := mergeMapStrategic(om, m, elem)
		if err != nil {
			return nil, fmt.Errorf("element %s=%v: %w", f.mergeKey, kv, err)
		}
		if i >= 0 {
			out[i] = r
		} else {
			out = append(out, r)
		}
	}
	return applyElementOrder(out, items, orig, f.mergeKey)
}

func indexByKey(l []any, key string, kv any) int {
	for i, x := range l {
		if m, ok := x.(map[string]any); ok {
			if v, ok := m[key]; ok && equal(v, kv) {
				return i
			}
		}
	}
	return -1
}

func containsValue(l []any, v any) bool {
	for _, x := range l {
		if equal(x, v) {
			return true
		}
	}
	return false
}

// elementKey is the identity of a list element for ordering: its merge key value, or the value
// itself for primitives.
func elementKey(x any, mergeKey string) (string, bool) {
	if mergeKey != "" {
		m, ok := x.(map[string]any)
		if !ok {
			return "", false
		}
		x, ok = m[mergeKey]
		if !ok {
			return "", false
		}
	}
	if n, ok := x.(json.Number); ok { // 80 and 80.0 are one port
		if f, err := n.Float64(); err == nil {
			return fmt.Sprintf("n:%v", f), true
		}
	}
	b, err := json.Marshal(x)
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("%T:%s", x, b), true
}

// applyElementOrder sorts a merged list as Kubernetes does: the elements named by order (the
// patch list, or a $setElementOrder list) come in that order; the other elements, present only
// on the server, keep their relative order and are interleaved by the live list's order: a
// server-only element goes before an ordered element only when both are in the live list and it
// came first there. So a new element of the patch lands before the server-only elements.
func applyElementOrder(list, order, serverOrder []any, mergeKey string) ([]any, error) {
	want := make(map[string]int, len(order))
	for i, x := range order {
		k, ok := elementKey(x, mergeKey)
		if !ok {
			return nil, fmt.Errorf("%w: order entry %v has no merge key %q", ErrInvalidPatch, x, mergeKey)
		}
		if _, dup := want[k]; !dup {
			want[k] = i
		}
	}
	live := make(map[string]int, len(serverOrder))
	for i, x := range serverOrder {
		if k, ok := elementKey(x, mergeKey); ok {
			if _, dup := live[k]; !dup {
				live[k] = i
			}
		}
	}
	type keyed struct {
		v   any
		key string
		ok  bool
	}
	var patched, serverOnly []keyed
	for _, x := range list {
		k, ok := elementKey(x, mergeKey)
		if _, in := want[k]; ok && in {
			patched = append(patched, keyed{x, k, true})
		} else {
			serverOnly = append(serverOnly, keyed{x, k, ok})
		}
	}
	sort.SliceStable(patched, func(i, j int) bool { return want[patched[i].key] < want[patched[j].key] })

	out := make([]any, 0, len(list))
	i, j := 0, 0
	for i < len(serverOnly) || j < len(patched) {
		switch {
		case j >= len(patched):
			out = append(out, serverOnly[i].v)
			i++
		case i >= len(serverOnly):
			out = append(out, patched[j].v)
			j++
		default:
			li, lok := live[serverOnly[i].key]
			ri, rok := live[patched[j].key]
			if serverOnly[i].ok && lok && rok && li < ri {
				out = append(out, serverOnly[i].v)
				i++
			} else {
				out = append(out, patched[j].v)
				j++
			}
		}
	}
	return out, nil
}

// CreateTwoWayMergePatch returns the strategic merge patch that turns original into modified,
// both JSON objects of the Go type of dataStruct, in the form kubectl sends: removed fields are
// null, lists with a merge key carry only changed and new elements plus {"$patch":"delete"}
// entries and a $setElementOrder/<field> directive, merged primitive lists carry added values,
// $deleteFromPrimitiveList/<field> and $setElementOrder/<field>, other lists are sent whole, and
// changed maps of a field tagged retainKeys carry $retainKeys. Applying the patch to original
// with StrategicMergePatch gives modified (when modified holds no null inside an object).
func CreateTwoWayMergePatch(original, modified []byte, dataStruct any) ([]byte, error) {
	s, err := structSchema(dataStruct)
	if err != nil {
		return nil, fmt.Errorf("create strategic merge patch: %w", err)
	}
	o, err := decodeObject(original)
	if err != nil {
		return nil, fmt.Errorf("create strategic merge patch: original: %w", err)
	}
	m, err := decodeObject(modified)
	if err != nil {
		return nil, fmt.Errorf("create strategic merge patch: modified: %w", err)
	}
	out, err := encode(diffStrategic(o, m, s))
	if err != nil {
		return nil, fmt.Errorf("create strategic merge patch: %w", err)
	}
	return out, nil
}

func diffStrategic(o, m map[string]any, s *schema) map[string]any {
	p := map[string]any{}
	for k := range o {
		if _, ok := m[k]; !ok {
			p[k] = nil
		}
	}
	for k, mv := range m {
		f := s.field(k)
		ov, ok := o[k]
		if !ok {
			p[k] = newValue(mv, f)
			continue
		}
		if equal(ov, mv) {
			continue
		}
		switch mt := mv.(type) {
		case map[string]any:
			om, ok := ov.(map[string]any)
			if !ok {
				p[k] = newValue(mv, f)
				continue
			}
			if f.replace {
				p[k] = newValue(mv, f)
				continue
			}
			sub := diffStrategic(om, mt, f.schema)
			if f.retainKeys {
				sub[RetainKeysKey] = sortedKeys(mt)
			}
			p[k] = sub
		case []any:
			ol, ok := ov.([]any)
			if !ok {
				p[k] = newValue(mv, f)
				continue
			}
			diffList(p, k, ol, mt, f)
		default:
			p[k] = mv
		}
	}
	return p
}

func sortedKeys(m map[string]any) []any {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v != nil {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}

// diffList adds to p the entries that turn list ol into ml for field k.
func diffList(p map[string]any, k string, ol, ml []any, f fieldInfo) {
	if !f.merge {
		p[k] = ml
		return
	}
	if f.mergeKey == "" {
		var added, removed []any
		for _, x := range ml {
			if !containsValue(ol, x) && !containsValue(added, x) {
				added = append(added, x)
			}
		}
		for _, x := range ol {
			if !containsValue(ml, x) && !containsValue(removed, x) {
				removed = append(removed, x)
			}
		}
		if len(added) > 0 {
			p[k] = added
		}
		if len(removed) > 0 {
			p[DeleteFromPrimitiveListPrefix+k] = removed
		}
		p[SetElementOrderPrefix+k] = ml
		return
	}
	// Every element must carry a unique merge key; otherwise replace the list outright.
	if !uniquelyKeyed(ol, f.mergeKey) || !uniquelyKeyed(ml, f.mergeKey) {
		p[k] = append([]any{map[string]any{DirectiveKey: "replace"}}, ml...)
		return
	}
	elem := f.schema.elem()
	var changes []any
	order := make([]any, 0, len(ml))
	for _, x := range ml {
		mm := x.(map[string]any)
		kv := mm[f.mergeKey]
		order = append(order, map[string]any{f.mergeKey: kv})
		i := indexByKey(ol, f.mergeKey, kv)
		if i < 0 {
			changes = append(changes, mm)
			continue
		}
		om := ol[i].(map[string]any)
		if equal(om, mm) {
			continue
		}
		sub := diffStrategic(om, mm, elem)
		sub[f.mergeKey] = kv
		changes = append(changes, sub)
	}
	for _, x := range ol {
		kv := x.(map[string]any)[f.mergeKey]
		if indexByKey(ml, f.mergeKey, kv) < 0 {
			changes = append(changes, map[string]any{f.mergeKey: kv, DirectiveKey: "delete"})
		}
	}
	if len(changes) > 0 {
		p[k] = changes
	}
	p[SetElementOrderPrefix+k] = order
}

// uniquelyKeyed reports whether every element of l is an object with a merge key value no other
// element has.
func uniquelyKeyed(l []any, mergeKey string) bool {
	seen := make(map[string]bool, len(l))
	for _, x := range l {
		key, ok := elementKey(x, mergeKey)
		if !ok || seen[key] {
			return false
		}
		seen[key] = true
	}
	return true
}

// newValue is the patch value that sets a field the original lacks (or had with another JSON
// type) to mv.
func newValue(mv any, f fieldInfo) any {
	switch mt := mv.(type) {
	case map[string]any:
		return diffStrategic(map[string]any{}, mt, f.schema)
	case []any:
		if f.merge && f.mergeKey != "" && !uniquelyKeyed(mt, f.mergeKey) {
			// Applying would merge the duplicates: send the list as a replacement.
			return append([]any{map[string]any{DirectiveKey: "replace"}}, mt...)
		}
	}
	return mv
}

// freshList is the value of a list field the original lacks: the patch list itself, element by
// element, with directives resolved and $patch elements dropped. Like Kubernetes, it does not
// merge elements that share a merge key nor require one: there is nothing to merge them with.
func freshList(patch []any, elem *schema) ([]any, error) {
	out := make([]any, 0, len(patch))
	for _, x := range patch {
		if m, ok := x.(map[string]any); ok {
			if d, ok := m[DirectiveKey]; ok {
				if d != "delete" && d != "replace" {
					return nil, fmt.Errorf("%w: unsupported %s directive %v in a list", ErrInvalidPatch, DirectiveKey, d)
				}
				continue
			}
		}
		r, _, err := mergeValueStrategic(nil, false, x, fieldInfo{schema: elem})
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// checkElementOrder rejects, as Kubernetes does, a patch list whose elements (other than $patch
// directives) are missing from the $setElementOrder list or appear in another relative order.
func checkElementOrder(order, list any, mergeKey string) error {
	ol, ok := order.([]any)
	if !ok {
		return fmt.Errorf("%w: not a list", ErrInvalidPatch)
	}
	pl, _ := list.([]any)
	if len(pl) == 0 {
		return nil
	}
	pos := make(map[string]int, len(ol))
	for i, x := range ol {
		k, ok := elementKey(x, mergeKey)
		if !ok {
			return fmt.Errorf("%w: order entry %v has no merge key %q", ErrInvalidPatch, x, mergeKey)
		}
		pos[k] = i
	}
	last := -1
	for _, x := range pl {
		if m, ok := x.(map[string]any); ok {
			if _, directive := m[DirectiveKey]; directive {
				continue
			}
		}
		k, ok := elementKey(x, mergeKey)
		if !ok {
			continue // reported by the merge
		}
		i, found := pos[k]
		if !found {
			return fmt.Errorf("%w: list element %v is missing from the order list", ErrInvalidPatch, x)
		}
		if i < last {
			return fmt.Errorf("%w: list element %v is out of the order list's order", ErrInvalidPatch, x)
		}
		last = i
	}
	return nil
}
