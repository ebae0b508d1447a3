package v1

import (
	"strconv"

	"github.com/cellkit/cellkit/apimachinery/fields"
)

// ReplicaSetFields returns the fields of a replica set that field selectors can use, as
// kube-apiserver serves them: metadata.name, metadata.namespace and status.replicas (decimal).
// Every call returns a new set with the same keys. The other apps/v1 kinds support only the
// metadata fields (fields.ObjectMetaSet).
func ReplicaSetFields(rs *ReplicaSet) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 3), &rs.ObjectMeta, true)
	s["status.replicas"] = strconv.Itoa(int(rs.Status.Replicas))
	return s
}
