package nodelifecycle

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

func TestComputeZoneState(t *testing.T) {
	for _, tc := range []struct {
		name            string
		ready, notReady int
		threshold       float64
		want            ZoneState
	}{
		{"empty zone", 0, 0, 0.55, ZoneNormal},
		{"all ready", 10, 0, 0.55, ZoneNormal},
		{"one node, not ready", 0, 1, 0.55, ZoneFullDisruption},
		{"none ready", 0, 7, 0.55, ZoneFullDisruption},
		{"two of three not ready: fewer than three", 1, 2, 0.55, ZoneNormal},
		{"three of four not ready", 1, 3, 0.55, ZonePartialDisruption},
		{"three of five not ready: 0.6", 2, 3, 0.55, ZonePartialDisruption},
		{"three of six not ready: 0.5", 3, 3, 0.55, ZoneNormal},
		{"half not ready but only two", 2, 2, 0.5, ZoneNormal},
		{"exactly at the threshold with three", 3, 3, 0.5, ZonePartialDisruption},
		{"11 of 20 is 0.55", 9, 11, 0.55, ZonePartialDisruption},
		{"10 of 20 is below 0.55", 10, 10, 0.55, ZoneNormal},
		{"threshold 1 needs all but then it is full", 1, 99, 1, ZoneNormal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ComputeZoneState(tc.ready, tc.notReady, tc.threshold); got != tc.want {
				t.Errorf("ComputeZoneState(%d, %d, %v) = %s, want %s", tc.ready, tc.notReady, tc.threshold, got, tc.want)
			}
		})
	}
}

func TestEvictionRate(t *testing.T) {
	opts := Options{}
	off := Options{SecondaryEvictionRate: -1}
	custom := Options{EvictionRate: 2, SecondaryEvictionRate: 0.5, LargeClusterSizeThreshold: 10}
	for _, tc := range []struct {
		name  string
		state ZoneState
		size  int
		opts  Options
		want  float64
	}{
		{"normal", ZoneNormal, 3, opts, 0.1},
		{"normal large", ZoneNormal, 500, opts, 0.1},
		{"partial small", ZonePartialDisruption, 50, opts, 0},
		{"partial large", ZonePartialDisruption, 51, opts, 0.01},
		{"partial large, secondary rate off", ZonePartialDisruption, 51, off, 0},
		{"full (zone outage)", ZoneFullDisruption, 4, opts, 0.1},
		{"custom normal", ZoneNormal, 3, custom, 2},
		{"custom partial small", ZonePartialDisruption, 10, custom, 0},
		{"custom partial large", ZonePartialDisruption, 11, custom, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := EvictionRate(tc.state, tc.size, tc.opts); got != tc.want {
				t.Errorf("EvictionRate(%s, %d) = %v, want %v", tc.state, tc.size, got, tc.want)
			}
		})
	}
}

