package informer

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store/storetest"
)

type widget = storetest.Widget

// Small alphabets so that random selectors match a fair share of random objects; values are
// integers or letters so that gt and lt requirements both match and fail to parse.
var (
	modelKeys   = []string{"app", "tier", "zone", "example.com/role"}
	modelValues = []string{"1", "2", "10", "a", "b", ""}
	modelOps    = []labels.Operator{labels.Equals, labels.DoubleEquals, labels.NotEquals, labels.In, labels.NotIn,
		labels.Exists, labels.DoesNotExist, labels.GreaterThan, labels.LessThan}
)

func randomLabels(rng *rand.Rand) map[string]string {
	n := rng.IntN(len(modelKeys) + 1)
	if n == 0 && rng.IntN(2) == 0 {
		return nil
	}
	ls := map[string]string{}
	for range n {
		ls[modelKeys[rng.IntN(len(modelKeys))]] = modelValues[rng.IntN(len(modelValues))]
	}
	return ls
}

func randomSelector(t testing.TB, rng *rand.Rand) labels.Selector {
	t.Helper()
	switch rng.IntN(20) {
	case 0:
		return nil
	case 1:
		return labels.Everything()
	case 2:
		return labels.Nothing()
	}
	var rs []labels.Requirement
	for range 1 + rng.IntN(3) {
		op := modelOps[rng.IntN(len(modelOps))]
		var vals []string
		switch op {
		case labels.Equals, labels.DoubleEquals, labels.NotEquals:
			vals = []string{modelValues[rng.IntN(len(modelValues))]}
		case labels.In, labels.NotIn:
			for range 1 + rng.IntN(3) {
				vals = append(vals, modelValues[rng.IntN(len(modelValues))])
			}
		case labels.GreaterThan, labels.LessThan:
			vals = []string{strconv.Itoa(rng.IntN(12))}
		}
		r, err := labels.NewRequirement(modelKeys[rng.IntN(len(modelKeys))], op, vals)
		if err != nil {
			t.Fatalf("requirement %s %v: %v", op, vals, err)
		}
		rs = append(rs, r)
	}
	return labels.SelectorFromRequirements(rs...)
}

// scan is the model's answer: every object of objs matching sel (in namespace ns unless ns is
// "*"), sorted by namespace and name.
func scan(objs map[Key]*widget, sel labels.Selector, ns string) []*widget {
	var out []*widget
	for k, w := range objs {
		if ns != "*" && k.Namespace != ns {
			continue
		}
		if sel == nil || sel.Empty() || sel.Matches(labels.Set(w.Labels)) {
			out = append(out, w)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// wantIndex rebuilds the label index from scratch; the cache's incremental index must equal
// it exactly (no stale key, no empty entry left behind).
func wantIndex(objs map[Key]*widget) map[string]map[string]map[Key]struct{} {
	idx := map[string]map[string]map[Key]struct{}{}
	for k, w := range objs {
		for lk, lv := range w.Labels {
			if idx[lk] == nil {
				idx[lk] = map[string]map[Key]struct{}{}
			}
			if idx[lk][lv] == nil {
				idx[lk][lv] = map[Key]struct{}{}
			}
			idx[lk][lv][k] = struct{}{}
		}
	}
	return idx
}

func sameObjects(a, b []*widget) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func names(ws []*widget) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Namespace + "/" + w.Name + " " + labels.Set(w.Labels).String()
	}
	return out
}

// TestLabelIndexModel applies random adds, label-changing and label-keeping updates and
// deletes to a cache with a label index, and after every step compares List and
// NamespaceLister.List of random selectors with a scan of a model, and the index with one
// rebuilt from scratch.
func TestLabelIndexModel(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			c := newCache[*widget](true)
			model := map[Key]*widget{}
			l := Lister[*widget]{c: c}
			indexed := 0
			for step := range 3000 {
				k := Key{Namespace: fmt.Sprintf("ns-%d", rng.IntN(3)), Name: fmt.Sprintf("w-%d", rng.IntN(60))}
				switch op := rng.IntN(10); {
				case op < 2:
					c.remove(k)
					delete(model, k)
				default:
					w := &widget{ObjectMeta: meta.ObjectMeta{Namespace: k.Namespace, Name: k.Name, ResourceVersion: strconv.Itoa(step)}}
					if old, ok := model[k]; ok && op < 5 {
						w.Labels = old.Labels // an update that keeps the labels
					} else {
						w.Labels = randomLabels(rng)
					}
					c.put(w)
					model[k] = w
				}
				if step%25 != 0 {
					continue
				}
				if diff := cmp.Diff(wantIndex(model), c.labels); diff != "" {
					t.Fatalf("step %d: label index differs from the model (-want +got):\n%s", step, diff)
				}
				for range 40 {
					sel := randomSelector(t, rng)
					if sets, n, ok := c.candidatesLocked(sel); ok {
						// Whether or not List would pick the index for this selector, what the
						// index gives must be the scan's answer.
						indexed++
						got := c.fromIndexLocked(sets, n, sel, "", true)
						sortObjects(got)
						if want := scan(model, sel, "*"); !sameObjects(got, want) {
							t.Fatalf("step %d: index answer to %v differs from the scan (-scan +index):\n%s", step, sel, cmp.Diff(names(want), names(got)))
						}
					}
					if got, want := l.List(sel), scan(model, sel, "*"); !sameObjects(got, want) {
						t.Fatalf("step %d: List(%v) differs from the scan (-scan +list):\n%s", step, sel, cmp.Diff(names(want), names(got)))
					}
					ns := fmt.Sprintf("ns-%d", rng.IntN(4))
					if got, want := l.Namespace(ns).List(sel), scan(model, sel, ns); !sameObjects(got, want) {
						t.Fatalf("step %d: Namespace(%s).List(%v) differs from the scan (-scan +list):\n%s", step, ns, sel, cmp.Diff(names(want), names(got)))
					}
				}
			}
			// The model is only a check if the index was actually used for many selectors.
			if indexed < 1500 {
				t.Fatalf("only %d of 4800 selectors were answered from the index", indexed)
			}
		})
	}
}

