package backend

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestQueue(t *testing.T) {
	cases := []struct {
		name         string
		fill         []int
		buffer       int
		push         []int
		wantAccepted int
		wantItems    []int
		wantOverflow bool
	}{
		{"room for every push", nil, 3, []int{1, 2, 3}, 3, []int{1, 2, 3}, false},
		{"initial items do not count", []int{10, 11}, 2, []int{1, 2}, 2, []int{10, 11, 1, 2}, false},
		{"push beyond the buffer overflows", []int{10}, 2, []int{1, 2, 3, 4}, 2, []int{10, 1, 2}, true},
		{"zero buffer refuses every push", nil, 0, []int{1}, 0, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var q Queue[int]
			for _, it := range tc.fill {
				q.Fill(it)
			}
			q.Limit(tc.buffer)
			accepted := 0
			q.Lock()
			for _, it := range tc.push {
				if !q.PushLocked(it) {
					break
				}
				accepted++
			}
			if q.LenLocked() != len(tc.wantItems) {
				t.Errorf("LenLocked %d, want %d", q.LenLocked(), len(tc.wantItems))
			}
			spare := make([]int, 5)
			items, overflow := q.TakeLocked(spare)
			q.Unlock()
			if accepted != tc.wantAccepted || overflow != tc.wantOverflow {
				t.Errorf("accepted %d overflow %v, want %d and %v", accepted, overflow, tc.wantAccepted, tc.wantOverflow)
			}
			if d := cmp.Diff(tc.wantItems, items, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("taken items (-want +got):\n%s", d)
			}
			q.Lock()
			defer q.Unlock()
			if q.LenLocked() != 0 {
				t.Errorf("%d items left after Take", q.LenLocked())
			}
			if !tc.wantOverflow && !q.PushLocked(7) {
				t.Errorf("push after Take refused")
			}
		})
	}
}
