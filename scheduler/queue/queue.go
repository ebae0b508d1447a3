package queue

import (
	"container/heap"
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// Defaults of kube-scheduler's scheduling queue.
const (
	DefaultInitialBackoff           = time.Second
	DefaultMaxBackoff               = 10 * time.Second
	DefaultMaxUnschedulableDuration = 5 * time.Minute
)

// Options configure a Queue. Less is required; the rest default.
type Options struct {
	// Less orders the active queue (the profile's QueueSort plugin).
	Less func(a, b *framework.QueuedPodInfo) bool
	// PreEnqueue gates pods (SchedulingGates); nil admits every pod.
	PreEnqueue func(ctx context.Context, pod *corev1.Pod) *framework.Status
	// Clock for backoff and timestamps; default real.
	Clock clock.Clock
	// InitialBackoff doubles per failed attempt up to MaxBackoff (defaults 1 s and 10 s).
	InitialBackoff, MaxBackoff time.Duration
	// MaxUnschedulableDuration: Flush moves pods that have been unschedulable this long back
	// to be retried (default 5 min).
	MaxUnschedulableDuration time.Duration
}

type entry struct {
	qpi      *framework.QueuedPodInfo
	index    int       // in its heap, -1 when in none
	backoff  time.Time // end of the current backoff
	lastTry  time.Time
	plugins  map[string]struct{} // plugins that rejected it last time
	gated    bool
	inFlight bool
}

// maxMoves bounds the moves remembered while pods are in flight.
const maxMoves = 256

type move struct {
	cycle int64 // the Pop count when the event arrived
	helps func(qpi *framework.QueuedPodInfo, plugins map[string]struct{}) bool
}

type podHeap struct {
	items []*entry
	less  func(a, b *entry) bool
}

func (h *podHeap) Len() int           { return len(h.items) }
func (h *podHeap) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *podHeap) Swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.items[i].index, h.items[j].index = i, j
}
func (h *podHeap) Push(x any) { e := x.(*entry); e.index = len(h.items); h.items = append(h.items, e) }
func (h *podHeap) Pop() any {
	n := len(h.items) - 1
	e := h.items[n]
	h.items[n] = nil
	h.items = h.items[:n]
	e.index = -1
	return e
}

// Queue is the scheduling queue: an active heap in QueueSort order, a backoff heap ordered by
// the end of each pod's backoff, and a set of unschedulable (or gated) pods waiting for a
// cluster event. It also records nominated pods (implementing framework.Nominator).
//
// Semantics: Add admits a new pending pod (gated pods wait in the unschedulable set until an
// Update lifts their gates). Pop blocks until a pod is active and marks it in flight. After a
// failed attempt, AddUnschedulable parks the pod: in the unschedulable set, or in backoff if a
// cluster event (MoveAll) happened while it was in flight, so that event is not lost. MoveAll
// moves unschedulable pods that an event may help to backoff (if their backoff has not ended)
// or to active. Flush, called periodically by the driver, activates pods whose backoff ended
// and pods unschedulable for longer than MaxUnschedulableDuration.
//
// All methods are safe for concurrent use.
type Queue struct {
	opts Options
	mu   sync.Mutex
	wake chan struct{}

	all           map[string]*entry
	active        podHeap
	backoff       podHeap
	unschedulable map[string]*entry

	cycle    int64 // counts Pops
	inFlight int   // pods popped and not yet parked, done or deleted
	// moves are the MoveAll calls made while pods were in flight, so that a pod whose attempt
	// fails after an event that may help it goes to backoff instead of waiting for the next
	// event; cleared when nothing is in flight.
	moves []move

	nominated map[string]map[string]*framework.PodInfo // node -> pod key -> pod
	nominee   map[string]string                        // pod key -> node
	// numNominated mirrors len(nominee) so that NominatedPodsForNode, called for every node
	// of every cycle, returns at once while nothing is nominated. It has a cache line of its
	// own (the padding), so that writes of the fields around it (every Pop writes cycle and
	// inFlight) do not make every node's read of it a cache miss; it is written only when the
	// count changes.
	_            [56]byte
	numNominated atomic.Int64
	_            [56]byte
	// nominatedView mirrors nominated: node -> its pods sorted by key, an immutable slice
	// replaced under mu when the node's nominations change, so that NominatedPodsForNode,
	// called for every node a cycle (and every preemption dry run) evaluates, takes no lock.
	nominatedView sync.Map
}

