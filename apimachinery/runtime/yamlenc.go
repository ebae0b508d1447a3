package runtime

import (
	"fmt"
	"slices"

	yamlv2 "go.yaml.in/yaml/v2"
	kjson "sigs.k8s.io/json"
)

// jsonToYAML writes JSON as block YAML with the keys of every mapping in byte order. It does not
// use sigs.k8s.io/yaml.JSONToYAML, whose key order comes from a comparison that is not a total
// order (keys such as "9", "17" and "00A" sort differently from run to run), so that encoding the
// same object always gives the same bytes.
func jsonToYAML(j []byte) ([]byte, error) {
	var v any
	if err := kjson.UnmarshalCaseSensitivePreserveInts(j, &v); err != nil {
		return nil, fmt.Errorf("convert to yaml: %w", err)
	}
	out, err := yamlv2.Marshal(orderedYAML(v))
	if err != nil {
		return nil, fmt.Errorf("convert to yaml: %w", err)
	}
	return out, nil
}

// orderedYAML turns JSON objects into yaml.MapSlice with sorted keys, recursively.
func orderedYAML(v any) any {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		ms := make(yamlv2.MapSlice, len(keys))
		for i, k := range keys {
			ms[i] = yamlv2.MapItem{Key: k, Value: orderedYAML(t[k])}
		}
		return ms
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = orderedYAML(e)
		}
		return out
	}
	return v
}
