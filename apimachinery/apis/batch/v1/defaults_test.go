package v1_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

func TestDefaultJob(t *testing.T) {
	tmpl := jobTemplate()
	tmplDefaulted := jobTemplate()
	corev1.DefaultPodTemplateSpec(&tmplDefaulted)
	tests := []struct {
		name string
		in   batchv1.JobSpec
		want batchv1.JobSpec
	}{
		{
			name: "all unset",
			in:   batchv1.JobSpec{Template: tmpl},
			want: batchv1.JobSpec{
				Parallelism: ptr(int32(1)), Completions: ptr(int32(1)), BackoffLimit: ptr(int32(6)),
				CompletionMode: ptr(batchv1.NonIndexedCompletion), Suspend: ptr(false),
				PodReplacementPolicy: ptr(batchv1.TerminatingOrFailed), Template: tmplDefaulted,
			},
		},
		{
			name: "completions set keeps parallelism 1",
			in:   batchv1.JobSpec{Completions: ptr(int32(5)), Template: tmpl},
			want: batchv1.JobSpec{
				Parallelism: ptr(int32(1)), Completions: ptr(int32(5)), BackoffLimit: ptr(int32(6)),
				CompletionMode: ptr(batchv1.NonIndexedCompletion), Suspend: ptr(false),
				PodReplacementPolicy: ptr(batchv1.TerminatingOrFailed), Template: tmplDefaulted,
			},
		},
		{
			name: "parallelism set leaves completions unset (work queue)",
			in:   batchv1.JobSpec{Parallelism: ptr(int32(4)), Template: tmpl},
			want: batchv1.JobSpec{
				Parallelism: ptr(int32(4)), BackoffLimit: ptr(int32(6)),
				CompletionMode: ptr(batchv1.NonIndexedCompletion), Suspend: ptr(false),
				PodReplacementPolicy: ptr(batchv1.TerminatingOrFailed), Template: tmplDefaulted,
			},
		},
		{
			name: "per-index backoff and failure policy",
			in: batchv1.JobSpec{BackoffLimitPerIndex: ptr(int32(1)), Template: tmpl, PodFailurePolicy: &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{
				Action: batchv1.PodFailurePolicyActionIgnore, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget}},
			}}}},
			want: batchv1.JobSpec{
				Parallelism: ptr(int32(1)), Completions: ptr(int32(1)), BackoffLimit: ptr(int32(math.MaxInt32)), BackoffLimitPerIndex: ptr(int32(1)),
				CompletionMode: ptr(batchv1.NonIndexedCompletion), Suspend: ptr(false),
				PodReplacementPolicy: ptr(batchv1.Failed), Template: tmplDefaulted,
				PodFailurePolicy: &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{
					Action: batchv1.PodFailurePolicyActionIgnore, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}},
				}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &batchv1.Job{Spec: *tt.in.DeepCopy()}
			batchv1.DefaultJob(j)
			if diff := cmp.Diff(tt.want, j.Spec); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]string{"job": "pi"}, j.Labels); diff != "" {
				t.Errorf("labels from template (-want +got):\n%s", diff)
			}
			again := j.DeepCopy()
			batchv1.DefaultJob(again)
			if diff := cmp.Diff(j, again); diff != "" {
				t.Errorf("not idempotent (-once +twice):\n%s", diff)
			}
		})
	}
}

func TestDefaultCronJob(t *testing.T) {
	c := &batchv1.CronJob{ObjectMeta: meta.ObjectMeta{Name: "c"}, Spec: batchv1.CronJobSpec{Schedule: "@daily", JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: jobTemplate()}}}}
	batchv1.DefaultCronJob(c)
	tmplDefaulted := jobTemplate()
	corev1.DefaultPodTemplateSpec(&tmplDefaulted)
	want := batchv1.CronJobSpec{
		Schedule: "@daily", ConcurrencyPolicy: batchv1.AllowConcurrent, Suspend: ptr(false),
		SuccessfulJobsHistoryLimit: ptr(int32(3)), FailedJobsHistoryLimit: ptr(int32(1)),
		JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: tmplDefaulted}},
	}
	if diff := cmp.Diff(want, c.Spec); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	again := c.DeepCopy()
	batchv1.DefaultCronJob(again)
	if diff := cmp.Diff(c, again); diff != "" {
		t.Errorf("not idempotent (-once +twice):\n%s", diff)
	}
}

func TestRegisterDefaults(t *testing.T) {
	s := runtime.NewScheme()
	if err := batchv1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	if err := batchv1.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	l := &batchv1.CronJobList{Items: []batchv1.CronJob{{}}}
	if !s.Default(l) {
		t.Fatal("no defaulting func for CronJobList")
	}
	if l.Items[0].Spec.ConcurrencyPolicy != batchv1.AllowConcurrent {
		t.Errorf("cron job not defaulted: %+v", l.Items[0].Spec)
	}
	j := &batchv1.Job{}
	s.Default(j)
	if j.Spec.BackoffLimit == nil || *j.Spec.BackoffLimit != 6 {
		t.Errorf("job not defaulted: %+v", j.Spec)
	}
}
