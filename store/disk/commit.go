package disk

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Group commit. Every write is a request to one committer goroutine. The committer takes
// the first request, then every other request already waiting (up to MaxBatch), checks each
// against the in-memory state plus the batch's earlier writes, gives the successful ones the
// next revisions and writes them all in one bbolt transaction: one fsync for the batch. Only
// after the transaction is on disk does it apply the batch to the in-memory state (so no
// reader or watcher ever sees a write that could still be lost) and answer every request.
// While a batch is being synced, new requests queue up and form the next batch, so the batch
// size follows the load with no timer: one writer pays one fsync per write, 256 writers share
// one fsync.
//
// bbolt's own DB.Batch was not used: it coalesces by a timer (MaxBatchDelay, adding latency
// to a lone writer), may run a function twice, and gives no single point where revisions are
// assigned in order; our checks need exactly that point.

type opKind uint8

const (
	opCreate opKind = iota
	opUpdate
	opDelete
	opCompact
	opCheck
)

// request is one write for the committer.
type request struct {
	op      opKind
	t       *table
	obj     runtime.MetaObject // create, update: the store's own checked copy
	idx     []string
	ns      string // delete
	name    string // delete
	pre     *meta.Preconditions
	wantRev int64 // update: resourceVersion precondition, 0 for none
	compact int64
	// state is 0 while queued, 1 once the committer took it, 2 when the caller gave up
	// (its context ended) before that: the committer then skips it.
	state atomic.Int32
	done  chan result
}

type result struct {
	obj      runtime.MetaObject
	conflict bool // a resourceVersion conflict: GuaranteedUpdate retries
	err      error
}

// submit hands r to the committer and waits for its result. A request whose context ends
// before the committer took it fails with ctx's error and is never applied; once taken, the
// caller waits for the outcome, so an error always means "not written".
func (s *Store) submit(ctx context.Context, op string, gr schema.GroupResource, r *request) result {
	r.done = make(chan result, 1)
	select {
	case s.reqs <- r:
	case <-s.stop:
		return result{err: closedErr(op, gr)}
	case <-ctx.Done():
		return result{err: fmt.Errorf("disk: %s %s: %w", op, gr, ctx.Err())}
	}
	select {
	case res := <-r.done:
		return res
	case <-ctx.Done():
		if r.state.CompareAndSwap(0, 2) {
			return result{err: fmt.Errorf("disk: %s %s: %w", op, gr, ctx.Err())}
		}
		return <-r.done
	}
}

func (s *Store) commitLoop() {
	defer s.wg.Done()
	defer close(s.done)
	batch := make([]*request, 0, s.maxBatch)
	for {
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		case <-s.stop:
			return
		}
	drain:
		for len(batch) < s.maxBatch {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		s.commitBatch(batch)
		clear(batch)
		batch = batch[:0]
	}
}

// change is one successful write of a batch.
type change struct {
	req  *request
	i    int // position in the batch
	t    *table
	ns   string
	name string
	rev  int64
	typ  watch.EventType
	obj  runtime.MetaObject // new state; nil for a delete
	prev runtime.MetaObject // state before; nil for a create
	del  runtime.MetaObject // for a delete: the last state with the delete's revision
	js   []byte
	rec  historyRecord // Prev is filled in the transaction, from the stored value
	at   time.Time
}

// pending is the state of a key after the batch's earlier writes.
type pending struct {
	obj runtime.MetaObject // nil: deleted
	rev int64
}

