package v1_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
	"github.com/cellkit/cellkit/internal/apitest"
)

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

func req(f string) fe  { return fe{field.ErrorTypeRequired, f} }
func inv(f string) fe  { return fe{field.ErrorTypeInvalid, f} }
func nsup(f string) fe { return fe{field.ErrorTypeNotSupported, f} }
func forb(f string) fe { return fe{field.ErrorTypeForbidden, f} }

func template() corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
	}
}

func selector() *meta.LabelSelector {
	return &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
}

func objMeta() meta.ObjectMeta { return meta.ObjectMeta{Name: "web", Namespace: "default"} }

func deployment() *appsv1.Deployment {
	d := &appsv1.Deployment{ObjectMeta: objMeta(), Spec: appsv1.DeploymentSpec{Selector: selector(), Template: template()}}
	appsv1.DefaultDeployment(d)
	return d
}

func TestValidateDeployment(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*appsv1.Deployment)
		want   []fe
	}{
		{name: "valid", mutate: func(*appsv1.Deployment) {}},
		{name: "selector required", mutate: func(d *appsv1.Deployment) { d.Spec.Selector = nil }, want: []fe{req("spec.selector")}},
		{name: "empty selector", mutate: func(d *appsv1.Deployment) { d.Spec.Selector = &meta.LabelSelector{} }, want: []fe{inv("spec.selector")}},
		{name: "selector does not match template", mutate: func(d *appsv1.Deployment) { d.Spec.Template.Labels = map[string]string{"app": "api"} },
			want: []fe{inv("spec.template.metadata.labels")}},
		{name: "negative replicas and history", mutate: func(d *appsv1.Deployment) {
			d.Spec.Replicas = ptr(int32(-1))
			d.Spec.RevisionHistoryLimit = ptr(int32(-2))
		}, want: []fe{inv("spec.replicas"), inv("spec.revisionHistoryLimit")}},
		{name: "surge and unavailable both zero", mutate: func(d *appsv1.Deployment) {
			d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxSurge: ptr(intstr.FromString("0%")), MaxUnavailable: ptr(intstr.FromInt32(0))}
		}, want: []fe{inv("spec.strategy.rollingUpdate.maxUnavailable")}},
		{name: "bad percentages", mutate: func(d *appsv1.Deployment) {
			d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxSurge: ptr(intstr.FromString("x%")), MaxUnavailable: ptr(intstr.FromString("120%"))}
		}, want: []fe{inv("spec.strategy.rollingUpdate.maxSurge"), inv("spec.strategy.rollingUpdate.maxUnavailable")}},
		{name: "recreate with rolling update", mutate: func(d *appsv1.Deployment) { d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType },
			want: []fe{forb("spec.strategy.rollingUpdate")}},
		{name: "unknown strategy", mutate: func(d *appsv1.Deployment) { d.Spec.Strategy.Type = "BlueGreen" }, want: []fe{nsup("spec.strategy.type")}},
		{name: "progress deadline not above min ready", mutate: func(d *appsv1.Deployment) { d.Spec.MinReadySeconds = 600 },
			want: []fe{inv("spec.progressDeadlineSeconds")}},
		{name: "template restart policy", mutate: func(d *appsv1.Deployment) { d.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure },
			want: []fe{nsup("spec.template.spec.restartPolicy")}},
		{name: "template container image", mutate: func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "" },
			want: []fe{req("spec.template.spec.containers[0].image")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := deployment()
			tt.mutate(d)
			if diff := cmp.Diff(tt.want, summarize(appsv1.ValidateDeployment(d))); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, appsv1.ValidateDeployment(d))
			}
		})
	}
}