// New returns an empty queue; it fails if Less is nil.
func New(opts Options) (*Queue, error) {
	if opts.Less == nil {
		return nil, ErrNoLess
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real()
	}
	if opts.InitialBackoff <= 0 {
		opts.InitialBackoff = DefaultInitialBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.MaxUnschedulableDuration <= 0 {
		opts.MaxUnschedulableDuration = DefaultMaxUnschedulableDuration
	}
	q := &Queue{opts: opts, wake: make(chan struct{}, 1), all: map[string]*entry{}, unschedulable: map[string]*entry{},
		nominated: map[string]map[string]*framework.PodInfo{}, nominee: map[string]string{}}
	q.active.less = func(a, b *entry) bool { return opts.Less(a.qpi, b.qpi) }
	q.backoff.less = func(a, b *entry) bool { return a.backoff.Before(b.backoff) }
	return q, nil
}

func key(p *corev1.Pod) string { return p.Namespace + "/" + p.Name }

func (q *Queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Add admits a new pending pod. Adding a pod already queued updates it.
func (q *Queue) Add(ctx context.Context, pod *corev1.Pod) error {
	pi, err := framework.NewPodInfo(pod)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if e, ok := q.all[key(pod)]; ok {
		q.updateLocked(ctx, e, pi)
		return nil
	}
	e := &entry{qpi: &framework.QueuedPodInfo{PodInfo: pi, Timestamp: q.opts.Clock.Now()}, index: -1}
	q.all[key(pod)] = e
	q.admitLocked(ctx, e)
	return nil
}

// admitLocked puts e in active unless a PreEnqueue plugin gates it.
func (q *Queue) admitLocked(ctx context.Context, e *entry) {
	if q.opts.PreEnqueue != nil {
		if s := q.opts.PreEnqueue(ctx, e.qpi.Pod); !s.IsSuccess() {
			e.gated = true
			q.unschedulable[key(e.qpi.Pod)] = e
			return
		}
	}
	e.gated = false
	heap.Push(&q.active, e)
	q.signal()
}

// Update replaces a queued pod (the informer saw a change). A gated pod whose gates are gone
// and an unschedulable pod (the change may help) are moved to be retried.
func (q *Queue) Update(ctx context.Context, pod *corev1.Pod) error {
	pi, err := framework.NewPodInfo(pod)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.all[key(pod)]
	if !ok {
		e = &entry{qpi: &framework.QueuedPodInfo{PodInfo: pi, Timestamp: q.opts.Clock.Now()}, index: -1}
		q.all[key(pod)] = e
		q.admitLocked(ctx, e)
		return nil
	}
	q.updateLocked(ctx, e, pi)
	return nil
}

func (q *Queue) updateLocked(ctx context.Context, e *entry, pi *framework.PodInfo) {
	e.qpi.PodInfo = pi
	switch {
	case e.index >= 0 && q.inActive(e):
		heap.Fix(&q.active, e.index)
	case e.index >= 0:
		// in backoff: stays until its backoff ends
	case e.inFlight:
		// being scheduled: the result decides
	default:
		delete(q.unschedulable, key(pi.Pod))
		if e.gated {
			q.admitLocked(ctx, e)
			return
		}
		q.requeueLocked(e)
	}
}

func (q *Queue) inActive(e *entry) bool {
	return e.index < len(q.active.items) && q.active.items[e.index] == e
}

// landLocked marks e as no longer in flight.
func (q *Queue) landLocked(e *entry) {
	if !e.inFlight {
		return
	}
	e.inFlight = false
	q.inFlight--
	if q.inFlight == 0 {
		q.moves = q.moves[:0]
	}
}

// requeueLocked puts e in backoff if its backoff has not ended, else in active.
func (q *Queue) requeueLocked(e *entry) {
	if q.opts.Clock.Now().Before(e.backoff) {
		heap.Push(&q.backoff, e)
		return
	}
	heap.Push(&q.active, e)
	q.signal()
}

// Delete removes a pod from the queue (deleted, or bound by someone else).
func (q *Queue) Delete(pod *corev1.Pod) {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := key(pod)
	e, ok := q.all[k]
	if !ok {
		return
	}
	delete(q.all, k)
	delete(q.unschedulable, k)
	q.landLocked(e)
	if e.index >= 0 {
		if q.inActive(e) {
			heap.Remove(&q.active, e.index)
		} else {
			heap.Remove(&q.backoff, e.index)
		}
	}
	q.removeNominatedLocked(k)
}

// Contains reports whether the pod (same namespace, name and UID) is in the queue, in flight
// included: false once it was deleted.
func (q *Queue) Contains(pod *corev1.Pod) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.all[key(pod)]
	return ok && e.qpi.Pod.UID == pod.UID
}

// Pop waits for an active pod, marks it in flight and returns it with the cycle number to
// pass to AddUnschedulable. It returns ctx.Err() when ctx ends first.
func (q *Queue) Pop(ctx context.Context) (*framework.QueuedPodInfo, int64, error) {
	for {
		q.mu.Lock()
		if q.active.Len() > 0 {
			e := heap.Pop(&q.active).(*entry)
			e.inFlight = true
			q.inFlight++
			e.qpi.Attempts++
			q.cycle++
			c := q.cycle
			q.mu.Unlock()
			return e.qpi, c, nil
		}
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-q.wake:
		}
	}
}

