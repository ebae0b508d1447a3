package patch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// Errors that classify why a patch could not be applied; every error this package returns wraps
// one of them, so callers can map them to HTTP codes (ErrInvalidJSON and ErrInvalidPatch to 400
// Bad Request or 422, ErrTestFailed and ErrPathNotFound to 422 or 409 as their API prefers).
var (
	// ErrInvalidJSON: the document or the patch is not valid JSON.
	ErrInvalidJSON = errors.New("invalid JSON")
	// ErrInvalidPatch: the patch is valid JSON but not a valid patch of its kind.
	ErrInvalidPatch = errors.New("invalid patch")
	// ErrPathNotFound: a JSON patch operation names a location that does not exist.
	ErrPathNotFound = errors.New("path not found")
	// ErrTestFailed: a JSON patch test operation did not match.
	ErrTestFailed = errors.New("test operation failed")
)

// decode parses one JSON value, keeping numbers exact (json.Number), and rejects trailing data.
func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the top-level value", ErrInvalidJSON)
	}
	return v, nil
}

// encode writes a value decoded by decode; map keys come out sorted.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// deepCopy copies a decoded JSON value.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = deepCopy(x)
		}
		return s
	default:
		return v
	}
}

// equal reports whether two decoded JSON values are equal; numbers compare by value (RFC 6902
// section 4.6), objects regardless of member order.
func equal(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equal(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		rx, okx := new(big.Rat).SetString(string(x))
		ry, oky := new(big.Rat).SetString(string(y))
		return okx && oky && rx.Cmp(ry) == 0
	default:
		return a == b // string, bool, nil
	}
}
