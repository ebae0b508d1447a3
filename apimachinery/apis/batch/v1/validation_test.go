package v1_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
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

func jobTemplate() corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"job": "pi"}},
		Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: "pi", Image: "perl:5.34"}},
		},
	}
}

func job() *batchv1.Job {
	j := &batchv1.Job{ObjectMeta: meta.ObjectMeta{Name: "pi", Namespace: "default"}, Spec: batchv1.JobSpec{Template: jobTemplate()}}
	batchv1.DefaultJob(j)
	return j
}

func TestValidateJob(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*batchv1.Job)
		want   []fe
	}{
		{name: "valid", mutate: func(*batchv1.Job) {}},
		{name: "restart policy Always", mutate: func(j *batchv1.Job) { j.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyAlways },
			want: []fe{nsup("spec.template.spec.restartPolicy")}},
		{name: "negative counts", mutate: func(j *batchv1.Job) {
			j.Spec.Parallelism, j.Spec.Completions, j.Spec.BackoffLimit = ptr(int32(-1)), ptr(int32(-1)), ptr(int32(-1))
		}, want: []fe{inv("spec.parallelism"), inv("spec.completions"), inv("spec.backoffLimit")}},
		{name: "name too long for a label", mutate: func(j *batchv1.Job) { j.Name = strings.Repeat("a", 64) },
			want: []fe{inv("metadata.name")}},
		{name: "manual selector required", mutate: func(j *batchv1.Job) { j.Spec.ManualSelector = ptr(true) },
			want: []fe{req("spec.selector")}},
		{name: "selector must match", mutate: func(j *batchv1.Job) {
			j.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"job": "other"}}
		}, want: []fe{inv("spec.template.metadata.labels")}},
		{name: "indexed needs completions", mutate: func(j *batchv1.Job) {
			j.Spec.CompletionMode = ptr(batchv1.IndexedCompletion)
			j.Spec.Completions = nil
		}, want: []fe{req("spec.completions")}},
		{name: "per-index backoff needs indexed", mutate: func(j *batchv1.Job) { j.Spec.BackoffLimitPerIndex = ptr(int32(1)) },
			want: []fe{inv("spec.backoffLimitPerIndex")}},
		{name: "unknown completion mode", mutate: func(j *batchv1.Job) { j.Spec.CompletionMode = ptr(batchv1.CompletionMode("Sparse")) },
			want: []fe{nsup("spec.completionMode")}},
		{name: "pod failure policy", mutate: func(j *batchv1.Job) {
			j.Spec.PodReplacementPolicy = ptr(batchv1.Failed)
			j.Spec.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
				{Action: batchv1.PodFailurePolicyActionFailJob, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
					ContainerName: ptr("nope"), Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{0, 3, 3},
				}},
				{Action: "Retry"},
				{Action: batchv1.PodFailurePolicyActionFailIndex, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget, Status: "Maybe"}}},
			}}
		}, want: []fe{
			inv("spec.podFailurePolicy.rules[0].onExitCodes.containerName"),
			inv("spec.podFailurePolicy.rules[0].onExitCodes.values[0]"),
			{field.ErrorTypeDuplicate, "spec.podFailurePolicy.rules[0].onExitCodes.values[2]"},
			nsup("spec.podFailurePolicy.rules[1].action"), inv("spec.podFailurePolicy.rules[1]"),
			forb("spec.podFailurePolicy.rules[2].action"), nsup("spec.podFailurePolicy.rules[2].onPodConditions[0].status"),
		}},
		{name: "pod failure policy needs Never", mutate: func(j *batchv1.Job) {
			j.Spec.PodReplacementPolicy = ptr(batchv1.Failed)
			j.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
			j.Spec.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{
				Action: batchv1.PodFailurePolicyActionIgnore, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}},
			}}}
		}, want: []fe{inv("spec.template.spec.restartPolicy")}},
		{name: "success policy", mutate: func(j *batchv1.Job) {
			j.Spec.CompletionMode = ptr(batchv1.IndexedCompletion)
			j.Spec.Completions = ptr(int32(5))
			j.Spec.SuccessPolicy = &batchv1.SuccessPolicy{Rules: []batchv1.SuccessPolicyRule{
				{SucceededIndexes: ptr("0,2-4")}, {SucceededIndexes: ptr("3,1")}, {SucceededCount: ptr(int32(6))}, {},
			}}
		}, want: []fe{
			inv("spec.successPolicy.rules[1].succeededIndexes"), inv("spec.successPolicy.rules[2].succeededCount"), req("spec.successPolicy.rules[3]"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := job()
			tt.mutate(j)
			if diff := cmp.Diff(tt.want, summarize(batchv1.ValidateJob(j))); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, batchv1.ValidateJob(j))
			}
		})
	}
}

