package v1

import (
	"strconv"

	"github.com/cellkit/cellkit/apimachinery/fields"
)

// JobFields returns the fields of a job that field selectors can use, as kube-apiserver serves
// them: metadata.name, metadata.namespace and status.successful (the decimal count of succeeded
// pods). Every call returns a new set with the same keys. CronJob supports only the metadata
// fields (fields.ObjectMetaSet).
func JobFields(j *Job) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 3), &j.ObjectMeta, true)
	s["status.successful"] = strconv.Itoa(int(j.Status.Succeeded))
	return s
}
