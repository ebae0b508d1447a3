package framework

import (
	"errors"
	"fmt"
	"sort"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
)

// Snapshot is the scheduler's view of the cluster: NodeInfos for every node, the labels of
// namespaces (for namespace selectors) and PodDisruptionBudgets (for preemption). It is updated
// incrementally: each change touches only the NodeInfo it concerns and takes the next
// generation number, so a consumer can copy only what changed since the generation it saw.
//
// A Snapshot has one owner: changes must not run concurrently with each other or with a
// scheduling cycle reading it. Concurrent reads (parallel filtering) are safe.
type Snapshot struct {
	generation int64
	infos      map[string]*NodeInfo // includes NodeInfos of pods whose node is not known yet
	list       []*NodeInfo          // nodes only, stable order except for removals
	index      map[string]int       // position in list

	affinityDirty    bool
	withAffinity     []*NodeInfo
	withRequiredAnti []*NodeInfo
	imageNodes       map[string]int // normalised image name -> number of nodes having it
	namespaceLabels  map[string]labels.Set
	pdbs             map[string]*policyv1.PodDisruptionBudget
	pdbList          []*policyv1.PodDisruptionBudget
	pdbDirty         bool

	// slots number the nodes densely for per-node caches (equivalence classes): a removed
	// node's slot is reused by a later node, whose generation is newer than anything cached
	// for the slot before.
	freeSlots []int
	numSlots  int
	bySlot    []*NodeInfo
	// Dense copies of what a cycle reads of every sampled node, so that a cycle whose
	// verdicts and scores are cached touches no NodeInfo: listSlots[i] is the slot of
	// list[i]; slotGen and slotName, by slot, the node's Generation (for a free slot, the
	// generation of the node's removal, newer than anything cached for it) and name.
	listSlots []int32
	slotGen   []int64
	slotName  []string

	// changes logs the slots of node changes in generation order, for memos that catch up
	// incrementally (ChangedSince); it reaches back to changesFrom.
	changes     []slotChange
	changesFrom int64
	changedBuf  []int // ChangedSince's result, reused
}

type slotChange struct {
	gen  int64
	slot int
}

// maxChanges bounds the change log; older changes are dropped (memos then rebuild).
const maxChanges = 1 << 14

// ErrNotFound is matched by errors about a node or pod the snapshot does not hold.
var ErrNotFound = errors.New("not found in snapshot")

// ErrExists is matched by errors about adding a node or pod that is already there.
var ErrExists = errors.New("already in snapshot")

// NewSnapshot returns an empty snapshot.
func NewSnapshot() *Snapshot {
	return &Snapshot{
		infos:           map[string]*NodeInfo{},
		index:           map[string]int{},
		imageNodes:      map[string]int{},
		namespaceLabels: map[string]labels.Set{},
		pdbs:            map[string]*policyv1.PodDisruptionBudget{},
	}
}

// Generation is the number of the last change; it only grows.
func (s *Snapshot) Generation() int64 { return s.generation }

func (s *Snapshot) bump(ni *NodeInfo) {
	s.generation++
	if ni == nil {
		return
	}
	ni.Generation = s.generation
	if ni.slot >= 0 {
		s.slotGen[ni.slot] = s.generation
		s.logChange(ni.slot)
	}
}

func (s *Snapshot) logChange(slot int) {
	if len(s.changes) >= maxChanges {
		half := len(s.changes) / 2
		s.changesFrom = s.changes[half-1].gen
		s.changes = append(s.changes[:0], s.changes[half:]...)
	}
	s.changes = append(s.changes, slotChange{gen: s.generation, slot: slot})
}

// forgetChanges makes every memo rebuild: a change that is not a node's (namespace labels).
func (s *Snapshot) forgetChanges() {
	s.changes = s.changes[:0]
	s.changesFrom = s.generation
}

// ChangedSince returns the slots of the nodes that changed (node object, pods on it, added or
// removed) after generation gen, possibly with repeats, or ok false when the log does not
// reach back that far or a change other than a node's happened (then everything must be
// recomputed). The slice is the snapshot's, valid until the next ChangedSince or change: do
// not modify or keep it (memos catch up several times per cycle; a new slice each time
// showed as garbage). Unlike the other reads it writes that slice, so it must not run
// concurrently with itself: call it from the sequential steps (PreFilter, PreScore).
func (s *Snapshot) ChangedSince(gen int64) (slots []int, ok bool) {
	if gen < s.changesFrom {
		return nil, false
	}
	i := sort.Search(len(s.changes), func(i int) bool { return s.changes[i].gen > gen })
	out := s.changedBuf[:0]
	for _, c := range s.changes[i:] {
		out = append(out, c.slot)
	}
	s.changedBuf = out
	return out, true
}

