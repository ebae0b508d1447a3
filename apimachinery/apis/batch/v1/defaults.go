package v1

import (
	"math"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Defaulting: DefaultJob and DefaultCronJob fill what a user may leave out with the values the
// Kubernetes API server stores for batch/v1 (facts from the Kubernetes API reference and
// k8s.io/kubernetes/pkg/apis/batch/v1 defaults), and default pod templates as core/v1 does.
// They only set unset fields, so applying them twice equals applying them once; a nil object
// is left alone.

// Default values of batch/v1 objects.
const (
	// DefaultBackoffLimit is the number of retries of a Job that sets none (and no per-index
	// limit).
	DefaultBackoffLimit int32 = 6
	// DefaultSuccessfulJobsHistoryLimit and DefaultFailedJobsHistoryLimit are how many
	// finished Jobs a CronJob keeps.
	DefaultSuccessfulJobsHistoryLimit int32 = 3
	DefaultFailedJobsHistoryLimit     int32 = 1
)

func ptrTo[T any](v T) *T { return &v }

// RegisterDefaults registers DefaultJob and DefaultCronJob with s, for the kinds and every
// item of their lists.
func RegisterDefaults(s *runtime.Scheme) error {
	regs := []struct {
		obj runtime.Object
		fn  func(runtime.Object)
	}{
		{&Job{}, func(o runtime.Object) { DefaultJob(o.(*Job)) }},
		{&JobList{}, func(o runtime.Object) {
			for i := range o.(*JobList).Items {
				DefaultJob(&o.(*JobList).Items[i])
			}
		}},
		{&CronJob{}, func(o runtime.Object) { DefaultCronJob(o.(*CronJob)) }},
		{&CronJobList{}, func(o runtime.Object) {
			for i := range o.(*CronJobList).Items {
				DefaultCronJob(&o.(*CronJobList).Items[i])
			}
		}},
	}
	for _, r := range regs {
		if err := s.AddDefaultingFunc(r.obj, r.fn); err != nil {
			return err
		}
	}
	return nil
}

// DefaultJob sets completions and parallelism to 1 when both are unset (parallelism alone to 1
// otherwise), backoffLimit 6 (the largest int32 with a per-index limit), completionMode
// NonIndexed, suspend false, podReplacementPolicy TerminatingOrFailed (Failed with a pod failure
// policy), the status True of pod-condition rules, the Job's labels from the template's when it
// has none, and defaults the pod template.
func DefaultJob(j *Job) {
	if j == nil {
		return
	}
	s := &j.Spec
	if s.Completions == nil && s.Parallelism == nil {
		s.Completions = ptrTo(int32(1))
		s.Parallelism = ptrTo(int32(1))
	}
	if s.Parallelism == nil {
		s.Parallelism = ptrTo(int32(1))
	}
	if s.BackoffLimit == nil {
		if s.BackoffLimitPerIndex != nil {
			s.BackoffLimit = ptrTo(int32(math.MaxInt32))
		} else {
			s.BackoffLimit = ptrTo(DefaultBackoffLimit)
		}
	}
	if s.CompletionMode == nil {
		s.CompletionMode = ptrTo(NonIndexedCompletion)
	}
	if s.Suspend == nil {
		s.Suspend = ptrTo(false)
	}
	if s.PodReplacementPolicy == nil {
		if s.PodFailurePolicy != nil {
			s.PodReplacementPolicy = ptrTo(Failed)
		} else {
			s.PodReplacementPolicy = ptrTo(TerminatingOrFailed)
		}
	}
	if s.PodFailurePolicy != nil {
		for i := range s.PodFailurePolicy.Rules {
			for k := range s.PodFailurePolicy.Rules[i].OnPodConditions {
				c := &s.PodFailurePolicy.Rules[i].OnPodConditions[k]
				if c.Status == "" {
					c.Status = corev1.ConditionTrue
				}
			}
		}
	}
	if len(j.Labels) == 0 && len(s.Template.Labels) > 0 {
		j.Labels = make(map[string]string, len(s.Template.Labels))
		for k, v := range s.Template.Labels {
			j.Labels[k] = v
		}
	}
	corev1.DefaultPodTemplateSpec(&s.Template)
}

// DefaultCronJob sets concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit 3 and
// failedJobsHistoryLimit 1, and defaults the job template's pod template. (As in Kubernetes,
// the job template's own spec is defaulted when a Job is created from it, not here.)
func DefaultCronJob(c *CronJob) {
	if c == nil {
		return
	}
	s := &c.Spec
	if s.ConcurrencyPolicy == "" {
		s.ConcurrencyPolicy = AllowConcurrent
	}
	if s.Suspend == nil {
		s.Suspend = ptrTo(false)
	}
	if s.SuccessfulJobsHistoryLimit == nil {
		s.SuccessfulJobsHistoryLimit = ptrTo(DefaultSuccessfulJobsHistoryLimit)
	}
	if s.FailedJobsHistoryLimit == nil {
		s.FailedJobsHistoryLimit = ptrTo(DefaultFailedJobsHistoryLimit)
	}
	corev1.DefaultPodTemplateSpec(&s.JobTemplate.Spec.Template)
}
