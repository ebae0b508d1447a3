package workqueue

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestIdleRing checks FIFO order across buffer growth and wrap-around, and
// that compact keeps exactly the live slots in order.
func TestIdleRing(t *testing.T) {
	var r idleRing[int]
	entries := make([]*entry[int], 100)
	for i := range entries {
		entries[i] = &entry[int]{item: i, heapIdx: -1, idleGen: 1}
	}
	var want []int
	for i := range 40 { // grow past 16 and 32
		r.push(idleSlot[int]{e: entries[i], gen: 1})
		want = append(want, i)
	}
	for range 25 { // advance head so later pushes wrap
		if s := r.pop(); s.e.item != want[0] {
			t.Fatalf("pop = %d, want %d", s.e.item, want[0])
		}
		want = want[1:]
	}
	for i := 40; i < 60; i++ {
		r.push(idleSlot[int]{e: entries[i], gen: 1})
		want = append(want, i)
	}
	// Revive every third entry still in the ring: its slot goes stale.
	var live []int
	for _, i := range want {
		if i%3 == 0 {
			entries[i].flags = flagInRing
		} else {
			live = append(live, i)
		}
	}
	r.compact()
	var got []int
	for r.n > 0 {
		got = append(got, r.pop().e.item)
	}
	if diff := cmp.Diff(live, got); diff != "" {
		t.Errorf("after compact (-want +got):\n%s", diff)
	}
	for i, s := range r.buf {
		if s.e != nil {
			t.Errorf("buf[%d] still references entry %d after draining", i, s.e.item)
		}
	}
}

// TestLevelResetKeepsOrShrinks checks the reset policy of a priority ring: a
// large buffer is kept when its last fill used a quarter of it or more and
// shrinks to twice the last fill otherwise; no slot stays referenced.
func TestLevelResetKeepsOrShrinks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fill     int
		wantSize int
	}{
		{name: "small ring stays", fill: 10, wantSize: 16},
		{name: "deep fill keeps the buffer", fill: 3000, wantSize: 4096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLevel[int](0)
			for i := range tc.fill {
				e := &entry[int]{item: i, flags: flagInRing, seq: 1}
				l.push(slot[int]{e: e, seq: 1})
			}
			for range tc.fill / 2 {
				l.drop()
			}
			l.reset()
			if got := len(l.buf); got != tc.wantSize {
				t.Errorf("buffer size after reset = %d, want %d", got, tc.wantSize)
			}
			for i, s := range l.buf {
				if s.e != nil {
					t.Fatalf("buf[%d] still references an entry", i)
				}
			}
		})
	}
	t.Run("shallow fill after a deep one shrinks", func(t *testing.T) {
		l := newLevel[int](0)
		for i := range 3000 {
			l.push(slot[int]{e: &entry[int]{item: i}, seq: 1})
		}
		l.reset()
		for i := range 20 {
			l.push(slot[int]{e: &entry[int]{item: i}, seq: 1})
		}
		l.reset()
		if got, want := len(l.buf), 64; got != want {
			t.Errorf("buffer size = %d, want %d", got, want)
		}
	})
}
