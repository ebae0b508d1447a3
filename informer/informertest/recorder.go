package informertest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/informer"
)

// Op is the kind of a recorded notification or change.
type Op string

// The ops.
const (
	Add    Op = "add"
	Update Op = "update"
	Delete Op = "delete"
)

// Record is one notification a Recorder received.
type Record struct {
	Op  Op
	Key string
	// RV is the resourceVersion of the object (the new one for updates, the deleted state
	// for deletes); OldRV that of the old object of an update.
	RV, OldRV string
	// Initial is the isInInitialList flag of an add; FinalStateUnknown that of a delete.
	Initial, FinalStateUnknown bool
}

// Recorder is an informer.Handler that records every notification it receives.
type Recorder[T runtime.MetaObject] struct {
	mu      sync.Mutex
	records []Record
	latest  map[string]string // key -> resourceVersion of the last record
	changed chan struct{}
}

var _ informer.Handler[runtime.MetaObject] = (*Recorder[runtime.MetaObject])(nil)

// NewRecorder returns an empty Recorder.
func NewRecorder[T runtime.MetaObject]() *Recorder[T] {
	return &Recorder[T]{latest: map[string]string{}, changed: make(chan struct{})}
}

func (r *Recorder[T]) add(rec Record) {
	r.mu.Lock()
	r.records = append(r.records, rec)
	r.latest[rec.Key] = rec.RV
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

// OnAdd implements informer.Handler.
func (r *Recorder[T]) OnAdd(obj T, initial bool) {
	r.add(Record{Op: Add, Key: informer.KeyOf(obj).String(), RV: obj.GetObjectMeta().ResourceVersion, Initial: initial})
}

// OnUpdate implements informer.Handler.
func (r *Recorder[T]) OnUpdate(old, obj T) {
	r.add(Record{Op: Update, Key: informer.KeyOf(obj).String(), RV: obj.GetObjectMeta().ResourceVersion, OldRV: old.GetObjectMeta().ResourceVersion})
}

// OnDelete implements informer.Handler.
func (r *Recorder[T]) OnDelete(d informer.Deleted[T]) {
	r.add(Record{Op: Delete, Key: informer.KeyOf(d.Object).String(), RV: d.Object.GetObjectMeta().ResourceVersion, FinalStateUnknown: d.FinalStateUnknown})
}

// Records returns a copy of every record, in the order received.
func (r *Recorder[T]) Records() []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Record(nil), r.records...)
}

// Len returns the number of records.
func (r *Recorder[T]) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.records)
}

// Changed returns a channel that is closed at the next record.
func (r *Recorder[T]) Changed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.changed
}

// WaitForRV blocks until the last record of key carries resourceVersion rv, or ctx is done.
func (r *Recorder[T]) WaitForRV(ctx context.Context, key, rv string) error {
	for {
		r.mu.Lock()
		if r.latest[key] == rv {
			r.mu.Unlock()
			return nil
		}
		ch := r.changed
		r.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("informertest: wait for %s at %s: %w", key, rv, ctx.Err())
		}
	}
}

// Change is one true change of an object.
type Change struct {
	Op Op
	RV int64
}

// History records the true changes of a store from one of its watches.
type History struct {
	mu      sync.Mutex
	changes map[string][]Change
	changed chan struct{}
}

// NewHistory returns an empty History.
func NewHistory() *History {
	return &History{changes: map[string][]Change{}, changed: make(chan struct{})}
}

// WaitForRV blocks until the history holds a change of key at revision rv, or ctx is done.
func (h *History) WaitForRV(ctx context.Context, key string, rv int64) error {
	for {
		h.mu.Lock()
		for _, c := range h.changes[key] {
			if c.RV == rv {
				h.mu.Unlock()
				return nil
			}
		}
		ch := h.changed
		h.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("informertest: history: wait for %s at %d: %w", key, rv, ctx.Err())
		}
	}
}

// Follow records the events of w until it ends or ctx is done, then stops w. Error events
// end it with an error.
func (h *History) Follow(ctx context.Context, w watch.Interface[runtime.Object]) error {
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.ResultChan():
			if !ok {
				return nil
			}
			if err := h.Observe(ev); err != nil {
				return err
			}
		}
	}
}

// Observe records one watch event; bookmarks are ignored.
func (h *History) Observe(ev watch.Event[runtime.Object]) error {
	var op Op
	switch ev.Type {
	case watch.Added:
		op = Add
	case watch.Modified:
		op = Update
	case watch.Deleted:
		op = Delete
	case watch.Bookmark:
		return nil
	default:
		return fmt.Errorf("informertest: history: %s event: %v", ev.Type, ev.ErrorStatus())
	}
	mo, ok := ev.Object.(runtime.MetaObject)
	if !ok {
		return fmt.Errorf("informertest: history: object of type %T", ev.Object)
	}
	rv, err := strconv.ParseInt(mo.GetObjectMeta().ResourceVersion, 10, 64)
	if err != nil {
		return fmt.Errorf("informertest: history: %w", err)
	}
	h.mu.Lock()
	k := informer.KeyOf(mo).String()
	h.changes[k] = append(h.changes[k], Change{Op: op, RV: rv})
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
	return nil
}

