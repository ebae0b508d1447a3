package deployment

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// The annotations the controller writes, with Kubernetes' names so kubectl reads them.
const (
	// RevisionAnnotation holds the revision of a ReplicaSet (and, on the Deployment, the
	// revision of its current ReplicaSet): a decimal number, higher is newer. A new ReplicaSet
	// gets one more than the highest of the old ones; an old ReplicaSet that becomes current
	// again (a rollback) gets the new highest revision. kubectl rollout history lists it.
	RevisionAnnotation = "deployment.kubernetes.io/revision"
	// RevisionHistoryAnnotation lists, comma separated, the earlier revisions of a ReplicaSet
	// that was current more than once (rolled back to), oldest first.
	RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
	// DesiredReplicasAnnotation holds the Deployment's spec.replicas when the ReplicaSet was
	// last scaled; a mismatch tells the controller the Deployment was scaled.
	DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	// MaxReplicasAnnotation holds spec.replicas plus maxSurge when the ReplicaSet was last
	// scaled; proportional scaling uses it as the size the ReplicaSet's share was taken of.
	MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"

	// lastAppliedAnnotation is kubectl's client-side apply record; it is not copied to
	// ReplicaSets.
	lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
	// maxRevisionHistoryChars bounds the length of RevisionHistoryAnnotation.
	maxRevisionHistoryChars = 2000
)

// Revision returns the revision in m's RevisionAnnotation: 0 when m has none, an error
// wrapping ErrInvalidAnnotation when it is not a non-negative decimal number.
func Revision(m *meta.ObjectMeta) (int64, error) {
	v, ok := m.Annotations[RevisionAnnotation]
	if !ok || v == "" {
		return 0, nil
	}
	return parseRevision(v)
}

func parseRevision(v string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: %s %q is not a revision number", ErrInvalidAnnotation, RevisionAnnotation, v)
	}
	return n, nil
}

// replicasAnnotation parses a replica-count annotation of rs: ok is false when it is absent
// or not a non-negative 32-bit decimal number.
func replicasAnnotation(rs *appsv1.ReplicaSet, key string) (int32, bool) {
	v, ok := rs.Annotations[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil || n < 0 {
		return 0, false
	}
	return int32(n), true
}

// skipCopy lists the Deployment annotations that are not copied to its ReplicaSets.
func skipCopy(key string) bool {
	switch key {
	case lastAppliedAnnotation, RevisionAnnotation, RevisionHistoryAnnotation, DesiredReplicasAnnotation,
		MaxReplicasAnnotation, appsv1.DeprecatedRollbackTo:
		return true
	}
	return false
}

// copyAnnotations copies d's annotations (but those of skipCopy) to rs, and reports whether
// rs changed. Annotations of rs that d does not have are kept.
func copyAnnotations(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	changed := false
	for k, v := range d.Annotations {
		if skipCopy(k) {
			continue
		}
		if cur, ok := rs.Annotations[k]; ok && cur == v {
			continue
		}
		if rs.Annotations == nil {
			rs.Annotations = map[string]string{}
		}
		rs.Annotations[k] = v
		changed = true
	}
	return changed
}

// setNewReplicaSetAnnotations brings the annotations of the Deployment's current ReplicaSet up
// to date: the Deployment's own annotations, the revision (raised to newRevision when lower,
// the old one then appended to the revision history) and, for a ReplicaSet being created
// (exists false), the replica annotations. It reports whether rs changed.
func setNewReplicaSetAnnotations(d *appsv1.Deployment, rs *appsv1.ReplicaSet, newRevision int64, exists bool, maxSurge int32) bool {
	changed := copyAnnotations(d, rs)
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	oldRevision, hadRevision := rs.Annotations[RevisionAnnotation]
	old, err := parseRevision(oldRevision)
	if hadRevision && oldRevision != "" && err != nil {
		// A revision we cannot read is left alone rather than overwritten with a guess.
		return changed
	}
	if !hadRevision || oldRevision == "" {
		old = 0
	}
	if old < newRevision {
		rs.Annotations[RevisionAnnotation] = strconv.FormatInt(newRevision, 10)
		changed = true
		if hadRevision && oldRevision != "" {
			if h, ok := appendRevisionHistory(rs.Annotations[RevisionHistoryAnnotation], oldRevision, maxRevisionHistoryChars); ok {
				rs.Annotations[RevisionHistoryAnnotation] = h
			}
		}
	}
	if !exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d)+maxSurge) {
		changed = true
	}
	return changed
}

// appendRevisionHistory appends rev to the comma-separated history, dropping the oldest
// entries while the result would be longer than limit characters. ok is false when rev alone
// does not fit.
func appendRevisionHistory(history, rev string, limit int) (string, bool) {
	if len(rev) > limit {
		return history, false
	}
	var entries []string
	if history != "" {
		entries = strings.Split(history, ",")
	}
	entries = append(entries, rev)
	total := len(entries) - 1 // commas
	for _, e := range entries {
		total += len(e)
	}
	for total > limit && len(entries) > 1 {
		total -= len(entries[0]) + 1
		entries = entries[1:]
	}
	return strings.Join(entries, ","), true
}

// replicasAnnotationsNeedUpdate reports whether rs's replica annotations differ from desired
// and max.
func replicasAnnotationsNeedUpdate(rs *appsv1.ReplicaSet, desired, max int32) bool {
	return rs.Annotations[DesiredReplicasAnnotation] != strconv.FormatInt(int64(desired), 10) ||
		rs.Annotations[MaxReplicasAnnotation] != strconv.FormatInt(int64(max), 10)
}

// setReplicasAnnotations sets rs's replica annotations to desired and max and reports whether
// they changed.
func setReplicasAnnotations(rs *appsv1.ReplicaSet, desired, max int32) bool {
	if !replicasAnnotationsNeedUpdate(rs, desired, max) {
		return false
	}
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	rs.Annotations[DesiredReplicasAnnotation] = strconv.FormatInt(int64(desired), 10)
	rs.Annotations[MaxReplicasAnnotation] = strconv.FormatInt(int64(max), 10)
	return true
}

// maxRevision is the highest readable revision of rss (0 for none).
func maxRevision(rss []*appsv1.ReplicaSet) int64 {
	var m int64
	for _, rs := range rss {
		if r, err := Revision(&rs.ObjectMeta); err == nil && r > m {
			m = r
		}
	}
	return m
}
