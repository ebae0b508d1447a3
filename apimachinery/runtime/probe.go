package runtime

import (
	"bytes"
	"unicode/utf8"

	kjson "sigs.k8s.io/json"
)

// typeProbe receives apiVersion and kind when the fast scanner gives up.
type typeProbe struct {
	APIVersion *string `json:"apiVersion"`
	Kind       *string `json:"kind"`
}

// probeTypeFields returns the top-level apiVersion and kind of a JSON object. It walks the top
// level with a byte scanner and skips nested values without decoding them; on anything unusual
// (escaped keys, non-string values, malformed structure) it falls back to a full decode, which
// also produces the error. Like the decoders, it matches keys case-sensitively and lets the last
// of duplicate keys win.
func probeTypeFields(j []byte) (apiVersion, kind string, err error) {
	if av, k, ok := scanTypeFields(j); ok {
		return av, k, nil
	}
	var p typeProbe
	if err := kjson.UnmarshalCaseSensitivePreserveInts(j, &p); err != nil {
		return "", "", err
	}
	if p.APIVersion != nil {
		apiVersion = *p.APIVersion
	}
	if p.Kind != nil {
		kind = *p.Kind
	}
	return apiVersion, kind, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func skipSpace(j []byte, i int) int {
	for i < len(j) && isSpace(j[i]) {
		i++
	}
	return i
}

// scanString returns the end (one past the closing quote) of the string starting at j[i] == '"'
// and whether it holds escapes.
func scanString(j []byte, i int) (end int, escaped, ok bool) {
	for k := i + 1; k < len(j); k++ {
		switch j[k] {
		case '\\':
			escaped = true
			k++
		case '"':
			return k + 1, escaped, true
		}
	}
	return 0, false, false
}

// skipValue returns the end of the value starting at j[i], without validating it beyond strings
// and brackets.
func skipValue(j []byte, i int) (int, bool) {
	if i >= len(j) {
		return 0, false
	}
	switch j[i] {
	case '"':
		end, _, ok := scanString(j, i)
		return end, ok
	case '{', '[':
		depth := 0
		for k := i; k < len(j); k++ {
			switch j[k] {
			case '"':
				end, _, ok := scanString(j, k)
				if !ok {
					return 0, false
				}
				k = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return k + 1, true
				}
			}
		}
		return 0, false
	}
	k := i
	for k < len(j) && j[k] != ',' && j[k] != '}' && j[k] != ']' && !isSpace(j[k]) {
		k++
	}
	return k, k > i
}

func scanTypeFields(j []byte) (apiVersion, kind string, ok bool) {
	i := skipSpace(j, 0)
	if i >= len(j) || j[i] != '{' {
		return "", "", false
	}
	i = skipSpace(j, i+1)
	if i < len(j) && j[i] == '}' {
		return "", "", skipSpace(j, i+1) == len(j)
	}
	for {
		if i >= len(j) || j[i] != '"' {
			return "", "", false
		}
		end, escaped, ok := scanString(j, i)
		if !ok || escaped {
			return "", "", false
		}
		key := j[i+1 : end-1]
		i = skipSpace(j, end)
		if i >= len(j) || j[i] != ':' {
			return "", "", false
		}
		i = skipSpace(j, i+1)
		var dst *string
		switch {
		case bytes.Equal(key, []byte("apiVersion")):
			dst = &apiVersion
		case bytes.Equal(key, []byte("kind")):
			dst = &kind
		}
		if dst != nil {
			switch {
			case bytes.HasPrefix(j[i:], []byte("null")):
				*dst = ""
				i += 4
			case i < len(j) && j[i] == '"':
				vend, vesc, ok := scanString(j, i)
				if !ok || vesc || !utf8.Valid(j[i+1:vend-1]) {
					// The decoders unescape and replace invalid UTF-8; let them.
					return "", "", false
				}
				*dst = string(j[i+1 : vend-1])
				i = vend
			default:
				return "", "", false
			}
		} else {
			end, ok := skipValue(j, i)
			if !ok {
				return "", "", false
			}
			i = end
		}
		i = skipSpace(j, i)
		if i >= len(j) {
			return "", "", false
		}
		switch j[i] {
		case ',':
			i = skipSpace(j, i+1)
		case '}':
			return apiVersion, kind, skipSpace(j, i+1) == len(j)
		default:
			return "", "", false
		}
	}
}
