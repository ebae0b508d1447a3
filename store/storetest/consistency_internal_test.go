package storetest

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/watch"
)

// op builds one recorded call; ret 0 means it never returned (unknown outcome).
func op(client int, call, ret int64, in linInput, out linOutput) porcupine.Operation {
	if ret == 0 {
		ret = math.MaxInt64
		out = linOutput{Result: outUnknown}
	}
	return porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret}
}

func ok(value, rv int64) linOutput { return linOutput{Result: outOK, Value: value, RV: rv} }

// TestModel checks the sequential model on small histories, including the writes of unknown
// outcome that faults leave: the start revision is 1.
func TestModel(t *testing.T) {
	create := func(k int, v int64) linInput { return linInput{Kind: opCreate, Key: k, Value: v} }
	update := func(k int, v, expect int64) linInput {
		return linInput{Kind: opUpdate, Key: k, Value: v, ExpectRV: expect}
	}
	get := func(k int) linInput { return linInput{Kind: opGet, Key: k} }
	del := func(k int) linInput { return linInput{Kind: opDelete, Key: k} }
	list := linInput{Kind: opList}
	cases := []struct {
		name  string
		ops   []porcupine.Operation
		legal bool
	}{
		{"acknowledged create then read", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(1, 3, 4, get(0), ok(5, 2)),
		}, true},
		{"acknowledged write lost by a crash", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(1, 3, 4, get(0), linOutput{Result: outNotFound}),
		}, false},
		{"write of unknown outcome that took effect", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(0, 3, 0, update(0, 9, 0), linOutput{}),
			op(1, 4, 5, get(0), ok(9, 3)),
		}, true},
		{"write of unknown outcome that never took effect", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(0, 3, 0, update(0, 9, 0), linOutput{}),
			op(1, 4, 5, get(0), ok(5, 2)),
			op(1, 6, 7, update(0, 4, 2), ok(4, 3)),
		}, true},
		{"write of unknown outcome seen before its call", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(1, 3, 4, get(0), ok(9, 3)),
			op(0, 5, 0, update(0, 9, 0), linOutput{}),
		}, false},
		{"write of unknown outcome that took effect late", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(0, 3, 0, del(0), linOutput{}),
			op(1, 4, 5, get(0), ok(5, 2)),
			op(1, 6, 7, get(0), linOutput{Result: outNotFound}),
		}, true},
		{"write of unknown outcome undone", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(0, 3, 0, del(0), linOutput{}),
			op(1, 4, 5, get(0), linOutput{Result: outNotFound}),
			op(1, 6, 7, get(0), ok(5, 2)),
		}, false},
		{"revision skipped", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 3)),
		}, false},
		{"list at the current revision", []porcupine.Operation{
			op(0, 1, 2, create(1, 5), ok(5, 2)),
			op(1, 3, 4, list, linOutput{Result: outOK, RV: 2, Items: [linKeys]linKey{1: {Value: 5, RV: 2}}}),
		}, true},
		{"stale list", []porcupine.Operation{
			op(0, 1, 2, create(1, 5), ok(5, 2)),
			op(1, 3, 4, list, linOutput{Result: outOK, RV: 1}),
		}, false},
		{"conflict on a stale precondition", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(0, 3, 4, update(0, 6, 2), ok(6, 3)),
			op(1, 5, 6, update(0, 7, 2), linOutput{Result: outConflict}),
		}, true},
		{"conflict on a current precondition", []porcupine.Operation{
			op(0, 1, 2, create(0, 5), ok(5, 2)),
			op(1, 3, 4, update(0, 7, 2), linOutput{Result: outConflict}),
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := porcupine.CheckOperationsVerbose(linModel(1), tc.ops, 10*time.Second)
			want := porcupine.Ok
			if !tc.legal {
				want = porcupine.Illegal
			}
			if res != want {
				t.Errorf("check = %v, want %v", res, want)
			}
		})
	}
}

