package plugins

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// ScoringStrategyType names how NodeResourcesFit scores.
type ScoringStrategyType string

// The scoring strategies of NodeResourcesFit.
const (
	// LeastAllocated favours nodes with the most free resources (spreading).
	LeastAllocated ScoringStrategyType = "LeastAllocated"
	// MostAllocated favours nodes with the least free resources (bin packing).
	MostAllocated ScoringStrategyType = "MostAllocated"
	// RequestedToCapacityRatio scores utilisation through a piecewise linear shape.
	RequestedToCapacityRatio ScoringStrategyType = "RequestedToCapacityRatio"
)

// ResourceSpec is a resource and its weight in a score.
type ResourceSpec struct {
	Name   corev1.ResourceName
	Weight int64
}

// UtilizationShapePoint is a point of the RequestedToCapacityRatio function: utilisation in
// [0, 100] maps to score in [0, 10].
type UtilizationShapePoint struct {
	Utilization int32
	Score       int32
}

// ScoringStrategy configures NodeResourcesFit scoring.
type ScoringStrategy struct {
	// Type defaults to LeastAllocated.
	Type ScoringStrategyType
	// Resources default to cpu and memory with weight 1.
	Resources []ResourceSpec
	// Shape is required for RequestedToCapacityRatio, ascending by utilisation.
	Shape []UtilizationShapePoint
}

// NodeResourcesFitArgs are NodeResourcesFit's arguments.
type NodeResourcesFitArgs struct {
	// IgnoredResources are extended resources the filter does not check.
	IgnoredResources []corev1.ResourceName
	// IgnoredResourceGroups are prefixes (the part before "/") of extended resources the
	// filter does not check.
	IgnoredResourceGroups []string
	// ScoringStrategy; nil is LeastAllocated over cpu and memory.
	ScoringStrategy *ScoringStrategy
}

// NodeResourcesBalancedAllocationArgs are NodeResourcesBalancedAllocation's arguments.
type NodeResourcesBalancedAllocationArgs struct {
	// Resources default to cpu and memory, weight 1.
	Resources []ResourceSpec
}

var defaultResources = []ResourceSpec{{Name: corev1.ResourceCPU, Weight: 1}, {Name: corev1.ResourceMemory, Weight: 1}}

// ErrInvalidArgs is matched by errors about plugin arguments.
var ErrInvalidArgs = errors.New("invalid plugin arguments")

// NodeResourcesFit filters nodes without room for the pod's requests and scores by the
// configured strategy.
type NodeResourcesFit struct {
	h             framework.Handle // for the class memo of the requests; nil outside a framework
	ignored       map[corev1.ResourceName]bool
	ignoredGroups map[string]bool
	strategy      ScoringStrategyType
	resources     []ResourceSpec
	shape         []UtilizationShapePoint
}

var (
	_ framework.PreFilterPlugin = (*NodeResourcesFit)(nil)
	_ framework.FilterPlugin    = (*NodeResourcesFit)(nil)
	_ framework.ScorePlugin     = (*NodeResourcesFit)(nil)
)

// NewNodeResourcesFit validates args (nil for defaults).
func NewNodeResourcesFit(args *NodeResourcesFitArgs) (*NodeResourcesFit, error) {
	p := &NodeResourcesFit{ignored: map[corev1.ResourceName]bool{}, ignoredGroups: map[string]bool{}, strategy: LeastAllocated, resources: defaultResources}
	if args == nil {
		return p, nil
	}
	for _, r := range args.IgnoredResources {
		p.ignored[r] = true
	}
	for _, g := range args.IgnoredResourceGroups {
		p.ignoredGroups[g] = true
	}
	if s := args.ScoringStrategy; s != nil {
		if s.Type != "" {
			p.strategy = s.Type
		}
		if len(s.Resources) > 0 {
			p.resources = s.Resources
		}
		for _, r := range p.resources {
			if r.Weight <= 0 || r.Weight > 100 {
				return nil, fmt.Errorf("node resources fit: resource %q weight %d not in [1, 100]: %w", r.Name, r.Weight, ErrInvalidArgs)
			}
		}
		switch p.strategy {
		case LeastAllocated, MostAllocated:
		case RequestedToCapacityRatio:
			if len(s.Shape) == 0 {
				return nil, fmt.Errorf("node resources fit: RequestedToCapacityRatio needs a shape: %w", ErrInvalidArgs)
			}
			for i, pt := range s.Shape {
				if pt.Utilization < 0 || pt.Utilization > 100 || pt.Score < 0 || pt.Score > 10 {
					return nil, fmt.Errorf("node resources fit: shape point %d (%d, %d) out of range: %w", i, pt.Utilization, pt.Score, ErrInvalidArgs)
				}
				if i > 0 && pt.Utilization <= s.Shape[i-1].Utilization {
					return nil, fmt.Errorf("node resources fit: shape utilizations must increase: %w", ErrInvalidArgs)
				}
			}
			p.shape = s.Shape
		default:
			return nil, fmt.Errorf("node resources fit: unknown scoring strategy %q: %w", p.strategy, ErrInvalidArgs)
		}
	}
	return p, nil
}