// TestLabelIndexConcurrent runs writers and readers of one indexed cache at once (meant for
// -race): each writer owns a namespace, so at the end the cache must equal the union of the
// writers' models, and every read during the run must return only objects that match.
func TestLabelIndexConcurrent(t *testing.T) {
	const writers, readers, steps = 4, 2, 2000
	c := newCache[*widget](true)
	l := Lister[*widget]{c: c}
	models := make([]map[Key]*widget, writers)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, readers)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(r), 7))
			for {
				select {
				case <-stop:
					return
				default:
				}
				sel := randomSelector(t, rng)
				for _, w := range l.List(sel) {
					if sel != nil && !sel.Empty() && !sel.Matches(labels.Set(w.Labels)) {
						errs <- fmt.Errorf("List(%v) returned %s/%s with labels %v", sel, w.Namespace, w.Name, w.Labels)
						return
					}
				}
			}
		}()
	}
	var ww sync.WaitGroup
	for i := range writers {
		models[i] = map[Key]*widget{}
		ww.Add(1)
		go func() {
			defer ww.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 11))
			for step := range steps {
				k := Key{Namespace: fmt.Sprintf("ns-%d", i), Name: fmt.Sprintf("w-%d", rng.IntN(50))}
				if rng.IntN(5) == 0 {
					c.remove(k)
					delete(models[i], k)
					continue
				}
				w := &widget{ObjectMeta: meta.ObjectMeta{Namespace: k.Namespace, Name: k.Name, ResourceVersion: strconv.Itoa(step), Labels: randomLabels(rng)}}
				c.put(w)
				models[i][k] = w
			}
		}()
	}
	ww.Wait()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all := map[Key]*widget{}
	for _, m := range models {
		for k, w := range m {
			all[k] = w
		}
	}
	if diff := cmp.Diff(wantIndex(all), c.labels); diff != "" {
		t.Fatalf("label index differs from the writers' models (-want +got):\n%s", diff)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for range 500 {
		sel := randomSelector(t, rng)
		if got, want := l.List(sel), scan(all, sel, "*"); !sameObjects(got, want) {
			t.Fatalf("List(%v) differs from the scan (-scan +list):\n%s", sel, cmp.Diff(names(want), names(got)))
		}
	}
}

// BenchmarkCacheWrite measures the cost per event of the cache's write side without and with
// the label index: updates that keep an object's labels (status and spec changes, the common
// case), updates that change one label, and a delete followed by a create. Objects carry
// four labels.
func BenchmarkCacheWrite(b *testing.B) {
	const n = 10_000
	mk := func(i, version int) *widget {
		return &widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns-" + strconv.Itoa(i%100), Name: "w-" + strconv.Itoa(i),
			ResourceVersion: strconv.Itoa(version), Labels: map[string]string{
				"app": "app-" + strconv.Itoa(i%1000), "tier": "backend", "pod-template-hash": "h" + strconv.Itoa(i%1000),
				"version": "v" + strconv.Itoa(version%2)}}}
	}
	for _, index := range []bool{false, true} {
		for _, ev := range []string{"update/labels kept", "update/one label changed", "delete+create"} {
			b.Run(fmt.Sprintf("labelIndex=%t/%s", index, ev), func(b *testing.B) {
				c := newCache[*widget](index)
				// Two versions of every object, built before timing.
				objs := [2][]*widget{make([]*widget, n), make([]*widget, n)}
				for i := range n {
					objs[0][i], objs[1][i] = mk(i, 0), mk(i, 1)
					if ev == "update/labels kept" {
						objs[1][i].Labels = objs[0][i].Labels
					}
					c.put(objs[0][i])
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					w := objs[(i/n+1)%2][i%n]
					if ev == "delete+create" {
						c.remove(Key{w.Namespace, w.Name})
					}
					c.put(w)
				}
			})
		}
	}
}
