package v1

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// GroupName is the API group of this package.
const GroupName = "batch"

// Well-known labels, annotations and finalizers of Jobs and their pods.
const (
	// JobCompletionIndexAnnotation holds the completion index of a pod of an Indexed Job.
	JobCompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index"
	// JobTrackingFinalizer keeps a Job's pods until the controller has counted them.
	JobTrackingFinalizer = "batch.kubernetes.io/job-tracking"
	// LegacyJobNameLabel is the unprefixed job-name label.
	LegacyJobNameLabel = "job-name"
	// JobNameLabel holds the name of a pod's Job.
	JobNameLabel = "batch.kubernetes.io/job-name"
	// LegacyControllerUidLabel is the unprefixed controller-uid label.
	LegacyControllerUidLabel = "controller-uid"
	// ControllerUidLabel holds the UID of a pod's Job.
	ControllerUidLabel = "batch.kubernetes.io/controller-uid"
	// JobIndexFailureCountAnnotation counts the failed pods of one index, for
	// BackoffLimitPerIndex.
	JobIndexFailureCountAnnotation = "batch.kubernetes.io/job-index-failure-count"
	// JobIndexIgnoredFailureCountAnnotation counts the failures of one index that an Ignore
	// rule of the pod failure policy did not count.
	JobIndexIgnoredFailureCountAnnotation = "batch.kubernetes.io/job-index-ignored-failure-count"
	// JobControllerName is the value of Spec.ManagedBy that means the built-in controller.
	JobControllerName = "kubernetes.io/job-controller"
)

// Job runs pods until a number of them succeed.
type Job struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired behaviour of the job.
	Spec JobSpec `json:"spec,omitempty"`
	// Status is the observed state of the job.
	Status JobStatus `json:"status,omitempty"`
}

// JobList is a list of Job objects.
type JobList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the jobs.
	Items []Job `json:"items"`
}

// CompletionMode says how a Job counts completions.
type CompletionMode string

// The completion modes.
const (
	// NonIndexedCompletion: the job is complete after Completions successful pods, which are
	// interchangeable.
	NonIndexedCompletion CompletionMode = "NonIndexed"
	// IndexedCompletion: each pod gets an index from 0 to Completions-1 and the job is complete
	// when every index has a successful pod.
	IndexedCompletion CompletionMode = "Indexed"
)

// PodFailurePolicyAction is what a matching pod failure policy rule does.
type PodFailurePolicyAction string

// The pod failure policy actions.
const (
	// PodFailurePolicyActionFailJob fails the whole job and terminates its running pods.
	PodFailurePolicyActionFailJob PodFailurePolicyAction = "FailJob"
	// PodFailurePolicyActionFailIndex fails the pod's index (with BackoffLimitPerIndex).
	PodFailurePolicyActionFailIndex PodFailurePolicyAction = "FailIndex"
	// PodFailurePolicyActionIgnore does not count the failure against the backoff limit.
	PodFailurePolicyActionIgnore PodFailurePolicyAction = "Ignore"
	// PodFailurePolicyActionCount counts the failure as usual.
	PodFailurePolicyActionCount PodFailurePolicyAction = "Count"
)

// PodFailurePolicyOnExitCodesOperator relates container exit codes to Values.
type PodFailurePolicyOnExitCodesOperator string

// The exit code operators.
const (
	// PodFailurePolicyOnExitCodesOpIn matches when an exit code is in Values.
	PodFailurePolicyOnExitCodesOpIn PodFailurePolicyOnExitCodesOperator = "In"
	// PodFailurePolicyOnExitCodesOpNotIn matches when an exit code is not in Values.
	PodFailurePolicyOnExitCodesOpNotIn PodFailurePolicyOnExitCodesOperator = "NotIn"
)

// PodReplacementPolicy says when a Job creates the replacement of a failed pod.
type PodReplacementPolicy string

// The pod replacement policies.
const (
	// TerminatingOrFailed replaces a pod as soon as it is terminating or failed.
	TerminatingOrFailed PodReplacementPolicy = "TerminatingOrFailed"
	// Failed replaces a pod only once it has fully terminated and failed.
	Failed PodReplacementPolicy = "Failed"
)

