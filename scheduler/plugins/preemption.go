package plugins

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync/atomic"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// Reasons of DefaultPreemption.
const (
	ReasonNoVictims         = "No preemption victims found for incoming pod"
	ReasonPreemptionUseless = "Preemption is not helpful for scheduling"
	ReasonPreemptNever      = "not eligible due to preemptionPolicy=Never."
	ReasonTerminatingVictim = "not eligible due to a terminating pod on the nominated node."
)

// DefaultPreemption makes room for a pod that fits nowhere by evicting lower-priority pods:
// on a node where removing all lower-priority pods would let the pod fit, it gives back
// (reprieves) as many of them as it can, most important first and PodDisruptionBudget-
// protected ones before others. Like kube-scheduler it does not dry-run every node: starting
// at an offset that rotates from one call to the next, it evaluates the nodes where
// preemption might help until it holds at least one candidate without PDB violations and
// max(MinCandidateNodesPercentage of the nodes, MinCandidateNodesAbsolute) candidates in
// all (or has seen every node). Among the candidates (those without PDB violations first,
// each group in evaluation order) it picks the one with the fewest PDB violations, the
// lowest highest victim priority, the lowest priority sum, the fewest victims, and the
// latest start among the most important victims, in that order; the first one wins ties.
type DefaultPreemption struct {
	h          framework.Handle
	pct, abs   int32
	nextOffset atomic.Uint64
}

var _ framework.PostFilterPlugin = (*DefaultPreemption)(nil)

// DefaultPreemptionArgs are DefaultPreemption's arguments (kube-scheduler's
// DefaultPreemptionArgs). nil fields take the defaults.
type DefaultPreemptionArgs struct {
	// MinCandidateNodesPercentage is the share of the cluster's nodes, in [0, 100], for which
	// candidates are collected before one is picked. Default 10.
	MinCandidateNodesPercentage *int32
	// MinCandidateNodesAbsolute is the least number of candidates collected (at least 0;
	// not 0 together with a 0 percentage). Default 100.
	MinCandidateNodesAbsolute *int32
}

// Defaults of DefaultPreemptionArgs.
const (
	DefaultMinCandidateNodesPercentage int32 = 10
	DefaultMinCandidateNodesAbsolute   int32 = 100
)

// NewDefaultPreemption validates args (nil for the defaults) and returns the plugin.
func NewDefaultPreemption(args *DefaultPreemptionArgs, h framework.Handle) (*DefaultPreemption, error) {
	p := &DefaultPreemption{h: h, pct: DefaultMinCandidateNodesPercentage, abs: DefaultMinCandidateNodesAbsolute}
	if args != nil {
		if args.MinCandidateNodesPercentage != nil {
			p.pct = *args.MinCandidateNodesPercentage
		}
		if args.MinCandidateNodesAbsolute != nil {
			p.abs = *args.MinCandidateNodesAbsolute
		}
	}
	if p.pct < 0 || p.pct > 100 {
		return nil, fmt.Errorf("default preemption: minCandidateNodesPercentage %d not in [0, 100]: %w", p.pct, ErrInvalidArgs)
	}
	if p.abs < 0 {
		return nil, fmt.Errorf("default preemption: minCandidateNodesAbsolute %d is negative: %w", p.abs, ErrInvalidArgs)
	}
	if p.pct == 0 && p.abs == 0 {
		return nil, fmt.Errorf("default preemption: minCandidateNodesPercentage and minCandidateNodesAbsolute are both 0: %w", ErrInvalidArgs)
	}
	return p, nil
}

// Name implements framework.Plugin.
func (*DefaultPreemption) Name() string { return NameDefaultPreemption }

// numCandidates is how many candidates to collect in a cluster of numNodes nodes:
// max(numNodes*pct/100, abs), at most numNodes.
func (p *DefaultPreemption) numCandidates(numNodes int) int {
	n := numNodes * int(p.pct) / 100
	n = max(n, int(p.abs))
	return min(n, numNodes)
}

type candidate struct {
	node          string
	victims       []*framework.PodInfo
	pdbViolations int
}

