package workqueue

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkHeap fails unless every element sorts no earlier than its parent and
// every entry's heapIdx names its own position.
func checkHeap(t *testing.T, q *Queue[int]) {
	t.Helper()
	for i := range q.heap {
		if got := q.heap[i].e.heapIdx; int(got) != i {
			t.Fatalf("heap[%d] holds an entry with heapIdx %d", i, got)
		}
		if i > 0 {
			if p := (i - 1) / heapArity; before(&q.heap[i], &q.heap[p]) {
				t.Fatalf("heap[%d] (at %d) sorts before its parent heap[%d] (at %d)", i, q.heap[i].at, p, q.heap[p].at)
			}
		}
	}
}

// TestDelayHeap drives the delay heap directly with random pushes,
// deadline decreases, removals from anywhere and pops of the minimum, and
// compares every pop with a sorted reference. Deadlines come from a small
// range so that ties (ordered by insertion) are common.
func TestDelayHeap(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			q := &Queue[int]{}
			type ref struct {
				at  int64
				seq uint64
				e   *entry[int]
			}
			var model []ref // unordered; the minimum is found by sorting
			pos := func(e *entry[int]) int {
				return slices.IndexFunc(model, func(r ref) bool { return r.e == e })
			}
			for step := 0; step < 20000; step++ {
				switch op := rng.IntN(10); {
				case op < 4 || len(model) == 0: // push
					e := &entry[int]{item: step, heapIdx: -1}
					at := rng.Int64N(200)
					q.heapPush(e, at)
					model = append(model, ref{at: at, seq: q.hseq, e: e})
				case op < 6: // decrease a deadline, as an earlier AddAfter does
					r := &model[rng.IntN(len(model))]
					at := r.at - rng.Int64N(50)
					i := int(r.e.heapIdx)
					q.heap[i].at = at
					q.heapUp(i)
					r.at = at
				case op < 8: // remove anywhere
					k := rng.IntN(len(model))
					q.heapRemove(model[k].e)
					if model[k].e.heapIdx != -1 {
						t.Fatalf("removed entry keeps heapIdx %d", model[k].e.heapIdx)
					}
					model = slices.Delete(model, k, k+1)
				default: // pop the minimum, as the timer does
					slices.SortFunc(model, func(a, b ref) int {
						return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq))
					})
					want := model[0]
					got := q.heap[0]
					if got.e != want.e || got.at != want.at {
						t.Fatalf("step %d: minimum is item %d at %d, want item %d at %d", step, got.e.item, got.at, want.e.item, want.at)
					}
					q.heapRemove(got.e)
					model = model[1:]
				}
				if len(q.heap) != len(model) {
					t.Fatalf("step %d: heap holds %d, want %d", step, len(q.heap), len(model))
				}
				if step%97 == 0 {
					checkHeap(t, q)
					for _, r := range model {
						if pos(r.e) < 0 || q.heap[r.e.heapIdx].e != r.e {
							t.Fatalf("step %d: entry %d lost from the heap", step, r.e.item)
						}
					}
				}
			}
			checkHeap(t, q)
		})
	}
}
