package storetest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
)

// The linearizability test: concurrent clients create, read, update, guaranteed-update, delete
// and list a few keys; porcupine checks that the recorded history is linearizable against a
// sequential model of the store contract, where every successful write takes exactly the next
// revision. Meanwhile watchers record their streams, and every stream is checked against the
// six watch guarantees using the writes' history as the truth.

const (
	linNamespace = "lin"
	linKeys      = 3
	linClients   = 8
	linOps       = 250
)

type opKind uint8

const (
	opCreate opKind = iota
	opGet
	opUpdate
	opGuaranteedUpdate
	opDelete
	opList
)

func (k opKind) String() string {
	return [...]string{"create", "get", "update", "guaranteed-update", "delete", "list"}[k]
}

// linInput is one call: on key Key, with Value (create and update set Spec.Size to it,
// guaranteed update adds it) and ExpectRV (update's precondition, 0 for none).
type linInput struct {
	Kind     opKind
	Key      int
	Value    int64
	ExpectRV int64
}

type outcome uint8

const (
	outOK outcome = iota
	outNotFound
	outExists
	outConflict
	// outUnknown: the call failed in a way that does not say whether it took effect (a
	// timeout, an unavailable server during a fault). The model accepts both.
	outUnknown
)

// linOutput is one result: for writes and get, the object's value and revision; for list, the
// list's revision and every key's value and revision (Items[k].RV == 0 when absent).
type linOutput struct {
	Result outcome
	Value  int64
	RV     int64
	Items  [linKeys]linKey
}

type linKey struct {
	Value int64
	RV    int64
}

// linState is the model's state: every key's value and revision (RV 0 = absent), and the
// revision of the last write. It is comparable, so porcupine can cache states.
type linState struct {
	Keys [linKeys]linKey
	Rev  int64
}

// linModel is the sequential specification, for a store whose revision is start when the
// clients begin. It is nondeterministic only for writes of unknown outcome, which may or may
// not have taken effect (taking the next revision if they did).
func linModel(start int64) porcupine.Model {
	nm := porcupine.NondeterministicModel{
		Init: func() []any { return []any{linState{Rev: start}} },
		Step: func(st, in, out any) []any {
			s, i, o := st.(linState), in.(linInput), out.(linOutput)
			cur := s.Keys[i.Key]
			exists := cur.RV != 0
			// apply returns the state after a write of value (deleted when del) at the next
			// revision.
			apply := func(value int64, del bool) linState {
				n := s
				n.Rev = s.Rev + 1
				if del {
					n.Keys[i.Key] = linKey{}
				} else {
					n.Keys[i.Key] = linKey{Value: value, RV: n.Rev}
				}
				return n
			}
			// write checks a write that can take effect with value.
			write := func(value int64, del bool) []any {
				if o.Result == outUnknown {
					return []any{s, apply(value, del)}
				}
				want := value
				if del {
					want = cur.Value // a delete returns the last state
				}
				if o.Result != outOK || o.RV != s.Rev+1 || o.Value != want {
					return nil
				}
				return []any{apply(value, del)}
			}
			// refused checks a write the model refuses with outcome r.
			refused := func(r outcome) []any {
				if o.Result == r || o.Result == outUnknown {
					return []any{s}
				}
				return nil
			}
			switch i.Kind {
			case opCreate:
				if exists {
					return refused(outExists)
				}
				return write(i.Value, false)
			case opGet:
				if !exists {
					return refused(outNotFound)
				}
				if o.Result == outOK && o.Value == cur.Value && o.RV == cur.RV {
					return []any{s}
				}
				return nil
			case opUpdate:
				if !exists {
					return refused(outNotFound)
				}
				if i.ExpectRV != 0 && i.ExpectRV != cur.RV {
					return refused(outConflict)
				}
				return write(i.Value, false)
			case opGuaranteedUpdate:
				if !exists {
					return refused(outNotFound)
				}
				return write(cur.Value+i.Value, false)
			case opDelete:
				if !exists {
					return refused(outNotFound)
				}
				return write(0, true)
			case opList:
				if o.Result == outOK && o.RV == s.Rev && o.Items == s.Keys {
					return []any{s}
				}
				return nil
			}
			return nil
		},
		DescribeOperation: func(in, out any) string {
			i, o := in.(linInput), out.(linOutput)
			return fmt.Sprintf("%s(k%d, %d, rv %d) -> %d value %d rv %d %v", i.Kind, i.Key, i.Value, i.ExpectRV, o.Result, o.Value, o.RV, o.Items)
		},
	}
	return nm.ToModel()
}

func linName(k int) string { return fmt.Sprintf("k%d", k) }

func parity(v int64) string {
	if v%2 == 0 {
		return "even"
	}
	return "odd"
}

func linWidget(k int, value int64) *Widget {
	w := widget(linNamespace, linName(k), "", "parity", parity(value))
	w.Spec.Size = value
	return w
}

// truthEvent is one committed write, as the clients saw it.
type truthEvent struct {
	typ   watch.EventType
	key   int
	value int64 // the new value; for deletes, the last value
	prev  int64 // the value before, for updates
	rv    int64
}