// Name implements framework.Plugin.
func (*NodeResourcesFit) Name() string { return NameNodeResourcesFit }

// NodeLocal implements framework.NodeLocalPlugin: the verdict depends on the pod's requests and
// the node's allocatable and requested resources only.
func (*NodeResourcesFit) NodeLocal() bool { return true }

const fitKey framework.StateKey = NameNodeResourcesFit

type fitState struct {
	req, nonZero framework.Resource
}

// PreFilter computes the pod's requests once per equivalence class (pods of a class have one
// spec, so the same requests; parsing the quantities every cycle showed in profiles).
func (p *NodeResourcesFit) PreFilter(_ context.Context, state *framework.CycleState, pod *corev1.Pod, _ []*framework.NodeInfo) (*framework.PreFilterResult, *framework.Status) {
	if p.h != nil {
		if m, ok := p.h.ClassMemo(state, fitKey).(*immutable[fitState]); ok {
			state.Write(fitKey, m)
			return nil, nil
		}
	}
	m := &immutable[fitState]{fitState{req: framework.PodRequests(pod, false), nonZero: framework.PodRequests(pod, true)}}
	if p.h != nil {
		p.h.SetClassMemo(state, fitKey, m)
	}
	state.Write(fitKey, m)
	return nil, nil
}

// PreFilterExtensions implements framework.PreFilterPlugin.
func (*NodeResourcesFit) PreFilterExtensions() framework.PreFilterExtensions { return nil }

// InsufficientResource describes one resource a node lacks.
type InsufficientResource struct {
	Name                       corev1.ResourceName
	Requested, Used, Available int64
}

