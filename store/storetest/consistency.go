package storetest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
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
}

func (r *recorder) now() int64 { return r.clock.Add(1) }

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
		res, known := classify(err)
		if !known {
			if opts.Fault == nil {
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
}

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
}

// record watches from s.from until it has seen revision until (through a bookmark it asks
// for), resuming after slow-watcher errors and after stopAfter events.
func (s *stream) record(t *testing.T, h *harness, until func() int64, fin <-chan struct{}) {
	from := s.from
	for {
		w, err := h.widgets.Watch(h.ctx, linNamespace, store.WatchOptions{Revision: from, Labels: s.selector})
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
	}
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

// check validates the stream against the truth: the writes at revisions (from, until].
func (s *stream) check(t *testing.T, truth map[int64]truthEvent, until int64) {
	t.Helper()
	matches := func(value int64) bool {
		return s.selector == nil || s.selector.Matches(labels.Set{"parity": parity(value)})
	}
	// The events a perfect watch delivers, in order.
	var want []streamEvent
	for rev := s.from + 1; rev <= until; rev++ {
		ev, ok := truth[rev]
		if !ok {
			t.Fatalf("%s: no write at revision %d in the history: revisions are not contiguous", s.name, rev)
		}
		switch ev.typ {
		case watch.Added:
			if matches(ev.value) {
				want = append(want, streamEvent{watch.Added, ev.key, ev.value, rev})
			}
		case watch.Deleted:
			if matches(ev.value) {
				want = append(want, streamEvent{watch.Deleted, ev.key, ev.value, rev})
			}
		case watch.Modified:
			prev := s.prevValue(truth, ev, rev)
			was, is := matches(prev), matches(ev.value)
			switch {
			case was && is:
				want = append(want, streamEvent{watch.Modified, ev.key, ev.value, rev})
			case is:
				want = append(want, streamEvent{watch.Added, ev.key, ev.value, rev})
			case was:
				want = append(want, streamEvent{watch.Deleted, ev.key, prev, rev})
			}
		}
	}
	var got []streamEvent
	lastRV := s.from
	for i, ev := range s.events {
		if ev.typ == watch.Bookmark {
			// Bookmarkable: nothing at or before a bookmark may still come after it.
			for _, later := range s.events[i+1:] {
				if later.typ != watch.Bookmark && later.rv <= ev.rv {
					t.Errorf("%s: event at %d after a bookmark at %d", s.name, later.rv, ev.rv)
				}
			}
			if ev.rv < lastRV {
				t.Errorf("%s: bookmark at %d after an event at %d", s.name, ev.rv, lastRV)
			}
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
	if len(got) != len(want) {
		t.Errorf("%s: %d events in (%d, %d], want %d", s.name, len(got), s.from, until, len(want))
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			t.Errorf("%s: event %d = %+v, want %+v", s.name, i, got[i], want[i])
			break
		}
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
	// OpTimeout bounds every operation; 0 means no bound. Set it with a Fault so that an
	// operation stuck in the fault ends with an unknown outcome.
	OpTimeout time.Duration
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
	faults := opts.Fault != nil
	r := &recorder{writes: map[int64]truthEvent{}}
	// Revision 0 means "now" to Watch: start from a real revision.
	h.create(t, widget("elsewhere", "seed", ""))
	start := h.revision(t)
	var final atomic.Int64
	until := func() int64 { return final.Load() }
	even := mustParse(t, "parity=even")
	streams := []*stream{
		{name: "all from start", from: start, faults: faults},
		{name: "even from start", from: start, selector: even, faults: faults},
		{name: "resumed every 7 events", from: start, stopAfter: 7, faults: faults},
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
	if faults {
		clients.Add(1)
		go func() { defer clients.Done(); opts.Fault(ctx, h.s) }()
	}
	seed := uint64(time.Now().UnixNano())
	for id := 0; id < opts.Clients; id++ {
		clients.Add(1)
		go func() { defer clients.Done(); runClient(t, h, r, id, seed, opts) }()
		if id == opts.Clients/2 {
			// A watcher that joins mid-way, from the revision of that moment.
			late := &stream{name: "joined mid-way", from: h.revision(t), faults: faults}
			streams = append(streams, late)
			startStream(late)
		}
	}
	clients.Wait()
	final.Store(h.revision(t))
	close(fin)
	watchers.Wait()
	if t.Failed() {
		return
	}
	res, info := porcupine.CheckOperationsVerbose(linModel(start), r.ops, 60*time.Second)
	switch res {
	case porcupine.Illegal:
		t.Errorf("history of %d operations is not linearizable (seed %d)", len(r.ops), seed)
		if path := t.TempDir() + "/history.html"; porcupine.VisualizePath(linModel(start), info, path) == nil {
			t.Logf("visualization: %s", path)
		}
	case porcupine.Unknown:
		t.Errorf("linearizability check timed out on %d operations (seed %d)", len(r.ops), seed)
	}
	truth := r.writes
	if r.unknown > 0 {
		// Writes of unknown outcome that took effect are known only from the watches: take
		// them from the unfiltered stream; every other stream must agree with it, and it
		// must agree with every acknowledged write.
		truth = fillTruth(t, r.writes, streams[0], start, final.Load())
	}
	for _, s := range streams {
		s.check(t, truth, final.Load())
	}
	resumed, bookmarks := 0, 0
	for _, s := range streams {
		resumed += s.resumes
		bookmarks += s.bookmarks
	}
	if streams[2].resumes == 0 && len(r.writes) > 7 {
		t.Errorf("the resumed stream never resumed")
	}
	t.Logf("%d operations (%d of unknown outcome), %d acknowledged writes, revisions %d..%d, %d resumptions, %d bookmarks, seed %d",
		len(r.ops), r.unknown, len(r.writes), start, final.Load(), resumed, bookmarks, seed)
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

// fillTruth completes the acknowledged writes with the revisions only the unfiltered stream
// knows (writes whose callers saw an unknown outcome), checking that the stream agrees with
// every acknowledged write.
func fillTruth(t *testing.T, acked map[int64]truthEvent, all *stream, start, final int64) map[int64]truthEvent {
	t.Helper()
	out := make(map[int64]truthEvent, final-start)
	for k, v := range acked {
		out[k] = v
	}
	for _, ev := range all.events {
		if ev.typ == watch.Bookmark || ev.rv <= start || ev.rv > final {
			continue
		}
		if a, ok := acked[ev.rv]; ok {
			if a.typ != ev.typ || a.key != ev.key || a.value != ev.value {
				t.Errorf("%s: event at %d is %s k%d=%d, the acknowledged write was %s k%d=%d",
					all.name, ev.rv, ev.typ, ev.key, ev.value, a.typ, a.key, a.value)
			}
			continue
		}
		out[ev.rv] = truthEvent{typ: ev.typ, key: ev.key, value: ev.value, rv: ev.rv}
	}
	return out
}
