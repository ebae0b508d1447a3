package plugins_test

import (
	"context"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
)

// env runs chosen plugins over a snapshot, as the framework does in a cycle.
type env struct {
	t    *testing.T
	f    *framework.Framework
	snap *framework.Snapshot
}

func nopBinder() plugins.Binder {
	return plugins.BinderFunc(func(context.Context, *corev1.Pod, string) error { return nil })
}

func newEnv(t *testing.T, cfgs []framework.PluginConfig, nodes []*corev1.Node, pods []*corev1.Pod) *env {
	t.Helper()
	prof := framework.Profile{SchedulerName: "test", PercentageOfNodesToScore: 100,
		Plugins: append([]framework.PluginConfig{{Name: plugins.NamePrioritySort}, {Name: plugins.NameDefaultBinder}}, cfgs...)}
	f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: nopBinder()}), prof, framework.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap := framework.NewSnapshot()
	for _, n := range nodes {
		if err := snap.AddNode(n); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pods {
		if err := snap.AddPod(framework.MustPodInfo(p)); err != nil {
			t.Fatal(err)
		}
	}
	f.SetSnapshot(snap)
	return &env{t: t, f: f, snap: snap}
}

func only(name string) []framework.PluginConfig { return []framework.PluginConfig{{Name: name}} }

// filter returns, per node, "" for a fit or "<Code>: <reasons>" for a rejection. A PreFilter
// rejection is reported for every node.
func (e *env) filter(pod *corev1.Pod) map[string]string {
	e.t.Helper()
	ctx := context.Background()
	state := framework.NewCycleState()
	e.f.SetSnapshot(e.snap)
	out := map[string]string{}
	_, s, _ := e.f.RunPreFilterPlugins(ctx, state, pod)
	for _, ni := range e.snap.NodeInfos() {
		if !s.IsSuccess() {
			out[ni.Name()] = s.Code().String() + ": " + s.Message()
			continue
		}
		fs := e.f.RunFilterPlugins(ctx, state, pod, ni)
		if fs.Code() == framework.Error {
			e.t.Fatalf("filter error on %s: %v", ni.Name(), fs)
		}
		if fs.IsSuccess() {
			out[ni.Name()] = ""
		} else {
			out[ni.Name()] = fs.Code().String() + ": " + fs.Message()
		}
	}
	return out
}

// scores returns every node's normalized, weighted total with all nodes treated as feasible.
func (e *env) scores(pod *corev1.Pod) map[string]int64 {
	e.t.Helper()
	ctx := context.Background()
	state := framework.NewCycleState()
	e.f.SetSnapshot(e.snap)
	if _, s, _ := e.f.RunPreFilterPlugins(ctx, state, pod); !s.IsSuccess() {
		e.t.Fatalf("prefilter: %v", s)
	}
	nodes := e.snap.NodeInfos()
	if s := e.f.RunPreScorePlugins(ctx, state, pod, nodes); !s.IsSuccess() {
		e.t.Fatalf("prescore: %v", s)
	}
	sc, s := e.f.RunScorePlugins(ctx, state, pod, nodes)
	if !s.IsSuccess() {
		e.t.Fatalf("score: %v", s)
	}
	out := map[string]int64{}
	for _, n := range sc {
		out[n.Name] = n.TotalScore
	}
	return out
}
