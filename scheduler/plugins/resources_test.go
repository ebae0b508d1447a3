package plugins_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

func TestNodeResourcesFitFilter(t *testing.T) {
	node := st.Node("n").Capacity("cpu", "4", "memory", "8Gi", "pods", "3", "example.com/gpu", "1", "ephemeral-storage", "10Gi").Obj()
	existing := []*corev1.Pod{st.Pod("e1").Node("n").Req("cpu", "2", "memory", "4Gi").Obj()}
	tests := []struct {
		name string
		args *plugins.NodeResourcesFitArgs
		pods []*corev1.Pod
		pod  *corev1.Pod
		want string
	}{
		{"fits", nil, existing, st.Pod("p").Req("cpu", "2", "memory", "4Gi").Obj(), ""},
		{"insufficient cpu", nil, existing, st.Pod("p").Req("cpu", "2100m").Obj(), unschd + "Insufficient cpu"},
		{"insufficient cpu and memory", nil, existing, st.Pod("p").Req("cpu", "3", "memory", "5Gi").Obj(), unschd + "Insufficient cpu, Insufficient memory"},
		{"too many pods", nil, append(existing, st.Pod("e2").Node("n").Obj(), st.Pod("e3").Node("n").Obj()), st.Pod("p").Obj(), unschd + "Too many pods"},
		{"extended resource", nil, existing, st.Pod("p").Req("example.com/gpu", "2").Obj(), unschd + "Insufficient example.com/gpu"},
		{"extended resource the node lacks", nil, existing, st.Pod("p").Req("other.io/fpga", "1").Obj(), unschd + "Insufficient other.io/fpga"},
		{"ignored resource", &plugins.NodeResourcesFitArgs{IgnoredResources: []corev1.ResourceName{"example.com/gpu"}}, existing, st.Pod("p").Req("example.com/gpu", "2").Obj(), ""},
		{"ignored group", &plugins.NodeResourcesFitArgs{IgnoredResourceGroups: []string{"other.io"}}, existing, st.Pod("p").Req("other.io/fpga", "1").Obj(), ""},
		{"init container max counts", nil, existing, st.Pod("p").Req("cpu", "1").InitContainer(false, "cpu", "3").Obj(), unschd + "Insufficient cpu"},
		{"sidecar adds to containers", nil, existing, st.Pod("p").Req("cpu", "1500m").InitContainer(true, "cpu", "600m").Obj(), unschd + "Insufficient cpu"},
		{"overhead counts", nil, existing, st.Pod("p").Req("cpu", "1900m").Overhead("cpu", "200m").Obj(), unschd + "Insufficient cpu"},
		{"ephemeral storage", nil, existing, st.Pod("p").Req("ephemeral-storage", "11Gi").Obj(), unschd + "Insufficient ephemeral-storage"},
		{"zero request always fits resources", nil, existing, st.Pod("p").Obj(), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, []framework.PluginConfig{{Name: plugins.NameNodeResourcesFit, Args: tc.args}}, []*corev1.Node{node}, tc.pods)
			if got := e.filter(tc.pod)["n"]; got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNodeResourcesFitScore(t *testing.T) {
	nodes := []*corev1.Node{st.Node("n").Capacity("cpu", "4", "memory", "8Gi").Obj(), st.Node("empty").Capacity("cpu", "4", "memory", "8Gi").Obj()}
	existing := []*corev1.Pod{st.Pod("e").Node("n").Req("cpu", "1", "memory", "2Gi").Obj()}
	up := &plugins.ScoringStrategy{Type: plugins.RequestedToCapacityRatio, Shape: []plugins.UtilizationShapePoint{{Utilization: 0, Score: 0}, {Utilization: 100, Score: 10}}}
	down := &plugins.ScoringStrategy{Type: plugins.RequestedToCapacityRatio, Shape: []plugins.UtilizationShapePoint{{Utilization: 0, Score: 10}, {Utilization: 100, Score: 0}}}
	tests := []struct {
		name     string
		strategy *plugins.ScoringStrategy
		pod      *corev1.Pod
		want     map[string]int64
	}{
		// n: cpu (1+1)/4, memory (2+2)/8 -> 50% each. empty: 25%, 25%.
		{"least allocated", nil, st.Pod("p").Req("cpu", "1", "memory", "2Gi").Obj(), map[string]int64{"n": 50, "empty": 75}},
		{"most allocated", &plugins.ScoringStrategy{Type: plugins.MostAllocated}, st.Pod("p").Req("cpu", "1", "memory", "2Gi").Obj(), map[string]int64{"n": 50, "empty": 25}},
		// n: cpu 4/4 = 100%, memory 4/8 = 50%. empty: cpu 75%, memory 25%.
		{"least allocated full cpu", nil, st.Pod("p").Req("cpu", "3", "memory", "2Gi").Obj(), map[string]int64{"n": 25, "empty": 50}},
		{"most allocated full cpu", &plugins.ScoringStrategy{Type: plugins.MostAllocated}, st.Pod("p").Req("cpu", "3", "memory", "2Gi").Obj(), map[string]int64{"n": 75, "empty": 50}},
		{"requested to capacity ratio rising, half used", up, st.Pod("p").Req("cpu", "1", "memory", "2Gi").Obj(), map[string]int64{"n": 50, "empty": 25}},
		{"requested to capacity ratio falling, half used", down, st.Pod("p").Req("cpu", "1", "memory", "2Gi").Obj(), map[string]int64{"n": 50, "empty": 75}},
		{"requested to capacity ratio rising", up, st.Pod("p").Req("cpu", "3", "memory", "2Gi").Obj(), map[string]int64{"n": 75, "empty": 50}},
		{"requested to capacity ratio falling", down, st.Pod("p").Req("cpu", "3", "memory", "2Gi").Obj(), map[string]int64{"n": 25, "empty": 50}},
		// No requests: 100m and 200Mi count (non-zero defaults): n cpu 2900/4000 -> 72,
		// memory (8192-2248)/8192 -> 72.
		{"non-zero defaults", nil, st.Pod("p").Obj(), map[string]int64{"n": 72, "empty": 97}},
		{"weighted cpu only", &plugins.ScoringStrategy{Type: plugins.LeastAllocated, Resources: []plugins.ResourceSpec{{Name: corev1.ResourceCPU, Weight: 3}}}, st.Pod("p").Req("cpu", "1").Obj(), map[string]int64{"n": 50, "empty": 75}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := &plugins.NodeResourcesFitArgs{ScoringStrategy: tc.strategy}
			e := newEnv(t, []framework.PluginConfig{{Name: plugins.NameNodeResourcesFit, Args: args}}, nodes, existing)
			if d := cmp.Diff(tc.want, e.scores(tc.pod)); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestNodeResourcesFitArgs(t *testing.T) {
	tests := []struct {
		name string
		args *plugins.NodeResourcesFitArgs
	}{
		{"unknown strategy", &plugins.NodeResourcesFitArgs{ScoringStrategy: &plugins.ScoringStrategy{Type: "Best"}}},
		{"zero weight", &plugins.NodeResourcesFitArgs{ScoringStrategy: &plugins.ScoringStrategy{Resources: []plugins.ResourceSpec{{Name: "cpu"}}}}},
		{"ratio without shape", &plugins.NodeResourcesFitArgs{ScoringStrategy: &plugins.ScoringStrategy{Type: plugins.RequestedToCapacityRatio}}},
		{"shape not increasing", &plugins.NodeResourcesFitArgs{ScoringStrategy: &plugins.ScoringStrategy{Type: plugins.RequestedToCapacityRatio, Shape: []plugins.UtilizationShapePoint{{50, 1}, {50, 2}}}}},
		{"shape score above 10", &plugins.NodeResourcesFitArgs{ScoringStrategy: &plugins.ScoringStrategy{Type: plugins.RequestedToCapacityRatio, Shape: []plugins.UtilizationShapePoint{{50, 11}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := plugins.NewNodeResourcesFit(tc.args); !errors.Is(err, plugins.ErrInvalidArgs) {
				t.Errorf("err = %v", err)
			}
		})
	}
	// Wrong args type through the registry.
	_, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: nopBinder()}), framework.Profile{Plugins: []framework.PluginConfig{
		{Name: plugins.NamePrioritySort}, {Name: plugins.NameDefaultBinder}, {Name: plugins.NameNodeResourcesFit, Args: &plugins.InterPodAffinityArgs{}}}}, framework.Options{})
	if !errors.Is(err, plugins.ErrInvalidArgs) {
		t.Errorf("wrong args type: %v", err)
	}
}

func TestBalancedAllocation(t *testing.T) {
	nodes := []*corev1.Node{st.Node("n").Capacity("cpu", "4", "memory", "8Gi").Obj(), st.Node("m").Capacity("cpu", "4", "memory", "4Gi").Obj()}
	e := newEnv(t, only(plugins.NameNodeResourcesBalancedAllocation), nodes, nil)
	// n: 1/4 cpu, 4/8 memory -> std 0.125 -> 87. m: 1/4, 4/4 -> std 0.375 -> 62.
	if d := cmp.Diff(map[string]int64{"n": 87, "m": 62}, e.scores(st.Pod("p").Req("cpu", "1", "memory", "4Gi").Obj())); d != "" {
		t.Error(d)
	}
	// Fractions above 1 are capped: 8/4 cpu counts as 1.
	if d := cmp.Diff(map[string]int64{"n": 75, "m": 100}, e.scores(st.Pod("p").Req("cpu", "8", "memory", "4Gi").Obj())); d != "" {
		t.Error(d)
	}
	// A best-effort pod skips the plugin: no score at all.
	if d := cmp.Diff(map[string]int64{"n": 0, "m": 0}, e.scores(st.Pod("p").Obj())); d != "" {
		t.Error(d)
	}
}

func TestImageLocality(t *testing.T) {
	const mb = 1024 * 1024
	nodes := []*corev1.Node{
		st.Node("big").Image(500*mb, "registry/app:v1").Obj(),
		st.Node("small").Image(10*mb, "registry/app:v1").Obj(),
		st.Node("none").Obj(),
		st.Node("huge").Image(3000*mb, "registry/db").Obj(),
	}
	e := newEnv(t, only(plugins.NameImageLocality), nodes, nil)
	// big: 500MB * 2/4 nodes = 250MB -> 100*(250-23)/(1000-23) = 23; small: 5MB < 23MB -> 0.
	if d := cmp.Diff(map[string]int64{"big": 23, "small": 0, "none": 0, "huge": 0}, e.scores(st.Pod("p").Image("registry/app:v1").Obj())); d != "" {
		t.Error(d)
	}
	// Untagged names normalise to :latest; 3000MB*1/4 = 750MB -> 74.
	if d := cmp.Diff(map[string]int64{"big": 0, "small": 0, "none": 0, "huge": 74}, e.scores(st.Pod("p").Image("registry/db:latest").Obj())); d != "" {
		t.Error(d)
	}
}