func (q *Queue) backoffFor(attempts int) time.Duration {
	d := q.opts.InitialBackoff
	for i := 1; i < attempts && d < q.opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, q.opts.MaxBackoff)
}

// AddUnschedulable parks a pod popped in cycle that could not be placed; plugins are the
// plugins that rejected it. If a MoveAll that may help it (its predicate is nil or true for
// the pod) happened since the pod was popped, it goes to backoff at once. A pod deleted
// meanwhile is dropped.
func (q *Queue) AddUnschedulable(qpi *framework.QueuedPodInfo, cycle int64, plugins map[string]struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.all[key(qpi.Pod)]
	if !ok || e.qpi != qpi {
		return
	}
	now := q.opts.Clock.Now()
	e.lastTry = now
	e.backoff = now.Add(q.backoffFor(qpi.Attempts))
	e.plugins = plugins
	helped := false
	for _, m := range q.moves {
		if m.cycle >= cycle && (m.helps == nil || m.helps(qpi, plugins)) {
			helped = true
			break
		}
	}
	q.landLocked(e)
	if helped {
		heap.Push(&q.backoff, e)
		return
	}
	q.unschedulable[key(qpi.Pod)] = e
}

// AddBackoff parks a pod that failed for another reason than a rejection (an error, a failed
// binding): it is retried after its backoff.
func (q *Queue) AddBackoff(qpi *framework.QueuedPodInfo) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, ok := q.all[key(qpi.Pod)]
	if !ok || e.qpi != qpi {
		return
	}
	q.landLocked(e)
	now := q.opts.Clock.Now()
	e.lastTry = now
	e.backoff = now.Add(q.backoffFor(qpi.Attempts))
	heap.Push(&q.backoff, e)
}

// Done forgets a pod that was scheduled (assumed and sent to binding).
func (q *Queue) Done(pod *corev1.Pod) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e, ok := q.all[key(pod)]; ok {
		q.landLocked(e)
	}
	delete(q.all, key(pod))
}

