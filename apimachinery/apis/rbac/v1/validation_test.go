package v1_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	rbacv1 "github.com/cellkit/cellkit/apimachinery/apis/rbac/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
	"github.com/cellkit/cellkit/internal/apitest"
)

// fe is the part of a field error the tests compare: its type and path.
type fe struct {
	Type  field.ErrorType
	Field string
}

func summarize(errs field.ErrorList) []fe {
	var out []fe
	for _, e := range errs {
		out = append(out, fe{e.Type, e.Field})
	}
	return out
}

func vptr[T any](v T) *T { return &v }

func TestValidateRoles(t *testing.T) {
	podsRule := rbacv1.PolicyRule{Verbs: []string{"get", "list"}, APIGroups: []string{""}, Resources: []string{"pods"}}
	tests := []struct {
		name string
		errs field.ErrorList
		want []fe
	}{
		{name: "role valid", errs: rbacv1.ValidateRole(&rbacv1.Role{ObjectMeta: meta.ObjectMeta{Name: "pod-reader", Namespace: "d"}, Rules: []rbacv1.PolicyRule{podsRule}})},
		{name: "role rule without verbs, groups, resources", errs: rbacv1.ValidateRole(&rbacv1.Role{ObjectMeta: meta.ObjectMeta{Name: "r", Namespace: "d"}, Rules: []rbacv1.PolicyRule{{}}}),
			want: []fe{{field.ErrorTypeRequired, "rules[0].verbs"}, {field.ErrorTypeRequired, "rules[0].apiGroups"}, {field.ErrorTypeRequired, "rules[0].resources"}}},
		{name: "role with non-resource URL", errs: rbacv1.ValidateRole(&rbacv1.Role{ObjectMeta: meta.ObjectMeta{Name: "r", Namespace: "d"},
			Rules: []rbacv1.PolicyRule{{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz"}}}}),
			want: []fe{{field.ErrorTypeInvalid, "rules[0].nonResourceURLs"}}},
		{name: "cluster role with colon name and non-resource URL", errs: rbacv1.ValidateClusterRole(&rbacv1.ClusterRole{ObjectMeta: meta.ObjectMeta{Name: "system:health"},
			Rules: []rbacv1.PolicyRule{{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz"}}}})},
		{name: "cluster role mixing resources and URLs, bad name", errs: rbacv1.ValidateClusterRole(&rbacv1.ClusterRole{ObjectMeta: meta.ObjectMeta{Name: "a/b"},
			Rules: []rbacv1.PolicyRule{{Verbs: []string{"get"}, Resources: []string{"pods"}, NonResourceURLs: []string{"/x"}}}}),
			want: []fe{{field.ErrorTypeInvalid, "metadata.name"}, {field.ErrorTypeInvalid, "rules[0].nonResourceURLs"}}},
		{name: "empty aggregation rule", errs: rbacv1.ValidateClusterRole(&rbacv1.ClusterRole{ObjectMeta: meta.ObjectMeta{Name: "agg"}, AggregationRule: &rbacv1.AggregationRule{}}),
			want: []fe{{field.ErrorTypeRequired, "aggregationRule.clusterRoleSelectors"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarize(tt.errs)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateBindings(t *testing.T) {
	rb := func(ref rbacv1.RoleRef, subjects ...rbacv1.Subject) *rbacv1.RoleBinding {
		b := &rbacv1.RoleBinding{ObjectMeta: meta.ObjectMeta{Name: "b", Namespace: "d"}, RoleRef: ref, Subjects: subjects}
		rbacv1.DefaultRoleBinding(b)
		return b
	}
	crb := func(ref rbacv1.RoleRef, subjects ...rbacv1.Subject) *rbacv1.ClusterRoleBinding {
		b := &rbacv1.ClusterRoleBinding{ObjectMeta: meta.ObjectMeta{Name: "b"}, RoleRef: ref, Subjects: subjects}
		rbacv1.DefaultClusterRoleBinding(b)
		return b
	}
	role := rbacv1.RoleRef{Kind: "Role", Name: "pod-reader"}
	user := rbacv1.Subject{Kind: "User", Name: "jane"}
	sa := rbacv1.Subject{Kind: "ServiceAccount", Name: "default"}
	tests := []struct {
		name string
		errs field.ErrorList
		want []fe
	}{
		{name: "role binding valid", errs: rbacv1.ValidateRoleBinding(rb(role, user, sa))},
		{name: "role binding bad kinds", errs: rbacv1.ValidateRoleBinding(rb(rbacv1.RoleRef{Kind: "Secret", Name: "x"}, rbacv1.Subject{Kind: "Robot", Name: "r"})),
			want: []fe{{field.ErrorTypeNotSupported, "roleRef.kind"}, {field.ErrorTypeNotSupported, "subjects[0].kind"}}},
		{name: "role binding wrong api group", errs: rbacv1.ValidateRoleBinding(rb(rbacv1.RoleRef{APIGroup: "apps", Kind: "Role", Name: "x"},
			rbacv1.Subject{Kind: "ServiceAccount", APIGroup: "rbac.authorization.k8s.io", Name: "Bad_Name"})),
			want: []fe{{field.ErrorTypeNotSupported, "roleRef.apiGroup"}, {field.ErrorTypeInvalid, "subjects[0].name"}, {field.ErrorTypeNotSupported, "subjects[0].apiGroup"}}},
		{name: "cluster role binding needs ClusterRole and SA namespace", errs: rbacv1.ValidateClusterRoleBinding(crb(role, sa, rbacv1.Subject{Kind: "Group"})),
			want: []fe{{field.ErrorTypeNotSupported, "roleRef.kind"}, {field.ErrorTypeRequired, "subjects[0].namespace"}, {field.ErrorTypeRequired, "subjects[1].name"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarize(tt.errs)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	old := rb(role, user)
	old.ResourceVersion = "1"
	n := old.DeepCopy()
	n.RoleRef.Name = "other"
	if diff := cmp.Diff([]fe{{field.ErrorTypeInvalid, "roleRef"}}, summarize(rbacv1.ValidateRoleBindingUpdate(n, old))); diff != "" {
		t.Errorf("roleRef change (-want +got):\n%s", diff)
	}
	n = old.DeepCopy()
	n.Subjects = append(n.Subjects, sa)
	if errs := rbacv1.ValidateRoleBindingUpdate(n, old); len(errs) > 0 {
		t.Errorf("subject change: %v", errs)
	}
}

func TestDefaults(t *testing.T) {
	s := runtime.NewScheme()
	if err := rbacv1.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	b := &rbacv1.ClusterRoleBinding{RoleRef: rbacv1.RoleRef{Kind: "ClusterRole", Name: "view"}, Subjects: []rbacv1.Subject{
		{Kind: "User", Name: "u"}, {Kind: "Group", Name: "g"}, {Kind: "ServiceAccount", Name: "s", Namespace: "d"},
	}}
	s.Default(b)
	want := &rbacv1.ClusterRoleBinding{RoleRef: rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "view"}, Subjects: []rbacv1.Subject{
		{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "u"}, {Kind: "Group", APIGroup: "rbac.authorization.k8s.io", Name: "g"},
		{Kind: "ServiceAccount", Name: "s", Namespace: "d"},
	}}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	again := b.DeepCopy()
	s.Default(again)
	if diff := cmp.Diff(b, again); diff != "" {
		t.Errorf("not idempotent:\n%s", diff)
	}
}

func TestTestdataValidatesAfterDefaulting(t *testing.T) {
	var files []string
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return nil
	})
	checked := 0
	for _, f := range files {
		docs, err := apitest.ReadManifests(f, "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			var errs field.ErrorList
			decode := func(o any) {
				if err := apitest.DecodeStrict(d.JSON, o); err != nil {
					t.Fatalf("%s document %d: %v", f, d.Index, err)
				}
			}
			ns := func(m *meta.ObjectMeta) {
				if m.Namespace == "" {
					m.Namespace = "default"
				}
			}
			switch d.Kind {
			case "Role":
				var o rbacv1.Role
				decode(&o)
				ns(&o.ObjectMeta)
				errs = rbacv1.ValidateRole(&o)
			case "ClusterRole":
				var o rbacv1.ClusterRole
				decode(&o)
				errs = rbacv1.ValidateClusterRole(&o)
			case "RoleBinding":
				var o rbacv1.RoleBinding
				decode(&o)
				ns(&o.ObjectMeta)
				rbacv1.DefaultRoleBinding(&o)
				errs = rbacv1.ValidateRoleBinding(&o)
			case "ClusterRoleBinding":
				var o rbacv1.ClusterRoleBinding
				decode(&o)
				rbacv1.DefaultClusterRoleBinding(&o)
				errs = rbacv1.ValidateClusterRoleBinding(&o)
			}
			checked++
			if len(errs) > 0 {
				t.Errorf("%s document %d (%s): %v", f, d.Index, d.Kind, errs.ToAggregate())
			}
		}
	}
	if checked < 6 {
		t.Errorf("checked %d documents, want at least 6", checked)
	}
	t.Logf("validated %d documents", checked)
}
