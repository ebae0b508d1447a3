package nodelifecycle

import (
	"time"

	"golang.org/x/time/rate"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// ZoneState is the health of a zone, which sets how fast its unhealthy nodes are evicted.
type ZoneState string

// The zone states.
const (
	// ZoneNormal: few nodes of the zone are not ready; they are evicted at
	// Options.EvictionRate.
	ZoneNormal ZoneState = "Normal"
	// ZonePartialDisruption: at least three nodes and at least the UnhealthyZoneThreshold
	// fraction of the zone are not ready; evictions slow down to SecondaryEvictionRate in
	// zones larger than LargeClusterSizeThreshold and stop in smaller ones.
	ZonePartialDisruption ZoneState = "PartialDisruption"
	// ZoneFullDisruption: no node of the zone is ready. Alone, it is treated as a zone outage
	// and evicted at EvictionRate; when every zone is fully disrupted the controller assumes
	// it is the one cut off and stops evicting anywhere.
	ZoneFullDisruption ZoneState = "FullDisruption"
)

// ComputeZoneState returns the state of a zone with ready and notReady nodes (a node is not
// ready unless its Ready condition is True), given the UnhealthyZoneThreshold.
func ComputeZoneState(ready, notReady int, threshold float64) ZoneState {
	switch {
	case ready == 0 && notReady > 0:
		return ZoneFullDisruption
	case notReady > 2 && float64(notReady)/float64(ready+notReady) >= threshold:
		return ZonePartialDisruption
	default:
		return ZoneNormal
	}
}

// EvictionRate returns the rate, in nodes per second, at which a zone of size nodes in state s
// gets its unhealthy nodes tainted for eviction, when not every zone is fully disrupted. Zero
// fields of opts take their defaults.
func EvictionRate(s ZoneState, size int, opts Options) float64 {
	opts, _ = opts.withDefaults() // an invalid value is used as it is
	switch s {
	case ZonePartialDisruption:
		if size > opts.LargeClusterSizeThreshold {
			return max(opts.SecondaryEvictionRate, 0)
		}
		return 0
	default:
		return opts.EvictionRate
	}
}

// Zone-key labels. Kubernetes still honours the deprecated beta labels when the stable ones
// are absent.
const (
	labelZoneDeprecated   = "failure-domain.beta.kubernetes.io/zone"
	labelRegionDeprecated = "failure-domain.beta.kubernetes.io/region"
)

// ZoneKey returns the zone a node belongs to for eviction purposes: its region and zone
// labels (topology.kubernetes.io/region and /zone, or their deprecated beta forms), joined as
// "region/zone", just the zone without a region, and "" for a node without either.
func ZoneKey(node *corev1.Node) string {
	l := node.Labels
	zone, region := l[corev1.LabelTopologyZone], l[corev1.LabelTopologyRegion]
	if zone == "" {
		zone = l[labelZoneDeprecated]
	}
	if region == "" {
		region = l[labelRegionDeprecated]
	}
	if region == "" {
		return zone
	}
	return region + "/" + zone
}

// zone is the eviction state of one zone: its state, its token bucket, and the nodes waiting
// to be tainted, in the order they became unhealthy.
type zone struct {
	state   ZoneState
	size    int
	rate    float64 // nodes per second; 0 stops tainting
	limiter *rate.Limiter
	queue   []string
	queued  map[string]bool
}

func newZone(r float64, now time.Time) *zone {
	z := &zone{state: ZoneNormal, queued: map[string]bool{}, limiter: rate.NewLimiter(rate.Limit(r), 1)}
	z.setRate(r, now)
	return z
}

// setRate changes the zone's rate; tokens already earned are kept.
func (z *zone) setRate(r float64, now time.Time) {
	z.rate = r
	z.limiter.SetLimitAt(now, rate.Limit(r))
}

func (z *zone) enqueue(node string) {
	if z.queued[node] {
		return
	}
	z.queued[node] = true
	z.queue = append(z.queue, node)
}

func (z *zone) remove(node string) {
	if !z.queued[node] {
		return
	}
	delete(z.queued, node)
	for i, n := range z.queue {
		if n == node {
			z.queue = append(z.queue[:i], z.queue[i+1:]...)
			return
		}
	}
}