// TestResolveUnknown checks how writes of unknown outcome are decided from the watched
// writes. The start revision is 1; truth holds revisions 2.. .
func TestResolveUnknown(t *testing.T) {
	created := func(k int, v int64) truthEvent { return truthEvent{typ: watch.Added, key: k, value: v} }
	modified := func(k int, v int64) truthEvent { return truthEvent{typ: watch.Modified, key: k, value: v} }
	deleted := func(k int, v int64) truthEvent { return truthEvent{typ: watch.Deleted, key: k, value: v} }
	type want struct {
		Res     resolution
		Outputs []linOutput // of the kept operations, in order
		Problem string      // substring of the only problem, "" for none
	}
	cases := []struct {
		name  string
		ops   []porcupine.Operation
		acked []int64 // acknowledged revisions
		truth []truthEvent
		want  want
	}{
		{
			name: "the only fitting call took effect",
			ops: []porcupine.Operation{
				op(0, 1, 0, linInput{Kind: opCreate, Key: 0, Value: 7}, linOutput{}),
			},
			truth: []truthEvent{created(0, 7)},
			want:  want{Res: resolution{resolved: 1}, Outputs: []linOutput{ok(7, 2)}},
		},
		{
			name: "a call that fits no write is left out",
			ops: []porcupine.Operation{
				op(0, 1, 2, linInput{Kind: opCreate, Key: 0, Value: 7}, ok(7, 2)),
				op(1, 3, 0, linInput{Kind: opUpdate, Key: 0, Value: 8}, linOutput{}),
			},
			acked: []int64{2},
			truth: []truthEvent{created(0, 7)},
			want:  want{Res: resolution{dropped: 1}, Outputs: []linOutput{ok(7, 2)}},
		},
		{
			name: "a write no call made",
			ops: []porcupine.Operation{
				op(0, 1, 0, linInput{Kind: opCreate, Key: 0, Value: 7}, linOutput{}),
			},
			truth: []truthEvent{created(0, 8)},
			want:  want{Res: resolution{dropped: 1}, Outputs: []linOutput{}, Problem: "revision 2 (ADDED k0 = 8) was made by no call"},
		},
		{
			name: "an update whose precondition the write's previous state fails",
			ops: []porcupine.Operation{
				op(0, 1, 2, linInput{Kind: opCreate, Key: 0, Value: 7}, ok(7, 2)),
				op(1, 3, 0, linInput{Kind: opUpdate, Key: 0, Value: 9, ExpectRV: 5}, linOutput{}),
			},
			acked: []int64{2},
			truth: []truthEvent{created(0, 7), modified(0, 9)},
			want:  want{Res: resolution{dropped: 1}, Outputs: []linOutput{ok(7, 2)}, Problem: "revision 3 (MODIFIED k0 = 9) was made by no call"},
		},
		{
			name: "two calls fit one write: both undecided",
			ops: []porcupine.Operation{
				op(0, 1, 2, linInput{Kind: opCreate, Key: 0, Value: 7}, ok(7, 2)),
				op(1, 3, 0, linInput{Kind: opDelete, Key: 0}, linOutput{}),
				op(2, 4, 0, linInput{Kind: opDelete, Key: 0}, linOutput{}),
			},
			acked: []int64{2},
			truth: []truthEvent{created(0, 7), deleted(0, 7)},
			want: want{Res: resolution{undecided: 2}, Outputs: []linOutput{
				ok(7, 2), {Result: outUnknown}, {Result: outUnknown},
			}},
		},
		{
			name: "a call taken by one write leaves the other write one fitting call",
			ops: []porcupine.Operation{
				op(0, 1, 2, linInput{Kind: opCreate, Key: 0, Value: 5}, ok(5, 2)),
				// fits the write at 3 only (5 -> 10)
				op(1, 3, 0, linInput{Kind: opUpdate, Key: 0, Value: 10}, linOutput{}),
				// +5 fits both the write at 3 (5 -> 10) and the one at 4 (10 -> 15)
				op(2, 4, 0, linInput{Kind: opGuaranteedUpdate, Key: 0, Value: 5}, linOutput{}),
			},
			acked: []int64{2},
			truth: []truthEvent{created(0, 5), modified(0, 10), modified(0, 15)},
			want: want{Res: resolution{resolved: 2}, Outputs: []linOutput{
				ok(5, 2), ok(10, 3), ok(15, 4),
			}},
		},
		{
			name: "a delete that took effect returns the last state",
			ops: []porcupine.Operation{
				op(0, 1, 2, linInput{Kind: opCreate, Key: 2, Value: 5}, ok(5, 2)),
				op(1, 3, 0, linInput{Kind: opDelete, Key: 2}, linOutput{}),
			},
			acked: []int64{2},
			truth: []truthEvent{created(2, 5), deleted(2, 5)},
			want:  want{Res: resolution{resolved: 1}, Outputs: []linOutput{ok(5, 2), ok(5, 3)}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			truth := map[int64]truthEvent{}
			for i, ev := range tc.truth {
				ev.rv = int64(i) + 2
				truth[ev.rv] = ev
			}
			acked := map[int64]truthEvent{}
			for _, rv := range tc.acked {
				acked[rv] = truth[rv]
			}
			ops, res, problems := resolveUnknown(tc.ops, acked, truth, 1, int64(len(tc.truth))+1)
			got := want{Res: res, Outputs: []linOutput{}}
			for _, o := range ops {
				got.Outputs = append(got.Outputs, o.Output.(linOutput))
			}
			if len(problems) > 1 {
				t.Fatalf("problems %q, want at most one", problems)
			}
			if len(problems) == 1 {
				got.Problem = tc.want.Problem
				if tc.want.Problem == "" || !strings.Contains(problems[0], tc.want.Problem) {
					t.Errorf("problem %q, want one containing %q", problems[0], tc.want.Problem)
				}
			} else if tc.want.Problem != "" {
				t.Errorf("no problem, want one containing %q", tc.want.Problem)
			}
			if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(resolution{})); d != "" {
				t.Errorf("resolution (-want +got):\n%s", d)
			}
		})
	}
}