// NodeAt returns the NodeInfo of the node in slot, or nil when the slot is free.
func (s *Snapshot) NodeAt(slot int) *NodeInfo {
	if slot < 0 || slot >= len(s.bySlot) {
		return nil
	}
	return s.bySlot[slot]
}

// NumSlots bounds the slots of the nodes: every node's Slot is below it.
func (s *Snapshot) NumSlots() int { return s.numSlots }

// NumNodes is the number of nodes.
func (s *Snapshot) NumNodes() int { return len(s.list) }

// NodeInfos lists every node's NodeInfo (shared; do not modify the slice or the NodeInfos).
func (s *Snapshot) NodeInfos() []*NodeInfo { return s.list }

// Get returns the NodeInfo of a node.
func (s *Snapshot) Get(name string) (*NodeInfo, bool) {
	ni, ok := s.infos[name]
	if !ok || ni.node == nil {
		return nil, false
	}
	return ni, true
}

// HavePodsWithAffinity lists the nodes running a pod with a pod (anti-)affinity term.
func (s *Snapshot) HavePodsWithAffinity() []*NodeInfo {
	s.refreshAffinity()
	return s.withAffinity
}

// HavePodsWithRequiredAntiAffinity lists the nodes running a pod with a required
// anti-affinity term.
func (s *Snapshot) HavePodsWithRequiredAntiAffinity() []*NodeInfo {
	s.refreshAffinity()
	return s.withRequiredAnti
}

func (s *Snapshot) refreshAffinity() {
	if !s.affinityDirty {
		return
	}
	s.withAffinity, s.withRequiredAnti = s.withAffinity[:0], s.withRequiredAnti[:0]
	for _, ni := range s.list {
		if len(ni.PodsWithAffinity) > 0 {
			s.withAffinity = append(s.withAffinity, ni)
		}
		if len(ni.PodsWithRequiredAntiAffinity) > 0 {
			s.withRequiredAnti = append(s.withRequiredAnti, ni)
		}
	}
	s.affinityDirty = false
}

// AddNode adds a node. Pods added before their node are kept and now count.
func (s *Snapshot) AddNode(n *corev1.Node) error {
	ni, ok := s.infos[n.Name]
	if ok && ni.node != nil {
		return fmt.Errorf("add node %q: %w", n.Name, ErrExists)
	}
	if !ok {
		ni = NewNodeInfo()
		s.infos[n.Name] = ni
	}
	ni.SetNode(n)
	s.addImages(ni)
	if k := len(s.freeSlots); k > 0 {
		ni.slot, s.freeSlots = s.freeSlots[k-1], s.freeSlots[:k-1]
		s.bySlot[ni.slot] = ni
		s.slotName[ni.slot] = ni.name
	} else {
		ni.slot = s.numSlots
		s.numSlots++
		s.bySlot = append(s.bySlot, ni)
		s.slotGen = append(s.slotGen, 0)
		s.slotName = append(s.slotName, ni.name)
	}
	s.index[n.Name] = len(s.list)
	s.list = append(s.list, ni)
	s.listSlots = append(s.listSlots, int32(ni.slot))
	s.affinityDirty = s.affinityDirty || len(ni.PodsWithAffinity) > 0
	s.bump(ni)
	return nil
}

// UpdateNode replaces a node's object (labels, taints, allocatable, images ...).
func (s *Snapshot) UpdateNode(n *corev1.Node) error {
	ni, ok := s.Get(n.Name)
	if !ok {
		return fmt.Errorf("update node %q: %w", n.Name, ErrNotFound)
	}
	s.removeImages(ni)
	ni.SetNode(n)
	s.addImages(ni)
	s.bump(ni)
	return nil
}

// RemoveNode removes a node and the pods on it.
func (s *Snapshot) RemoveNode(name string) error {
	ni, ok := s.Get(name)
	if !ok {
		return fmt.Errorf("remove node %q: %w", name, ErrNotFound)
	}
	s.removeImages(ni)
	s.freeSlots = append(s.freeSlots, ni.slot)
	s.bySlot[ni.slot] = nil
	s.slotName[ni.slot] = ""
	slot := ni.slot
	ni.slot = -1
	i := s.index[name]
	last := len(s.list) - 1
	s.list[i] = s.list[last]
	s.listSlots[i] = s.listSlots[last]
	s.index[s.list[i].Name()] = i
	s.list[last] = nil
	s.list = s.list[:last]
	s.listSlots = s.listSlots[:last]
	delete(s.index, name)
	delete(s.infos, name)
	s.affinityDirty = true
	s.bump(nil)
	s.slotGen[slot] = s.generation
	s.logChange(slot)
	return nil
}

