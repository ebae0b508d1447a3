package meta_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

// objectMetaJSON uses every ObjectMeta field with the names Kubernetes writes (as `kubectl get -o
// json` prints them).
const objectMetaJSON = `{
  "name": "web-7d4b9c",
  "generateName": "web-",
  "namespace": "default",
  "selfLink": "/api/v1/namespaces/default/pods/web-7d4b9c",
  "uid": "0f7a3c52-6b1e-4c1d-9f0e-2c3b4d5e6f70",
  "resourceVersion": "123456",
  "generation": 3,
  "creationTimestamp": "2024-03-04T05:06:07Z",
  "deletionTimestamp": "2024-03-05T00:00:00Z",
  "deletionGracePeriodSeconds": 30,
  "labels": {"app": "web", "pod-template-hash": "7d4b9c"},
  "annotations": {"kubernetes.io/created-by": "me"},
  "ownerReferences": [{
    "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c",
    "uid": "aa11", "controller": true, "blockOwnerDeletion": true
  }],
  "finalizers": ["foregroundDeletion"],
  "managedFields": [{
    "manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1",
    "time": "2024-03-04T05:06:07Z", "fieldsType": "FieldsV1", "subresource": "status"
  }]
}`

func TestObjectMetaKubernetesJSON(t *testing.T) {
	var m meta.ObjectMeta
	require.NoError(t, json.Unmarshal([]byte(objectMetaJSON), &m))
	created := meta.NewTime(time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC))
	deleted := meta.NewTime(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
	grace := int64(30)
	yes := true
	want := meta.ObjectMeta{
		Name: "web-7d4b9c", GenerateName: "web-", Namespace: "default",
		SelfLink: "/api/v1/namespaces/default/pods/web-7d4b9c", UID: "0f7a3c52-6b1e-4c1d-9f0e-2c3b4d5e6f70",
		ResourceVersion: "123456", Generation: 3, CreationTimestamp: created, DeletionTimestamp: &deleted,
		DeletionGracePeriodSeconds: &grace,
		Labels:                     map[string]string{"app": "web", "pod-template-hash": "7d4b9c"},
		Annotations:                map[string]string{"kubernetes.io/created-by": "me"},
		OwnerReferences: []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d4b9c",
			UID: "aa11", Controller: &yes, BlockOwnerDeletion: &yes}},
		Finalizers: []string{"foregroundDeletion"},
		ManagedFields: []meta.ManagedFieldsEntry{{Manager: "kube-controller-manager", Operation: "Update",
			APIVersion: "v1", Time: &created, FieldsType: "FieldsV1", Subresource: "status"}},
	}
	timeEq := cmp.Comparer(func(a, b meta.Time) bool { return a.Time.Equal(b.Time) })
	if diff := cmp.Diff(want, m, timeEq); diff != "" {
		t.Errorf("decode (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(&m)
	require.NoError(t, err)
	assert.JSONEq(t, objectMetaJSON, string(out))
}

func TestObjectMetaOmitsEmpty(t *testing.T) {
	b, err := json.Marshal(&meta.ObjectMeta{})
	require.NoError(t, err)
	// Kubernetes writes a zero creationTimestamp as null: the field is a struct, so omitempty
	// cannot drop it.
	assert.Equal(t, `{"creationTimestamp":null}`, string(b))

	b, err = json.Marshal(&meta.ListMeta{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b))

	n := int64(0)
	b, err = json.Marshal(&meta.ListMeta{ResourceVersion: "5", Continue: "c", RemainingItemCount: &n})
	require.NoError(t, err)
	assert.Equal(t, `{"resourceVersion":"5","continue":"c","remainingItemCount":0}`, string(b))

	b, err = json.Marshal(&meta.OwnerReference{})
	require.NoError(t, err)
	assert.Equal(t, `{"apiVersion":"","kind":"","name":"","uid":""}`, string(b), "required fields are always written")
}

func TestTypeMetaGroupVersionKind(t *testing.T) {
	var tm meta.TypeMeta
	require.NoError(t, json.Unmarshal([]byte(`{"apiVersion":"apps/v1","kind":"Deployment"}`), &tm))
	gvk := tm.GroupVersionKind()
	assert.Equal(t, "apps", gvk.Group)
	assert.Equal(t, "v1", gvk.Version)
	assert.Equal(t, "Deployment", gvk.Kind)
	tm.SetGroupVersionKind(gvk.GroupKind().WithVersion("v2"))
	assert.Equal(t, meta.TypeMeta{APIVersion: "apps/v2", Kind: "Deployment"}, tm)
	assert.Same(t, &tm, tm.GetObjectKind())
}
