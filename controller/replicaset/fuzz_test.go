package replicaset

import (
	"strconv"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// podFromBytes decodes 8 bytes into a candidate for deletion, covering every criterion of
// the ranking with few values each, so that ties are common.
func podFromBytes(b []byte) rankedPod {
	phases := []corev1.PodPhase{"", corev1.PodPending, corev1.PodUnknown, corev1.PodRunning, "Bogus"}
	nodes := []string{"", "n1", "n2"}
	s := podSpec{
		node:     nodes[int(b[0])%len(nodes)],
		phase:    phases[int(b[1])%len(phases)],
		ready:    b[2]&1 == 1,
		restarts: int32(b[5] % 3),
	}
	if b[3]%4 != 0 {
		s.readyAt = epoch.Add(time.Duration(b[3]%4) * time.Second)
	}
	switch b[4] % 4 {
	case 1:
		s.cost = strconv.Itoa(int(int8(b[4])) / 4)
	case 2:
		s.cost = "not a number"
	}
	if b[6]%4 != 0 {
		s.created = epoch.Add(time.Duration(b[6]%4) * time.Minute)
	}
	return rankedPod{pod: s.pod(), colocated: int(b[7] % 3)}
}

// FuzzDeletionOrder checks that the deletion ranking is a strict weak order on any three
// pods: antisymmetric, transitive, with transitive ties. A comparison that is not would
// make the sort, and so the choice of pods to delete, depend on the input order.
func FuzzDeletionOrder(f *testing.F) {
	f.Add([]byte("abcdefghijklmnopqrstuvwx"))
	f.Add(make([]byte, 24))
	f.Add([]byte{1, 3, 1, 1, 0, 0, 1, 0, 1, 3, 1, 2, 0, 0, 2, 1, 1, 3, 1, 0, 5, 2, 0, 2})
	f.Add([]byte{0, 1, 0, 0, 2, 1, 0, 0, 2, 2, 1, 3, 1, 0, 3, 2, 1, 4, 0, 1, 9, 2, 1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 24 {
			return
		}
		p := [3]rankedPod{podFromBytes(data[0:8]), podFromBytes(data[8:16]), podFromBytes(data[16:24])}
		for i := range 3 {
			if c := deletionOrder(p[i], p[i]); c != 0 {
				t.Fatalf("pod %d compared with itself = %d", i, c)
			}
			for j := range 3 {
				if a, b := sign(deletionOrder(p[i], p[j])), sign(deletionOrder(p[j], p[i])); a != -b {
					t.Fatalf("not antisymmetric: order(%d,%d)=%d, order(%d,%d)=%d", i, j, a, j, i, b)
				}
				for k := range 3 {
					ij, jk, ik := sign(deletionOrder(p[i], p[j])), sign(deletionOrder(p[j], p[k])), sign(deletionOrder(p[i], p[k]))
					if ij < 0 && jk < 0 && ik >= 0 {
						t.Fatalf("not transitive: %d<%d<%d but order(%d,%d)=%d", i, j, k, i, k, ik)
					}
					if ij == 0 && jk == 0 && ik != 0 {
						t.Fatalf("ties not transitive: %d=%d=%d but order(%d,%d)=%d", i, j, k, i, k, ik)
					}
				}
			}
		}
		// Any order of the input gives the same pods to delete, up to ties.
		pods := []*corev1.Pod{p[0].pod, p[1].pod, p[2].pod}
		rev := []*corev1.Pod{p[2].pod, p[1].pod, p[0].pod}
		a, b := podsToDelete(pods, nil, 1), podsToDelete(rev, nil, 1)
		ra, rb := rankedPod{pod: a[0]}, rankedPod{pod: b[0]}
		if deletionOrder(ra, rb) != 0 {
			t.Fatalf("the pod chosen depends on the input order")
		}
	})
}