// commitBatch checks, persists, applies and answers one batch.
func (s *Store) commitBatch(batch []*request) {
	now := s.clock.Now()
	rev := s.rev // only the committer changes s.rev, so reading it without mu is safe here
	overlay := map[*table]map[string]pending{}
	current := func(t *table, ns, name string) (runtime.MetaObject, int64) {
		if p, ok := overlay[t][ns+"/"+name]; ok {
			return p.obj, p.rev
		}
		if e := t.lookup(ns, name); e != nil {
			v := e.Latest()
			return v.Obj, v.Rev
		}
		return nil, 0
	}
	set := func(t *table, ns, name string, p pending) {
		m := overlay[t]
		if m == nil {
			m = map[string]pending{}
			overlay[t] = m
		}
		m[ns+"/"+name] = p
	}
	var changes []change
	answers := make([]result, len(batch))
	compactTo := int64(0)
	var compactReqs []int
	for i, r := range batch {
		if !r.state.CompareAndSwap(0, 1) {
			batch[i] = nil // the caller gave up before we took it
			continue
		}
		if r.op == opCheck {
			answers[i].err = s.checkNow() // sees the state before this batch, as on disk
			continue
		}
		if r.op == opCompact {
			if r.compact > rev {
				answers[i].err = fmt.Errorf("disk: compact to %d: %w", r.compact, apierrors.NewTooLargeResourceVersion(uint64(r.compact), uint64(rev), 1))
				continue
			}
			compactTo = max(compactTo, r.compact)
			compactReqs = append(compactReqs, i)
			continue
		}
		c, conflict, err := s.prepare(r, rev+1, now, current)
		if err != nil {
			answers[i] = result{err: err, conflict: conflict}
			continue
		}
		c.i = i
		rev++
		changes = append(changes, c)
		set(c.t, c.ns, c.name, pending{obj: c.obj, rev: c.rev})
	}
	// Automatic compaction by count and age.
	target := max(compactTo, s.autoCompactTarget(rev, now))
	if target <= s.compacted {
		target = 0
	}
	if len(changes) == 0 && target == 0 {
		s.answer(batch, answers)
		return
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		h := tx.Bucket(historyBucket)
		for i := range changes {
			c := &changes[i]
			b := tx.Bucket(c.t.bucket)
			key := []byte(c.ns + "/" + c.name)
			if c.typ == watch.Modified {
				// The previous state's JSON is the stored value: copy it rather than
				// encode the previous object again.
				prevRev, prev, err := splitObjectValue(b.Get(key))
				if err != nil || prevRev != c.rec.PrevRev {
					return fmt.Errorf("stored %s %s at revision %d, want %d: %v", c.t.res.GroupResource, key, prevRev, c.rec.PrevRev, err)
				}
				c.rec.Prev = append([]byte(nil), prev...)
			}
			if c.obj == nil {
				if err := b.Delete(key); err != nil {
					return err
				}
			} else if err := b.Put(key, objectValue(c.rev, c.js)); err != nil {
				return err
			}
			if err := h.Put(u64(c.rev), c.rec.encode()); err != nil {
				return err
			}
		}
		m := tx.Bucket(metaBucket)
		if err := m.Put(keyRev, u64(rev)); err != nil {
			return err
		}
		if target > 0 {
			hc := h.Cursor()
			for k, _ := hc.First(); k != nil; k, _ = hc.First() {
				r, err := readU64(k)
				if err != nil {
					return err
				}
				if r > target {
					break
				}
				if err := hc.Delete(); err != nil {
					return err
				}
			}
			if err := m.Put(keyCompacted, u64(target)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		err = fmt.Errorf("disk: commit: %w", err)
		s.log.Error(err, "commit failed", "writes", len(changes))
		for i, r := range batch {
			if r != nil && answers[i].err == nil {
				answers[i] = result{err: apierrors.NewInternalError(err)}
			}
		}
		s.answer(batch, answers)
		return
	}
	s.commits.Add(1)
	s.apply(changes, rev, target)
	s.wakeRoutes(changes)
	for i := range changes {
		c := &changes[i]
		out := c.obj
		if out == nil {
			out = c.del
		}
		answers[c.i] = result{obj: copyOf(out)}
	}
	s.answer(batch, answers)
}

func (s *Store) answer(batch []*request, answers []result) {
	for i, r := range batch {
		if r != nil {
			r.done <- answers[i]
		}
	}
}

// prepare checks one create, update or delete against the current state and builds its
// change at rev. It reports whether a failure is a resourceVersion conflict.
func (s *Store) prepare(r *request, rev int64, now time.Time, current func(*table, string, string) (runtime.MetaObject, int64)) (change, bool, error) {
	t := r.t
	gr := t.res.GroupResource
	c := change{req: r, t: t, rev: rev, at: now}
	rec := historyRecord{Bucket: string(t.bucket), At: now}
	switch r.op {
	case opCreate:
		o := r.obj
		m := o.GetObjectMeta()
		if m.Name == "" {
			for try := 0; ; try++ {
				name := backend.GenerateName(m.GenerateName)
				if cur, _ := current(t, m.Namespace, name); cur == nil {
					m.Name = name
					break
				}
				if try == 8 {
					return c, false, apierrors.NewAlreadyExists(gr, name)
				}
			}
		} else if cur, _ := current(t, m.Namespace, m.Name); cur != nil {
			return c, false, apierrors.NewAlreadyExists(gr, m.Name)
		}
		m.ResourceVersion = backend.FormatRevision(rev)
		c.ns, c.name, c.obj, c.typ = m.Namespace, m.Name, o, watch.Added
	case opUpdate:
		o := r.obj
		m := o.GetObjectMeta()
		cur, curRev := current(t, m.Namespace, m.Name)
		if cur == nil {
			return c, false, apierrors.NewNotFound(gr, m.Name)
		}
		if conflict, err := backend.PrepareUpdate("update", gr, m, cur.GetObjectMeta(), curRev, r.wantRev, r.pre); err != nil {
			return c, conflict, err
		}
		m.ResourceVersion = backend.FormatRevision(rev)
		c.ns, c.name, c.obj, c.prev, c.typ = m.Namespace, m.Name, o, cur, watch.Modified
		rec.PrevRev = curRev
	case opDelete:
		cur, curRev := current(t, r.ns, r.name)
		if cur == nil {
			return c, false, apierrors.NewNotFound(gr, r.name)
		}
		if err := backend.CheckPreconditions("delete", gr, cur.GetObjectMeta(), r.pre); err != nil {
			return c, false, err
		}
		del := copyOf(cur)
		del.GetObjectMeta().ResourceVersion = backend.FormatRevision(rev)
		c.ns, c.name, c.prev, c.del, c.typ = r.ns, r.name, cur, del, watch.Deleted
		rec.PrevRev = curRev
	}
	var err error
	switch c.typ {
	case watch.Deleted:
		rec.Obj, err = json.Marshal(c.del)
	case watch.Modified:
		c.js, err = json.Marshal(c.obj)
		rec.Obj = c.js
	default:
		c.js, err = json.Marshal(c.obj)
		rec.Obj = c.js
	}
	if err != nil {
		return c, false, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: object cannot be encoded: %v", c.typ, gr, c.name, err))
	}
	rec.Type, rec.NS, rec.Name = c.typ, c.ns, c.name
	c.rec = rec
	return c, false, nil
}

// autoCompactTarget returns the compaction point the history bounds ask for after a batch
// that brings the store to rev, or 0.
func (s *Store) autoCompactTarget(rev int64, now time.Time) int64 {
	target := rev - s.maxHistory
	if target-s.compacted < max(1, s.maxHistory/16) {
		target = 0
	}
	if s.maxAge > 0 {
		cutoff := now.Add(-s.maxAge)
		for i := 0; i < len(s.history) && s.history[i].at.Before(cutoff); i++ {
			target = max(target, s.history[i].Rev)
		}
	}
	return target
}

// apply makes a persisted batch visible: the new versions, the history, the compaction, the
// new revision, and a wake-up of every watcher.
func (s *Store) apply(changes []change, rev, compactTo int64) {
	s.mu.Lock()
	for i := range changes {
		c := &changes[i]
		t := c.t
		e := t.lookup(c.ns, c.name)
		ev := &event{Change: backend.Change{Rev: c.rev, Type: c.typ, Obj: c.obj, Prev: c.prev, Idx: c.req.idx}, t: t, at: c.at}
		if e != nil && c.prev != nil {
			ev.PrevIdx = e.Latest().Idx
		}
		switch c.typ {
		case watch.Added:
			t.live++
			e = t.addVersion(e, c.ns, c.name, version{Rev: c.rev, Obj: c.obj, Idx: c.req.idx})
		case watch.Modified:
			e = t.addVersion(e, c.ns, c.name, version{Rev: c.rev, Obj: c.obj, Idx: c.req.idx})
		case watch.Deleted:
			t.live--
			ev.Obj = c.del
			e = t.addVersion(e, c.ns, c.name, version{Rev: c.rev})
		}
		ev.e = e
		s.history = append(s.history, ev)
	}
	s.rev = rev
	if compactTo > 0 {
		s.compactLocked(compactTo)
	}
	close(s.notify)
	s.notify = make(chan struct{})
	s.mu.Unlock()
}
