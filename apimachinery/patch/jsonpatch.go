package patch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Operation is one operation of a JSON patch (RFC 6902).
type Operation struct {
	// Op is add, remove, replace, move, copy or test.
	Op string
	// Path is the JSON pointer (RFC 6901) the operation applies to.
	Path string
	// From is the source pointer of move and copy.
	From string
	// Value is the value of add, replace and test.
	Value json.RawMessage
}

// JSONPatch is a decoded, validated JSON patch document: operations applied in order.
type JSONPatch []Operation

// DecodeJSONPatch parses and validates a JSON patch document: an array of operation objects,
// each with a known op, the members that op requires (path always; value for add, replace and
// test; from for move and copy), valid JSON pointers, and no duplicate members. Other members are
// ignored, as RFC 6902 requires.
func DecodeJSONPatch(b []byte) (JSONPatch, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, fmt.Errorf("decode json patch: %w: want an array of operations: %v", ErrInvalidJSON, err)
	}
	if raws == nil && !bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")) {
		return nil, fmt.Errorf("decode json patch: %w: want an array of operations, got null", ErrInvalidPatch)
	}
	p := make(JSONPatch, 0, len(raws))
	for i, raw := range raws {
		op, err := decodeOperation(raw)
		if err != nil {
			return nil, fmt.Errorf("decode json patch: operation %d: %w", i, err)
		}
		p = append(p, op)
	}
	return p, nil
}

func decodeOperation(raw json.RawMessage) (Operation, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return Operation{}, fmt.Errorf("%w: operation is not an object", ErrInvalidPatch)
	}
	if err := checkDuplicateMembers(raw); err != nil {
		return Operation{}, err
	}
	str := func(name string, required bool) (string, bool, error) {
		v, ok := members[name]
		if !ok {
			if required {
				return "", false, fmt.Errorf("%w: missing %q", ErrInvalidPatch, name)
			}
			return "", false, nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false, fmt.Errorf("%w: %q is not a string", ErrInvalidPatch, name)
		}
		return s, true, nil
	}
	var op Operation
	var err error
	if op.Op, _, err = str("op", true); err != nil {
		return op, err
	}
	if op.Path, _, err = str("path", true); err != nil {
		return op, err
	}
	if _, err := parsePointer(op.Path); err != nil {
		return op, err
	}
	switch op.Op {
	case "add", "replace", "test":
		v, ok := members["value"]
		if !ok {
			return op, fmt.Errorf("%w: %s without \"value\"", ErrInvalidPatch, op.Op)
		}
		op.Value = v
	case "move", "copy":
		if op.From, _, err = str("from", true); err != nil {
			return op, err
		}
		if _, err := parsePointer(op.From); err != nil {
			return op, err
		}
	case "remove":
	default:
		return op, fmt.Errorf("%w: unknown op %q", ErrInvalidPatch, op.Op)
	}
	return op, nil
}

// checkDuplicateMembers rejects an operation object that names a member twice (RFC 6902
// appendix A.13), which encoding/json would silently accept.
func checkDuplicateMembers(raw json.RawMessage) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	if _, err := d.Token(); err != nil { // {
		return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	seen := map[string]bool{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
		}
		k, _ := t.(string)
		if seen[k] {
			return fmt.Errorf("%w: duplicate member %q", ErrInvalidPatch, k)
		}
		seen[k] = true
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
		}
	}
	return nil
}

// parsePointer splits a JSON pointer into unescaped reference tokens ("" is the whole document).
func parsePointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if p[0] != '/' {
		return nil, fmt.Errorf("%w: JSON pointer %q does not start with /", ErrInvalidPatch, p)
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		if !strings.Contains(s, "~") {
			continue
		}
		var b strings.Builder
		for j := 0; j < len(s); j++ {
			if s[j] != '~' {
				b.WriteByte(s[j])
				continue
			}
			if j+1 < len(s) && (s[j+1] == '0' || s[j+1] == '1') {
				if s[j+1] == '0' {
					b.WriteByte('~')
				} else {
					b.WriteByte('/')
				}
				j++
				continue
			}
			return nil, fmt.Errorf("%w: JSON pointer %q has an invalid ~ escape", ErrInvalidPatch, p)
		}
		parts[i] = b.String()
	}
	return parts, nil
}

// arrayIndex parses an array reference token: decimal digits without leading zeros.
func arrayIndex(tok string, n int, allowEnd bool) (int, error) {
	if allowEnd && tok == "-" {
		return n, nil
	}
	if tok == "" || (len(tok) > 1 && tok[0] == '0') || strings.TrimLeft(tok, "0123456789") != "" {
		return 0, fmt.Errorf("%w: %q is not an array index", ErrPathNotFound, tok)
	}
	i, err := strconv.Atoi(tok)
	max := n - 1
	if allowEnd {
		max = n
	}
	if err != nil || i > max {
		return 0, fmt.Errorf("%w: index %s out of range (length %d)", ErrPathNotFound, tok, n)
	}
	return i, nil
}

// ApplyJSONPatch decodes patch and applies it to original (see JSONPatch.Apply).
func ApplyJSONPatch(original, patch []byte) ([]byte, error) {
	p, err := DecodeJSONPatch(patch)
	if err != nil {
		return nil, err
	}
	return p.Apply(original)
}

// Apply applies the operations in order to a JSON document and returns the result. It is atomic:
// when any operation fails (a missing location, an index out of range, a failed test, a move
// into its own child), it returns an error naming the operation and no document. The input is
// never modified.
func (p JSONPatch) Apply(original []byte) ([]byte, error) {
	doc, err := decode(original)
	if err != nil {
		return nil, fmt.Errorf("apply json patch: document: %w", err)
	}
	for i, op := range p {
		if doc, err = applyOp(doc, op); err != nil {
			return nil, fmt.Errorf("apply json patch: operation %d (%s %s): %w", i, op.Op, op.Path, err)
		}
	}
	out, err := encode(doc)
	if err != nil {
		return nil, fmt.Errorf("apply json patch: %w", err)
	}
	return out, nil
}