func TestValidateJobUpdate(t *testing.T) {
	base := func() *batchv1.Job {
		j := job()
		j.ResourceVersion = "1"
		j.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"job": "pi"}}
		return j
	}
	tests := []struct {
		name   string
		old    func(*batchv1.Job)
		mutate func(*batchv1.Job)
		want   []fe
	}{
		{name: "parallelism may change", mutate: func(j *batchv1.Job) { j.Spec.Parallelism = ptr(int32(3)) }},
		{name: "suspend may change", mutate: func(j *batchv1.Job) { j.Spec.Suspend = ptr(true) }},
		{name: "selector immutable", mutate: func(j *batchv1.Job) {
			j.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"job": "pi", "x": "y"}}
			j.Spec.Template.Labels["x"] = "y"
		}, want: []fe{inv("spec.selector"), inv("spec.template")}},
		{name: "completions immutable", mutate: func(j *batchv1.Job) { j.Spec.Completions = ptr(int32(4)) }, want: []fe{inv("spec.completions")}},
		{name: "template immutable", mutate: func(j *batchv1.Job) { j.Spec.Template.Spec.Containers[0].Image = "perl:6" }, want: []fe{inv("spec.template")}},
		{name: "suspended job that never started may change scheduling directives",
			old:    func(j *batchv1.Job) { j.Spec.Suspend = ptr(true) },
			mutate: func(j *batchv1.Job) { j.Spec.Template.Spec.NodeSelector = map[string]string{"zone": "a"} }},
		{name: "elastic indexed job may change completions with parallelism",
			old: func(j *batchv1.Job) {
				j.Spec.CompletionMode = ptr(batchv1.IndexedCompletion)
				j.Spec.Completions, j.Spec.Parallelism = ptr(int32(3)), ptr(int32(3))
			},
			mutate: func(j *batchv1.Job) { j.Spec.Completions, j.Spec.Parallelism = ptr(int32(5)), ptr(int32(5)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := base()
			if tt.old != nil {
				tt.old(old)
			}
			n := old.DeepCopy()
			tt.mutate(n)
			if diff := cmp.Diff(tt.want, summarize(batchv1.ValidateJobUpdate(n, old))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func cronJob() *batchv1.CronJob {
	c := &batchv1.CronJob{
		ObjectMeta: meta.ObjectMeta{Name: "hello", Namespace: "default"},
		Spec:       batchv1.CronJobSpec{Schedule: "*/5 * * * *", JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: jobTemplate()}}},
	}
	batchv1.DefaultCronJob(c)
	return c
}

func TestValidateCronJob(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*batchv1.CronJob)
		want   []fe
	}{
		{name: "valid", mutate: func(*batchv1.CronJob) {}},
		{name: "valid with time zone", mutate: func(c *batchv1.CronJob) { c.Spec.TimeZone = ptr("Europe/Berlin") }},
		{name: "schedule required", mutate: func(c *batchv1.CronJob) { c.Spec.Schedule = "" }, want: []fe{req("spec.schedule")}},
		{name: "schedule unparsable", mutate: func(c *batchv1.CronJob) { c.Spec.Schedule = "61 * * * *" }, want: []fe{inv("spec.schedule")}},
		{name: "TZ in schedule", mutate: func(c *batchv1.CronJob) { c.Spec.Schedule = "TZ=UTC * * * * *" }, want: []fe{inv("spec.schedule")}},
		{name: "bad time zone", mutate: func(c *batchv1.CronJob) { c.Spec.TimeZone = ptr("Mars/Olympus") }, want: []fe{inv("spec.timeZone")}},
		{name: "local time zone", mutate: func(c *batchv1.CronJob) { c.Spec.TimeZone = ptr("Local") }, want: []fe{inv("spec.timeZone")}},
		{name: "name too long", mutate: func(c *batchv1.CronJob) { c.Name = strings.Repeat("c", 53) }, want: []fe{inv("metadata.name")}},
		{name: "policy and limits", mutate: func(c *batchv1.CronJob) {
			c.Spec.ConcurrencyPolicy = "Sometimes"
			c.Spec.SuccessfulJobsHistoryLimit = ptr(int32(-1))
			c.Spec.StartingDeadlineSeconds = ptr(int64(-5))
		}, want: []fe{inv("spec.startingDeadlineSeconds"), nsup("spec.concurrencyPolicy"), inv("spec.successfulJobsHistoryLimit")}},
		{name: "job template restart policy", mutate: func(c *batchv1.CronJob) {
			c.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyAlways
		}, want: []fe{nsup("spec.jobTemplate.spec.template.spec.restartPolicy")}},
		{name: "manual selector forbidden", mutate: func(c *batchv1.CronJob) {
			c.Spec.JobTemplate.Spec.ManualSelector = ptr(true)
			c.Spec.JobTemplate.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"job": "pi"}}
		}, want: []fe{forb("spec.jobTemplate.spec.manualSelector")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cronJob()
			tt.mutate(c)
			if diff := cmp.Diff(tt.want, summarize(batchv1.ValidateCronJob(c))); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, batchv1.ValidateCronJob(c))
			}
		})
	}
}

func TestTestdataValidatesAfterDefaulting(t *testing.T) {
	docs, err := apitest.ReadManifests("testdata/batch.yaml", "Job", "CronJob")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 3 {
		t.Fatalf("%d documents", len(docs))
	}
	for _, d := range docs {
		var errs field.ErrorList
		switch d.Kind {
		case "Job":
			var j batchv1.Job
			if err := apitest.DecodeStrict(d.JSON, &j); err != nil {
				t.Fatal(err)
			}
			if j.Namespace == "" {
				j.Namespace = "default"
			}
			batchv1.DefaultJob(&j)
			errs = batchv1.ValidateJob(&j)
		case "CronJob":
			var c batchv1.CronJob
			if err := apitest.DecodeStrict(d.JSON, &c); err != nil {
				t.Fatal(err)
			}
			if c.Namespace == "" {
				c.Namespace = "default"
			}
			batchv1.DefaultCronJob(&c)
			errs = batchv1.ValidateCronJob(&c)
		}
		if len(errs) > 0 {
			t.Errorf("document %d (%s): %v", d.Index, d.Kind, errs.ToAggregate())
		}
	}
}