func TestSelectorMismatchMessage(t *testing.T) {
	d := deployment()
	d.Spec.Template.Spec.Containers[0].Image = ""
	d.Spec.Template.Labels = map[string]string{"app": "api"}
	var got []string
	for _, e := range appsv1.ValidateDeployment(d) {
		got = append(got, e.Error())
	}
	want := []string{
		`spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: ` + "`selector` does not match template `labels`",
		"spec.template.spec.containers[0].image: Required value",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestValidateUpdates(t *testing.T) {
	changeSel := &meta.LabelSelector{MatchLabels: map[string]string{"app": "web", "tier": "x"}}
	tmplX := template()
	tmplX.Labels["tier"] = "x"
	corev1.DefaultPodTemplateSpec(&tmplX)

	od := deployment()
	od.ResourceVersion = "1"
	nd := od.DeepCopy()
	nd.Spec.Selector, nd.Spec.Template = changeSel, tmplX
	if diff := cmp.Diff([]fe{inv("spec.selector")}, summarize(appsv1.ValidateDeploymentUpdate(nd, od))); diff != "" {
		t.Errorf("deployment selector change (-want +got):\n%s", diff)
	}
	nd = od.DeepCopy()
	nd.Spec.Replicas = ptr(int32(9))
	nd.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"
	if errs := appsv1.ValidateDeploymentUpdate(nd, od); len(errs) > 0 {
		t.Errorf("deployment scale and image change: %v", errs)
	}

	ors := &appsv1.ReplicaSet{ObjectMeta: objMeta(), Spec: appsv1.ReplicaSetSpec{Selector: selector(), Template: template()}}
	appsv1.DefaultReplicaSet(ors)
	ors.ResourceVersion = "1"
	nrs := ors.DeepCopy()
	nrs.Spec.Selector, nrs.Spec.Template = changeSel, tmplX
	if diff := cmp.Diff([]fe{inv("spec.selector")}, summarize(appsv1.ValidateReplicaSetUpdate(nrs, ors))); diff != "" {
		t.Errorf("replicaset selector change (-want +got):\n%s", diff)
	}

	ods := &appsv1.DaemonSet{ObjectMeta: objMeta(), Spec: appsv1.DaemonSetSpec{Selector: selector(), Template: template()}}
	appsv1.DefaultDaemonSet(ods)
	ods.ResourceVersion = "1"
	nds := ods.DeepCopy()
	nds.Spec.Selector, nds.Spec.Template = changeSel, tmplX
	if diff := cmp.Diff([]fe{inv("spec.selector")}, summarize(appsv1.ValidateDaemonSetUpdate(nds, ods))); diff != "" {
		t.Errorf("daemonset selector change (-want +got):\n%s", diff)
	}

	oss := statefulSet()
	oss.ResourceVersion = "1"
	nss := oss.DeepCopy()
	nss.Spec.Replicas = ptr(int32(5))
	nss.Spec.Template.Spec.Containers[0].Image = "db:2"
	if errs := appsv1.ValidateStatefulSetUpdate(nss, oss); len(errs) > 0 {
		t.Errorf("statefulset allowed changes: %v", errs)
	}
	nss = oss.DeepCopy()
	nss.Spec.ServiceName = "other"
	if diff := cmp.Diff([]fe{forb("spec")}, summarize(appsv1.ValidateStatefulSetUpdate(nss, oss))); diff != "" {
		t.Errorf("statefulset service name change (-want +got):\n%s", diff)
	}
}

func statefulSet() *appsv1.StatefulSet {
	ss := &appsv1.StatefulSet{ObjectMeta: objMeta(), Spec: appsv1.StatefulSetSpec{
		Selector: selector(), Template: template(), ServiceName: "web",
		VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{
			ObjectMeta: meta.ObjectMeta{Name: "data"},
			Spec: corev1.PersistentVolumeClaimSpec{
				AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
			},
		}},
	}}
	appsv1.DefaultStatefulSet(ss)
	return ss
}

func TestValidateDaemonSetAndStatefulSet(t *testing.T) {
	tests := []struct {
		name string
		errs field.ErrorList
		want []fe
	}{
		{name: "daemonset valid", errs: appsv1.ValidateDaemonSet(func() *appsv1.DaemonSet {
			ds := &appsv1.DaemonSet{ObjectMeta: objMeta(), Spec: appsv1.DaemonSetSpec{Selector: selector(), Template: template()}}
			appsv1.DefaultDaemonSet(ds)
			return ds
		}())},
		{name: "daemonset zero budget and bad type", errs: appsv1.ValidateDaemonSet(func() *appsv1.DaemonSet {
			ds := &appsv1.DaemonSet{ObjectMeta: objMeta(), Spec: appsv1.DaemonSetSpec{Selector: selector(), Template: template()}}
			appsv1.DefaultDaemonSet(ds)
			ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = ptr(intstr.FromInt32(0))
			return ds
		}()), want: []fe{inv("spec.updateStrategy.rollingUpdate.maxUnavailable")}},
		{name: "daemonset rolling update without budgets (not defaulted)", errs: appsv1.ValidateDaemonSet(func() *appsv1.DaemonSet {
			ds := &appsv1.DaemonSet{ObjectMeta: objMeta(), Spec: appsv1.DaemonSetSpec{Selector: selector(), Template: template()}}
			appsv1.DefaultDaemonSet(ds)
			ds.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{}
			return ds
		}()), want: []fe{inv("spec.updateStrategy.rollingUpdate.maxUnavailable")}},
		{name: "daemonset strategy type", errs: appsv1.ValidateDaemonSet(func() *appsv1.DaemonSet {
			ds := &appsv1.DaemonSet{ObjectMeta: objMeta(), Spec: appsv1.DaemonSetSpec{Selector: selector(), Template: template()}}
			appsv1.DefaultDaemonSet(ds)
			ds.Spec.UpdateStrategy.Type = "Surge"
			return ds
		}()), want: []fe{nsup("spec.updateStrategy.type")}},
		{name: "statefulset valid", errs: appsv1.ValidateStatefulSet(statefulSet())},
		{name: "statefulset policies and claims", errs: appsv1.ValidateStatefulSet(func() *appsv1.StatefulSet {
			ss := statefulSet()
			ss.Spec.PodManagementPolicy = "Random"
			ss.Spec.UpdateStrategy.RollingUpdate.Partition = ptr(int32(-1))
			ss.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled = "Keep"
			ss.Spec.VolumeClaimTemplates[0].Spec.AccessModes = nil
			return ss
		}()), want: []fe{
			nsup("spec.podManagementPolicy"), inv("spec.updateStrategy.rollingUpdate.partition"),
			req("spec.volumeClaimTemplates[0].spec.accessModes"), nsup("spec.persistentVolumeClaimRetentionPolicy.whenScaled"),
		}},
		{name: "statefulset mounts claim templates by name", errs: appsv1.ValidateStatefulSet(func() *appsv1.StatefulSet {
			ss := statefulSet()
			ss.Spec.Template.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "data", MountPath: "/data"}, {Name: "logs", MountPath: "/logs"}}
			return ss
		}()), want: []fe{{field.ErrorTypeNotFound, "spec.template.spec.containers[0].volumeMounts[1].name"}}},
		{name: "replicaset selector mismatch", errs: appsv1.ValidateReplicaSet(&appsv1.ReplicaSet{ObjectMeta: objMeta(), Spec: appsv1.ReplicaSetSpec{
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "x"}}, Template: func() corev1.PodTemplateSpec {
				t := template()
				corev1.DefaultPodTemplateSpec(&t)
				return t
			}(),
		}}), want: []fe{inv("spec.template.metadata.labels")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarize(tt.errs)); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, tt.errs)
			}
		})
	}
}

