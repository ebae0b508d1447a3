package scheduler

import (
	"context"
	"sync/atomic"
	"testing"
)

// TestParallelizerRunsEveryPieceOnce: whatever the worker and piece counts, every piece runs
// exactly once and the call returns only after all have run.
func TestParallelizerRunsEveryPieceOnce(t *testing.T) {
	cases := []struct {
		name            string
		workers, pieces int
	}{
		{"no pieces", 2, 0},
		{"one piece", 2, 1},
		{"fewer pieces than workers", 4, 3},
		{"one worker", 1, 100},
		{"two workers, odd count", 2, 1001},
		{"many workers, many pieces", 8, 5000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runs := make([]atomic.Int32, tc.pieces)
			var total atomic.Int64
			parallelizer(tc.workers)(context.Background(), tc.pieces, func(i int) {
				runs[i].Add(1)
				total.Add(1)
			})
			if got := total.Load(); got != int64(tc.pieces) {
				t.Fatalf("%d calls, want %d", got, tc.pieces)
			}
			for i := range runs {
				if n := runs[i].Load(); n != 1 {
					t.Fatalf("piece %d ran %d times, want 1", i, n)
				}
			}
		})
	}
}
