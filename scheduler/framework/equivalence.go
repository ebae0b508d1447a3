package framework

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// NodeLocalPlugin is implemented by Filter and Score plugins whose verdict on a pod and a node
// depends only on the pod's equivalence class (namespace, labels and spec) and on the node's
// NodeInfo (the node object and the pods on it), through CycleState entries derived from the
// pod alone. Only their results are cached per equivalence class; a plugin that looks at other
// nodes, other pods' placement across the cluster or anything outside the snapshot's NodeInfo
// (inter-pod affinity, topology spread, image spread) must not implement it (or return false).
type NodeLocalPlugin interface {
	Plugin
	NodeLocal() bool
}

func isNodeLocal(p Plugin) bool {
	nl, ok := p.(NodeLocalPlugin)
	return ok && nl.NodeLocal()
}

// ClassKey identifies an equivalence class: pods with equal keys have the same namespace,
// labels and spec, so every node-local plugin treats them alike.
type ClassKey [sha256.Size]byte

// EquivalenceClass computes pod's class: a SHA-256 of its namespace, labels and spec (pods of
// one controller and template share it).
func EquivalenceClass(pod *corev1.Pod) (ClassKey, error) {
	b, err := json.Marshal(struct {
		Namespace string            `json:"ns"`
		Labels    map[string]string `json:"labels,omitempty"`
		Spec      *corev1.PodSpec   `json:"spec"`
	}{pod.Namespace, pod.Labels, &pod.Spec})
	if err != nil {
		return ClassKey{}, fmt.Errorf("equivalence class of pod %s/%s: %w", pod.Namespace, pod.Name, err)
	}
	return sha256.Sum256(b), nil
}

// sameClass reports whether a and b have equal namespaces, labels and specs, the inputs of
// EquivalenceClass; specEqual distinguishes nil from empty where the JSON encoding does not,
// so it may say false for one class (the key is then just computed again), never true for
// two. Pods of one template come in runs, and this is many times cheaper than encoding and
// hashing.
func sameClass(a, b *corev1.Pod) bool {
	return a.Namespace == b.Namespace && maps.Equal(a.Labels, b.Labels) && specEqual(&a.Spec, &b.Spec)
}

// MaxEquivalenceClasses bounds the classes a Framework remembers; the least recently used is
// forgotten first.
const MaxEquivalenceClasses = 512

type filterEntry struct {
	gen    int64 // NodeInfo.Generation it was computed at; 0 = empty
	status *Status
}

type scoreEntry struct {
	gen   int64
	score int64
}

// classCache holds, for one equivalence class, the filter verdict and the raw (not normalized)
// score of each node-local Score plugin per node slot, each valid while the node's generation
// is unchanged.
type classCache struct {
	lastUse uint64
	// filterMisses and scoreMisses count the nodes of the class's last cycle whose verdict
	// or node-local raw scores were not cached (-1 before its first cycle): a cycle hands its
	// nodes to the Parallelizer only when the last one had enough work (see parallelWork).
	filterMisses, scoreMisses int32
	filterSig                 []FilterPlugin // the Filter plugins the verdicts were computed with
	filter                    []filterEntry
	scores                    [][]scoreEntry // by index in Framework.score; nil for plugins not cached
	memos                     map[StateKey]any
}

// ClassMemo returns what a plugin stored with SetClassMemo under key for the equivalence class
// of the pod of the cycle, or nil (none stored, or equivalence classes are off). Plugins keep
// there aggregates over the cluster that depend only on the class (for example matching pods
// per topology domain) and bring them up to date with Snapshot.ChangedSince instead of
// recomputing them every cycle. Only PreFilter and PreScore may call it (they run alone).
func (f *Framework) ClassMemo(state *CycleState, key StateKey) any {
	if state.class == nil || f.opts.DisableEquivalenceClasses {
		return nil
	}
	return state.class.memos[key]
}

// SetClassMemo stores v under key for the class of the cycle's pod; a no-op when equivalence
// classes are off. The memo must not be shared with the CycleState: copy what the cycle may
// change.
func (f *Framework) SetClassMemo(state *CycleState, key StateKey, v any) {
	if state.class == nil || f.opts.DisableEquivalenceClasses {
		return
	}
	if state.class.memos == nil {
		state.class.memos = map[StateKey]any{}
	}
	state.class.memos[key] = v
}

