package v1_test

import (
	"maps"
	"slices"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/google/go-cmp/cmp"
)

func TestFieldSets(t *testing.T) {
	om := meta.ObjectMeta{Name: "web-1", Namespace: "shop"}
	tests := []struct {
		name string
		got  fields.Set
		zero fields.Set
		want fields.Set
	}{
		{
			name: "pod",
			got: corev1.PodFields(&corev1.Pod{ObjectMeta: om,
				Spec: corev1.PodSpec{NodeName: "node-7", RestartPolicy: corev1.RestartPolicyOnFailure,
					SchedulerName: "default-scheduler", ServiceAccountName: "builder", HostNetwork: true},
				Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.5",
					PodIPs: []corev1.PodIP{{IP: "10.0.0.5"}, {IP: "fd00::5"}}, NominatedNodeName: "node-9"}}),
			zero: corev1.PodFields(&corev1.Pod{}),
			want: fields.Set{"metadata.name": "web-1", "metadata.namespace": "shop", "spec.nodeName": "node-7",
				"spec.restartPolicy": "OnFailure", "spec.schedulerName": "default-scheduler",
				"spec.serviceAccountName": "builder", "spec.hostNetwork": "true", "status.phase": "Running",
				"status.podIP": "10.0.0.5", "status.podIPs": "10.0.0.5,fd00::5", "status.nominatedNodeName": "node-9"},
		},
		{
			name: "pod with podIP only and defaults",
			got: corev1.PodFields(&corev1.Pod{ObjectMeta: om,
				Status: corev1.PodStatus{PodIP: "10.0.0.6"}}),
			zero: corev1.PodFields(&corev1.Pod{}),
			want: fields.Set{"metadata.name": "web-1", "metadata.namespace": "shop", "spec.nodeName": "",
				"spec.restartPolicy": "", "spec.schedulerName": "", "spec.serviceAccountName": "",
				"spec.hostNetwork": "false", "status.phase": "", "status.podIP": "10.0.0.6", "status.podIPs": "10.0.0.6",
				"status.nominatedNodeName": ""},
		},
		{
			name: "node",
			got:  corev1.NodeFields(&corev1.Node{ObjectMeta: meta.ObjectMeta{Name: "node-7"}, Spec: corev1.NodeSpec{Unschedulable: true}}),
			zero: corev1.NodeFields(&corev1.Node{}),
			want: fields.Set{"metadata.name": "node-7", "spec.unschedulable": "true"},
		},
		{
			name: "namespace",
			got: corev1.NamespaceFields(&corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "shop"},
				Status: corev1.NamespaceStatus{Phase: corev1.NamespaceTerminating}}),
			zero: corev1.NamespaceFields(&corev1.Namespace{}),
			want: fields.Set{"metadata.name": "shop", "status.phase": "Terminating"},
		},
		{
			name: "secret",
			got:  corev1.SecretFields(&corev1.Secret{ObjectMeta: om, Type: corev1.SecretTypeTLS}),
			zero: corev1.SecretFields(&corev1.Secret{}),
			want: fields.Set{"metadata.name": "web-1", "metadata.namespace": "shop", "type": "kubernetes.io/tls"},
		},
		{
			name: "service",
			got: corev1.ServiceFields(&corev1.Service{ObjectMeta: om,
				Spec: corev1.ServiceSpec{ClusterIP: "None", Type: corev1.ServiceTypeClusterIP}}),
			zero: corev1.ServiceFields(&corev1.Service{}),
			want: fields.Set{"metadata.name": "web-1", "metadata.namespace": "shop", "spec.clusterIP": "None",
				"spec.type": "ClusterIP"},
		},
		{
			name: "replication controller",
			got: corev1.ReplicationControllerFields(&corev1.ReplicationController{ObjectMeta: om,
				Status: corev1.ReplicationControllerStatus{Replicas: 12}}),
			zero: corev1.ReplicationControllerFields(&corev1.ReplicationController{}),
			want: fields.Set{"metadata.name": "web-1", "metadata.namespace": "shop", "status.replicas": "12"},
		},
		{
			name: "event",
			got: corev1.EventFields(&corev1.Event{ObjectMeta: om,
				InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: "web-1", UID: "u-1",
					APIVersion: "v1", ResourceVersion: "42", FieldPath: "spec.containers{app}"},
				Reason: "BackOff", ReportingController: "kubelet", Source: corev1.EventSource{Component: "kubelet-7"},
				Type: "Warning"}),
			zero: corev1.EventFields(&corev1.Event{}),
			want: fields.Set{"metadata.name": "web-1", "metadata.namespace": "shop", "involvedObject.kind": "Pod",
				"involvedObject.namespace": "shop", "involvedObject.name": "web-1", "involvedObject.uid": "u-1",
				"involvedObject.apiVersion": "v1", "involvedObject.resourceVersion": "42",
				"involvedObject.fieldPath": "spec.containers{app}", "reason": "BackOff", "reportingComponent": "kubelet",
				"source": "kubelet-7", "type": "Warning"},
		},
		{
			name: "event source falls back to reportingComponent",
			got:  corev1.EventFields(&corev1.Event{ObjectMeta: om, ReportingController: "scheduler"}),
			zero: corev1.EventFields(&corev1.Event{}),
			want: fields.Set{"metadata.name": "web-1", "metadata.namespace": "shop", "involvedObject.kind": "",
				"involvedObject.namespace": "", "involvedObject.name": "", "involvedObject.uid": "",
				"involvedObject.apiVersion": "", "involvedObject.resourceVersion": "", "involvedObject.fieldPath": "",
				"reason": "", "reportingComponent": "scheduler", "source": "scheduler", "type": ""},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			// The keys never depend on the object: they are the kind's supported labels.
			if got, zero := slices.Sorted(maps.Keys(tc.got)), slices.Sorted(maps.Keys(tc.zero)); !slices.Equal(got, zero) {
				t.Errorf("keys %v differ from the keys of a zero object %v", got, zero)
			}
			// Every field selects the object by its value, and excludes it by another one.
			for k, v := range tc.want {
				if !fields.OneTermEqualSelector(k, v).Matches(tc.got) {
					t.Errorf("%s=%s does not match", k, v)
				}
				if fields.OneTermEqualSelector(k, v+"x").Matches(tc.got) {
					t.Errorf("%s=%sx matches", k, v)
				}
			}
		})
	}
}