func TestZoneKey(t *testing.T) {
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   string
	}{
		{"no labels", nil, ""},
		{"zone", map[string]string{corev1.LabelTopologyZone: "z1"}, "z1"},
		{"region and zone", map[string]string{corev1.LabelTopologyZone: "z1", corev1.LabelTopologyRegion: "r1"}, "r1/z1"},
		{"region only", map[string]string{corev1.LabelTopologyRegion: "r1"}, "r1/"},
		{"deprecated labels", map[string]string{labelZoneDeprecated: "z2", labelRegionDeprecated: "r2"}, "r2/z2"},
		{"stable labels win", map[string]string{labelZoneDeprecated: "old", corev1.LabelTopologyZone: "new"}, "new"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := &corev1.Node{ObjectMeta: meta.ObjectMeta{Name: "n", Labels: tc.labels}}
			if got := ZoneKey(n); got != tc.want {
				t.Errorf("ZoneKey = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestZoneDisruptionSlowsAndStopsEvictions runs a cluster of three zones of four nodes, each
// node with one pod that tolerates nothing, and fails nodes at given times. It checks when each
// node got its taint (and its pod was evicted) and which nodes are tainted at the end.
func TestZoneDisruptionSlowsAndStopsEvictions(t *testing.T) {
	type sec = time.Duration
	s := time.Second
	for _, tc := range []struct {
		name       string
		opts       Options
		failAt     map[string]sec // last heartbeat; Unknown 45s later
		recoverAt  map[string]sec
		end        sec
		taintedAt  map[string]sec // first time each node was seen tainted
		finalTaint []string
	}{
		{
			name:       "normal zone: one node per 10s",
			failAt:     map[string]sec{"a-1": 0, "a-2": 0},
			end:        120 * s,
			taintedAt:  map[string]sec{"a-1": 45 * s, "a-2": 55 * s},
			finalTaint: []string{"a-1", "a-2"},
		},
		{
			name:   "partial disruption of a small zone stops evictions there",
			failAt: map[string]sec{"a-1": 0, "a-2": 0, "a-3": 0},
			end:    300 * s,
		},
		{
			name:       "partial disruption of a large zone slows evictions to the secondary rate",
			opts:       Options{LargeClusterSizeThreshold: 3},
			failAt:     map[string]sec{"a-1": 0, "a-2": 0, "a-3": 0},
			end:        300 * s,
			taintedAt:  map[string]sec{"a-1": 45 * s, "a-2": 145 * s, "a-3": 245 * s},
			finalTaint: []string{"a-1", "a-2", "a-3"},
		},
		{
			name:       "a zone fully down while the others are fine is evicted at the normal rate",
			failAt:     map[string]sec{"a-1": 0, "a-2": 0, "a-3": 0, "a-4": 0},
			end:        120 * s,
			taintedAt:  map[string]sec{"a-1": 45 * s, "a-2": 55 * s, "a-3": 65 * s, "a-4": 75 * s},
			finalTaint: []string{"a-1", "a-2", "a-3", "a-4"},
		},
		{
			name: "every zone fully disrupted: evictions stop and the taints are removed",
			failAt: map[string]sec{
				"a-1": 0, "a-2": 0, "a-3": 0, "a-4": 0,
				"b-1": 30 * s, "b-2": 30 * s, "b-3": 30 * s, "b-4": 30 * s,
				"c-1": 30 * s, "c-2": 30 * s, "c-3": 30 * s, "c-4": 30 * s,
			},
			end:       300 * s,
			taintedAt: map[string]sec{"a-1": 45 * s, "a-2": 55 * s, "a-3": 65 * s},
		},
		{
			name: "leaving full disruption resumes evictions by zone state",
			failAt: map[string]sec{
				"a-1": 0, "a-2": 0, "a-3": 0, "a-4": 0,
				"b-1": 0, "b-2": 0, "b-3": 0, "b-4": 0,
				"c-1": 0, "c-2": 0, "c-3": 0, "c-4": 0,
			},
			recoverAt: map[string]sec{"b-1": 200 * s},
			end:       215 * s,
			// At 200s b-1 is ready: zone b (3 of 4 not ready, small) stops, zones a and c
			// (fully down while b is not) evict at the normal rate.
			taintedAt:  map[string]sec{"a-1": 200 * s, "c-1": 200 * s, "a-2": 210 * s, "c-2": 210 * s},
			finalTaint: []string{"a-1", "a-2", "c-1", "c-2"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts)
			var names []string
			for _, z := range []string{"a", "b", "c"} {
				for i := 1; i <= 4; i++ {
					n := fmt.Sprintf("%s-%d", z, i)
					names = append(names, n)
					h.addNode(n, "zone-"+z, corev1.ConditionTrue)
					h.addPod("p-"+n, n)
					h.keepAlive(n)
				}
			}
			tainted := map[string]sec{}
			evicted := map[string]sec{}
			for d := sec(0); d <= tc.end; d += 5 * s {
				h.at(d)
				for n, r := range tc.recoverAt {
					if r == d {
						h.keepAlive(n)
						h.post(n, corev1.ConditionTrue)
					}
				}
				h.pass()
				for _, n := range h.tainted() {
					if _, ok := tainted[n]; !ok {
						tainted[n] = d
					}
				}
				for _, n := range names {
					if _, ok := evicted[n]; !ok && h.evicted("p-"+n) {
						evicted[n] = d
					}
				}
				for n, f := range tc.failAt {
					if f == d {
						h.silence(n)
					}
				}
			}
			want := tc.taintedAt
			if want == nil {
				want = map[string]sec{}
			}
			if diff := cmp.Diff(want, tainted); diff != "" {
				t.Errorf("first taint times (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, evicted); diff != "" {
				t.Errorf("eviction times of the pods (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.finalTaint, h.tainted()); diff != "" {
				t.Errorf("tainted nodes at the end (-want +got):\n%s", diff)
			}
		})
	}
}

func ExampleComputeZoneState() {
	fmt.Println(ComputeZoneState(10, 2, DefaultUnhealthyZoneThreshold))
	fmt.Println(ComputeZoneState(4, 6, DefaultUnhealthyZoneThreshold))
	fmt.Println(ComputeZoneState(0, 3, DefaultUnhealthyZoneThreshold))
	// Output:
	// Normal
	// PartialDisruption
	// FullDisruption
}
