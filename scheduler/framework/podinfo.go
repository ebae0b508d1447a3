package framework

import (
	"errors"
	"fmt"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
)

// AffinityTerm is a parsed PodAffinityTerm: which pods it selects (namespaces and label
// selector) and the topology key of its domains.
type AffinityTerm struct {
	// Namespaces the term looks in (explicit list, or the owner's namespace when both the list
	// and NamespaceSelector are empty).
	Namespaces map[string]struct{}
	// NamespaceSelector selects further namespaces by their labels; nil selects none.
	NamespaceSelector labels.Selector
	// Selector selects pods by label; it already includes matchLabelKeys/mismatchLabelKeys.
	Selector labels.Selector
	// TopologyKey is the node label whose values are the domains.
	TopologyKey string
}

// Matches reports whether the term selects pod, whose namespace has the labels nsLabels.
func (t *AffinityTerm) Matches(pod *corev1.Pod, nsLabels labels.Set) bool {
	if _, ok := t.Namespaces[pod.Namespace]; !ok {
		if t.NamespaceSelector == nil || !t.NamespaceSelector.Matches(nsLabels) {
			return false
		}
	}
	return t.Selector.Matches(labels.Set(pod.Labels))
}

// WeightedAffinityTerm is a preferred term with its weight.
type WeightedAffinityTerm struct {
	AffinityTerm
	Weight int32
}

// PodInfo is a pod with what the scheduler derives from it once: its requests and its parsed
// affinity terms. It is immutable after NewPodInfo.
type PodInfo struct {
	Pod *corev1.Pod
	// Requests is what the pod needs of a node (PodRequests without defaults).
	Requests Resource
	// NonZeroRequests is the request with non-zero CPU and memory defaults, for scoring.
	NonZeroRequests Resource

	RequiredAffinityTerms      []AffinityTerm
	RequiredAntiAffinityTerms  []AffinityTerm
	PreferredAffinityTerms     []WeightedAffinityTerm
	PreferredAntiAffinityTerms []WeightedAffinityTerm

	// priority is spec.priority, kept by NewPodInfo (the queue compares it at every heap
	// step; reading it through the pod is two more pointer hops); hasPriority says it was.
	priority    int32
	hasPriority bool
}

// Priority is the pod's spec.priority (0 when unset).
func (pi *PodInfo) Priority() int32 {
	if pi.hasPriority {
		return pi.priority
	}
	return PodPriority(pi.Pod)
}

// NewPodInfo derives a PodInfo. It fails (with ErrInvalidPod) if a label selector of an
// affinity term does not parse.
func NewPodInfo(pod *corev1.Pod) (*PodInfo, error) {
	pi := &PodInfo{Pod: pod, Requests: PodRequests(pod, false), NonZeroRequests: PodRequests(pod, true), priority: PodPriority(pod), hasPriority: true}
	aff := pod.Spec.Affinity
	if aff == nil {
		return pi, nil
	}
	var err error
	if a := aff.PodAffinity; a != nil {
		if pi.RequiredAffinityTerms, err = parseTerms(pod, a.RequiredDuringSchedulingIgnoredDuringExecution); err != nil {
			return nil, err
		}
		if pi.PreferredAffinityTerms, err = parseWeighted(pod, a.PreferredDuringSchedulingIgnoredDuringExecution); err != nil {
			return nil, err
		}
	}
	if a := aff.PodAntiAffinity; a != nil {
		if pi.RequiredAntiAffinityTerms, err = parseTerms(pod, a.RequiredDuringSchedulingIgnoredDuringExecution); err != nil {
			return nil, err
		}
		if pi.PreferredAntiAffinityTerms, err = parseWeighted(pod, a.PreferredDuringSchedulingIgnoredDuringExecution); err != nil {
			return nil, err
		}
	}
	return pi, nil
}

// MustPodInfo is NewPodInfo for pods known to be valid (tests, examples); it panics on error.
func MustPodInfo(pod *corev1.Pod) *PodInfo {
	pi, err := NewPodInfo(pod)
	if err != nil {
		panic(err)
	}
	return pi
}

// HasAffinity reports whether the pod has any pod (anti-)affinity term.
func (pi *PodInfo) HasAffinity() bool {
	return len(pi.RequiredAffinityTerms)+len(pi.RequiredAntiAffinityTerms)+
		len(pi.PreferredAffinityTerms)+len(pi.PreferredAntiAffinityTerms) > 0
}

func parseTerms(pod *corev1.Pod, terms []corev1.PodAffinityTerm) ([]AffinityTerm, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	out := make([]AffinityTerm, 0, len(terms))
	for i := range terms {
		t, err := NewAffinityTerm(pod, &terms[i])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func parseWeighted(pod *corev1.Pod, terms []corev1.WeightedPodAffinityTerm) ([]WeightedAffinityTerm, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	out := make([]WeightedAffinityTerm, 0, len(terms))
	for i := range terms {
		t, err := NewAffinityTerm(pod, &terms[i].PodAffinityTerm)
		if err != nil {
			return nil, err
		}
		out = append(out, WeightedAffinityTerm{AffinityTerm: t, Weight: terms[i].Weight})
	}
	return out, nil
}

// ErrInvalidPod is matched by errors about a pod whose scheduling fields cannot be used.
var ErrInvalidPod = errors.New("invalid pod")

// NewAffinityTerm parses term as owned by pod: namespaces default to the pod's own, and the
// pod's values of matchLabelKeys (mismatchLabelKeys) are added as In (NotIn) requirements.
func NewAffinityTerm(pod *corev1.Pod, term *corev1.PodAffinityTerm) (AffinityTerm, error) {
	sel, err := labels.LabelSelectorAsSelector(term.LabelSelector)
	if err != nil {
		return AffinityTerm{}, fmt.Errorf("%w: pod %s/%s: affinity term selector: %w", ErrInvalidPod, pod.Namespace, pod.Name, err)
	}
	if term.LabelSelector != nil {
		for _, k := range term.MatchLabelKeys {
			if v, ok := pod.Labels[k]; ok {
				r, err := labels.NewRequirement(k, labels.In, []string{v})
				if err != nil {
					return AffinityTerm{}, fmt.Errorf("%w: pod %s/%s: matchLabelKeys: %w", ErrInvalidPod, pod.Namespace, pod.Name, err)
				}
				sel = sel.Add(r)
			}
		}
		for _, k := range term.MismatchLabelKeys {
			if v, ok := pod.Labels[k]; ok {
				r, err := labels.NewRequirement(k, labels.NotIn, []string{v})
				if err != nil {
					return AffinityTerm{}, fmt.Errorf("%w: pod %s/%s: mismatchLabelKeys: %w", ErrInvalidPod, pod.Namespace, pod.Name, err)
				}
				sel = sel.Add(r)
			}
		}
	}
	t := AffinityTerm{Selector: sel, TopologyKey: term.TopologyKey, Namespaces: make(map[string]struct{}, len(term.Namespaces)+1)}
	for _, ns := range term.Namespaces {
		t.Namespaces[ns] = struct{}{}
	}
	if term.NamespaceSelector != nil {
		nsSel, err := labels.LabelSelectorAsSelector(term.NamespaceSelector)
		if err != nil {
			return AffinityTerm{}, fmt.Errorf("%w: pod %s/%s: namespace selector: %w", ErrInvalidPod, pod.Namespace, pod.Name, err)
		}
		t.NamespaceSelector = nsSel
	} else if len(term.Namespaces) == 0 {
		t.Namespaces[pod.Namespace] = struct{}{}
	}
	return t, nil
}
