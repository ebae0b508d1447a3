package v1_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*batchv1.Job).DeepCopy),
		apitest.DeepCopyCase((*batchv1.JobList).DeepCopy),
		apitest.DeepCopyCase((*batchv1.JobSpec).DeepCopy),
		apitest.DeepCopyCase((*batchv1.JobStatus).DeepCopy),
		apitest.DeepCopyCase((*batchv1.JobCondition).DeepCopy),
		apitest.DeepCopyCase((*batchv1.UncountedTerminatedPods).DeepCopy),
		apitest.DeepCopyCase((*batchv1.PodFailurePolicy).DeepCopy),
		apitest.DeepCopyCase((*batchv1.PodFailurePolicyRule).DeepCopy),
		apitest.DeepCopyCase((*batchv1.PodFailurePolicyOnExitCodesRequirement).DeepCopy),
		apitest.DeepCopyCase((*batchv1.PodFailurePolicyOnPodConditionsPattern).DeepCopy),
		apitest.DeepCopyCase((*batchv1.SuccessPolicy).DeepCopy),
		apitest.DeepCopyCase((*batchv1.SuccessPolicyRule).DeepCopy),
		apitest.DeepCopyCase((*batchv1.JobTemplateSpec).DeepCopy),
		apitest.DeepCopyCase((*batchv1.CronJob).DeepCopy),
		apitest.DeepCopyCase((*batchv1.CronJobList).DeepCopy),
		apitest.DeepCopyCase((*batchv1.CronJobSpec).DeepCopy),
		apitest.DeepCopyCase((*batchv1.CronJobStatus).DeepCopy),
	}, apitest.Options{Seeds: 6})
}

func TestManifests(t *testing.T) {
	path := filepath.Join("testdata", "batch.yaml")
	apitest.CheckManifests[batchv1.Job](t, path, "Job", 2)
	apitest.CheckManifests[batchv1.CronJob](t, path, "CronJob", 2)
}

func ptr[T any](v T) *T { return &v }

// Pointer fields of a Job distinguish unset from zero: suspend false resumes a job, backoffLimit
// 0 fails on the first failure, and completions unset means a work queue.
func TestPointerFieldsKeepZero(t *testing.T) {
	in := `{"suspend":false,"backoffLimit":0,"parallelism":0,"template":{}}`
	var spec batchv1.JobSpec
	if err := apitest.DecodeStrict([]byte(in), &spec); err != nil {
		t.Fatal(err)
	}
	want := batchv1.JobSpec{Suspend: ptr(false), BackoffLimit: ptr(int32(0)), Parallelism: ptr(int32(0))}
	if diff := cmp.Diff(want, spec); diff != "" {
		t.Errorf("decoded spec (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"parallelism":0,"backoffLimit":0,"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}},"suspend":false}`; string(out) != want {
		t.Errorf("json.Marshal =\n%s\nwant\n%s", out, want)
	}
}

func TestWireFormat(t *testing.T) {
	tests := []struct {
		name string
		obj  any
		want string
	}{
		{
			name: "failure policy rules are required",
			obj:  batchv1.PodFailurePolicy{},
			want: `{"rules":null}`,
		},
		{
			name: "exit code requirement writes operator and values",
			obj:  batchv1.PodFailurePolicyOnExitCodesRequirement{Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{1, 2}},
			want: `{"operator":"In","values":[1,2]}`,
		},
		{
			name: "failure policy rule writes both requirements, as Kubernetes does",
			obj:  batchv1.PodFailurePolicyRule{Action: batchv1.PodFailurePolicyActionCount},
			want: `{"action":"Count","onExitCodes":null,"onPodConditions":null}`,
		},
		{
			name: "cron job status is empty when nothing ran",
			obj:  batchv1.CronJobStatus{},
			want: `{}`,
		},
		{
			name: "uncounted pods",
			obj:  batchv1.UncountedTerminatedPods{Failed: []meta.UID{"u1"}},
			want: `{"failed":["u1"]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.obj)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("json.Marshal =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, in := range map[string]string{
		"exit code values are strings":  `{"spec":{"podFailurePolicy":{"rules":[{"action":"FailJob","onExitCodes":{"operator":"In","values":["1"]}}]}}}`,
		"deadline is a float":           `{"spec":{"activeDeadlineSeconds":1.5}}`,
		"suspend is a string":           `{"spec":{"suspend":"true"}}`,
		"start time is not a time":      `{"status":{"startTime":"2026-02-30T00:00:00Z"}}`,
		"unknown field in success rule": `{"spec":{"successPolicy":{"rules":[{"count":1}]}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var j batchv1.Job
			if err := apitest.DecodeStrict([]byte(in), &j); err == nil {
				t.Errorf("decoding %s succeeded, want an error", in)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"Job","spec":{"completions":3,"completionMode":"Indexed","podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget","status":"True"}]}]},"template":{"spec":{"containers":[{"name":"a","image":"b"}],"restartPolicy":"Never"}}},"status":{"uncountedTerminatedPods":{"succeeded":["x"]}}}`))
	f.Add([]byte(`{"kind":"CronJob","spec":{"schedule":"*/5 * * * *","timeZone":"UTC","jobTemplate":{"spec":{"template":{}}}},"status":{"active":[{"name":"j"}],"lastScheduleTime":"2026-01-01T00:00:00Z"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := apitest.CheckJSONStable(data, (*batchv1.Job).DeepCopy); err != nil {
			t.Fatal(err)
		}
		if err := apitest.CheckJSONStable(data, (*batchv1.CronJob).DeepCopy); err != nil {
			t.Fatal(err)
		}
	})
}

func ExampleCronJob() {
	cj := batchv1.CronJob{
		ObjectMeta: meta.ObjectMeta{Name: "nightly"},
		Spec: batchv1.CronJobSpec{
			Schedule:          "30 2 * * *",
			ConcurrencyPolicy: batchv1.ForbidConcurrent,
			JobTemplate: batchv1.JobTemplateSpec{
				Spec: batchv1.JobSpec{BackoffLimit: ptr(int32(2))},
			},
		},
	}
	job := batchv1.Job{
		ObjectMeta: meta.ObjectMeta{Name: cj.Name + "-29400000", Labels: cj.Spec.JobTemplate.Labels},
		Spec:       *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}
	*job.Spec.BackoffLimit = 5
	fmt.Println(*cj.Spec.JobTemplate.Spec.BackoffLimit, *job.Spec.BackoffLimit, cj.Spec.ConcurrencyPolicy)
	// Output:
	// 2 5 Forbid
}
