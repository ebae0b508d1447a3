package apitest

import (
	"encoding/json"
	"fmt"

	"github.com/google/go-cmp/cmp"
)

// JSONDiff returns the semantic difference between the JSON document in and its re-encoding
// out, with the tolerances of RoundTrip (nulls, empty objects and arrays, zero scalars written
// or dropped, quantities in canonical form); it is empty when they agree. It serves round trips
// that decode through something other than encoding/json, such as a runtime.Codec.
func JSONDiff(in, out []byte) (string, error) {
	var i, o any
	if err := json.Unmarshal(in, &i); err != nil {
		return "", fmt.Errorf("apitest: json diff: input: %w", err)
	}
	if err := json.Unmarshal(out, &o); err != nil {
		return "", fmt.Errorf("apitest: json diff: output: %w", err)
	}
	ni, no := Normalize(i), Normalize(o)
	return cmp.Diff(dropAddedZeros(no, ni, false), dropAddedZeros(ni, no, true)), nil
}
