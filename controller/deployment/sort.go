package deployment

import (
	"cmp"
	"slices"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
)

// compareAge orders ReplicaSets oldest first: by creation time, then by name.
func compareAge(a, b *appsv1.ReplicaSet) int {
	if c := a.CreationTimestamp.Time.Compare(b.CreationTimestamp.Time); c != 0 {
		return c
	}
	return cmp.Compare(a.Name, b.Name)
}

// sortByAge sorts rss oldest first.
func sortByAge(rss []*appsv1.ReplicaSet) { slices.SortStableFunc(rss, compareAge) }

// sortBySizeOlder sorts rss largest first, older first among equals: the order in which a
// scale-down takes replicas away.
func sortBySizeOlder(rss []*appsv1.ReplicaSet) {
	slices.SortStableFunc(rss, func(a, b *appsv1.ReplicaSet) int {
		if c := cmp.Compare(rsReplicas(b), rsReplicas(a)); c != 0 {
			return c
		}
		return compareAge(a, b)
	})
}

// sortBySizeNewer sorts rss largest first, newer first among equals: the order in which a
// scale-up hands out replicas.
func sortBySizeNewer(rss []*appsv1.ReplicaSet) {
	slices.SortStableFunc(rss, func(a, b *appsv1.ReplicaSet) int {
		if c := cmp.Compare(rsReplicas(b), rsReplicas(a)); c != 0 {
			return c
		}
		return compareAge(b, a)
	})
}

// sortByRevision sorts rss by revision, lowest first (unreadable revisions count as 0), then
// oldest first.
func sortByRevision(rss []*appsv1.ReplicaSet) {
	slices.SortStableFunc(rss, func(a, b *appsv1.ReplicaSet) int {
		ra, _ := Revision(&a.ObjectMeta)
		rb, _ := Revision(&b.ObjectMeta)
		if c := cmp.Compare(ra, rb); c != 0 {
			return c
		}
		return compareAge(a, b)
	})
}
