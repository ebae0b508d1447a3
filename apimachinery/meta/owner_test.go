package meta_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

func boolp(b bool) *bool { return &b }

func TestOwnerReferences(t *testing.T) {
	owner := &meta.ObjectMeta{Name: "web", Namespace: "ns", UID: "uid-web"}
	gvk := schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "ReplicaSet"}
	ref := meta.NewControllerRef(owner, gvk)
	want := &meta.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web", UID: "uid-web",
		Controller: boolp(true), BlockOwnerDeletion: boolp(true)}
	if diff := cmp.Diff(want, ref); diff != "" {
		t.Errorf("NewControllerRef (-want +got):\n%s", diff)
	}
	coreRef := meta.NewControllerRef(owner, schema.GroupVersionKind{Version: "v1", Kind: "Node"})
	assert.Equal(t, "v1", coreRef.APIVersion)

	tests := []struct {
		name       string
		refs       []meta.OwnerReference
		wantUID    meta.UID
		controlled bool
	}{
		{"no references", nil, "", false},
		{"owner but not controller", []meta.OwnerReference{{UID: "uid-web", Controller: boolp(false)}}, "", false},
		{"controller nil", []meta.OwnerReference{{UID: "uid-web"}}, "", false},
		{"controller", []meta.OwnerReference{{UID: "other"}, *ref}, "uid-web", true},
		{"controlled by someone else", []meta.OwnerReference{{UID: "other", Controller: boolp(true)}}, "other", false},
		{"first controller wins", []meta.OwnerReference{{UID: "uid-web", Controller: boolp(true)}, {UID: "x", Controller: boolp(true)}},
			"uid-web", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			obj := &meta.ObjectMeta{Name: "pod", OwnerReferences: tc.refs}
			direct := meta.ControllerRef(obj)
			got := meta.GetControllerOf(obj)
			if tc.wantUID == "" {
				assert.Nil(t, got)
				assert.Nil(t, direct)
			} else if assert.NotNil(t, got) && assert.NotNil(t, direct) {
				assert.Equal(t, tc.wantUID, direct.UID)
				assert.True(t, direct == &obj.OwnerReferences[slices.IndexFunc(obj.OwnerReferences, func(r meta.OwnerReference) bool { return r.UID == tc.wantUID })],
					"ControllerRef points into the object's references")
				assert.Equal(t, tc.wantUID, got.UID)
				*got.Controller = false // a copy: the object keeps its reference
				assert.NotNil(t, meta.GetControllerOf(obj))
			}
			assert.Equal(t, tc.controlled, meta.IsControlledBy(obj, owner))
		})
	}
	assert.Nil(t, meta.GetControllerOf(nil))
	assert.Nil(t, meta.ControllerRef(nil))
	assert.False(t, meta.IsControlledBy(&meta.ObjectMeta{OwnerReferences: []meta.OwnerReference{{Controller: boolp(true)}}},
		&meta.ObjectMeta{}), "an empty UID matches nothing")
	assert.False(t, meta.IsControlledBy(&meta.ObjectMeta{OwnerReferences: []meta.OwnerReference{*ref}}, nil))
}
