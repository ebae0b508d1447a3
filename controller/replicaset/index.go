package replicaset

import (
	"slices"
	"strings"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// podOwnerIndex is the index the controller adds to the shared pod informer: a pod controlled
// by a ReplicaSet is indexed under ownerKey(its UID), an orphan under orphanKey(namespace),
// pods of other controllers not at all.
const podOwnerIndex = "replicaset.apps/owner"

func ownerKey(uid meta.UID) string { return "uid/" + string(uid) }
func orphanKey(ns string) string   { return "orphan/" + ns }

func podOwnerKeys(p *corev1.Pod) []string {
	for i := range p.OwnerReferences {
		ref := &p.OwnerReferences[i]
		if ref.Controller == nil || !*ref.Controller {
			continue
		}
		if ref.Kind != "ReplicaSet" || !isAppsGroup(ref.APIVersion) {
			return nil
		}
		return []string{ownerKey(ref.UID)}
	}
	return []string{orphanKey(p.Namespace)}
}

// isAppsGroup reports whether apiVersion is of the apps group ("apps/<version>").
func isAppsGroup(apiVersion string) bool {
	g, _, ok := strings.Cut(apiVersion, "/")
	return ok && g == appsv1.GroupName
}

// candidates returns the pods a sync of rs looks at: those it controls and the orphans of its
// namespace (pods of other controllers can be neither kept nor adopted), ordered by name.
func (c *Controller) candidates(rs *appsv1.ReplicaSet) []*corev1.Pod {
	if !c.podIndexed {
		return c.pods.Namespace(rs.Namespace).List(nil)
	}
	owned, _ := c.pods.ByIndex(podOwnerIndex, ownerKey(rs.UID))
	orphans, _ := c.pods.ByIndex(podOwnerIndex, orphanKey(rs.Namespace))
	out := make([]*corev1.Pod, 0, len(owned)+len(orphans))
	for _, p := range owned {
		if p.Namespace == rs.Namespace {
			out = append(out, p)
		}
	}
	out = append(out, orphans...)
	slices.SortFunc(out, func(a, b *corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	return out
}