// classFor returns the cache of pod's class, sized for slots, or nil when both caches are off.
func (f *Framework) classFor(pod *corev1.Pod, slots int) (*classCache, error) {
	if f.opts.DisableEquivalenceClasses && f.opts.DisableScoreCache {
		return nil, nil
	}
	var key ClassKey
	if lp := f.lastClassPod; lp != nil && sameClass(lp, pod) {
		key = f.lastClass
	} else {
		var err error
		if key, err = EquivalenceClass(pod); err != nil {
			return nil, err
		}
		// A copy: a caller may change a pod object it schedules again.
		f.lastClassPod, f.lastClass = &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: pod.Namespace, Labels: maps.Clone(pod.Labels)}, Spec: *pod.Spec.DeepCopy()}, key
	}
	f.uses++
	cc := f.classes[key]
	if cc == nil {
		if f.classes == nil {
			f.classes = map[ClassKey]*classCache{}
		}
		if len(f.classes) >= MaxEquivalenceClasses {
			var oldest ClassKey
			var at uint64
			first := true
			for k, c := range f.classes {
				if first || c.lastUse < at {
					oldest, at, first = k, c.lastUse, false
				}
			}
			delete(f.classes, oldest)
		}
		cc = &classCache{scores: make([][]scoreEntry, len(f.score)), filterMisses: -1, scoreMisses: -1}
		f.classes[key] = cc
	}
	cc.lastUse = f.uses
	if len(cc.filter) < slots {
		cc.filter = append(cc.filter, make([]filterEntry, slots-len(cc.filter))...)
	}
	for i := range f.score {
		if f.scoreLocal[i] && len(cc.scores[i]) < slots {
			cc.scores[i] = append(cc.scores[i], make([]scoreEntry, slots-len(cc.scores[i]))...)
		}
	}
	return cc, nil
}

// prepareFilterCache decides which of this cycle's filter verdicts may be cached: those of the
// longest prefix (in profile order) of the Filter plugins that run and are node-local. The
// prefix's verdict is cached per node; the plugins after it (cluster-wide ones such as
// inter-pod affinity and topology spread, which come last in the default profile) run every
// time on nodes the prefix admits, so the first rejection is the same as without the cache.
// Verdicts cached with another prefix are dropped.
func (f *Framework) prepareFilterCache(state *CycleState) {
	cc := state.class
	state.cacheFilters, state.localFilters = false, 0
	state.nominated = f.opts.Nominator != nil
	if nc, ok := f.opts.Nominator.(NominationCounter); ok && nc.NumNominatedPods() == 0 {
		state.nominated = false
	}
	defer func() {
		if state.slotFilters == nil {
			state.slotFilters = state.slotFiltersInline[:0]
		}
		state.slotFilters = state.slotFilters[:0]
		for _, pl := range state.filters[state.localFilters:] {
			sf, _ := pl.(SlotFilterPlugin)
			state.slotFilters = append(state.slotFilters, sf)
		}
	}()
	if cc == nil || f.opts.DisableEquivalenceClasses {
		return
	}
	for _, pl := range state.filters {
		if !isNodeLocal(pl) {
			break
		}
		state.localFilters++
	}
	if state.localFilters == 0 {
		return
	}
	if sig := state.filters[:state.localFilters]; !slices.Equal(sig, cc.filterSig) {
		clear(cc.filter)
		cc.filterSig = append(cc.filterSig[:0], sig...)
		cc.filterMisses = -1
	}
	state.cacheFilters = true
}

// filterNode runs the filters on a snapshot node, the node-local prefix through the class
// cache when the cycle allows it and no pod is nominated to the node (nominated pods are not
// part of the NodeInfo). slot and gen are the node's Slot and Generation, passed
// from the snapshot's dense arrays so that a cached verdict is found without touching the
// NodeInfo (slot -1: not cached). misses counts the nodes whose node-local verdict was not
// cached.
func (f *Framework) filterNode(ctx context.Context, state *CycleState, pod *corev1.Pod, ni *NodeInfo, slot int32, gen int64, misses *int32) *Status {
	if !state.cacheFilters || slot < 0 || (state.nominated && len(f.opts.Nominator.NominatedPodsForNode(f.snapshot.slotName[slot])) > 0) {
		*misses++
		return f.RunFilterPluginsWithNominatedPods(ctx, state, pod, ni)
	}
	e := &state.class.filter[slot]
	var s *Status
	if e.gen == gen {
		s = e.status
	} else {
		*misses++
		s = runFilters(ctx, state, pod, ni, state.filters[:state.localFilters])
		if s.Code() != Error {
			*e = filterEntry{gen: gen, status: s}
		}
	}
	if !s.IsSuccess() {
		return s
	}
	for k, pl := range state.filters[state.localFilters:] {
		var s *Status
		ok := false
		if sf := state.slotFilters[k]; sf != nil {
			s, ok = sf.FilterSlot(state, int(slot))
		}
		if !ok {
			s = pl.Filter(ctx, state, pod, ni)
		}
		if !s.IsSuccess() {
			return filterFailure(pl, ni, s)
		}
	}
	return nil
}
