package v1

import "github.com/cellkit/cellkit/apimachinery/meta"

// GroupName is the API group of this package.
const GroupName = "coordination.k8s.io"

// Lease is a lock held by one holder for a limited, renewable time.
type Lease struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the state of the lease.
	Spec LeaseSpec `json:"spec,omitempty"`
}

// LeaseSpec is the state of a Lease.
type LeaseSpec struct {
	// HolderIdentity is the identity of the current holder.
	HolderIdentity *string `json:"holderIdentity,omitempty"`
	// LeaseDurationSeconds is how long, after RenewTime, candidates wait before taking over.
	LeaseDurationSeconds *int32 `json:"leaseDurationSeconds,omitempty"`
	// AcquireTime is when the current holder acquired the lease.
	AcquireTime *meta.MicroTime `json:"acquireTime,omitempty"`
	// RenewTime is when the current holder last renewed the lease.
	RenewTime *meta.MicroTime `json:"renewTime,omitempty"`
	// LeaseTransitions counts the changes of holder.
	LeaseTransitions *int32 `json:"leaseTransitions,omitempty"`
	// Strategy is how a coordinated leader election picks the holder (set with PreferredHolder).
	Strategy *CoordinatedLeaseStrategy `json:"strategy,omitempty"`
	// PreferredHolder is the holder the coordinator wants; the current holder should give up
	// the lease when it is not the preferred one.
	PreferredHolder *string `json:"preferredHolder,omitempty"`
}

// CoordinatedLeaseStrategy names the strategy of coordinated leader election.
type CoordinatedLeaseStrategy string

// The strategies of coordinated leader election.
const (
	// OldestEmulationVersion picks the candidate with the lowest emulation version, then
	// binary version, then the oldest creation time.
	OldestEmulationVersion CoordinatedLeaseStrategy = "OldestEmulationVersion"
)

// LeaseList is a list of Lease objects.
type LeaseList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the leases.
	Items []Lease `json:"items"`
}
