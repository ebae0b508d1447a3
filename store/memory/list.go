package memory

import (
	"context"

	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Lookup and Sorted make the table a backend.Keys. Callers hold the lock guarding the entries.
func (t *table) Lookup(ns, name string) *entry { return t.lookup(ns, name) }
func (t *table) Sorted() []*entry              { return t.sortedEntries() }

// candidates returns the entries that may match, in key order. Callers hold s.mu.
func (t *table) candidates(sel *backend.Selector) []*entry {
	return backend.Candidates(sel, t.index, t)
}

// List implements store.Interface.
func (s *Store) List(ctx context.Context, gr schema.GroupResource, namespace string, opts store.ListOptions) (*store.List, error) {
	const op = "list"
	if err := ctxErr(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	after, err := t.res.ListStart(namespace, opts)
	if err != nil {
		return nil, err
	}
	sel := t.res.Selector(namespace, opts.Labels, opts.Fields)

	s.mu.RLock()
	rev, err := t.res.ListRevision("memory", after, opts, s.rev, s.compacted)
	if err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	// An unfiltered page counts the items after it (RemainingItemCount). The first page of a
	// list counts them by scanning; a later page takes the count its token was issued with,
	// minus its own items, so a paginated list reads each item about once.
	known := int64(-1)
	if after != nil && opts.Limit > 0 && sel.Empty() {
		if n, ok := t.remaining.get(remainingKey{ns: namespace, token: opts.Continue}); ok {
			known = n
		}
	}
	p := backend.ReadPage(backend.After(t.candidates(&sel), after), &sel, rev, rev == s.rev, opts.Limit, known)
	s.mu.RUnlock()

	out := p.List(rev)
	if p.More && p.Counted {
		t.remaining.put(remainingKey{ns: namespace, token: out.Continue}, p.Remaining)
	}
	return out, nil
}