// PodFailurePolicyOnExitCodesRequirement matches failed pods by container exit codes.
type PodFailurePolicyOnExitCodesRequirement struct {
	// ContainerName limits the match to one container; all containers when unset.
	ContainerName *string `json:"containerName,omitempty"`
	// Operator is In or NotIn.
	Operator PodFailurePolicyOnExitCodesOperator `json:"operator"`
	// Values are the exit codes, at most 255, without 0 for In.
	Values []int32 `json:"values"`
}

// PodFailurePolicyOnPodConditionsPattern matches failed pods by a condition.
type PodFailurePolicyOnPodConditionsPattern struct {
	// Type is the pod condition type, such as DisruptionTarget.
	Type corev1.PodConditionType `json:"type"`
	// Status is the condition status to match; True when unset.
	Status corev1.ConditionStatus `json:"status"`
}

// PodFailurePolicyRule is one rule of a pod failure policy. Exactly one of OnExitCodes and
// OnPodConditions is set.
type PodFailurePolicyRule struct {
	// Action is what happens when the rule matches.
	Action PodFailurePolicyAction `json:"action"`
	// OnExitCodes matches by container exit codes.
	OnExitCodes *PodFailurePolicyOnExitCodesRequirement `json:"onExitCodes"`
	// OnPodConditions matches when any pattern matches a pod condition.
	OnPodConditions []PodFailurePolicyOnPodConditionsPattern `json:"onPodConditions"`
}

// PodFailurePolicy decides what a pod failure does to its Job. The first matching rule wins;
// with none matching, the failure counts against the backoff limit.
type PodFailurePolicy struct {
	// Rules are evaluated in order; at most 20.
	Rules []PodFailurePolicyRule `json:"rules"`
}

// SuccessPolicy says when an Indexed Job succeeds before every index has. The job succeeds
// when any rule is met.
type SuccessPolicy struct {
	// Rules are the success rules; at most 20.
	Rules []SuccessPolicyRule `json:"rules"`
}

// SuccessPolicyRule is met when the listed indexes (or, without them, any indexes) have
// succeeded, at least SucceededCount of them.
type SuccessPolicyRule struct {
	// SucceededIndexes are the indexes that count, as a list of numbers and ranges such as
	// "1,3-5,7".
	SucceededIndexes *string `json:"succeededIndexes,omitempty"`
	// SucceededCount is how many of the counted indexes must succeed.
	SucceededCount *int32 `json:"succeededCount,omitempty"`
}

// JobSpec is the desired behaviour of a Job.
type JobSpec struct {
	// Parallelism is the most pods that run at once; 1 when unset.
	Parallelism *int32 `json:"parallelism,omitempty"`
	// Completions is how many pods must succeed; unset means any one success, after which no
	// new pods start (a work queue).
	Completions *int32 `json:"completions,omitempty"`
	// ActiveDeadlineSeconds is how long the job may run, from StartTime, before it fails with
	// reason DeadlineExceeded.
	ActiveDeadlineSeconds *int64 `json:"activeDeadlineSeconds,omitempty"`
	// PodFailurePolicy decides what pod failures do; failures count against BackoffLimit
	// when unset.
	PodFailurePolicy *PodFailurePolicy `json:"podFailurePolicy,omitempty"`
	// SuccessPolicy lets an Indexed job succeed early.
	SuccessPolicy *SuccessPolicy `json:"successPolicy,omitempty"`
	// BackoffLimit is how many failures the job tolerates before failing; 6 when unset.
	BackoffLimit *int32 `json:"backoffLimit,omitempty"`
	// BackoffLimitPerIndex is how many failures each index of an Indexed job tolerates.
	BackoffLimitPerIndex *int32 `json:"backoffLimitPerIndex,omitempty"`
	// MaxFailedIndexes is how many indexes may fail before the job fails; only with
	// BackoffLimitPerIndex.
	MaxFailedIndexes *int32 `json:"maxFailedIndexes,omitempty"`
	// Selector selects the job's pods; generated from the job's UID unless ManualSelector.
	Selector *meta.LabelSelector `json:"selector,omitempty"`
	// ManualSelector lets the user set Selector instead of the generated one.
	ManualSelector *bool `json:"manualSelector,omitempty"`
	// Template is the pod template; its restartPolicy must be Never or OnFailure.
	Template corev1.PodTemplateSpec `json:"template"`
	// TTLSecondsAfterFinished is how long after finishing the job is deleted; never when
	// unset.
	TTLSecondsAfterFinished *int32 `json:"ttlSecondsAfterFinished,omitempty"`
	// CompletionMode is NonIndexed (the default) or Indexed.
	CompletionMode *CompletionMode `json:"completionMode,omitempty"`
	// Suspend stops the controller from creating pods and terminates running ones.
	Suspend *bool `json:"suspend,omitempty"`
	// PodReplacementPolicy says when failed pods are replaced; TerminatingOrFailed unless a
	// pod failure policy is set, then Failed.
	PodReplacementPolicy *PodReplacementPolicy `json:"podReplacementPolicy,omitempty"`
	// ManagedBy names the controller that reconciles the job; the built-in one when unset or
	// equal to JobControllerName.
	ManagedBy *string `json:"managedBy,omitempty"`
}

