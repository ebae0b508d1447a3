package runtime

import (
	"fmt"
	"strconv"

	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"
)

// YAMLDuplicateFieldError is a duplicate mapping key in a YAML document, named by its JSON path
// like the strict JSON errors, with the line of the repeated key.
type YAMLDuplicateFieldError struct {
	// Path is the JSON path of the field ("metadata.labels.app").
	Path string
	// Line is the 1-based line of the second occurrence.
	Line int
}

// Error describes the duplicate.
func (e *YAMLDuplicateFieldError) Error() string {
	return fmt.Sprintf("duplicate field %q (line %d)", e.Path, e.Line)
}

// yamlDuplicateFields reports every duplicate mapping key of a YAML document with its JSON path.
// Aliases are not followed (a duplicate inside anchored content is reported where the anchor is
// defined) and merge keys ("<<") are not duplicates. When the document does not parse as YAML 1.2
// the line-numbered error of the YAML 1.1 parser is returned instead.
func yamlDuplicateFields(data []byte) []error {
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal(data, &doc); err != nil {
		if _, err := yaml.YAMLToJSONStrict(data); err != nil {
			return []error{err}
		}
		return nil
	}
	var errs []error
	var walk func(n *yamlv3.Node, path string)
	walk = func(n *yamlv3.Node, path string) {
		switch n.Kind {
		case yamlv3.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yamlv3.MappingNode:
			seen := make(map[string]bool, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Kind != yamlv3.ScalarNode || k.ShortTag() == "!!merge" {
					walk(v, path)
					continue
				}
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				if seen[k.Value] {
					errs = append(errs, &YAMLDuplicateFieldError{Path: p, Line: k.Line})
				}
				seen[k.Value] = true
				walk(v, p)
			}
		case yamlv3.SequenceNode:
			for i, c := range n.Content {
				walk(c, path+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	walk(&doc, "")
	return errs
}