func TestPodFieldSelector(t *testing.T) {
	pods := []*corev1.Pod{
		{ObjectMeta: meta.ObjectMeta{Name: "a", Namespace: "ns"}, Spec: corev1.PodSpec{NodeName: "n1"},
			Status: corev1.PodStatus{Phase: corev1.PodRunning}},
		{ObjectMeta: meta.ObjectMeta{Name: "b", Namespace: "ns"}, Spec: corev1.PodSpec{NodeName: "n2"},
			Status: corev1.PodStatus{Phase: corev1.PodSucceeded}},
		{ObjectMeta: meta.ObjectMeta{Name: "c", Namespace: "ns"}, Status: corev1.PodStatus{Phase: corev1.PodPending}},
	}
	tests := []struct {
		selector string
		want     []string
	}{
		{"spec.nodeName=n1", []string{"a"}},
		{"spec.nodeName=", []string{"c"}},
		{"spec.nodeName!=", []string{"a", "b"}},
		{"status.phase!=Succeeded,status.phase!=Failed", []string{"a", "c"}},
		{"metadata.name=b,metadata.namespace=ns", []string{"b"}},
		{"spec.hostNetwork=false", []string{"a", "b", "c"}},
	}
	for _, tc := range tests {
		t.Run(tc.selector, func(t *testing.T) {
			sel, err := fields.ParseSelector(tc.selector)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range pods {
				if sel.Matches(corev1.PodFields(p)) {
					got = append(got, p.Name)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("matching pods (-want +got):\n%s", diff)
			}
		})
	}
}