// Insufficient lists what the node lacks for a pod needing req (pods count first).
func (p *NodeResourcesFit) Insufficient(req framework.Resource, ni *framework.NodeInfo) []InsufficientResource {
	var out []InsufficientResource
	if int64(len(ni.Pods))+1 > ni.Allocatable.AllowedPodNumber {
		out = append(out, InsufficientResource{Name: corev1.ResourcePods, Requested: 1, Used: int64(len(ni.Pods)), Available: ni.Allocatable.AllowedPodNumber})
	}
	check := func(name corev1.ResourceName, r, used, alloc int64) {
		if r > 0 && r > alloc-used {
			out = append(out, InsufficientResource{Name: name, Requested: r, Used: used, Available: alloc})
		}
	}
	check(corev1.ResourceCPU, req.MilliCPU, ni.Requested.MilliCPU, ni.Allocatable.MilliCPU)
	check(corev1.ResourceMemory, req.Memory, ni.Requested.Memory, ni.Allocatable.Memory)
	check(corev1.ResourceEphemeralStorage, req.EphemeralStorage, ni.Requested.EphemeralStorage, ni.Allocatable.EphemeralStorage)
	names := make([]corev1.ResourceName, 0, len(req.Scalar))
	for name := range req.Scalar {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	for _, name := range names {
		v := req.Scalar[name]
		if p.ignored[name] {
			continue
		}
		if i := strings.IndexByte(string(name), '/'); i >= 0 && p.ignoredGroups[string(name[:i])] {
			continue
		}
		check(name, v, ni.Requested.Scalar[name], ni.Allocatable.Scalar[name])
	}
	return out
}

// Filter implements framework.FilterPlugin: one reason per missing resource ("Too many pods",
// "Insufficient cpu", ...).
func (p *NodeResourcesFit) Filter(_ context.Context, state *framework.CycleState, _ *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	st, s := readState[*immutable[fitState]](state, fitKey)
	if s != nil {
		return s
	}
	ins := p.Insufficient(st.v.req, ni)
	if len(ins) == 0 {
		return nil
	}
	reasons := make([]string, len(ins))
	for i, r := range ins {
		if r.Name == corev1.ResourcePods {
			reasons[i] = ReasonTooManyPods
		} else {
			reasons[i] = reasonInsufficientPrefx + string(r.Name)
		}
	}
	return framework.NewStatus(framework.Unschedulable, reasons...)
}

// Score implements framework.ScorePlugin with the configured strategy.
func (p *NodeResourcesFit) Score(_ context.Context, state *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	var st fitState
	if d, s := readState[*immutable[fitState]](state, fitKey); s == nil {
		st = d.v
	} else {
		st = fitState{req: framework.PodRequests(pod, false), nonZero: framework.PodRequests(pod, true)}
	}
	var sum, weights int64
	var fsum float64
	for _, r := range p.resources {
		alloc, req := allocatableRequested(ni, st, r.Name, false)
		if alloc == 0 {
			continue
		}
		switch p.strategy {
		case LeastAllocated:
			if req <= alloc {
				sum += (alloc - req) * framework.MaxNodeScore / alloc * r.Weight
			}
		case MostAllocated:
			sum += min(req, alloc) * framework.MaxNodeScore / alloc * r.Weight
		case RequestedToCapacityRatio:
			util := int64(100)
			if req <= alloc {
				util = req * 100 / alloc
			}
			fsum += float64(brokenLinear(p.shape, util) * r.Weight)
		}
		weights += r.Weight
	}
	if weights == 0 {
		return 0, nil
	}
	if p.strategy == RequestedToCapacityRatio {
		return int64(math.Round(fsum / float64(weights))), nil
	}
	return sum / weights, nil
}

// brokenLinear evaluates the shape (scores scaled from [0, 10] to [0, 100]) at util.
func brokenLinear(shape []UtilizationShapePoint, util int64) int64 {
	scale := framework.MaxNodeScore / 10
	for i, pt := range shape {
		if util <= int64(pt.Utilization) {
			if i == 0 {
				return int64(pt.Score) * scale
			}
			prev := shape[i-1]
			s0, s1 := int64(prev.Score)*scale, int64(pt.Score)*scale
			return s0 + (s1-s0)*(util-int64(prev.Utilization))/int64(pt.Utilization-prev.Utilization)
		}
	}
	return int64(shape[len(shape)-1].Score) * scale
}

// allocatableRequested returns the node's allocatable amount of name and what would be
// requested with the pod on it: non-zero defaults for cpu and memory unless useRequested; an
// extended resource the pod does not request is left out (0, 0).
func allocatableRequested(ni *framework.NodeInfo, st fitState, name corev1.ResourceName, useRequested bool) (int64, int64) {
	switch name {
	case corev1.ResourceCPU, corev1.ResourceMemory:
		if useRequested {
			return ni.Allocatable.Get(name), ni.Requested.Get(name) + st.req.Get(name)
		}
		return ni.Allocatable.Get(name), ni.NonZeroRequested.Get(name) + st.nonZero.Get(name)
	case corev1.ResourceEphemeralStorage, corev1.ResourcePods:
		return ni.Allocatable.Get(name), ni.Requested.Get(name) + st.req.Get(name)
	}
	if st.req.Get(name) == 0 {
		return 0, 0
	}
	return ni.Allocatable.Get(name), ni.Requested.Get(name) + st.req.Get(name)
}

// ScoreExtensions implements framework.ScorePlugin: scores are already in [0, 100].
func (*NodeResourcesFit) ScoreExtensions() framework.ScoreExtensions { return nil }

// NodeResourcesBalancedAllocation favours nodes whose resource fractions in use (with the
// pod) are close to each other: score = (1 - standard deviation of the fractions) * 100.
type NodeResourcesBalancedAllocation struct {
	resources []ResourceSpec
}

var (
	_ framework.PreScorePlugin = (*NodeResourcesBalancedAllocation)(nil)
	_ framework.ScorePlugin    = (*NodeResourcesBalancedAllocation)(nil)
)

// NewNodeResourcesBalancedAllocation validates args (nil for defaults).
func NewNodeResourcesBalancedAllocation(args *NodeResourcesBalancedAllocationArgs) (*NodeResourcesBalancedAllocation, error) {
	p := &NodeResourcesBalancedAllocation{resources: defaultResources}
	if args != nil && len(args.Resources) > 0 {
		for _, r := range args.Resources {
			if r.Weight <= 0 || r.Weight > 100 {
				return nil, fmt.Errorf("balanced allocation: resource %q weight %d not in [1, 100]: %w", r.Name, r.Weight, ErrInvalidArgs)
			}
		}
		p.resources = args.Resources
	}
	return p, nil
}

const balancedKey framework.StateKey = NameNodeResourcesBalancedAllocation

// Name implements framework.Plugin.
func (*NodeResourcesBalancedAllocation) Name() string { return NameNodeResourcesBalancedAllocation }

// NodeLocal implements framework.NodeLocalPlugin: the verdict depends on the pod's requests and
// the node's allocatable and requested resources only.
func (*NodeResourcesBalancedAllocation) NodeLocal() bool { return true }

// PreScore computes the pod's requests (NodeResourcesFit's, when its PreFilter ran); a pod
// that requests none of the resources skips.
func (p *NodeResourcesBalancedAllocation) PreScore(_ context.Context, state *framework.CycleState, pod *corev1.Pod, _ []*framework.NodeInfo) *framework.Status {
	var req framework.Resource
	if d, s := readState[*immutable[fitState]](state, fitKey); s == nil {
		req = d.v.req
	} else {
		req = framework.PodRequests(pod, false)
	}
	requests := false
	for _, r := range p.resources {
		if req.Get(r.Name) != 0 {
			requests = true
		}
	}
	if !requests {
		return skipStatus
	}
	state.Write(balancedKey, &immutable[fitState]{fitState{req: req}})
	return nil
}

// Score implements framework.ScorePlugin.
func (p *NodeResourcesBalancedAllocation) Score(_ context.Context, state *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	d, s := readState[*immutable[fitState]](state, balancedKey)
	if s != nil {
		return 0, s
	}
	var fr [8]float64
	fractions := fr[:0]
	for _, r := range p.resources {
		alloc, req := allocatableRequested(ni, d.v, r.Name, true)
		if alloc == 0 {
			continue
		}
		f := float64(req) / float64(alloc)
		fractions = append(fractions, min(f, 1))
	}
	var std float64
	switch len(fractions) {
	case 0, 1:
	case 2:
		std = math.Abs(fractions[0]-fractions[1]) / 2
	default:
		var mean float64
		for _, f := range fractions {
			mean += f
		}
		mean /= float64(len(fractions))
		var v float64
		for _, f := range fractions {
			v += (f - mean) * (f - mean)
		}
		std = math.Sqrt(v / float64(len(fractions)))
	}
	return int64((1 - std) * float64(framework.MaxNodeScore)), nil
}

// ScoreExtensions implements framework.ScorePlugin.
func (*NodeResourcesBalancedAllocation) ScoreExtensions() framework.ScoreExtensions { return nil }

// ImageLocality favours nodes that already have the pod's images, weighted by image size and
// by how widely the image is spread (to avoid herding onto the few nodes having it).
type ImageLocality struct{ h framework.Handle }

var (
	_ framework.PreScorePlugin = (*ImageLocality)(nil)
	_ framework.ScorePlugin    = (*ImageLocality)(nil)
)

// Thresholds of ImageLocality: below 23 MB scores 0, above 1000 MB per container scores 100.
const (
	imageMinThreshold          int64 = 23 * 1024 * 1024
	imageMaxContainerThreshold int64 = 1000 * 1024 * 1024
)

const imageKey framework.StateKey = NameImageLocality

// imageState is the pod's container images, normalised once per cycle, with the fraction of
// the nodes having each (the same for every node of the cycle), and the containers counted.
type imageState struct {
	names  []string
	spread []float64
	n      int
}

// Name implements framework.Plugin.
func (*ImageLocality) Name() string { return NameImageLocality }

// PreScore normalises the pod's image names and looks up how many nodes have each. When no
// node has any of them every node scores 0 (below the minimum threshold), so the plugin skips:
// leaving out a score that is 0 everywhere changes no total.
func (p *ImageLocality) PreScore(_ context.Context, state *framework.CycleState, pod *corev1.Pod, _ []*framework.NodeInfo) *framework.Status {
	st := p.images(pod)
	if len(st.names) == 0 {
		return skipStatus
	}
	state.Write(imageKey, &immutable[imageState]{st})
	return nil
}

// images computes the pod's imageState; names holds only the images some node has.
func (p *ImageLocality) images(pod *corev1.Pod) imageState {
	snap := p.h.Snapshot()
	total := snap.NumNodes()
	var st imageState
	add := func(cs []corev1.Container) {
		for i := range cs {
			st.n++
			name := framework.NormalizedImageName(cs[i].Image)
			if have := snap.ImageNumNodes(name); have > 0 && total > 0 {
				st.names = append(st.names, name)
				st.spread = append(st.spread, float64(have)/float64(total))
			}
		}
	}
	add(pod.Spec.InitContainers)
	add(pod.Spec.Containers)
	return st
}

// Score implements framework.ScorePlugin.
func (p *ImageLocality) Score(_ context.Context, state *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	var st imageState
	if d, s := readState[*immutable[imageState]](state, imageKey); s == nil {
		st = d.v
	} else {
		st = p.images(pod) // PreScore did not run (a caller scoring directly)
	}
	var sum int64
	if ni.ImageStates != nil {
		for i, name := range st.names {
			if is, ok := ni.ImageStates[name]; ok {
				sum += int64(float64(is.Size) * st.spread[i])
			}
		}
	}
	maxT := imageMaxContainerThreshold * int64(st.n)
	if sum < imageMinThreshold {
		sum = imageMinThreshold
	} else if sum > maxT {
		sum = maxT
	}
	if maxT <= imageMinThreshold {
		return 0, nil
	}
	return framework.MaxNodeScore * (sum - imageMinThreshold) / (maxT - imageMinThreshold), nil
}

// ScoreExtensions implements framework.ScorePlugin.
func (*ImageLocality) ScoreExtensions() framework.ScoreExtensions { return nil }