// JobStatus is the observed state of a Job.
type JobStatus struct {
	// Conditions are the latest observations of the job; Complete or Failed end it.
	Conditions []JobCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
	// StartTime is when the controller started the job (or resumed it from suspension).
	StartTime *meta.Time `json:"startTime,omitempty"`
	// CompletionTime is when the job completed successfully.
	CompletionTime *meta.Time `json:"completionTime,omitempty"`
	// Active is the number of pending and running pods that are not terminating.
	Active int32 `json:"active,omitempty"`
	// Succeeded is the number of pods that succeeded.
	Succeeded int32 `json:"succeeded,omitempty"`
	// Failed is the number of pods that failed.
	Failed int32 `json:"failed,omitempty"`
	// Terminating is the number of terminating pods; nil when not tracked.
	Terminating *int32 `json:"terminating,omitempty"`
	// CompletedIndexes are the succeeded indexes of an Indexed job, as "1,3-5,7".
	CompletedIndexes string `json:"completedIndexes,omitempty"`
	// FailedIndexes are the failed indexes of an Indexed job with BackoffLimitPerIndex.
	FailedIndexes *string `json:"failedIndexes,omitempty"`
	// UncountedTerminatedPods are finished pods the controller has not yet counted in Succeeded
	// or Failed.
	UncountedTerminatedPods *UncountedTerminatedPods `json:"uncountedTerminatedPods,omitempty"`
	// Ready is the number of active pods with a Ready condition.
	Ready *int32 `json:"ready,omitempty"`
}

// UncountedTerminatedPods are the UIDs of finished pods not yet counted in a Job's status.
type UncountedTerminatedPods struct {
	// Succeeded are the UIDs of succeeded pods.
	Succeeded []meta.UID `json:"succeeded,omitempty"`
	// Failed are the UIDs of failed pods.
	Failed []meta.UID `json:"failed,omitempty"`
}

// JobConditionType is the type of a Job condition.
type JobConditionType string

// The Job condition types.
const (
	// JobSuspended: the job is suspended.
	JobSuspended JobConditionType = "Suspended"
	// JobComplete: the job has completed successfully.
	JobComplete JobConditionType = "Complete"
	// JobFailed: the job has failed.
	JobFailed JobConditionType = "Failed"
	// JobFailureTarget: the job is about to fail; its pods are being terminated.
	JobFailureTarget JobConditionType = "FailureTarget"
	// JobSuccessCriteriaMet: the success policy is met; pods are being terminated before
	// Complete is set.
	JobSuccessCriteriaMet JobConditionType = "SuccessCriteriaMet"
)

