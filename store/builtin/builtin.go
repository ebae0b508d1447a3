package builtin

import (
	"fmt"
	"slices"
	"strings"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	rbacv1 "github.com/cellkit/cellkit/apimachinery/apis/rbac/v1"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/store"
)

// Indexed field names.
const (
	// PodNodeNameField is the field pods are indexed by, so that a node agent's or the
	// scheduler's "spec.nodeName=<node>" list and watch touch only that node's pods.
	PodNodeNameField = "spec.nodeName"
	// EventInvolvedObjectUIDField is the field events are indexed by, so that the events of one
	// object ("kubectl describe") are found without a scan.
	EventInvolvedObjectUIDField = "involvedObject.uid"
)

// CronJobNameMaxLength is the longest CronJob name Kubernetes accepts: the names of its jobs
// append 11 characters and must stay DNS-1035 labels of at most 63.
const CronJobNameMaxLength = 52

// extra is what this package adds to a built-in resource.
type extra struct {
	fields       func(runtime.MetaObject) fields.Set
	indexes      []string
	validateName validation.ValidateNameFunc
}

// fieldsOf adapts a typed field-set function; objects of another type get none (the store
// rejects them before it asks).
func fieldsOf[T runtime.MetaObject](f func(T) fields.Set) func(runtime.MetaObject) fields.Set {
	return func(obj runtime.MetaObject) fields.Set {
		t, ok := obj.(T)
		if !ok {
			return nil
		}
		return f(t)
	}
}

// extras returns the additions for the built-in resources, by group and resource.
func extras() map[schema.GroupResource]extra {
	core := func(r string) schema.GroupResource { return schema.GroupResource{Resource: r} }
	rbac := func(r string) schema.GroupResource { return schema.GroupResource{Group: rbacv1.GroupName, Resource: r} }
	return map[schema.GroupResource]extra{
		core("pods"):   {fields: fieldsOf(corev1.PodFields), indexes: []string{PodNodeNameField}},
		core("nodes"):  {fields: fieldsOf(corev1.NodeFields)},
		core("events"): {fields: fieldsOf(corev1.EventFields), indexes: []string{EventInvolvedObjectUIDField}},
		core("namespaces"): {fields: fieldsOf(corev1.NamespaceFields),
			validateName: validation.ValidateNamespaceName},
		core("secrets"): {fields: fieldsOf(corev1.SecretFields)},
		core("services"): {fields: fieldsOf(corev1.ServiceFields),
			validateName: validation.NameIsDNS1035Label},
		core("replicationcontrollers"):                     {fields: fieldsOf(corev1.ReplicationControllerFields)},
		{Group: appsv1.GroupName, Resource: "replicasets"}: {fields: fieldsOf(appsv1.ReplicaSetFields)},
		{Group: batchv1.GroupName, Resource: "jobs"}:       {fields: fieldsOf(batchv1.JobFields)},
		{Group: batchv1.GroupName, Resource: "cronjobs"}:   {validateName: ValidateCronJobName},
		rbac("roles"):               {validateName: ValidatePathSegmentName},
		rbac("clusterroles"):        {validateName: ValidatePathSegmentName},
		rbac("rolebindings"):        {validateName: ValidatePathSegmentName},
		rbac("clusterrolebindings"): {validateName: ValidatePathSegmentName},
	}
}

// Resources returns the store resource of every resource in s that holds objects (it serves
// get and list), in the preferred version of its group, sorted by group and resource. Built-in
// resources carry their field sets, indexes and name rules. It fails when a resource's kind is
// not a runtime.MetaObject.
func Resources(s *runtime.Scheme) ([]store.Resource, error) {
	if s == nil {
		return nil, fmt.Errorf("builtin: resources: scheme is nil")
	}
	ex := extras()
	var out []store.Resource
	seen := map[schema.GroupResource]bool{}
	// s.Resources is sorted by group, then version priority, so the first version of a
	// resource seen is its preferred one.
	for _, info := range s.Resources() {
		gr := info.GroupResource()
		if seen[gr] || !info.HasVerb("get") || !info.HasVerb("list") {
			continue
		}
		seen[gr] = true
		gvk := info.GroupVersionKind()
		obj, err := s.New(gvk)
		if err != nil {
			return nil, fmt.Errorf("builtin: resources: %s: %w", gr.String(), err)
		}
		if _, ok := obj.(runtime.MetaObject); !ok {
			return nil, fmt.Errorf("builtin: resources: %s: kind %v (%T) has no object metadata", gr.String(), gvk, obj)
		}
		r := store.Resource{
			GroupResource: gr,
			Kind:          gvk,
			Namespaced:    info.Namespaced,
			New: func() runtime.MetaObject {
				// The kind was registered and checked above, and registrations are never
				// removed, so New cannot fail here.
				o, _ := s.New(gvk)
				return o.(runtime.MetaObject)
			},
		}
		if e, ok := ex[gr]; ok {
			r.Fields = e.fields
			r.Indexes = append([]string(nil), e.indexes...)
			r.ValidateName = e.validateName
		}
		out = append(out, r)
	}
	return out, nil
}

// FieldLabels returns, sorted, the field labels r's field selectors accept: metadata.name and
// metadata.namespace, which every resource offers, and the keys of r.Fields (the built-in field
// sets have the same keys for every object, so those of a new object are all of them). A
// server answers a selector on any other label with 400 ("field label not supported"), as
// kube-apiserver does.
func FieldLabels(r store.Resource) []string {
	labels := []string{fields.MetadataName, fields.MetadataNamespace}
	if r.Fields != nil && r.New != nil {
		for k := range r.Fields(r.New()) {
			if !slices.Contains(labels, k) {
				labels = append(labels, k)
			}
		}
	}
	slices.Sort(labels)
	return labels
}

// ValidatePathSegmentName checks a name that must only be usable as one segment of a URL
// path, the rule of RBAC roles and bindings ("system:controller:job-controller" is valid): it
// may not be "." or "..", and may not contain "/" or "%". A generateName prefix may be "." or
// "..", since generation appends to it.
func ValidatePathSegmentName(name string, prefix bool) []string {
	if !prefix && (name == "." || name == "..") {
		return []string{fmt.Sprintf("may not be '%s'", name)}
	}
	var errs []string
	for _, bad := range []string{"/", "%"} {
		if strings.Contains(name, bad) {
			errs = append(errs, fmt.Sprintf("may not contain '%s'", bad))
		}
	}
	return errs
}

// ValidateCronJobName checks a CronJob name: a DNS-1123 subdomain of at most
// CronJobNameMaxLength characters. A generateName prefix leaves room for the five characters
// generation appends.
func ValidateCronJobName(name string, prefix bool) []string {
	errs := validation.NameIsDNSSubdomain(name, prefix)
	limit := CronJobNameMaxLength
	if prefix {
		limit -= 5
	}
	if len(name) > limit {
		errs = append(errs, fmt.Sprintf("must be no more than %d characters", limit))
	}
	return errs
}