// recorder collects the history of the clients.
type recorder struct {
	mu      sync.Mutex
	ops     []porcupine.Operation
	writes  map[int64]truthEvent
	clock   atomic.Int64
	unknown int
	// done counts the clients' finished calls, whatever their outcome; tick is closed and
	// replaced at every one, for the fault schedule.
	done int
	tick chan struct{}
}

func newRecorder() *recorder {
	return &recorder{writes: map[int64]truthEvent{}, tick: make(chan struct{})}
}

func (r *recorder) now() int64 { return r.clock.Add(1) }

// finished counts one finished call.
func (r *recorder) finished() {
	r.mu.Lock()
	r.done++
	close(r.tick)
	r.tick = make(chan struct{})
	r.mu.Unlock()
}

func (r *recorder) calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done
}

// waitCalls waits until the clients finished n calls. It returns false when ctx ends or the
// clients are done (end closed) first, and true after timeout when timeout > 0.
func (r *recorder) waitCalls(ctx context.Context, n int, timeout time.Duration, end <-chan struct{}) bool {
	var expire <-chan time.Time
	if timeout > 0 {
		tm := time.NewTimer(timeout)
		defer tm.Stop()
		expire = tm.C
	}
	for {
		r.mu.Lock()
		done, tick := r.done, r.tick
		r.mu.Unlock()
		if done >= n {
			return true
		}
		select {
		case <-tick:
		case <-expire:
			return true
		case <-end:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func classify(err error) (outcome, bool) {
	switch {
	case err == nil:
		return outOK, true
	case apierrors.IsNotFound(err):
		return outNotFound, true
	case apierrors.IsAlreadyExists(err):
		return outExists, true
	case apierrors.IsConflict(err):
		return outConflict, true
	}
	return 0, false
}

func runClient(t *testing.T, h *harness, r *recorder, id int, seed uint64, opts LinearizabilityOptions) {
	rnd := rand.New(rand.NewPCG(seed, uint64(id)))
	lastRV := map[int]int64{}
	for n := 0; n < opts.Ops; n++ {
		in := linInput{Kind: opKind(rnd.IntN(6)), Key: rnd.IntN(linKeys), Value: rnd.Int64N(1000) + 1}
		if in.Kind == opUpdate && rnd.IntN(3) > 0 {
			in.ExpectRV = lastRV[in.Key] // often stale: conflicts are part of the test
		}
		var out linOutput
		var err error
		var obj *Widget
		var prevValue int64
		ctx, cancel := h.ctx, context.CancelFunc(func() {})
		if opts.OpTimeout > 0 {
			ctx, cancel = context.WithTimeout(h.ctx, opts.OpTimeout)
		}
		call := r.now()
		switch in.Kind {
		case opCreate:
			obj, err = h.widgets.Create(ctx, linWidget(in.Key, in.Value))
		case opGet:
			obj, err = h.widgets.Get(ctx, linNamespace, linName(in.Key), store.GetOptions{})
		case opUpdate:
			w := linWidget(in.Key, in.Value)
			if in.ExpectRV != 0 {
				w.ResourceVersion = strconv.FormatInt(in.ExpectRV, 10)
			}
			obj, err = h.widgets.Update(ctx, w)
		case opGuaranteedUpdate:
			obj, err = h.widgets.GuaranteedUpdate(ctx, linNamespace, linName(in.Key), func(cur *Widget) (*Widget, error) {
				prevValue = cur.Spec.Size
				cur.Spec.Size += in.Value
				cur.Labels = map[string]string{"parity": parity(cur.Spec.Size)}
				return cur, nil
			}, store.UpdateOptions{})
		case opDelete:
			obj, err = h.widgets.Delete(ctx, linNamespace, linName(in.Key), store.DeleteOptions{})
		case opList:
			var l *store.TypedList[*Widget]
			l, err = h.widgets.List(ctx, linNamespace, store.ListOptions{})
			if err == nil {
				out.RV = l.Revision
				for _, it := range l.Items {
					k, _ := strconv.Atoi(strings.TrimPrefix(it.Name, "k"))
					out.Items[k] = linKey{Value: it.Spec.Size, RV: rv(it)}
				}
			}
		}
		ret := r.now()
		cancel()
		r.finished()
		res, known := classify(err)
		if !known {
			if !opts.faulty() {
				t.Errorf("client %d: %s k%d: unexpected error %v", id, in.Kind, in.Key, err)
				return
			}
			if h.ctx.Err() != nil {
				return
			}
			if in.Kind == opGet || in.Kind == opList {
				continue // a failed read changes nothing: leave it out
			}
			// A write of unknown outcome: it may take effect at any time from its call on.
			r.mu.Lock()
			r.ops = append(r.ops, porcupine.Operation{ClientId: id, Input: in, Call: call, Output: linOutput{Result: outUnknown}, Return: math.MaxInt64})
			r.unknown++
			r.mu.Unlock()
			continue
		}
		out.Result = res
		if obj != nil {
			out.Value, out.RV = obj.Spec.Size, rv(obj)
			lastRV[in.Key] = out.RV
		}
		r.mu.Lock()
		r.ops = append(r.ops, porcupine.Operation{ClientId: id, Input: in, Call: call, Output: out, Return: ret})
		if res == outOK && in.Kind != opGet && in.Kind != opList {
			ev := truthEvent{key: in.Key, value: out.Value, rv: out.RV}
			switch in.Kind {
			case opCreate:
				ev.typ = watch.Added
			case opDelete:
				ev.typ = watch.Deleted
			case opGuaranteedUpdate:
				ev.typ, ev.prev = watch.Modified, prevValue
			default:
				ev.typ = watch.Modified
			}
			r.writes[out.RV] = ev
		}
		r.mu.Unlock()
	}
}

// streamEvent is one event of a recorded watch stream.
type streamEvent struct {
	typ   watch.EventType
	key   int
	value int64
	rv    int64
	// items is, for a relisted marker, the list's state of every key (RV 0: absent or not
	// selected).
	items [linKeys]linKey
}

// relisted marks, in a recorded stream, a list made after the watch expired: the stream
// continues from the list's revision.
const relisted watch.EventType = "RELISTED"

// stream is the recording of one logical watch (across resumptions).
type stream struct {
	name      string
	from      int64
	selector  labels.Selector // nil for everything
	events    []streamEvent
	resumes   int
	bookmarks int
	// stopAfter, when > 0, makes the recorder stop the watch after that many events and
	// resume it from the last revision received: the resumable guarantee.
	stopAfter int
	// faults, when true, makes the recorder resume after any failure but Expired (a fault
	// may end a watch): resuming must still deliver every change exactly once.
	faults bool
	// relist, with faults, makes the recorder list and continue from the list's revision
	// when resuming gets Expired (LinearizabilityOptions.AllowExpired).
	relist  bool
	relists int
	expired bool // set by read when the watch ended with Expired and relist is on
}

// record watches from s.from until it has seen revision until (through a bookmark it asks
// for), resuming after slow-watcher errors and after stopAfter events.
func (s *stream) record(t *testing.T, h *harness, until func() int64, fin <-chan struct{}) {
	from := s.from
	for {
		w, err := h.widgets.Watch(h.ctx, linNamespace, store.WatchOptions{Revision: from, Labels: s.selector})
		if err != nil && s.faults && s.relist && apierrors.IsResourceExpired(err) {
			if !s.relistNow(t, h, &from) {
				return
			}
			continue
		}
		if err != nil {
			if s.faults && h.ctx.Err() == nil && !apierrors.IsResourceExpired(err) && s.resumes < 1000 {
				s.resumes++
				select { // back off a little while the fault lasts
				case <-time.After(20 * time.Millisecond):
				case <-h.ctx.Done():
				}
				continue
			}
			t.Errorf("%s: watch from %d: %v", s.name, from, err)
			return
		}
		resume, done := s.read(t, w, &from, until, fin)
		w.Stop()
		if done || !resume {
			return
		}
		s.resumes++
		if s.expired {
			s.expired = false
			if !s.relistNow(t, h, &from) {
				return
			}
		}
	}
}

// relistNow lists what the stream watches, records the list as a relisted marker and moves
// from to its revision. It retries while the fault lasts.
func (s *stream) relistNow(t *testing.T, h *harness, from *int64) bool {
	var err error
	for try := 0; try < 200; try++ {
		var l *store.TypedList[*Widget]
		if l, err = h.widgets.List(h.ctx, linNamespace, store.ListOptions{Labels: s.selector}); err == nil {
			ev := streamEvent{typ: relisted, rv: l.Revision}
			for _, it := range l.Items {
				k, _ := strconv.Atoi(strings.TrimPrefix(it.Name, "k"))
				ev.items[k] = linKey{Value: it.Spec.Size, RV: rv(it)}
			}
			s.events = append(s.events, ev)
			s.relists++
			*from = l.Revision
			return true
		}
		select { // back off a little while the fault lasts
		case <-time.After(20 * time.Millisecond):
		case <-h.ctx.Done():
			t.Errorf("%s: relist after Expired: %v (last error %v)", s.name, h.ctx.Err(), err)
			return false
		}
	}
	t.Errorf("%s: relist after Expired: %v", s.name, err)
	return false
}

func (s *stream) read(t *testing.T, w watch.Interface[*Widget], from *int64, until func() int64, fin <-chan struct{}) (resume, done bool) {
	p, _ := w.(store.ProgressRequester)
	count := 0
	asked := false
	for {
		var ev watch.Event[*Widget]
		var ok bool
		select {
		case ev, ok = <-w.ResultChan():
		case <-fin:
			fin = nil // the clients are done: ask for a bookmark at the final revision
			if p != nil && !asked {
				p.RequestProgress()
				asked = true
			}
			continue
		case <-time.After(eventTimeout):
			t.Errorf("%s: no event within %v", s.name, eventTimeout)
			return false, true
		}
		if !ok {
			if s.faults {
				return true, false
			}
			t.Errorf("%s: stream ended without an error event", s.name)
			return false, true
		}
		switch ev.Type {
		case watch.Error:
			if watch.IsSlowWatcher(ev) || s.faults && !isExpired.is(errorOf(ev)) {
				return true, false
			}
			if s.faults && s.relist {
				s.expired = true // Expired: record relists
				return true, false
			}
			t.Errorf("%s: error event %v", s.name, ev.ErrorStatus())
			return false, true
		case watch.Bookmark:
			b := rvOf(ev)
			s.events = append(s.events, streamEvent{typ: watch.Bookmark, rv: b})
			s.bookmarks++
			*from = max(*from, b)
			if u := until(); u > 0 && b >= u {
				return false, true
			}
			asked = false
		default:
			k, _ := strconv.Atoi(strings.TrimPrefix(ev.Object.Name, "k"))
			s.events = append(s.events, streamEvent{typ: ev.Type, key: k, value: ev.Object.Spec.Size, rv: rvOf(ev)})
			*from = rvOf(ev)
			count++
			if s.stopAfter > 0 && count == s.stopAfter {
				return true, false
			}
			if count%10 == 0 && p != nil {
				// Bookmarks in the middle of live traffic: the checker verifies that no
				// event at or before a bookmark's revision comes after it.
				p.RequestProgress()
			}
		}
		if u := until(); u > 0 && !asked && p != nil {
			p.RequestProgress()
			asked = true
		}
	}
}

// check validates the stream against the truth: the writes at revisions (from, until], the
// keys being absent at start (the run's first revision).
func (s *stream) check(t *testing.T, truth map[int64]truthEvent, start, until int64) {
	t.Helper()
	matches := func(value int64) bool {
		return s.selector == nil || s.selector.Matches(labels.Set{"parity": parity(value)})
	}
	// wantAfter returns the events a perfect watch from revision from delivers, in order.
	wantAfter := func(from int64) []streamEvent {
		var want []streamEvent
		for rev := from + 1; rev <= until; rev++ {
			ev, ok := truth[rev]
			if !ok {
				t.Fatalf("%s: no write at revision %d in the history (neither acknowledged nor watched): revisions are not contiguous, or every unfiltered watch relisted across a write of unknown outcome", s.name, rev)
			}
			switch ev.typ {
			case watch.Added:
				if matches(ev.value) {
					want = append(want, streamEvent{typ: watch.Added, key: ev.key, value: ev.value, rv: rev})
				}
			case watch.Deleted:
				if matches(ev.value) {
					want = append(want, streamEvent{typ: watch.Deleted, key: ev.key, value: ev.value, rv: rev})
				}
			case watch.Modified:
				prev := s.prevValue(truth, ev, rev)
				was, is := matches(prev), matches(ev.value)
				switch {
				case was && is:
					want = append(want, streamEvent{typ: watch.Modified, key: ev.key, value: ev.value, rv: rev})
				case is:
					want = append(want, streamEvent{typ: watch.Added, key: ev.key, value: ev.value, rv: rev})
				case was:
					want = append(want, streamEvent{typ: watch.Deleted, key: ev.key, value: prev, rv: rev})
				}
			}
		}
		return want
	}
	// stateAt returns the selected keys' state at rev.
	stateAt := func(rev int64) [linKeys]linKey {
		var st [linKeys]linKey
		for r := start + 1; r <= rev; r++ {
			ev, ok := truth[r]
			if !ok {
				t.Fatalf("%s: no write at revision %d in the history (neither acknowledged nor watched): revisions are not contiguous, or every unfiltered watch relisted across a write of unknown outcome", s.name, r)
			}
			if ev.typ == watch.Deleted || !matches(ev.value) {
				st[ev.key] = linKey{}
			} else {
				st[ev.key] = linKey{Value: ev.value, RV: r}
			}
		}
		return st
	}
	// checkSegment checks the events got since base (the start or a relist). Before a
	// relist they must be a prefix of the perfect stream (the rest was lost with the
	// expired watch and is covered by the list); the last segment must be all of it.
	checkSegment := func(base int64, got []streamEvent, last bool) {
		want := wantAfter(base)
		if last && len(got) != len(want) || len(got) > len(want) {
			t.Errorf("%s: %d events in (%d, %d], want %d", s.name, len(got), base, until, len(want))
		}
		for i := 0; i < len(got) && i < len(want); i++ {
			if got[i] != want[i] {
				t.Errorf("%s: event %d after %d = %+v, want %+v", s.name, i, base, got[i], want[i])
				break
			}
		}
	}
	var got []streamEvent
	base, lastRV := s.from, s.from
	for i, ev := range s.events {
		switch ev.typ {
		case watch.Bookmark:
			// Bookmarkable: nothing at or before a bookmark may still come after it.
			for _, later := range s.events[i+1:] {
				if later.typ != watch.Bookmark && later.typ != relisted && later.rv <= ev.rv {
					t.Errorf("%s: event at %d after a bookmark at %d", s.name, later.rv, ev.rv)
				}
			}
			if ev.rv < lastRV {
				t.Errorf("%s: bookmark at %d after an event at %d", s.name, ev.rv, lastRV)
			}
			continue
		case relisted:
			if ev.rv < lastRV {
				t.Errorf("%s: relist at %d after an event at %d", s.name, ev.rv, lastRV)
			}
			checkSegment(base, got, false)
			if ev.rv <= until {
				if want := stateAt(ev.rv); ev.items != want {
					t.Errorf("%s: relist at %d = %+v, want %+v", s.name, ev.rv, ev.items, want)
				}
			}
			got, base, lastRV = nil, ev.rv, ev.rv
			continue
		}
		// Ordered and unique: strictly increasing revisions.
		if ev.rv <= lastRV {
			t.Errorf("%s: event at revision %d after revision %d: out of order or repeated", s.name, ev.rv, lastRV)
		}
		lastRV = ev.rv
		if ev.rv <= until {
			got = append(got, ev)
		}
	}
	// Reliable and atomic: exactly the expected events, each whole.
	if base <= until {
		checkSegment(base, got, true)
	}
}

// prevValue is the value a key had before the write at rev.
func (s *stream) prevValue(truth map[int64]truthEvent, ev truthEvent, rev int64) int64 {
	if ev.prev != 0 {
		return ev.prev
	}
	for r := rev - 1; r > 0; r-- {
		if p, ok := truth[r]; ok && p.key == ev.key {
			return p.value
		}
	}
	return 0
}

// Restarter takes the store under test down and brings it back, as a crash or a member loss
// would: RunLinearizability calls Stop and then Start at moments of the history chosen at
// random (from the seed). Stop returns once the fault is in place (the store closed
// abruptly, the member stopped); calls in flight may then fail, hang until their timeout, or
// even succeed, and calls made while the store is down may fail or wait for Start. Start
// returns once the store serves again (the store reopened, the member rejoined). A store
// built by the Factory stays the one the clients use throughout: a backend whose fault
// replaces the underlying store wraps it in a stable store.Interface.
type Restarter interface {
	Stop(ctx context.Context) error
	Start(ctx context.Context) error
}

// RestartFuncs adapts two functions to a Restarter, for faults that act on what the Factory
// builds (the functions are called only after it ran).
type RestartFuncs struct {
	StopFunc, StartFunc func(ctx context.Context) error
}

// Stop calls StopFunc.
func (f RestartFuncs) Stop(ctx context.Context) error { return f.StopFunc(ctx) }

// Start calls StartFunc.
func (f RestartFuncs) Start(ctx context.Context) error { return f.StartFunc(ctx) }

// LinearizabilityOptions configure RunLinearizability.
type LinearizabilityOptions struct {
	// Clients and Ops are the number of concurrent clients and of operations each makes.
	// Defaults 8 and 250.
	Clients, Ops int
	// Fault, when set, runs alongside the clients with the store under test (for example it
	// restarts an etcd member, or crashes and reopens a disk store) and returns when done.
	// Keep the number of ambiguous failures it causes small (tens): each one may take effect
	// at any later moment, which multiplies the histories the checker must consider.
	// With a Fault, an operation that fails with an error the contract does not define for
	// it (a timeout, an unavailable server) has an unknown outcome, which the checker
	// accepts either way, and watches resume after failures other than Expired.
	Fault func(ctx context.Context, s store.Interface)
	// OpTimeout bounds every operation; 0 means no bound. Set it with a Fault or a Restarter
	// so that an operation stuck in the fault ends with an unknown outcome.
	OpTimeout time.Duration
	// Restarter, when set, is stopped and started again Restarts times during the history,
	// at moments drawn from the seed: each Stop comes after a random number of the clients'
	// calls (spread over the middle 80% of the history), and the following Start after 1 to
	// 4 calls per client more or after MaxDowntime, whichever comes first (a store that is
	// wholly down finishes no calls). Operations are then treated as with a Fault: a write
	// that fails in a way the contract does not define has an unknown outcome (checked as
	// "pending forever": it may take effect at any moment after its call, or never), a
	// failed read is left out, and watches cut by the fault resume from the last revision
	// they received and must still satisfy the six guarantees across the break. An Expired
	// error on resumption fails the test unless AllowExpired is set.
	Restarter Restarter
	// AllowExpired declares that the backend may lose watch history in a fault (a Fault or a
	// Restarter): a watch whose resumption gets Expired then lists what it watches and
	// continues from the list's revision, and the check requires the events before the
	// break to be a prefix of the perfect stream, the list to be exactly the state at its
	// revision, and the events after it to be the perfect stream from there. Without it, an
	// Expired resumption fails the test. With writes of unknown outcome, a revision that
	// every unfiltered watch skipped through a relist cannot be known and fails the check.
	AllowExpired bool
	// Restarts is the number of Stop/Start cycles of the Restarter. Default 3.
	Restarts int
	// MaxDowntime bounds how long the Restarter stays stopped. Default 200ms.
	MaxDowntime time.Duration
	// Seed seeds the clients' operations and the fault schedule. 0 means the environment
	// variable STORETEST_SEED when set, else a seed from the time. Every failure prints the
	// seed; rerun with STORETEST_SEED to replay the same operations and schedule (the
	// interleaving of concurrent clients still varies).
	Seed uint64
}

func (o LinearizabilityOptions) faulty() bool { return o.Fault != nil || o.Restarter != nil }

// seed returns the seed of a run.
func (o LinearizabilityOptions) seed(t *testing.T) uint64 {
	if o.Seed != 0 {
		return o.Seed
	}
	if v := os.Getenv("STORETEST_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("STORETEST_SEED=%q: %v", v, err)
		}
		return n
	}
	return uint64(time.Now().UnixNano())
}

// RunLinearizability runs the linearizability and watch-guarantee check alone, with options:
// concurrent clients create, read, update, guaranteed-update, delete and list three keys while
// watchers record their streams (from the start, with a label selector, stopped and resumed
// every 7 events, and one joining mid-way, all asking for bookmarks in the middle of traffic);
// porcupine then checks the history against a sequential model in which every successful write
// takes exactly the next revision, and every stream is checked against the six watch
// guarantees. Run calls it with the defaults and no fault.
func RunLinearizability(t *testing.T, newStore Factory, opts LinearizabilityOptions) {
	t.Helper()
	if opts.Clients <= 0 {
		opts.Clients = 8
	}
	if opts.Ops <= 0 {
		opts.Ops = 250
	}
	if opts.Restarts <= 0 {
		opts.Restarts = 3
	}
	if opts.MaxDowntime <= 0 {
		opts.MaxDowntime = 200 * time.Millisecond
	}
	runLinearizability(t, newHarness(t, newStore), opts)
}

var consistencyTests = []test{
	{"linearizable clients and watch guarantees", func(t *testing.T, h *harness) {
		runLinearizability(t, h, LinearizabilityOptions{Clients: linClients, Ops: linOps})
	}},
}

func runLinearizability(t *testing.T, h *harness, opts LinearizabilityOptions) {
	// A broken store must fail this test, not hang it.
	ctx, cancel := context.WithTimeout(h.ctx, 2*time.Minute)
	defer cancel()
	hh := *h
	hh.ctx = ctx
	h = &hh
	faults := opts.faulty()
	seed := opts.seed(t)
	defer func() {
		if t.Failed() {
			t.Logf("seed %d: rerun with STORETEST_SEED=%d", seed, seed)
		}
	}()
	r := newRecorder()
	// Revision 0 means "now" to Watch: start from a real revision.
	h.create(t, widget("elsewhere", "seed", ""))
	start := h.revision(t)
	var final atomic.Int64
	until := func() int64 { return final.Load() }
	even := mustParse(t, "parity=even")
	streams := []*stream{
		{name: "all from start", from: start, faults: faults, relist: opts.AllowExpired},
		{name: "even from start", from: start, selector: even, faults: faults, relist: opts.AllowExpired},
		{name: "resumed every 7 events", from: start, stopAfter: 7, faults: faults, relist: opts.AllowExpired},
	}
	fin := make(chan struct{})
	var watchers sync.WaitGroup
	startStream := func(s *stream) {
		watchers.Add(1)
		go func() { defer watchers.Done(); s.record(t, h, until, fin) }()
	}
	for _, s := range streams {
		startStream(s)
	}
	var clients sync.WaitGroup
	if opts.Fault != nil {
		clients.Add(1)
		go func() { defer clients.Done(); opts.Fault(ctx, h.s) }()
	}
	clientsDone := make(chan struct{})
	restarts := 0
	var restarter sync.WaitGroup
	if opts.Restarter != nil {
		restarter.Add(1)
		go func() { defer restarter.Done(); restarts = runRestarts(ctx, t, r, opts, seed, clientsDone) }()
	}
	for id := 0; id < opts.Clients; id++ {
		clients.Add(1)
		go func() { defer clients.Done(); runClient(t, h, r, id, seed, opts) }()
		if id == opts.Clients/2 {
			// A watcher that joins mid-way, from the revision of that moment.
			late := &stream{name: "joined mid-way", from: h.revisionAfterFaults(t, faults), faults: faults, relist: opts.AllowExpired}
			streams = append(streams, late)
			startStream(late)
		}
	}
	clients.Wait()
	close(clientsDone)
	restarter.Wait()
	final.Store(h.revisionAfterFaults(t, faults))
	close(fin)
	watchers.Wait()
	if t.Failed() {
		return
	}
	truth := r.writes
	ops := r.ops
	var res resolution
	if r.unknown > 0 {
		// Writes of unknown outcome that took effect are known only from the watches: take
		// them from the unfiltered streams; every other stream must agree with them, and
		// they must agree with every acknowledged write.
		truth = fillTruth(t, r.writes, streams, start, final.Load())
		// Each of those writes must be one of the calls of unknown outcome; naming it
		// makes the history much cheaper to check.
		var problems []string
		ops, res, problems = resolveUnknown(r.ops, r.writes, truth, start, final.Load())
		for _, p := range problems {
			t.Error(p)
		}
	}
	checkStart := time.Now()
	verdict, info := porcupine.CheckOperationsVerbose(linModel(start), ops, 60*time.Second)
	checkTime := time.Since(checkStart)
	switch verdict {
	case porcupine.Illegal:
		t.Errorf("history of %d operations is not linearizable (seed %d)", len(ops), seed)
		if path := t.TempDir() + "/history.html"; porcupine.VisualizePath(linModel(start), info, path) == nil {
			t.Logf("visualization: %s", path)
		}
	case porcupine.Unknown:
		t.Errorf("linearizability check timed out on %d operations (seed %d)", len(ops), seed)
	}
	for _, s := range streams {
		s.check(t, truth, start, final.Load())
	}
	resumed, bookmarks, relists := 0, 0, 0
	for _, s := range streams {
		resumed += s.resumes
		bookmarks += s.bookmarks
		relists += s.relists
	}
	if streams[2].resumes == 0 && len(r.writes) > 7 {
		t.Errorf("the resumed stream never resumed")
	}
	t.Logf("%d operations (%d of unknown outcome: %d took effect, %d did not, %d undecided), %d acknowledged writes, revisions %d..%d, %d restarts, %d resumptions, %d relists, %d bookmarks, checked in %v, seed %d",
		len(r.ops), r.unknown, res.resolved, res.dropped, res.undecided, len(r.writes), start, final.Load(), restarts, resumed, relists, bookmarks, checkTime.Round(time.Millisecond), seed)
	if r.unknown == 0 {
		keys := make([]int64, 0, len(r.writes))
		for k := range r.writes {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		if len(keys) > 0 && (keys[0] != start+1 || keys[len(keys)-1] != final.Load() || len(keys) != int(final.Load()-start)) {
			t.Errorf("write revisions %d..%d (%d writes) do not cover (%d, %d] exactly", keys[0], keys[len(keys)-1], len(keys), start, final.Load())
		}
	}
}

// runRestarts stops and starts opts.Restarter opts.Restarts times at moments drawn from seed
// (counted in the clients' finished calls) and returns the number of completed cycles. It
// returns early when the clients are done (end closed), never leaving the store stopped.
func runRestarts(ctx context.Context, t *testing.T, r *recorder, opts LinearizabilityOptions, seed uint64, end <-chan struct{}) int {
	rnd := rand.New(rand.NewPCG(seed, math.MaxUint64))
	total := opts.Clients * opts.Ops
	span := max(1, total*8/10/opts.Restarts)
	done := 0
	for i := 0; i < opts.Restarts; i++ {
		at := total/10 + i*span + rnd.IntN(max(1, span/2))
		gap := opts.Clients + rnd.IntN(3*opts.Clients)
		if !r.waitCalls(ctx, at, 0, end) {
			return done
		}
		if err := opts.Restarter.Stop(ctx); err != nil {
			t.Errorf("restart %d: stop after %d calls: %v", i+1, r.calls(), err)
			return done
		}
		stopped := r.calls()
		r.waitCalls(ctx, stopped+gap, opts.MaxDowntime, end)
		// Start even when the run is ending, with a context of its own: the store must
		// not be left down.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		err := opts.Restarter.Start(sctx)
		cancel()
		if err != nil {
			t.Errorf("restart %d: start after %d calls (stopped after %d): %v", i+1, r.calls(), stopped, err)
			return done
		}
		done++
	}
	return done
}

// revisionAfterFaults is the store's revision; with faults it retries for a while, as the
// store may be down or electing a leader.
func (h *harness) revisionAfterFaults(t *testing.T, faults bool) int64 {
	t.Helper()
	if !faults {
		return h.revision(t)
	}
	var err error
	for try := 0; try < 200; try++ {
		var st store.Stats
		if st, err = h.s.Stats(h.ctx); err == nil {
			return st.Revision
		}
		select { // back off a little while the fault lasts
		case <-time.After(50 * time.Millisecond):
		case <-h.ctx.Done():
			t.Fatalf("stats: %v (last error %v)", h.ctx.Err(), err)
		}
	}
	t.Fatalf("stats: %v", err)
	return 0
}

// resolution counts what resolveUnknown decided about the writes of unknown outcome.
type resolution struct{ resolved, dropped, undecided int }

// resolveUnknown decides the writes of unknown outcome from the unfiltered watch stream,
// which holds every write in (start, final] (the stream checks verify that it has no gap and
// agrees with the acknowledged writes). Every write at a revision no caller saw acknowledged
// must have been made by one of the calls of unknown outcome that could have written it
// (same key, kind and resulting value; for an update, a precondition it met; for a guaranteed
// update, an increment that gives the value): otherwise the store made up a write, which
// fails the test. When exactly one call fits, it took effect at that revision: its output
// becomes that write (it still returns "never", as nobody saw it return). A call of unknown
// outcome that fits no write never took effect, or took effect after every recorded call
// returned (after the final revision), which no call observed: either way the history
// without it is equivalent, so it is left out. Calls that fit a write together with others
// stay undecided (pending forever, the checker tries both). Without this, every crash leaves
// a handful of pending-forever writes, and porcupine's search grows exponentially with them.
// It returns the history to check, the counts, and the phantom writes found.
func resolveUnknown(ops []porcupine.Operation, acked, truth map[int64]truthEvent, start, final int64) ([]porcupine.Operation, resolution, []string) {
	var problems []string
	type write struct {
		rev    int64
		ev     truthEvent
		prev   linKey // the key's state before the write
		fits   []int  // indexes into ops of the calls that could have made it
		solved bool
	}
	var writes []*write
	var state [linKeys]linKey
	for rev := start + 1; rev <= final; rev++ {
		ev, ok := truth[rev]
		if !ok {
			return ops, resolution{}, nil // stream.check reports the gap
		}
		if _, ok := acked[rev]; !ok {
			writes = append(writes, &write{rev: rev, ev: ev, prev: state[ev.key]})
		}
		if ev.typ == watch.Deleted {
			state[ev.key] = linKey{}
		} else {
			state[ev.key] = linKey{Value: ev.value, RV: rev}
		}
	}
	unknown := map[int]bool{} // index -> still open
	for i, op := range ops {
		if op.Output.(linOutput).Result == outUnknown {
			unknown[i] = true
		}
	}
	fits := func(w *write, in linInput) bool {
		if in.Key != w.ev.key {
			return false
		}
		switch w.ev.typ {
		case watch.Added:
			return in.Kind == opCreate && in.Value == w.ev.value
		case watch.Deleted:
			return in.Kind == opDelete
		case watch.Modified:
			switch in.Kind {
			case opUpdate:
				return in.Value == w.ev.value && (in.ExpectRV == 0 || in.ExpectRV == w.prev.RV)
			case opGuaranteedUpdate:
				return in.Value == w.ev.value-w.prev.Value
			}
		}
		return false
	}
	for _, w := range writes {
		for i := range unknown {
			if fits(w, ops[i].Input.(linInput)) {
				w.fits = append(w.fits, i)
			}
		}
		sort.Ints(w.fits)
		if len(w.fits) == 0 {
			problems = append(problems, fmt.Sprintf("write at revision %d (%s k%d = %d) was made by no call: the store wrote what nobody asked for", w.rev, w.ev.typ, w.ev.key, w.ev.value))
		}
	}
	// A call takes effect at most once: a write that only one open call fits was made by it,
	// which takes that call away from every other write. Repeat until nothing changes.
	out := make([]porcupine.Operation, len(ops))
	copy(out, ops)
	var res resolution
	for changed := true; changed; {
		changed = false
		for _, w := range writes {
			if w.solved {
				continue
			}
			open := w.fits[:0]
			for _, i := range w.fits {
				if unknown[i] {
					open = append(open, i)
				}
			}
			w.fits = open
			if len(open) != 1 {
				continue
			}
			i := open[0]
			delete(unknown, i)
			w.solved, changed = true, true
			out[i].Output = linOutput{Result: outOK, Value: w.ev.value, RV: w.rev}
			res.resolved++
		}
	}
	keep := map[int]bool{}
	for _, w := range writes {
		if !w.solved {
			for _, i := range w.fits {
				keep[i] = true
			}
		}
	}
	kept := out[:0]
	for i, op := range out {
		if unknown[i] && !keep[i] {
			res.dropped++
			continue
		}
		if unknown[i] {
			res.undecided++
		}
		kept = append(kept, op)
	}
	return kept, res, problems
}

// fillTruth completes the acknowledged writes with the revisions only the unfiltered streams
// know (writes whose callers saw an unknown outcome), checking that the streams agree with
// every acknowledged write (stream.check then verifies that they agree with each other).
func fillTruth(t *testing.T, acked map[int64]truthEvent, streams []*stream, start, final int64) map[int64]truthEvent {
	t.Helper()
	out := make(map[int64]truthEvent, final-start)
	for k, v := range acked {
		out[k] = v
	}
	for _, s := range streams {
		if s.selector != nil {
			continue
		}
		for _, ev := range s.events {
			if ev.typ == watch.Bookmark || ev.typ == relisted || ev.rv <= start || ev.rv > final {
				continue
			}
			if a, ok := acked[ev.rv]; ok {
				if a.typ != ev.typ || a.key != ev.key || a.value != ev.value {
					t.Errorf("%s: event at %d is %s k%d=%d, the acknowledged write was %s k%d=%d",
						s.name, ev.rv, ev.typ, ev.key, ev.value, a.typ, a.key, a.value)
				}
				continue
			}
			if _, ok := out[ev.rv]; !ok {
				out[ev.rv] = truthEvent{typ: ev.typ, key: ev.key, value: ev.value, rv: ev.rv}
			}
		}
	}
	return out
}
