package informer

import corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"

// NewReflectiveDedup returns a Dedup that ignores generated InternRefs methods and always takes
// the reflective walk, so tests can compare the two paths.
func NewReflectiveDedup(opts DedupOptions) (*Dedup, error) {
	d, err := NewDedup(opts)
	if err != nil {
		return nil, err
	}
	d.reflective = true
	return d, nil
}

// A generated method whose signature drifted from internTable would silently fall back to the
// reflective walk; this fails the build instead.
var _ interner = (*corev1.Pod)(nil)

// InternTable is the table type of generated InternRefs methods, for tests that look for them.
type InternTable = internTable
