package validation

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

func errStrings(l field.ErrorList) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.Error())
	}
	return out
}

func TestNameFuncs(t *testing.T) {
	tests := []struct {
		name   string
		fn     ValidateNameFunc
		value  string
		prefix bool
		ok     bool
	}{
		{"subdomain ok", NameIsDNSSubdomain, "web.example", false, true},
		{"subdomain prefix dash", NameIsDNSSubdomain, "web-", true, true},
		{"subdomain name dash", NameIsDNSSubdomain, "web-", false, false},
		{"subdomain lone dash prefix", NameIsDNSSubdomain, "-", true, false},
		{"label ok", NameIsDNSLabel, "web", false, true},
		{"label dot", NameIsDNSLabel, "web.x", false, false},
		{"label prefix dash", NameIsDNSLabel, "web-", true, true},
		{"1035 digit first", NameIsDNS1035Label, "1web", false, false},
		{"1035 prefix", NameIsDNS1035Label, "web-", true, true},
		{"namespace", ValidateNamespaceName, "kube-system", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.fn(tt.value, tt.prefix)
			if (len(got) == 0) != tt.ok {
				t.Errorf("(%q, %v) = %v, want ok=%v", tt.value, tt.prefix, got, tt.ok)
			}
		})
	}
}

func TestValidateLabels(t *testing.T) {
	path := field.NewPath("metadata", "labels")
	tests := []struct {
		name   string
		labels map[string]string
		want   []string
	}{
		{"nil", nil, nil},
		{"valid", map[string]string{"app": "web", "example.com/tier": "", "a": "B_1.2-c"}, nil},
		{"bad key and value", map[string]string{"b@d": "ok", "good": "-bad"}, []string{
			`metadata.labels: Invalid value: "b@d": ` + namePartMsg,
			`metadata.labels: Invalid value: "-bad": ` + valueMsg,
		}},
		{"long value", map[string]string{"k": strings.Repeat("v", 64)}, []string{
			`metadata.labels: Invalid value: "` + strings.Repeat("v", 64) + `": must be no more than 63 characters`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, errStrings(ValidateLabels(tt.labels, path))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateAnnotations(t *testing.T) {
	path := field.NewPath("metadata", "annotations")
	big := strings.Repeat("x", TotalAnnotationSizeLimitB-1)
	tests := []struct {
		name string
		ann  map[string]string
		want []string
	}{
		{"valid", map[string]string{"kubectl.kubernetes.io/last-applied-configuration": "{}"}, nil},
		{"upper case prefix allowed", map[string]string{"Example.COM/Key": "v"}, nil},
		{"bad key", map[string]string{"a b": "v"}, []string{`metadata.annotations: Invalid value: "a b": ` + namePartMsg}},
		{"at limit", map[string]string{"k": big}, nil},
		{"over limit", map[string]string{"k": big + "x"}, []string{"metadata.annotations: Too long: must have at most 262144 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, errStrings(ValidateAnnotations(tt.ann, path))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func boolPtr(b bool) *bool { return &b }

func TestValidateObjectMeta(t *testing.T) {
	path := field.NewPath("metadata")
	tests := []struct {
		name       string
		meta       meta.ObjectMeta
		namespaced bool
		want       []string
	}{
		{"valid namespaced", meta.ObjectMeta{Name: "web", Namespace: "default", Labels: map[string]string{"app": "web"}}, true, nil},
		{"valid cluster", meta.ObjectMeta{Name: "node-1"}, false, nil},
		{"missing name", meta.ObjectMeta{Namespace: "default"}, true, []string{"metadata.name: Required value: name or generateName is required"}},
		{"bad name", meta.ObjectMeta{Name: "Foo", Namespace: "default"}, true, []string{`metadata.name: Invalid value: "Foo": ` + subdomainMsg}},
		{"bad generateName", meta.ObjectMeta{Name: "x", GenerateName: "Web-", Namespace: "default"}, true,
			[]string{`metadata.generateName: Invalid value: "Web-": ` + subdomainMsg}},
		{"missing namespace", meta.ObjectMeta{Name: "web"}, true, []string{"metadata.namespace: Required value"}},
		{"bad namespace", meta.ObjectMeta{Name: "web", Namespace: "a.b"}, true, []string{`metadata.namespace: Invalid value: "a.b": must not contain dots`}},
		{"namespace forbidden", meta.ObjectMeta{Name: "n", Namespace: "default"}, false, []string{"metadata.namespace: Forbidden: not allowed on this type"}},
		{"negative generation", meta.ObjectMeta{Name: "n", Generation: -1}, false, []string{"metadata.generation: Invalid value: -1: must be greater than or equal to 0"}},
		{"owner refs", meta.ObjectMeta{Name: "n", OwnerReferences: []meta.OwnerReference{
			{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "a", UID: "1", Controller: boolPtr(true)},
			{APIVersion: "apps/", Kind: "", Name: "", UID: ""},
			{APIVersion: "v1", Kind: "Event", Name: "e", UID: "2"},
			{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "b", UID: "3", Controller: boolPtr(true)},
		}}, false, []string{
			`metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty`,
			`metadata.ownerReferences.kind: Invalid value: "": must not be empty`,
			`metadata.ownerReferences.name: Invalid value: "": must not be empty`,
			`metadata.ownerReferences.uid: Invalid value: "": must not be empty`,
			`metadata.ownerReferences: Invalid value: meta.OwnerReference{APIVersion:"v1", Kind:"Event", Name:"e", UID:"2", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: v1, Kind=Event is disallowed from being an owner`,
			`metadata.ownerReferences: Invalid value: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b`,
		}},
		{"finalizers", meta.ObjectMeta{Name: "n", Finalizers: []string{"orphan", "foregroundDeletion", "bad finalizer"}}, false, []string{
			`metadata.finalizers: Invalid value: "bad finalizer": ` + namePartMsg,
			`metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion", "bad finalizer"}: finalizer orphan and foregroundDeletion cannot be both set`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := errStrings(ValidateObjectMeta(&tt.meta, tt.namespaced, NameIsDNSSubdomain, path))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateObjectMetaUpdate(t *testing.T) {
	path := field.NewPath("metadata")
	now := meta.NewTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	later := meta.NewTime(now.Add(time.Hour))
	grace := int64(30)
	old := meta.ObjectMeta{Name: "web", Namespace: "default", UID: "u1", ResourceVersion: "5", Generation: 3,
		CreationTimestamp: now, Finalizers: []string{"a.io/x"}}
	tests := []struct {
		name   string
		mutate func(old, upd *meta.ObjectMeta)
		want   []string
	}{
		{"unchanged", func(old, upd *meta.ObjectMeta) {}, nil},
		{"label change ok", func(old, upd *meta.ObjectMeta) { upd.Labels = map[string]string{"a": "b"} }, nil},
		{"no resourceVersion", func(old, upd *meta.ObjectMeta) { upd.ResourceVersion = "" },
			[]string{`metadata.resourceVersion: Invalid value: "": must be specified for an update`}},
		{"generation down", func(old, upd *meta.ObjectMeta) { upd.Generation = 2 },
			[]string{"metadata.generation: Invalid value: 2: must not be decremented"}},
		{"rename", func(old, upd *meta.ObjectMeta) { upd.Name = "web2"; upd.Namespace = "x"; upd.UID = "u2" }, []string{
			`metadata.name: Invalid value: "web2": field is immutable`,
			`metadata.namespace: Invalid value: "x": field is immutable`,
			`metadata.uid: Invalid value: "u2": field is immutable`,
		}},
		{"timestamps", func(old, upd *meta.ObjectMeta) {
			upd.CreationTimestamp = later
			upd.DeletionTimestamp = &later
			upd.DeletionGracePeriodSeconds = &grace
		}, []string{
			"metadata.creationTimestamp: Invalid value: 2024-01-02 04:04:05 +0000 UTC: field is immutable",
			"metadata.deletionTimestamp: Invalid value: 2024-01-02 04:04:05 +0000 UTC: field is immutable",
			"metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable",
		}},
		{"new finalizer while deleting", func(old, upd *meta.ObjectMeta) {
			old.DeletionTimestamp = &later
			upd.DeletionTimestamp = &later
			upd.Finalizers = []string{"a.io/x", "b.io/y", "b.io/y"}
		}, []string{`metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ["b.io/y"]`}},
		{"removing finalizer while deleting ok", func(old, upd *meta.ObjectMeta) {
			old.DeletionTimestamp = &later
			upd.DeletionTimestamp = &later
			upd.Finalizers = nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := old
			o.Finalizers = append([]string(nil), old.Finalizers...)
			u := o
			u.Finalizers = append([]string(nil), o.Finalizers...)
			tt.mutate(&o, &u)
			got := errStrings(ValidateObjectMetaUpdate(&u, &o, path))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
