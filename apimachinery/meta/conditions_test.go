package meta_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

var (
	t0 = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Minute)
	t2 = t0.Add(time.Hour)
)

func cond(typ string, status meta.ConditionStatus, reason string, at time.Time) meta.Condition {
	c := meta.Condition{Type: typ, Status: status, Reason: reason, Message: reason + " message"}
	if !at.IsZero() {
		c.LastTransitionTime = meta.NewTime(at)
	}
	return c
}

func TestSetStatusCondition(t *testing.T) {
	tests := []struct {
		name        string
		start       []meta.Condition
		set         meta.Condition
		now         time.Time
		want        []meta.Condition
		wantChanged bool
	}{
		{"new condition takes now", nil, cond("Ready", meta.ConditionTrue, "Up", time.Time{}), t1,
			[]meta.Condition{cond("Ready", meta.ConditionTrue, "Up", t1)}, true},
		{"new condition keeps its own time", nil, cond("Ready", meta.ConditionTrue, "Up", t2), t1,
			[]meta.Condition{cond("Ready", meta.ConditionTrue, "Up", t2)}, true},
		{"status change moves the time",
			[]meta.Condition{cond("Ready", meta.ConditionFalse, "Down", t0)},
			cond("Ready", meta.ConditionTrue, "Up", time.Time{}), t1,
			[]meta.Condition{cond("Ready", meta.ConditionTrue, "Up", t1)}, true},
		{"status change with an explicit time",
			[]meta.Condition{cond("Ready", meta.ConditionFalse, "Down", t0)},
			cond("Ready", meta.ConditionTrue, "Up", t2), t1,
			[]meta.Condition{cond("Ready", meta.ConditionTrue, "Up", t2)}, true},
		{"reason change keeps the time",
			[]meta.Condition{cond("Ready", meta.ConditionFalse, "Down", t0)},
			cond("Ready", meta.ConditionFalse, "StillDown", time.Time{}), t1,
			[]meta.Condition{cond("Ready", meta.ConditionFalse, "StillDown", t0)}, true},
		{"same status and reason, explicit newer time ignored",
			[]meta.Condition{cond("Ready", meta.ConditionTrue, "Up", t0)},
			cond("Ready", meta.ConditionTrue, "Up", t2), t1,
			[]meta.Condition{cond("Ready", meta.ConditionTrue, "Up", t0)}, false},
		{"observed generation only",
			[]meta.Condition{cond("Ready", meta.ConditionTrue, "Up", t0)},
			func() meta.Condition {
				c := cond("Ready", meta.ConditionTrue, "Up", time.Time{})
				c.ObservedGeneration = 3
				return c
			}(),
			t1,
			[]meta.Condition{func() meta.Condition {
				c := cond("Ready", meta.ConditionTrue, "Up", t0)
				c.ObservedGeneration = 3
				return c
			}()},
			true},
		{"other conditions untouched and order kept",
			[]meta.Condition{cond("A", meta.ConditionTrue, "a", t0), cond("B", meta.ConditionFalse, "b", t0)},
			cond("A", meta.ConditionUnknown, "u", time.Time{}), t1,
			[]meta.Condition{cond("A", meta.ConditionUnknown, "u", t1), cond("B", meta.ConditionFalse, "b", t0)}, true},
		{"appended after others",
			[]meta.Condition{cond("A", meta.ConditionTrue, "a", t0)},
			cond("B", meta.ConditionTrue, "b", time.Time{}), t1,
			[]meta.Condition{cond("A", meta.ConditionTrue, "a", t0), cond("B", meta.ConditionTrue, "b", t1)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conds := append([]meta.Condition(nil), tc.start...)
			changed := meta.SetStatusCondition(&conds, tc.set, tc.now)
			assert.Equal(t, tc.wantChanged, changed)
			if diff := cmp.Diff(tc.want, conds); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	assert.False(t, meta.SetStatusCondition(nil, cond("A", meta.ConditionTrue, "a", t0), t1))
}

func TestFindRemoveAndPredicates(t *testing.T) {
	conds := []meta.Condition{
		cond("Ready", meta.ConditionTrue, "r", t0),
		cond("Progressing", meta.ConditionFalse, "p", t0),
		cond("Degraded", meta.ConditionUnknown, "d", t0),
	}
	c := meta.FindStatusCondition(conds, "Progressing")
	if assert.NotNil(t, c) {
		c.Reason = "changed in place"
		assert.Equal(t, "changed in place", conds[1].Reason)
	}
	assert.Nil(t, meta.FindStatusCondition(conds, "Missing"))

	tests := []struct {
		typ                      string
		wantTrue, wantFalse, unk bool
	}{
		{"Ready", true, false, false},
		{"Progressing", false, true, false},
		{"Degraded", false, false, true},
		{"Missing", false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			assert.Equal(t, tc.wantTrue, meta.IsStatusConditionTrue(conds, tc.typ))
			assert.Equal(t, tc.wantFalse, meta.IsStatusConditionFalse(conds, tc.typ))
			assert.Equal(t, tc.unk, meta.IsStatusConditionPresentAndEqual(conds, tc.typ, meta.ConditionUnknown))
		})
	}

	assert.True(t, meta.RemoveStatusCondition(&conds, "Progressing"))
	assert.False(t, meta.RemoveStatusCondition(&conds, "Progressing"))
	assert.False(t, meta.RemoveStatusCondition(nil, "Ready"))
	var types []string
	for _, c := range conds {
		types = append(types, c.Type)
	}
	assert.Equal(t, []string{"Ready", "Degraded"}, types)
}
