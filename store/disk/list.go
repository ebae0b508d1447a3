package disk

import (
	"context"

	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Lookup and Sorted make the table a backend.Keys. Callers hold the lock guarding the entries.
func (t *table) Lookup(ns, name string) *entry { return t.lookup(ns, name) }
func (t *table) Sorted() []*entry              { return t.sortedEntries() }

// candidates returns the entries that may match, in key order: from a field index when the
// field selector pins an indexed field, else the namespace's range of the sorted keys.
// Callers hold Store.mu.
func (t *table) candidates(sel *backend.Selector) []*entry {
	return backend.Candidates(sel, t.index, t)
}

// List implements store.Interface. Lists read the in-memory state, which holds exactly what
// is on disk.
func (s *Store) List(ctx context.Context, gr schema.GroupResource, namespace string, opts store.ListOptions) (*store.List, error) {
	const op = "list"
	if err := s.check(ctx, op, gr); err != nil {
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
	rev, err := t.res.ListRevision("disk", after, opts, s.rev, s.compacted)
	if err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	p := backend.ReadPage(backend.After(t.candidates(&sel), after), &sel, rev, rev == s.rev, opts.Limit, -1)
	s.mu.RUnlock()
	return p.List(rev), nil
}
