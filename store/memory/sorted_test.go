package memory

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMergeSorted(t *testing.T) {
	keys := func(es []*entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.key())
		}
		return out
	}
	mk := func(ks ...string) []*entry {
		var out []*entry
		for _, k := range ks {
			ns, name, _ := strings.Cut(k, "/")
			out = append(out, &entry{ns: ns, name: name})
		}
		return out
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var big, bigAdd []string
	for i := 0; i < 2000; i++ {
		k := fmt.Sprintf("ns%d/w%05d", rnd.IntN(5), rnd.IntN(1_000_000))
		if i%10 == 0 {
			bigAdd = append(bigAdd, k+"x")
		} else {
			big = append(big, k)
		}
	}
	sort.Strings(big)
	cases := []struct {
		name        string
		sorted, add []string
	}{
		{"into empty", nil, []string{"b/2", "a/1", "b/1"}},
		{"nothing to add", []string{"a/1", "b/1"}, nil},
		{"before all", []string{"b/1", "b/2"}, []string{"a/9", "a/1"}},
		{"after all", []string{"a/1", "a/2"}, []string{"c/1", "b/1"}},
		{"between, in other namespaces", []string{"a/1", "c/1", "e/1"}, []string{"d/0", "b/5", "f/0", "0/0"}},
		{"same namespace interleaved", []string{"n/b", "n/d", "n/f"}, []string{"n/e", "n/a", "n/c", "n/g"}},
		{"namespace a prefix of another", []string{"a/z", "ab/a"}, []string{"a/zz", "ab/0", "a/0"}},
		{"random, 2000 keys", big, bigAdd},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := append(append([]*entry{}, mk(tc.sorted...)...), mk(tc.add...)...)
			sort.Slice(want, func(i, j int) bool { return entryLess(want[i], want[j]) })
			got := mergeSorted(mk(tc.sorted...), mk(tc.add...))
			if d := cmp.Diff(keys(want), keys(got)); d != "" {
				t.Errorf("merge (-want +got):\n%s", d)
			}
		})
	}
}