// Every apps/v1 object in testdata validates after defaulting (namespaced objects without a
// namespace get "default", as the API server gives them from the request path).
func TestTestdataValidatesAfterDefaulting(t *testing.T) {
	var files []string
	_ = filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	checked := 0
	for _, f := range files {
		docs, err := apitest.ReadManifests(f, "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			var errs field.ErrorList
			decode := func(o any, m *meta.ObjectMeta) bool {
				if err := apitest.DecodeStrict(d.JSON, o); err != nil {
					if strings.Contains(err.Error(), "unknown field") {
						t.Logf("skipping %s document %d: the types lack a field it uses: %v", f, d.Index, err)
						return false
					}
					t.Fatalf("%s document %d: %v", f, d.Index, err)
				}
				if m.Namespace == "" {
					m.Namespace = "default"
				}
				return true
			}
			switch d.Kind {
			case "Deployment":
				var o appsv1.Deployment
				if !decode(&o, &o.ObjectMeta) {
					continue
				}
				appsv1.DefaultDeployment(&o)
				errs = appsv1.ValidateDeployment(&o)
			case "ReplicaSet":
				var o appsv1.ReplicaSet
				if !decode(&o, &o.ObjectMeta) {
					continue
				}
				appsv1.DefaultReplicaSet(&o)
				errs = appsv1.ValidateReplicaSet(&o)
			case "DaemonSet":
				var o appsv1.DaemonSet
				if !decode(&o, &o.ObjectMeta) {
					continue
				}
				appsv1.DefaultDaemonSet(&o)
				errs = appsv1.ValidateDaemonSet(&o)
			case "StatefulSet":
				var o appsv1.StatefulSet
				if !decode(&o, &o.ObjectMeta) {
					continue
				}
				appsv1.DefaultStatefulSet(&o)
				errs = appsv1.ValidateStatefulSet(&o)
			case "ControllerRevision":
				var o appsv1.ControllerRevision
				if !decode(&o, &o.ObjectMeta) {
					continue
				}
				errs = appsv1.ValidateControllerRevision(&o)
			}
			checked++
			if len(errs) > 0 {
				t.Errorf("%s document %d (%s): %v", f, d.Index, d.Kind, errs.ToAggregate())
			}
		}
	}
	if checked < 15 {
		t.Errorf("validated %d documents, want at least 15", checked)
	}
	t.Logf("validated %d documents", checked)
}
