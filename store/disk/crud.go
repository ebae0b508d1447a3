package disk

import (
	"context"
	"fmt"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Create implements store.Interface. It returns once the object is on stable storage.
func (s *Store) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	const op = "create"
	if err := s.check(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	o, err := t.res.CopyIn(op, obj)
	if err != nil {
		return nil, err
	}
	m := o.GetObjectMeta()
	if err := t.res.PrepareCreate(op, m, s.clock.Now()); err != nil {
		return nil, err
	}
	if err := t.res.CheckSize(op, o, s.maxSize); err != nil {
		return nil, err
	}
	res := s.submit(ctx, op, gr, &request{op: opCreate, t: t, obj: o, idx: t.res.IndexValues(o)})
	return res.obj, res.err
}

// Get implements store.Interface.
func (s *Store) Get(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	const op = "get"
	if err := s.check(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	if err := t.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	o, err := s.read(op, t, namespace, name, opts)
	if err != nil {
		return nil, err
	}
	return copyOf(o), nil
}

// read returns the stored (immutable) object of a key at the revision opts asks for.
func (s *Store) read(op string, t *table, ns, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	gr := t.res.GroupResource
	s.mu.RLock()
	defer s.mu.RUnlock()
	rev, err := s.readRevisionLocked(op, gr, opts.Consistency, opts.Revision)
	if err != nil {
		return nil, err
	}
	e := t.lookup(ns, name)
	if e == nil {
		return nil, apierrors.NewNotFound(gr, name)
	}
	o := e.At(rev)
	if o == nil {
		return nil, apierrors.NewNotFound(gr, name)
	}
	return o, nil
}

// readRevisionLocked turns a consistency and revision into the revision to read at, checking it
// against the history. Callers hold s.mu.
func (s *Store) readRevisionLocked(op string, gr schema.GroupResource, c store.Consistency, rev int64) (int64, error) {
	return backend.ReadRevision("disk", op, gr, c, rev, s.rev, s.compacted)
}

func tooLarge(op string, gr schema.GroupResource, rev, cur int64) error {
	return backend.TooLarge("disk", op, gr, rev, cur)
}

func expired(op string, gr schema.GroupResource, rev, compacted int64) error {
	return backend.Expired(op, gr, rev, compacted)
}

// Update implements store.Interface. It returns once the update is on stable storage.
func (s *Store) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	const op = "update"
	if err := s.check(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	o, err := t.res.CopyIn(op, obj)
	if err != nil {
		return nil, err
	}
	res := s.update(ctx, op, t, o, nil)
	return res.obj, res.err
}

// update checks o (the store's own copy) and submits it.
func (s *Store) update(ctx context.Context, op string, t *table, o runtime.MetaObject, pre *meta.Preconditions) result {
	gr := t.res.GroupResource
	m := o.GetObjectMeta()
	if err := t.res.CheckNames(op, m, false); err != nil {
		return result{err: err}
	}
	want, err := backend.ParseRevision(op, gr, m.ResourceVersion)
	if err != nil {
		return result{err: err}
	}
	if err := t.res.CheckSize(op, o, s.maxSize); err != nil {
		return result{err: err}
	}
	return s.submit(ctx, op, gr, &request{op: opUpdate, t: t, obj: o, idx: t.res.IndexValues(o), wantRev: want, pre: pre})
}

// GuaranteedUpdate implements store.Interface.
func (s *Store) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	const op = "guaranteed update"
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	if err := t.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	for {
		if err := s.check(ctx, op, gr); err != nil {
			return nil, err
		}
		cur, err := s.read(op, t, namespace, name, store.GetOptions{})
		if err != nil {
			return nil, err
		}
		if err := backend.CheckPreconditions(op, gr, cur.GetObjectMeta(), opts.Preconditions); err != nil {
			return nil, err
		}
		o, changed, err := t.res.Updated("disk", op, namespace, name, cur, fn)
		if err != nil || !changed {
			return o, err // failed, or nothing changed: no write
		}
		res := s.update(ctx, op, t, o, opts.Preconditions)
		if res.conflict {
			continue
		}
		return res.obj, res.err
	}
}

// Delete implements store.Interface. It returns once the delete is on stable storage.
func (s *Store) Delete(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	const op = "delete"
	if err := s.check(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	if err := t.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, apierrors.NewNotFound(gr, name)
	}
	res := s.submit(ctx, op, gr, &request{op: opDelete, t: t, ns: namespace, name: name, pre: opts.Preconditions})
	return res.obj, res.err
}

// Compact implements store.Interface. The compaction is written to disk like any write;
// afterwards reads, lists, continue tokens and watches before revision fail with Expired,
// also after a restart.
func (s *Store) Compact(ctx context.Context, revision int64) error {
	const op = "compact"
	if err := s.check(ctx, op, schema.GroupResource{}); err != nil {
		return err
	}
	s.mu.RLock()
	head, done := s.rev, revision <= s.compacted
	s.mu.RUnlock()
	if revision > head {
		return fmt.Errorf("disk: compact to %d: %w", revision, apierrors.NewTooLargeResourceVersion(uint64(revision), uint64(head), 1))
	}
	if done {
		return nil
	}
	res := s.submit(ctx, op, schema.GroupResource{}, &request{op: opCompact, compact: revision})
	return res.err
}
