package cache

import (
	"context"
	"errors"
	"fmt"
	"math"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// readPlan says where a read is served: from memory at the current state (current), from
// memory at revision at, or by the backend (delegate).
type readPlan struct {
	current  bool
	at       int64
	delegate bool
}

// plan turns a read's consistency and revision into a readPlan, waiting for the cache to
// reach the revision the read needs (see the package documentation).
func (r *resource) plan(ctx context.Context, op string, c store.Consistency, rev int64) (readPlan, error) {
	// The checks of the arguments alone: no revision is too new or too old here.
	if _, err := backend.ReadRevision("cache", op, r.gr, c, rev, math.MaxInt64, 0); err != nil {
		return readPlan{}, err
	}
	ok, err := r.waitReady(ctx)
	if err != nil {
		return readPlan{}, r.ctxErr(op, err)
	}
	if !ok {
		return readPlan{delegate: true}, nil
	}
	switch c {
	case store.Any:
		return readPlan{current: true}, nil
	case store.Latest:
		head, err := r.c.revs.get(ctx)
		if err != nil {
			return readPlan{}, r.ctxErr(op, err)
		}
		switch err := r.waitFor(ctx, &r.applied, head); {
		case errors.Is(err, errWaitTimeout), errors.Is(err, ErrClosed):
			return readPlan{delegate: true}, nil
		case err != nil:
			return readPlan{}, r.ctxErr(op, err)
		}
		return readPlan{current: true}, nil
	case store.NotOlderThan:
		if err := r.reach(ctx, op, rev); err != nil {
			if errors.Is(err, errWaitTimeout) {
				return readPlan{}, backend.TooLarge("cache", op, r.gr, rev, r.applied.Load())
			}
			if errors.Is(err, ErrClosed) {
				return readPlan{delegate: true}, nil
			}
			return readPlan{}, err
		}
		return readPlan{current: true}, nil
	default: // Exact
		if err := r.reach(ctx, op, rev); err != nil {
			if errors.Is(err, errWaitTimeout) || errors.Is(err, ErrClosed) {
				return readPlan{delegate: true}, nil
			}
			return readPlan{}, err
		}
		return readPlan{at: rev}, nil
	}
}

// reach waits until the cache has applied rev. A revision beyond the backend's fails at once
// with TooLargeResourceVersion; errWaitTimeout and ErrClosed are returned as they are.
func (r *resource) reach(ctx context.Context, op string, rev int64) error {
	if r.applied.Load() >= rev {
		return nil
	}
	head, err := r.c.revs.get(ctx)
	if err != nil {
		return r.ctxErr(op, err)
	}
	if rev > head {
		return backend.TooLarge("cache", op, r.gr, rev, head)
	}
	switch err := r.waitFor(ctx, &r.applied, rev); {
	case err == nil, errors.Is(err, errWaitTimeout), errors.Is(err, ErrClosed):
		return err
	default:
		return r.ctxErr(op, err)
	}
}

func (r *resource) ctxErr(op string, err error) error {
	return fmt.Errorf("cache: %s %s: %w", op, r.gr, err)
}

// inWindow reports whether the state at rev is kept. Callers hold mu.
func (r *resource) inWindow(rev int64) bool {
	return rev >= r.from && rev >= r.floor && rev <= r.rev
}

func copyOf(o runtime.MetaObject) runtime.MetaObject {
	return o.DeepCopyObject().(runtime.MetaObject)
}

func (r *resource) get(ctx context.Context, namespace, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	const op = "get"
	if err := ctx.Err(); err != nil {
		return nil, r.ctxErr(op, err)
	}
	if err := r.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	p, err := r.plan(ctx, op, opts.Consistency, opts.Revision)
	if err != nil {
		return nil, err
	}
	if p.delegate {
		return r.c.backend.Get(ctx, r.gr, namespace, name, opts)
	}
	r.mu.RLock()
	if !p.current && !r.inWindow(p.at) {
		r.mu.RUnlock()
		return r.c.backend.Get(ctx, r.gr, namespace, name, opts)
	}
	var o runtime.MetaObject
	if e := r.entries[nsName{namespace, name}]; e != nil {
		if p.current {
			o = e.Latest().Obj
		} else {
			o = e.At(p.at)
		}
	}
	r.mu.RUnlock()
	if o == nil {
		return nil, apierrors.NewNotFound(r.gr, name)
	}
	return copyOf(o), nil
}

// Lookup and Sorted make the resource a backend.Keys. Callers hold the lock guarding the entries.
func (r *resource) Lookup(ns, name string) *entry { return r.lookup(ns, name) }
func (r *resource) Sorted() []*entry              { return r.sortedEntries() }

// candidates returns the entries that may match sel, in key order. Callers hold mu.
func (r *resource) candidates(sel *backend.Selector) []*entry {
	return backend.Candidates(sel, r.index, r)
}

// lookup returns the entry of a key, if any. Callers hold mu.
func (r *resource) lookup(ns, name string) *entry { return r.entries[nsName{ns, name}] }

func (r *resource) list(ctx context.Context, namespace string, opts store.ListOptions) (*store.List, error) {
	const op = "list"
	if err := ctx.Err(); err != nil {
		return nil, r.ctxErr(op, err)
	}
	after, err := r.res.ListStart(namespace, opts)
	if err != nil {
		return nil, err
	}
	var p readPlan
	if after != nil {
		ok, err := r.waitReady(ctx)
		if err != nil {
			return nil, r.ctxErr(op, err)
		}
		if !ok || after.Revision > r.applied.Load() {
			// Not (yet) in the cache: a token of the backend's, or from the future.
			return r.c.backend.List(ctx, r.gr, namespace, opts)
		}
		p = readPlan{at: after.Revision}
	} else {
		if p, err = r.plan(ctx, op, opts.Consistency, opts.Revision); err != nil {
			return nil, err
		}
		if p.delegate {
			return r.c.backend.List(ctx, r.gr, namespace, opts)
		}
	}
	sel := r.res.Selector(namespace, opts.Labels, opts.Fields)

	r.mu.RLock()
	if p.current {
		p.at = r.rev
	} else if !r.inWindow(p.at) {
		r.mu.RUnlock()
		return r.c.backend.List(ctx, r.gr, namespace, opts)
	}
	page := backend.ReadPage(backend.After(r.candidates(&sel), after), &sel, p.at, p.at == r.rev, opts.Limit, -1)
	r.mu.RUnlock()
	return page.List(p.at), nil
}