// PostFilter implements framework.PostFilterPlugin.
func (p *DefaultPreemption) PostFilter(ctx context.Context, state *framework.CycleState, pod *corev1.Pod, filtered framework.NodeToStatus) (*framework.PostFilterResult, *framework.Status) {
	if pod.Spec.PreemptionPolicy != nil && *pod.Spec.PreemptionPolicy == corev1.PreemptNever {
		return nil, framework.NewStatus(framework.Unschedulable, ReasonPreemptNever)
	}
	snap := p.h.Snapshot()
	prio := framework.PodPriority(pod)
	if nn := pod.Status.NominatedNodeName; nn != "" {
		if ni, ok := snap.Get(nn); ok && filtered[nn].Code() != framework.UnschedulableAndUnresolvable {
			for _, ex := range ni.Pods {
				if ex.Pod.DeletionTimestamp != nil && framework.PodPriority(ex.Pod) < prio {
					return nil, framework.NewStatus(framework.Unschedulable, ReasonTerminatingVictim)
				}
			}
		}
	}
	pdbs := snap.PDBs()
	statuses := framework.NodeToStatus{}
	all := snap.NodeInfos()
	potential := make([]*framework.NodeInfo, 0, len(all))
	for _, ni := range all {
		if filtered[ni.Name()].Code() == framework.UnschedulableAndUnresolvable {
			statuses[ni.Name()] = framework.NewStatus(framework.UnschedulableAndUnresolvable, ReasonPreemptionUseless)
			continue
		}
		potential = append(potential, ni)
	}
	var nonViolating, violating []candidate
	if len(potential) > 0 {
		want := p.numCandidates(len(all))
		offset := int(p.nextOffset.Load() % uint64(len(potential)))
		evaluated := 0
		for i := range potential {
			if len(nonViolating) > 0 && len(nonViolating)+len(violating) >= want {
				break
			}
			ni := potential[(offset+i)%len(potential)]
			evaluated++
			victims, violations, s := p.selectVictims(ctx, state, pod, ni, pdbs)
			if s.IsSuccess() {
				c := candidate{node: ni.Name(), victims: victims, pdbViolations: violations}
				if violations == 0 {
					nonViolating = append(nonViolating, c)
				} else {
					violating = append(violating, c)
				}
				continue
			}
			if s.Code() == framework.Error {
				return nil, s
			}
			statuses[ni.Name()] = s
		}
		// The next call starts where this one stopped, so every node gets its turn.
		p.nextOffset.Store(uint64(offset + evaluated))
	}
	cands := append(nonViolating, violating...)
	if len(cands) == 0 {
		fe := &framework.FitError{Pod: pod, NumAllNodes: snap.NumNodes(), Diagnosis: framework.Diagnosis{NodeToStatus: statuses}}
		return nil, framework.NewStatus(framework.Unschedulable, "preemption: "+fe.Error())
	}
	best := pickCandidate(cands)
	res := &framework.PostFilterResult{NominatedNodeName: best.node}
	for _, v := range best.victims {
		res.Victims = append(res.Victims, v.Pod)
	}
	return res, nil
}

// selectVictims simulates removing lower-priority pods from a copy of ni and reprieving as
// many as possible.
func (p *DefaultPreemption) selectVictims(ctx context.Context, state *framework.CycleState, pod *corev1.Pod, orig *framework.NodeInfo, pdbs []*policyv1.PodDisruptionBudget) ([]*framework.PodInfo, int, *framework.Status) {
	prio := framework.PodPriority(pod)
	ni := orig.Clone()
	st := state.Clone()
	var potential []*framework.PodInfo
	for _, ex := range orig.Pods {
		if framework.PodPriority(ex.Pod) < prio {
			potential = append(potential, ex)
		}
	}
	if len(potential) == 0 {
		return nil, 0, framework.NewStatus(framework.UnschedulableAndUnresolvable, ReasonNoVictims)
	}
	for _, v := range potential {
		ni.RemovePod(v.Pod)
		if s := p.h.RunPreFilterExtensionRemovePod(ctx, st, pod, v, ni); !s.IsSuccess() {
			return nil, 0, s
		}
	}
	if s := p.h.RunFilterPluginsWithNominatedPods(ctx, st, pod, ni); !s.IsSuccess() {
		return nil, 0, s
	}
	sort.SliceStable(potential, func(i, j int) bool { return moreImportant(potential[i].Pod, potential[j].Pod) })
	violating, ok := splitByPDB(potential, pdbs)
	var victims []*framework.PodInfo
	violations := 0
	reprieve := func(v *framework.PodInfo) (bool, *framework.Status) {
		ni.AddPod(v)
		if s := p.h.RunPreFilterExtensionAddPod(ctx, st, pod, v, ni); !s.IsSuccess() {
			return false, s
		}
		s := p.h.RunFilterPluginsWithNominatedPods(ctx, st, pod, ni)
		if s.Code() == framework.Error {
			return false, s
		}
		if s.IsSuccess() {
			return true, nil
		}
		ni.RemovePod(v.Pod)
		if s := p.h.RunPreFilterExtensionRemovePod(ctx, st, pod, v, ni); !s.IsSuccess() {
			return false, s
		}
		victims = append(victims, v)
		return false, nil
	}
	for _, v := range violating {
		fits, s := reprieve(v)
		if s != nil {
			return nil, 0, s
		}
		if !fits {
			violations++
		}
	}
	for _, v := range ok {
		if _, s := reprieve(v); s != nil {
			return nil, 0, s
		}
	}
	if len(victims) == 0 {
		return nil, 0, framework.AsStatus(fmt.Errorf("preemption on node %q: pod fits without victims", orig.Name()))
	}
	// PDB-violating victims were reprieved first; the candidate order reads victims[0] as
	// the most important victim, so sort them again.
	sort.SliceStable(victims, func(i, j int) bool { return moreImportant(victims[i].Pod, victims[j].Pod) })
	return victims, violations, nil
}

