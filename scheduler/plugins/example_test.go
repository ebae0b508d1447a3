package plugins_test

import (
	"context"
	"fmt"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

// Schedule pods with the default profile on a three-node snapshot: one fits best on the
// emptier node, one fits nowhere and says why.
func Example() {
	binder := plugins.BinderFunc(func(_ context.Context, pod *corev1.Pod, node string) error {
		fmt.Printf("bind %s to %s\n", pod.Name, node)
		return nil
	})
	f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: binder}), plugins.DefaultProfile(), framework.Options{})
	if err != nil {
		panic(err)
	}
	snap := framework.NewSnapshot()
	snap.AddNode(st.Node("busy").Capacity("cpu", "4", "memory", "8Gi").Obj())
	snap.AddNode(st.Node("idle").Capacity("cpu", "4", "memory", "8Gi").Obj())
	snap.AddNode(st.Node("gpu").Capacity("cpu", "4", "memory", "8Gi").Taint("gpu", "true", corev1.TaintEffectNoSchedule).Obj())
	snap.AddPod(framework.MustPodInfo(st.Pod("running").Node("busy").Req("cpu", "3", "memory", "6Gi").Obj()))

	ctx := context.Background()
	for _, pod := range []*corev1.Pod{
		st.Pod("web").Req("cpu", "500m", "memory", "1Gi").Obj(),
		st.Pod("huge").Req("cpu", "5").Obj(),
	} {
		state := framework.NewCycleState()
		res, err := f.SchedulePod(ctx, state, pod, snap)
		if err != nil {
			if fe, ok := err.(*framework.FitError); ok {
				_, s := f.RunPostFilterPlugins(ctx, state, pod, fe.Diagnosis.NodeToStatus)
				fe.Diagnosis.PostFilterMsg = s.Message()
			}
			fmt.Printf("%s pending: %v\n", pod.Name, err)
			continue
		}
		if s := f.RunBindPlugins(ctx, state, pod, res.SuggestedHost); !s.IsSuccess() {
			panic(s.AsError())
		}
	}
	// Output:
	// bind web to idle
	// huge pending: 0/3 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.
}
