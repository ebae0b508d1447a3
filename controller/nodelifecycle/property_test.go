package nodelifecycle

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// TestInvariantsUnderRandomFailures drives a 3-zone cluster through random node failures,
// silences and recoveries (seeded, so reproducible) and checks after every pass what must
// always hold:
//   - a node never carries both the not-ready and the unreachable NoExecute taint;
//   - a ready node carries neither, a node reporting False never unreachable, an Unknown node
//     never not-ready;
//   - while no node at all is ready, no node carries either;
//   - in every zone, new taints (not swaps) never come faster than the token bucket allows:
//     k taints within a window of w seconds need k <= 1 + w*EvictionRate;
//   - pods that tolerate the taints forever are never evicted, others only from a tainted node.
func TestInvariantsUnderRandomFailures(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 0))
			h := newHarness(t, Options{})
			type state int
			const (
				healthy state = iota
				silent
				notReady
			)
			var names []string
			zoneOf := map[string]string{}
			st := map[string]state{}
			for _, z := range []string{"a", "b", "c"} {
				for i := 1; i <= 5; i++ {
					n := fmt.Sprintf("%s-%d", z, i)
					names = append(names, n)
					zoneOf[n] = "zone-" + z
					h.addNode(n, "zone-"+z, corev1.ConditionTrue)
					h.keepAlive(n)
					h.addPod("forever-"+n, n, tolerate("", nil))
					h.addPod("short-"+n, n, tolerate("", seconds(int64(rng.IntN(120)))))
				}
			}
			everTainted := map[string]bool{}
			evicted := map[string]bool{}
			wasTainted := map[string]bool{}
			newTaints := map[string][]time.Duration{} // by zone
			for step := 0; step <= 400; step++ {
				d := time.Duration(step) * 5 * time.Second
				h.at(d)
				for _, n := range names {
					if rng.IntN(100) >= 4 {
						continue
					}
					switch next := state(rng.IntN(3)); next {
					case healthy:
						h.keepAlive(n)
						h.post(n, corev1.ConditionTrue)
						st[n] = next
					case silent:
						h.silence(n)
						st[n] = next
					case notReady:
						h.keepAlive(n)
						h.post(n, corev1.ConditionFalse)
						st[n] = next
					}
				}
				h.pass()

				anyReady := false
				for _, n := range names {
					if h.ready(n) == corev1.ConditionTrue {
						anyReady = true
					}
				}
				for _, n := range names {
					taints := h.taints(n)
					ready := h.ready(n)
					tainted := len(taints) > 0
					switch {
					case len(taints) > 1:
						t.Fatalf("at %v: %s has taints %v", d, n, taints)
					case ready == corev1.ConditionTrue && tainted:
						t.Fatalf("at %v: ready %s has taints %v", d, n, taints)
					case ready == corev1.ConditionFalse && tainted && taints[0] != corev1.TaintNodeNotReady:
						t.Fatalf("at %v: %s reports False but has taints %v", d, n, taints)
					case ready == corev1.ConditionUnknown && tainted && taints[0] != corev1.TaintNodeUnreachable:
						t.Fatalf("at %v: %s is Unknown but has taints %v", d, n, taints)
					case !anyReady && tainted:
						t.Fatalf("at %v: no node is ready, yet %s has taints %v", d, n, taints)
					}
					if tainted && !wasTainted[n] {
						newTaints[zoneOf[n]] = append(newTaints[zoneOf[n]], d)
					}
					wasTainted[n] = tainted
					if tainted {
						everTainted[n] = true
					}
					if h.evicted("forever-" + n) {
						t.Fatalf("at %v: the pod tolerating forever on %s was evicted", d, n)
					}
					if !evicted[n] && h.evicted("short-"+n) {
						evicted[n] = true
						if !tainted {
							t.Fatalf("at %v: a pod of %s was evicted, but the node is not tainted", d, n)
						}
					}
				}
			}
			rate := DefaultEvictionRate
			for z, times := range newTaints {
				for i := range times {
					for j := i + 1; j < len(times); j++ {
						window := (times[j] - times[i]).Seconds()
						if k := float64(j - i + 1); k > 1+window*rate+1e-9 {
							t.Fatalf("zone %s: %d new taints within %vs (at %v .. %v)", z, j-i+1, window, times[i], times[j])
						}
					}
				}
			}
			total := 0
			for _, times := range newTaints {
				total += len(times)
			}
			if total == 0 || len(evicted) == 0 {
				t.Fatalf("%d new taints, %d evictions: the scenario tests nothing", total, len(evicted))
			}
			t.Logf("%d new taints, %d evictions", total, len(evicted))
		})
	}
}