// MoveAll moves the unschedulable pods for which helps returns true (nil: all) to backoff or
// active: a cluster event may have made them schedulable. helps gets the plugins that rejected
// the pod. Gated pods are not moved.
func (q *Queue) MoveAll(helps func(qpi *framework.QueuedPodInfo, plugins map[string]struct{}) bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.inFlight > 0 {
		if len(q.moves) >= maxMoves {
			// Pods wait long in flight (Permit) while events pile up: keep one conservative
			// entry that helps every pod popped before now.
			q.moves = append(q.moves[:0], move{cycle: q.cycle})
		} else {
			q.moves = append(q.moves, move{cycle: q.cycle, helps: helps})
		}
	}
	for k, e := range q.unschedulable {
		if e.gated || helps != nil && !helps(e.qpi, e.plugins) {
			continue
		}
		delete(q.unschedulable, k)
		q.requeueLocked(e)
	}
}

// Flush moves pods whose backoff ended to active, and pods unschedulable for longer than
// MaxUnschedulableDuration to backoff or active.
func (q *Queue) Flush() {
	now := q.opts.Clock.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.backoff.Len() > 0 && !now.Before(q.backoff.items[0].backoff) {
		e := heap.Pop(&q.backoff).(*entry)
		heap.Push(&q.active, e)
		q.signal()
	}
	for k, e := range q.unschedulable {
		if !e.gated && now.Sub(e.lastTry) >= q.opts.MaxUnschedulableDuration {
			delete(q.unschedulable, k)
			q.requeueLocked(e)
		}
	}
}

// Len returns the number of active, backing-off and unschedulable (gated included) pods.
func (q *Queue) Len() (active, backoff, unschedulable int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.active.Len(), q.backoff.Len(), len(q.unschedulable)
}

// AddNominated records that preemption nominated pod to node.
func (q *Queue) AddNominated(pod *corev1.Pod, node string) error {
	pi, err := framework.NewPodInfo(pod)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	k := key(pod)
	prev, had := q.nominee[k]
	q.removeNominatedLocked(k)
	if q.nominated[node] == nil {
		q.nominated[node] = map[string]*framework.PodInfo{}
	}
	q.nominated[node][k] = pi
	q.nominee[k] = node
	q.numNominated.Add(1) // removeNominatedLocked took the previous nomination off the count
	if had && prev != node {
		q.publishNominatedLocked(prev, node)
	} else {
		q.publishNominatedLocked(node)
	}
	return nil
}

// RemoveNominated forgets a nomination (the pod was bound or deleted).
func (q *Queue) RemoveNominated(pod *corev1.Pod) {
	if q.numNominated.Load() == 0 {
		return // nothing nominated (the check and a concurrent AddNominated order as if this call came first)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.removeNominatedLocked(key(pod))
}

func (q *Queue) removeNominatedLocked(k string) {
	if node, ok := q.nominee[k]; ok {
		delete(q.nominated[node], k)
		if len(q.nominated[node]) == 0 {
			delete(q.nominated, node)
		}
		delete(q.nominee, k)
		q.numNominated.Add(-1)
		q.publishNominatedLocked(node)
	}
}

// publishNominatedLocked rebuilds the nominatedView entries of nodes from nominated.
func (q *Queue) publishNominatedLocked(nodes ...string) {
	for _, n := range nodes {
		m := q.nominated[n]
		if len(m) == 0 {
			q.nominatedView.Delete(n)
			continue
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		ps := make([]*framework.PodInfo, 0, len(m))
		for _, k := range keys {
			ps = append(ps, m[k])
		}
		q.nominatedView.Store(n, ps)
	}
}

// NominatedPodsForNode implements framework.Nominator: the pods nominated to node, sorted by
// namespace/name. The slice is shared: callers must not modify it.
func (q *Queue) NominatedPodsForNode(node string) []*framework.PodInfo {
	if q.numNominated.Load() == 0 {
		return nil
	}
	v, ok := q.nominatedView.Load(node)
	if !ok {
		return nil
	}
	return v.([]*framework.PodInfo)
}

// NumNominatedPods returns how many pods are nominated to some node (framework.NominationCounter).
func (q *Queue) NumNominatedPods() int { return int(q.numNominated.Load()) }

var _ framework.Nominator = (*Queue)(nil)
