package v1_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
)

// FuzzDefaultValidateWorkloads decodes arbitrary JSON as each workload kind, defaults it twice
// and validates it before and after defaulting (and as an update of itself): defaulting must be idempotent and
// validation must never panic, whatever nil pointers the object holds.
func FuzzDefaultValidateWorkloads(f *testing.F) {
	f.Add([]byte(`{"metadata":{"name":"w","namespace":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}`))
	f.Add([]byte(`{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"0%","maxUnavailable":0}},"updateStrategy":{"type":"RollingUpdate"},"selector":{}}}`))
	f.Add([]byte(`{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":{"partition":-1,"maxUnavailable":"x%"}},"volumeClaimTemplates":[{"spec":{}}],"persistentVolumeClaimRetentionPolicy":{}}}`))
	f.Add([]byte(`{"spec":{"selector":{"matchExpressions":[{"key":"a","operator":"In"}]},"template":{"spec":{"activeDeadlineSeconds":5,"restartPolicy":"Never"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d appsv1.Deployment
		if json.Unmarshal(data, &d) == nil {
			_ = appsv1.ValidateDeployment(d.DeepCopy()) // not defaulted: still no panic
			appsv1.DefaultDeployment(&d)
			once := d.DeepCopy()
			appsv1.DefaultDeployment(&d)
			if diff := cmp.Diff(once, &d, quantityCmp); diff != "" {
				t.Fatalf("deployment defaulting not idempotent:\n%s", diff)
			}
			_ = appsv1.ValidateDeployment(&d)
			_ = appsv1.ValidateDeploymentUpdate(d.DeepCopy(), &d)
		}
		var rs appsv1.ReplicaSet
		if json.Unmarshal(data, &rs) == nil {
			_ = appsv1.ValidateReplicaSet(rs.DeepCopy()) // not defaulted: still no panic
			appsv1.DefaultReplicaSet(&rs)
			_ = appsv1.ValidateReplicaSet(&rs)
			_ = appsv1.ValidateReplicaSetUpdate(rs.DeepCopy(), &rs)
		}
		var ds appsv1.DaemonSet
		if json.Unmarshal(data, &ds) == nil {
			_ = appsv1.ValidateDaemonSet(ds.DeepCopy()) // not defaulted: still no panic
			appsv1.DefaultDaemonSet(&ds)
			once := ds.DeepCopy()
			appsv1.DefaultDaemonSet(&ds)
			if diff := cmp.Diff(once, &ds, quantityCmp); diff != "" {
				t.Fatalf("daemon set defaulting not idempotent:\n%s", diff)
			}
			_ = appsv1.ValidateDaemonSet(&ds)
			_ = appsv1.ValidateDaemonSetUpdate(ds.DeepCopy(), &ds)
		}
		var ss appsv1.StatefulSet
		if json.Unmarshal(data, &ss) == nil {
			_ = appsv1.ValidateStatefulSet(ss.DeepCopy()) // not defaulted: still no panic
			appsv1.DefaultStatefulSet(&ss)
			once := ss.DeepCopy()
			appsv1.DefaultStatefulSet(&ss)
			if diff := cmp.Diff(once, &ss, quantityCmp); diff != "" {
				t.Fatalf("stateful set defaulting not idempotent:\n%s", diff)
			}
			_ = appsv1.ValidateStatefulSet(&ss)
			_ = appsv1.ValidateStatefulSetUpdate(ss.DeepCopy(), &ss)
		}
	})
}
