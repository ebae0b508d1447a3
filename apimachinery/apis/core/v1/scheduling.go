package v1

import "github.com/cellkit/cellkit/apimachinery/meta"

// Affinity holds a pod's affinity scheduling rules.
type Affinity struct {
	// NodeAffinity constrains the nodes the pod may run on.
	NodeAffinity *NodeAffinity `json:"nodeAffinity,omitempty"`
	// PodAffinity co-locates the pod with other pods.
	PodAffinity *PodAffinity `json:"podAffinity,omitempty"`
	// PodAntiAffinity keeps the pod away from other pods.
	PodAntiAffinity *PodAntiAffinity `json:"podAntiAffinity,omitempty"`
}

// NodeAffinity is a group of node affinity scheduling rules.
type NodeAffinity struct {
	// RequiredDuringSchedulingIgnoredDuringExecution must hold for the pod to be placed.
	RequiredDuringSchedulingIgnoredDuringExecution *NodeSelector `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	// PreferredDuringSchedulingIgnoredDuringExecution adds the weight of each matching term to
	// a node's score.
	PreferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// NodeSelector is a union of node selector terms: a node matches if any term matches.
type NodeSelector struct {
	// NodeSelectorTerms are ORed.
	NodeSelectorTerms []NodeSelectorTerm `json:"nodeSelectorTerms"`
}

// NodeSelectorTerm is an intersection of requirements on a node's labels and fields. An empty
// term matches nothing.
type NodeSelectorTerm struct {
	// MatchExpressions are requirements on node labels.
	MatchExpressions []NodeSelectorRequirement `json:"matchExpressions,omitempty"`
	// MatchFields are requirements on node fields (metadata.name).
	MatchFields []NodeSelectorRequirement `json:"matchFields,omitempty"`
}

// NodeSelectorRequirement relates a key to values with an operator.
type NodeSelectorRequirement struct {
	// Key is the label key or field path.
	Key string `json:"key"`
	// Operator is In, NotIn, Exists, DoesNotExist, Gt or Lt.
	Operator NodeSelectorOperator `json:"operator"`
	// Values: non-empty for In and NotIn, empty for Exists and DoesNotExist, one integer for Gt
	// and Lt.
	Values []string `json:"values,omitempty"`
}

// PreferredSchedulingTerm is a weighted node selector term.
type PreferredSchedulingTerm struct {
	// Weight in the range 1-100.
	Weight int32 `json:"weight"`
	// Preference is the term.
	Preference NodeSelectorTerm `json:"preference"`
}

// PodAffinity co-locates a pod with other pods in the same topology domain.
type PodAffinity struct {
	// RequiredDuringSchedulingIgnoredDuringExecution terms must all hold.
	RequiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	// PreferredDuringSchedulingIgnoredDuringExecution terms add their weight to a node's score.
	PreferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// PodAntiAffinity keeps a pod out of topology domains that run certain pods.
type PodAntiAffinity struct {
	// RequiredDuringSchedulingIgnoredDuringExecution terms must all hold.
	RequiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	// PreferredDuringSchedulingIgnoredDuringExecution terms add their weight to a node's score.
	PreferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// PodAffinityTerm selects a set of pods, in a set of namespaces, and a topology key: the pod
// should (or should not) run in a domain of that key where a selected pod runs.
type PodAffinityTerm struct {
	// LabelSelector selects the pods; nil selects none.
	LabelSelector *meta.LabelSelector `json:"labelSelector,omitempty"`
	// Namespaces the pods are looked up in; with NamespaceSelector, the union applies. Both
	// empty means the pod's own namespace.
	Namespaces []string `json:"namespaces,omitempty"`
	// TopologyKey is the node label whose values are the domains.
	TopologyKey string `json:"topologyKey"`
	// NamespaceSelector selects namespaces by label; empty selects all.
	NamespaceSelector *meta.LabelSelector `json:"namespaceSelector,omitempty"`
	// MatchLabelKeys are pod label keys whose values, taken from the incoming pod, are added
	// to LabelSelector as key in (value).
	MatchLabelKeys []string `json:"matchLabelKeys,omitempty"`
	// MismatchLabelKeys are pod label keys whose values are added as key notin (value).
	MismatchLabelKeys []string `json:"mismatchLabelKeys,omitempty"`
}

// WeightedPodAffinityTerm is a pod affinity term with a weight.
type WeightedPodAffinityTerm struct {
	// Weight in the range 1-100.
	Weight int32 `json:"weight"`
	// PodAffinityTerm is the term.
	PodAffinityTerm PodAffinityTerm `json:"podAffinityTerm"`
}

// Toleration lets a pod tolerate taints that match it.
type Toleration struct {
	// Key is the taint key; empty with operator Exists matches all keys.
	Key string `json:"key,omitempty"`
	// Operator is Exists or Equal (default).
	Operator TolerationOperator `json:"operator,omitempty"`
	// Value to match with Equal.
	Value string `json:"value,omitempty"`
	// Effect to match; empty matches all effects.
	Effect TaintEffect `json:"effect,omitempty"`
	// TolerationSeconds bounds how long a NoExecute taint is tolerated; nil is forever.
	TolerationSeconds *int64 `json:"tolerationSeconds,omitempty"`
}

// Taint marks a node so that pods that do not tolerate it are kept away.
type Taint struct {
	// Key of the taint.
	Key string `json:"key"`
	// Value of the taint.
	Value string `json:"value,omitempty"`
	// Effect is NoSchedule, PreferNoSchedule or NoExecute.
	Effect TaintEffect `json:"effect"`
	// TimeAdded is when a NoExecute taint was added.
	TimeAdded *meta.Time `json:"timeAdded,omitempty"`
}

// TopologySpreadConstraint spreads matching pods evenly across the domains of a topology key.
type TopologySpreadConstraint struct {
	// MaxSkew is the largest allowed difference between the number of matching pods in any two
	// eligible domains.
	MaxSkew int32 `json:"maxSkew"`
	// TopologyKey is the node label whose values are the domains.
	TopologyKey string `json:"topologyKey"`
	// WhenUnsatisfiable is DoNotSchedule or ScheduleAnyway.
	WhenUnsatisfiable UnsatisfiableConstraintAction `json:"whenUnsatisfiable"`
	// LabelSelector selects the pods counted in each domain.
	LabelSelector *meta.LabelSelector `json:"labelSelector,omitempty"`
	// MinDomains is the minimum number of eligible domains assumed when computing skew.
	MinDomains *int32 `json:"minDomains,omitempty"`
	// NodeAffinityPolicy is Honor (default) or Ignore: whether the pod's node affinity limits
	// the domains.
	NodeAffinityPolicy *NodeInclusionPolicy `json:"nodeAffinityPolicy,omitempty"`
	// NodeTaintsPolicy is Honor or Ignore (default): whether node taints limit the domains.
	NodeTaintsPolicy *NodeInclusionPolicy `json:"nodeTaintsPolicy,omitempty"`
	// MatchLabelKeys are pod label keys whose values from the incoming pod are added to
	// LabelSelector.
	MatchLabelKeys []string `json:"matchLabelKeys,omitempty"`
}