func applyOp(doc any, op Operation) (any, error) {
	path, err := parsePointer(op.Path)
	if err != nil {
		return nil, err
	}
	switch op.Op {
	case "add", "replace", "test":
		v, err := decode(op.Value)
		if err != nil {
			return nil, fmt.Errorf("value: %w", err)
		}
		switch op.Op {
		case "add":
			return add(doc, path, v)
		case "replace":
			return replace(doc, path, v)
		}
		cur, err := get(doc, path)
		if err != nil {
			return nil, err
		}
		if !equal(cur, v) {
			return nil, fmt.Errorf("%w: value at %q differs", ErrTestFailed, op.Path)
		}
		return doc, nil
	case "remove":
		if len(path) == 0 {
			return nil, fmt.Errorf("%w: cannot remove the whole document", ErrInvalidPatch)
		}
		doc, _, err = remove(doc, path)
		return doc, err
	case "move", "copy":
		from, err := parsePointer(op.From)
		if err != nil {
			return nil, err
		}
		v, err := get(doc, from)
		if err != nil {
			return nil, fmt.Errorf("from: %w", err)
		}
		if op.Op == "copy" {
			return add(doc, path, deepCopy(v))
		}
		if op.From == op.Path {
			return doc, nil
		}
		if strings.HasPrefix(op.Path, op.From+"/") {
			return nil, fmt.Errorf("%w: cannot move %q into its own child %q", ErrInvalidPatch, op.From, op.Path)
		}
		if len(from) == 0 {
			return nil, fmt.Errorf("%w: cannot move the whole document", ErrInvalidPatch)
		}
		doc, v, err = remove(doc, from)
		if err != nil {
			return nil, err
		}
		return add(doc, path, v)
	}
	return nil, fmt.Errorf("%w: unknown op %q", ErrInvalidPatch, op.Op)
}

// get returns the value at path.
func get(doc any, path []string) (any, error) {
	cur := doc
	for _, tok := range path {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("%w: member %q", ErrPathNotFound, tok)
			}
			cur = v
		case []any:
			i, err := arrayIndex(tok, len(c), false)
			if err != nil {
				return nil, err
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%w: %q inside a value that is neither object nor array", ErrPathNotFound, tok)
		}
	}
	return cur, nil
}

// update replaces the container at path[:len(path)-1] with what fn returns for it and the last
// token, rebuilding the chain of parents (arrays are values and may grow or shrink).
func update(doc any, path []string, fn func(container any, tok string) (any, error)) (any, error) {
	if len(path) == 1 {
		return fn(doc, path[0])
	}
	tok := path[0]
	switch c := doc.(type) {
	case map[string]any:
		child, ok := c[tok]
		if !ok {
			return nil, fmt.Errorf("%w: member %q", ErrPathNotFound, tok)
		}
		nc, err := update(child, path[1:], fn)
		if err != nil {
			return nil, err
		}
		c[tok] = nc
		return c, nil
	case []any:
		i, err := arrayIndex(tok, len(c), false)
		if err != nil {
			return nil, err
		}
		nc, err := update(c[i], path[1:], fn)
		if err != nil {
			return nil, err
		}
		c[i] = nc
		return c, nil
	default:
		return nil, fmt.Errorf("%w: %q inside a value that is neither object nor array", ErrPathNotFound, tok)
	}
}

func add(doc any, path []string, v any) (any, error) {
	if len(path) == 0 {
		return v, nil
	}
	return update(doc, path, func(c any, tok string) (any, error) {
		switch c := c.(type) {
		case map[string]any:
			c[tok] = v
			return c, nil
		case []any:
			i, err := arrayIndex(tok, len(c), true)
			if err != nil {
				return nil, err
			}
			c = append(c, nil)
			copy(c[i+1:], c[i:])
			c[i] = v
			return c, nil
		default:
			return nil, fmt.Errorf("%w: cannot add %q to a value that is neither object nor array", ErrPathNotFound, tok)
		}
	})
}

func replace(doc any, path []string, v any) (any, error) {
	if len(path) == 0 {
		return v, nil
	}
	return update(doc, path, func(c any, tok string) (any, error) {
		switch c := c.(type) {
		case map[string]any:
			if _, ok := c[tok]; !ok {
				return nil, fmt.Errorf("%w: member %q", ErrPathNotFound, tok)
			}
			c[tok] = v
			return c, nil
		case []any:
			i, err := arrayIndex(tok, len(c), false)
			if err != nil {
				return nil, err
			}
			c[i] = v
			return c, nil
		default:
			return nil, fmt.Errorf("%w: %q inside a value that is neither object nor array", ErrPathNotFound, tok)
		}
	})
}

func remove(doc any, path []string) (any, any, error) {
	var removed any
	doc, err := update(doc, path, func(c any, tok string) (any, error) {
		switch c := c.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("%w: member %q", ErrPathNotFound, tok)
			}
			removed = v
			delete(c, tok)
			return c, nil
		case []any:
			i, err := arrayIndex(tok, len(c), false)
			if err != nil {
				return nil, err
			}
			removed = c[i]
			return append(c[:i:i], c[i+1:]...), nil
		default:
			return nil, fmt.Errorf("%w: %q inside a value that is neither object nor array", ErrPathNotFound, tok)
		}
	})
	return doc, removed, err
}