func (s *Snapshot) addImages(ni *NodeInfo) {
	// nil for a node without images: a lookup in a nil map reads no memory, in an empty one
	// it reads the map's header, a cache miss per node and cycle in ImageLocality's Score.
	ni.ImageStates = nil
	if len(ni.node.Status.Images) > 0 {
		ni.ImageStates = make(map[string]*ImageState)
	}
	for _, img := range ni.node.Status.Images {
		for _, name := range img.Names {
			name = NormalizedImageName(name)
			if _, dup := ni.ImageStates[name]; dup {
				continue
			}
			s.imageNodes[name]++
			ni.ImageStates[name] = &ImageState{Size: img.SizeBytes}
		}
	}
}

func (s *Snapshot) removeImages(ni *NodeInfo) {
	for name := range ni.ImageStates {
		if s.imageNodes[name] <= 1 {
			delete(s.imageNodes, name)
		} else {
			s.imageNodes[name]--
		}
	}
}

// ImageNumNodes is the number of nodes that have the image (normalised name).
func (s *Snapshot) ImageNumNodes(image string) int { return s.imageNodes[image] }

// AddPod accounts for a pod on pod.Spec.NodeName.
func (s *Snapshot) AddPod(pi *PodInfo) error {
	name := pi.Pod.Spec.NodeName
	if name == "" {
		return fmt.Errorf("add pod %s/%s: no node name", pi.Pod.Namespace, pi.Pod.Name)
	}
	ni, ok := s.infos[name]
	if !ok {
		ni = NewNodeInfo()
		s.infos[name] = ni
	}
	if indexOfPod(ni.Pods, pi.Pod) >= 0 {
		return fmt.Errorf("add pod %s/%s: %w", pi.Pod.Namespace, pi.Pod.Name, ErrExists)
	}
	ni.AddPod(pi)
	if pi.HasAffinity() {
		s.affinityDirty = true
	}
	s.bump(ni)
	return nil
}

// RemovePod removes a pod from pod.Spec.NodeName.
func (s *Snapshot) RemovePod(pod *corev1.Pod) error {
	ni, ok := s.infos[pod.Spec.NodeName]
	if !ok || !ni.RemovePod(pod) {
		return fmt.Errorf("remove pod %s/%s from %q: %w", pod.Namespace, pod.Name, pod.Spec.NodeName, ErrNotFound)
	}
	// Only a pod with (anti-)affinity terms can change the lists of nodes with such pods
	// (PodInfo.HasAffinity is derived from these spec fields); rescanning every node after
	// each removal showed in profiles.
	if a := pod.Spec.Affinity; a != nil && (a.PodAffinity != nil || a.PodAntiAffinity != nil) {
		s.affinityDirty = true
	}
	if ni.node == nil && len(ni.Pods) == 0 {
		delete(s.infos, pod.Spec.NodeName)
	}
	s.bump(ni)
	return nil
}

// SetNamespace records (or replaces) a namespace's labels.
func (s *Snapshot) SetNamespace(ns *corev1.Namespace) {
	s.namespaceLabels[ns.Name] = labels.Set(ns.Labels)
	s.bump(nil)
	s.forgetChanges()
}

// RemoveNamespace forgets a namespace.
func (s *Snapshot) RemoveNamespace(name string) {
	delete(s.namespaceLabels, name)
	s.bump(nil)
	s.forgetChanges()
}

// NamespaceLabels returns a namespace's labels (nil if unknown).
func (s *Snapshot) NamespaceLabels(name string) labels.Set { return s.namespaceLabels[name] }

// SetPDB records (or replaces) a PodDisruptionBudget.
func (s *Snapshot) SetPDB(pdb *policyv1.PodDisruptionBudget) {
	s.pdbs[pdb.Namespace+"/"+pdb.Name] = pdb
	s.pdbDirty = true
	s.bump(nil)
}

// RemovePDB forgets a PodDisruptionBudget.
func (s *Snapshot) RemovePDB(namespace, name string) {
	delete(s.pdbs, namespace+"/"+name)
	s.pdbDirty = true
	s.bump(nil)
}

// PDBs lists the PodDisruptionBudgets (shared; do not modify).
func (s *Snapshot) PDBs() []*policyv1.PodDisruptionBudget {
	if s.pdbDirty {
		s.pdbList = s.pdbList[:0]
		for _, p := range s.pdbs {
			s.pdbList = append(s.pdbList, p)
		}
		sort.Slice(s.pdbList, func(i, j int) bool {
			a, b := s.pdbList[i], s.pdbList[j]
			return a.Namespace < b.Namespace || a.Namespace == b.Namespace && a.Name < b.Name
		})
		s.pdbDirty = false
	}
	return s.pdbList
}

// prepare settles the lazily maintained lists so that a cycle's concurrent reads never write.
func (s *Snapshot) prepare() {
	s.refreshAffinity()
	s.PDBs()
}
