package meta_test

import (
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

func ExampleSetStatusCondition() {
	var conds []meta.Condition
	t0 := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

	meta.SetStatusCondition(&conds, meta.Condition{Type: "Ready", Status: meta.ConditionFalse, Reason: "Starting"}, t0)
	// Same status, new reason: the transition time stays.
	meta.SetStatusCondition(&conds, meta.Condition{Type: "Ready", Status: meta.ConditionFalse, Reason: "Pulling"}, t0.Add(time.Minute))
	fmt.Println(conds[0].Reason, conds[0].LastTransitionTime.UTC().Format(time.Kitchen))
	// New status: the transition time moves.
	changed := meta.SetStatusCondition(&conds, meta.Condition{Type: "Ready", Status: meta.ConditionTrue, Reason: "Up"}, t0.Add(time.Hour))
	fmt.Println(changed, meta.IsStatusConditionTrue(conds, "Ready"), conds[0].LastTransitionTime.UTC().Format(time.Kitchen))
	// Output:
	// Pulling 12:00PM
	// true true 1:00PM
}

func ExampleNewControllerRef() {
	rs := meta.ObjectMeta{Name: "web-5d8f", Namespace: "default", UID: "6f1c"}
	rsKind := schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "ReplicaSet"}

	pod := meta.ObjectMeta{Name: "web-5d8f-x2k9", Namespace: "default"}
	pod.OwnerReferences = append(pod.OwnerReferences, *meta.NewControllerRef(&rs, rsKind))

	ref := meta.GetControllerOf(&pod)
	fmt.Println(ref.APIVersion, ref.Kind, ref.Name, *ref.BlockOwnerDeletion)
	fmt.Println(meta.IsControlledBy(&pod, &rs))
	// Output:
	// apps/v1 ReplicaSet web-5d8f true
	// true
}
