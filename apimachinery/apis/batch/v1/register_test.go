package v1_test

import (
	"testing"

	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	all := []string{"all"}
	registrytest.Check(t, batchv1.AddToScheme, batchv1.SchemeGroupVersion(), []string{"CronJob", "CronJobList", "Job", "JobList"},
		[]registrytest.Want{
			{Plural: "cronjobs", Singular: "cronjob", Kind: "CronJob", ListKind: "CronJobList", Namespaced: true,
				ShortNames: []string{"cj"}, Categories: all, Subresources: []string{"status"}, Verbs: full},
			{Plural: "jobs", Singular: "job", Kind: "Job", ListKind: "JobList", Namespaced: true,
				Categories: all, Subresources: []string{"status"}, Verbs: full},
		})
}
