package patch

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jsonDiff compares two JSON texts semantically and returns a go-cmp diff (-want +got).
func jsonDiff(t *testing.T, want, got string) string {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON %q: %v", want, err)
	}
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("result is not JSON %q: %v", got, err)
	}
	return cmp.Diff(w, g)
}
