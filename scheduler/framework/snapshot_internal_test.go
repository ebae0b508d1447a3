package framework

import (
	"fmt"
	"math/rand/v2"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// TestSnapshotDenseArrays: through random node and pod changes (removals swap the list and
// free slots that later nodes reuse), the dense arrays a cycle reads instead of the NodeInfos
// agree with them: listSlots[i] is list[i]'s slot, and slotGen and slotName hold each node's
// Generation and name; a freed slot's generation is that of the removal, newer than every
// generation cached for the node that had it.
func TestSnapshotDenseArrays(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	s := NewSnapshot()
	node := func(name string) *corev1.Node {
		return &corev1.Node{ObjectMeta: meta.ObjectMeta{Name: name, Labels: map[string]string{"x": fmt.Sprint(rng.IntN(3))}}}
	}
	var names []string
	genAtRemoval := map[int]int64{} // free slot -> generation of the removed node's last change
	pods := 0
	for step := 0; step < 2000; step++ {
		switch r := rng.IntN(10); {
		case r < 3 || len(names) == 0:
			name := fmt.Sprintf("n%d", step)
			if err := s.AddNode(node(name)); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		case r < 5:
			i := rng.IntN(len(names))
			ni, _ := s.Get(names[i])
			slot, gen := ni.Slot(), ni.Generation
			if err := s.RemoveNode(names[i]); err != nil {
				t.Fatal(err)
			}
			names = append(names[:i], names[i+1:]...)
			genAtRemoval[slot] = gen
		case r < 7:
			if err := s.UpdateNode(node(names[rng.IntN(len(names))])); err != nil {
				t.Fatal(err)
			}
		default:
			pods++
			p := &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "d", Name: fmt.Sprintf("p%d", pods), UID: meta.UID(fmt.Sprint(pods))}}
			p.Spec.NodeName = names[rng.IntN(len(names))]
			if err := s.AddPod(MustPodInfo(p)); err != nil {
				t.Fatal(err)
			}
		}
		if len(s.listSlots) != len(s.list) {
			t.Fatalf("step %d: %d list slots for %d nodes", step, len(s.listSlots), len(s.list))
		}
		used := map[int]bool{}
		for i, ni := range s.list {
			slot := int(s.listSlots[i])
			if slot != ni.Slot() || s.slotGen[slot] != ni.Generation || s.slotName[slot] != ni.Name() {
				t.Fatalf("step %d: list[%d] %s slot %d gen %d; dense arrays say slot %d gen %d name %q",
					step, i, ni.Name(), ni.Slot(), ni.Generation, slot, s.slotGen[slot], s.slotName[slot])
			}
			used[slot] = true
			delete(genAtRemoval, slot)
		}
		for slot, gen := range genAtRemoval {
			if used[slot] || s.slotName[slot] != "" || s.slotGen[slot] <= gen {
				t.Fatalf("step %d: free slot %d: name %q, generation %d not after the removed node's %d", step, slot, s.slotName[slot], s.slotGen[slot], gen)
			}
		}
	}
}
