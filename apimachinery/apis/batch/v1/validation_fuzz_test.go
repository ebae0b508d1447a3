package v1_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
)

// FuzzDefaultValidateJobs decodes arbitrary JSON as a Job and as a CronJob, defaults them twice
// and validates them: defaulting must be idempotent and validation must never panic.
func FuzzDefaultValidateJobs(f *testing.F) {
	f.Add([]byte(`{"metadata":{"name":"j","namespace":"d"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]}}}}`))
	f.Add([]byte(`{"spec":{"completionMode":"Indexed","backoffLimitPerIndex":1,"maxFailedIndexes":9,"successPolicy":{"rules":[{"succeededIndexes":"3-1,x"},{}]}}}`))
	f.Add([]byte(`{"spec":{"podFailurePolicy":{"rules":[{"action":"FailIndex","onExitCodes":{"operator":"In","values":[3,1,1,0]}},{"action":"Ignore","onPodConditions":[{"type":""}]},{}]}}}`))
	f.Add([]byte(`{"spec":{"schedule":"TZ=UTC */5 * * * *","timeZone":"Local","jobTemplate":{"spec":{"manualSelector":true}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var j batchv1.Job
		if json.Unmarshal(data, &j) == nil {
			_ = batchv1.ValidateJob(j.DeepCopy()) // not defaulted: still no panic
			batchv1.DefaultJob(&j)
			once := j.DeepCopy()
			batchv1.DefaultJob(&j)
			if diff := cmp.Diff(once, &j); diff != "" {
				t.Fatalf("job defaulting not idempotent:\n%s", diff)
			}
			_ = batchv1.ValidateJob(&j)
			_ = batchv1.ValidateJobUpdate(j.DeepCopy(), &j)
		}
		var c batchv1.CronJob
		if json.Unmarshal(data, &c) == nil {
			_ = batchv1.ValidateCronJob(c.DeepCopy()) // not defaulted: still no panic
			batchv1.DefaultCronJob(&c)
			once := c.DeepCopy()
			batchv1.DefaultCronJob(&c)
			if diff := cmp.Diff(once, &c); diff != "" {
				t.Fatalf("cron job defaulting not idempotent:\n%s", diff)
			}
			_ = batchv1.ValidateCronJob(&c)
			_ = batchv1.ValidateCronJobUpdate(c.DeepCopy(), &c)
		}
	})
}
