package v1_test

import (
	"fmt"

	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

func ExampleValidateCronJob() {
	c := &batchv1.CronJob{
		ObjectMeta: meta.ObjectMeta{Name: "report", Namespace: "default"},
		Spec: batchv1.CronJobSpec{
			Schedule: "0 25 * * *",
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
				Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyAlways, Containers: []corev1.Container{{Name: "r", Image: "report:1"}}},
			}}},
		},
	}
	batchv1.DefaultCronJob(c)
	fmt.Println(c.Spec.ConcurrencyPolicy, *c.Spec.SuccessfulJobsHistoryLimit, *c.Spec.FailedJobsHistoryLimit)
	for _, err := range batchv1.ValidateCronJob(c) {
		fmt.Println(err)
	}
	// Output:
	// Allow 3 1
	// spec.schedule: Invalid value: "0 25 * * *": parse schedule "0 25 * * *": invalid schedule: hour value 25 out of range [0, 23]
	// spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"
}