// moreImportant: higher priority first, then the one started earlier.
func moreImportant(a, b *corev1.Pod) bool {
	pa, pb := framework.PodPriority(a), framework.PodPriority(b)
	if pa != pb {
		return pa > pb
	}
	return startTime(a) < startTime(b)
}

// startTime is status.startTime (creation time if unset) in Unix nanoseconds.
func startTime(p *corev1.Pod) int64 {
	if p.Status.StartTime != nil {
		return p.Status.StartTime.UnixNano()
	}
	return p.CreationTimestamp.UnixNano()
}

// splitByPDB splits pods (in order) into those whose eviction would exceed a budget of a
// matching PodDisruptionBudget and the others, spending the budgets as it goes.
func splitByPDB(pods []*framework.PodInfo, pdbs []*policyv1.PodDisruptionBudget) (violating, ok []*framework.PodInfo) {
	allowed := make([]int32, len(pdbs))
	sels := make([]labels.Selector, len(pdbs))
	for i, b := range pdbs {
		allowed[i] = b.Status.DisruptionsAllowed
		s, err := labels.LabelSelectorAsSelector(b.Spec.Selector)
		if err != nil || s.Empty() {
			s = labels.Nothing()
		}
		sels[i] = s
	}
	for _, pi := range pods {
		violates := false
		for i, b := range pdbs {
			if b.Namespace != pi.Pod.Namespace || !sels[i].Matches(labels.Set(pi.Pod.Labels)) {
				continue
			}
			if _, disrupted := b.Status.DisruptedPods[pi.Pod.Name]; disrupted {
				continue
			}
			allowed[i]--
			if allowed[i] < 0 {
				violates = true
			}
		}
		if violates {
			violating = append(violating, pi)
		} else {
			ok = append(ok, pi)
		}
	}
	return violating, ok
}

func pickCandidate(cs []candidate) candidate {
	filter := func(cs []candidate, score func(c candidate) int64) []candidate {
		best := int64(math.MinInt64)
		var out []candidate
		for _, c := range cs {
			s := score(c)
			if s > best {
				best, out = s, out[:0]
			}
			if s == best {
				out = append(out, c)
			}
		}
		return out
	}
	// Fewest PDB violations.
	cs = filter(cs, func(c candidate) int64 { return -int64(c.pdbViolations) })
	// Lowest highest-priority victim (victims are sorted most important first).
	cs = filter(cs, func(c candidate) int64 { return -int64(framework.PodPriority(c.victims[0].Pod)) })
	// Lowest sum of priorities (offset so that negative priorities count as above zero).
	cs = filter(cs, func(c candidate) int64 {
		var sum int64
		for _, v := range c.victims {
			sum += int64(framework.PodPriority(v.Pod)) + int64(math.MaxInt32) + 1
		}
		return -sum
	})
	// Fewest victims.
	cs = filter(cs, func(c candidate) int64 { return -int64(len(c.victims)) })
	// Latest start time among the highest-priority victims (their earliest start).
	cs = filter(cs, func(c candidate) int64 {
		top := framework.PodPriority(c.victims[0].Pod)
		earliest := int64(math.MaxInt64)
		for _, v := range c.victims {
			if framework.PodPriority(v.Pod) == top {
				earliest = min(earliest, startTime(v.Pod))
			}
		}
		return earliest
	})
	return cs[0]
}

// Binder binds a pod to a node: the driver implements it by writing the Binding to the store
// (spec.nodeName set with a precondition on the pod's UID and that it is not yet bound).
type Binder interface {
	Bind(ctx context.Context, pod *corev1.Pod, nodeName string) error
}

// BinderFunc adapts a function to Binder.
type BinderFunc func(ctx context.Context, pod *corev1.Pod, nodeName string) error

// Bind implements Binder.
func (f BinderFunc) Bind(ctx context.Context, pod *corev1.Pod, nodeName string) error {
	return f(ctx, pod, nodeName)
}

// DefaultBinder binds through a Binder.
type DefaultBinder struct{ b Binder }

var _ framework.BindPlugin = (*DefaultBinder)(nil)

// Name implements framework.Plugin.
func (*DefaultBinder) Name() string { return NameDefaultBinder }

// Bind implements framework.BindPlugin.
func (d *DefaultBinder) Bind(ctx context.Context, _ *framework.CycleState, pod *corev1.Pod, nodeName string) *framework.Status {
	if err := d.b.Bind(ctx, pod, nodeName); err != nil {
		return framework.AsStatus(fmt.Errorf("bind pod %s/%s to %q: %w", pod.Namespace, pod.Name, nodeName, err))
	}
	return nil
}