// Changes returns a copy of the changes, by object key.
func (h *History) Changes() map[string][]Change {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string][]Change, len(h.changes))
	for k, v := range h.changes {
		out[k] = append([]Change(nil), v...)
	}
	return out
}

// Mode says how strictly Check compares.
type Mode uint8

const (
	// Exact: every handler saw exactly every change, in order (no relist happened after the
	// handler's start, or relists found nothing missed).
	Exact Mode = iota
	// Consistent: after relists a handler may miss intermediate states, but what it saw of an
	// object is a chain of true states in revision order (every update's old state is the
	// previous one seen, every delete follows the state seen last) that ends in the object's
	// final true state; no state is invented, repeated or reordered, and no delete is missed.
	Consistent
)

// Check compares the records with the true changes of every object; the records must
// start from an empty state (the handler was added before the first object was written).
// It returns every discrepancy, joined.
func (r *Recorder[T]) Check(truth map[string][]Change, mode Mode) error {
	byKey := map[string][]Record{}
	for _, rec := range r.Records() {
		byKey[rec.Key] = append(byKey[rec.Key], rec)
	}
	keys := map[string]bool{}
	for k := range truth {
		keys[k] = true
	}
	for k := range byKey {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var errs []error
	for _, k := range sorted {
		if err := checkKey(byKey[k], truth[k], mode); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", k, err))
		}
	}
	return errors.Join(errs...)
}

func describe(recs []Record) string {
	var b strings.Builder
	for i, r := range recs {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s@%s", r.Op, r.RV)
		if r.FinalStateUnknown {
			b.WriteString("(tombstone)")
		}
	}
	return b.String()
}

func checkKey(recs []Record, truth []Change, mode Mode) error {
	if mode == Exact {
		if len(recs) != len(truth) {
			return fmt.Errorf("saw %d changes [%s], want %d %v", len(recs), describe(recs), len(truth), truth)
		}
		for i, c := range truth {
			if recs[i].Op != c.Op || recs[i].RV != strconv.FormatInt(c.RV, 10) || recs[i].FinalStateUnknown {
				return fmt.Errorf("change %d: saw [%s], want %v", i, describe(recs), truth)
			}
		}
	}
	states := map[int64]bool{} // revisions at which the object existed in this state
	deletes := map[int64]bool{}
	for _, c := range truth {
		if c.Op == Delete {
			deletes[c.RV] = true
		} else {
			states[c.RV] = true
		}
	}
	var cur int64 // revision of the state seen last; 0 when absent
	var last int64
	for i, rec := range recs {
		rv, err := strconv.ParseInt(rec.RV, 10, 64)
		if err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
		switch rec.Op {
		case Add:
			if cur != 0 {
				return fmt.Errorf("record %d: add while present at %d: [%s]", i, cur, describe(recs))
			}
			if !states[rv] || rv <= last {
				return fmt.Errorf("record %d: add of state %d that is not a new true state: [%s]", i, rv, describe(recs))
			}
			cur, last = rv, rv
		case Update:
			old, _ := strconv.ParseInt(rec.OldRV, 10, 64)
			if cur == 0 || old != cur {
				return fmt.Errorf("record %d: update from %d but the state seen last is %d: [%s]", i, old, cur, describe(recs))
			}
			if rv == cur { // a resync
				continue
			}
			if !states[rv] || rv <= last {
				return fmt.Errorf("record %d: update to state %d that is not a new true state: [%s]", i, rv, describe(recs))
			}
			cur, last = rv, rv
		case Delete:
			if cur == 0 {
				return fmt.Errorf("record %d: delete while absent: [%s]", i, describe(recs))
			}
			if rec.FinalStateUnknown {
				if rv != cur {
					return fmt.Errorf("record %d: tombstone with state %d, the state seen last is %d", i, rv, cur)
				}
			} else {
				if !deletes[rv] || rv <= last {
					return fmt.Errorf("record %d: delete at %d that is not a true delete: [%s]", i, rv, describe(recs))
				}
				last = rv
			}
			cur = 0
		}
	}
	var final int64
	if n := len(truth); n > 0 && truth[n-1].Op != Delete {
		final = truth[n-1].RV
	}
	if cur != final {
		return fmt.Errorf("final state seen %d, true final state %d (0: absent): [%s]", cur, final, describe(recs))
	}
	return nil
}