// Reasons of Job conditions.
const (
	// JobReasonPodFailurePolicy: a FailJob rule of the pod failure policy matched.
	JobReasonPodFailurePolicy = "PodFailurePolicy"
	// JobReasonBackoffLimitExceeded: the job failed more often than BackoffLimit.
	JobReasonBackoffLimitExceeded = "BackoffLimitExceeded"
	// JobReasonDeadlineExceeded: the job ran longer than ActiveDeadlineSeconds.
	JobReasonDeadlineExceeded = "DeadlineExceeded"
	// JobReasonMaxFailedIndexesExceeded: more indexes failed than MaxFailedIndexes.
	JobReasonMaxFailedIndexesExceeded = "MaxFailedIndexesExceeded"
	// JobReasonFailedIndexes: an Indexed job with BackoffLimitPerIndex has failed indexes.
	JobReasonFailedIndexes = "FailedIndexes"
	// JobReasonSuccessPolicy: the success policy was met.
	JobReasonSuccessPolicy = "SuccessPolicy"
	// JobReasonCompletionsReached: Completions pods succeeded.
	JobReasonCompletionsReached = "CompletionsReached"
)

// JobCondition is one observation of a Job.
type JobCondition struct {
	// Type is the condition's type.
	Type JobConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status corev1.ConditionStatus `json:"status"`
	// LastProbeTime is when the condition was last checked.
	LastProbeTime meta.Time `json:"lastProbeTime,omitempty"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a one-word CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable account of the last transition.
	Message string `json:"message,omitempty"`
}

// JobTemplateSpec is the template of the Jobs a CronJob creates.
type JobTemplateSpec struct {
	// ObjectMeta is the metadata of created jobs.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the spec of created jobs.
	Spec JobSpec `json:"spec,omitempty"`
}

// CronJob creates Jobs on a schedule.
type CronJob struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired behaviour of the cron job.
	Spec CronJobSpec `json:"spec,omitempty"`
	// Status is the observed state of the cron job.
	Status CronJobStatus `json:"status,omitempty"`
}

// CronJobList is a list of CronJob objects.
type CronJobList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the cron jobs.
	Items []CronJob `json:"items"`
}

// CronJobSpec is the desired behaviour of a CronJob.
type CronJobSpec struct {
	// Schedule is the schedule in cron format, such as "*/5 * * * *" or "@hourly".
	Schedule string `json:"schedule"`
	// TimeZone is the IANA time zone of Schedule; the controller's local zone when unset.
	TimeZone *string `json:"timeZone,omitempty"`
	// StartingDeadlineSeconds is how late a missed run may still start; later runs are
	// skipped and count as missed.
	StartingDeadlineSeconds *int64 `json:"startingDeadlineSeconds,omitempty"`
	// ConcurrencyPolicy says what happens when a run is due while the previous one is active:
	// Allow (the default), Forbid or Replace.
	ConcurrencyPolicy ConcurrencyPolicy `json:"concurrencyPolicy,omitempty"`
	// Suspend stops future runs; running jobs are not affected.
	Suspend *bool `json:"suspend,omitempty"`
	// JobTemplate is the template of created jobs.
	JobTemplate JobTemplateSpec `json:"jobTemplate"`
	// SuccessfulJobsHistoryLimit is how many finished successful jobs to keep; 3 when unset.
	SuccessfulJobsHistoryLimit *int32 `json:"successfulJobsHistoryLimit,omitempty"`
	// FailedJobsHistoryLimit is how many finished failed jobs to keep; 1 when unset.
	FailedJobsHistoryLimit *int32 `json:"failedJobsHistoryLimit,omitempty"`
}

// ConcurrencyPolicy says how a CronJob treats overlapping runs.
type ConcurrencyPolicy string

// The concurrency policies.
const (
	// AllowConcurrent runs jobs concurrently.
	AllowConcurrent ConcurrencyPolicy = "Allow"
	// ForbidConcurrent skips a run while the previous job is active.
	ForbidConcurrent ConcurrencyPolicy = "Forbid"
	// ReplaceConcurrent deletes the active job and starts the new one.
	ReplaceConcurrent ConcurrencyPolicy = "Replace"
)

// CronJobStatus is the observed state of a CronJob.
type CronJobStatus struct {
	// Active are references to the running jobs.
	Active []corev1.ObjectReference `json:"active,omitempty"`
	// LastScheduleTime is when a job was last scheduled.
	LastScheduleTime *meta.Time `json:"lastScheduleTime,omitempty"`
	// LastSuccessfulTime is when a job last completed successfully.
	LastSuccessfulTime *meta.Time `json:"lastSuccessfulTime,omitempty"`
}
