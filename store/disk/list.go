package disk

import (
	"context"
	"fmt"
	"sort"
	"strings"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// candidates returns the entries that may match, in key order: from a field index when the
// field selector pins an indexed field, else the namespace's range of the sorted keys.
// Callers hold Store.mu.
func (t *table) candidates(sel *backend.Selector) []*entry {
	if i, v, ok := sel.Indexed(); ok {
		out := make([]*entry, 0, len(t.index[i][v]))
		for e := range t.index[i][v] {
			if sel.NS == "" || e.ns == sel.NS {
				out = append(out, e)
			}
		}
		sort.Slice(out, func(a, b int) bool { return entryLess(out[a], out[b]) })
		return out
	}
	if name, ok := sel.ExactName(); ok && (sel.NS != "" || !t.res.Namespaced) {
		if e := t.lookup(sel.NS, name); e != nil {
			return []*entry{e}
		}
		return nil
	}
	all := t.sortedEntries()
	if sel.NS == "" {
		return all
	}
	lo := sort.Search(len(all), func(i int) bool { return all[i].ns >= sel.NS })
	hi := lo + sort.Search(len(all)-lo, func(i int) bool { return all[lo+i].ns > sel.NS })
	return all[lo:hi]
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
	if err := t.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	if opts.Limit < 0 {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: negative limit %d", gr, opts.Limit))
	}
	var after *backend.Continue
	if opts.Continue != "" {
		if opts.Consistency != store.Latest || opts.Revision != 0 {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: a continue token carries its revision; consistency and revision must be unset", gr))
		}
		prefix := ""
		if namespace != "" {
			prefix = namespace + "/"
		}
		c, err := backend.DecodeContinue(opts.Continue, prefix)
		if err != nil {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: %v", gr, err))
		}
		after = &c
	}
	sel := t.res.Selector(namespace, opts.Labels, opts.Fields)

	s.mu.RLock()
	var rev int64
	if after != nil {
		rev = after.Revision
		switch {
		case rev > s.rev:
			s.mu.RUnlock()
			return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: %v: revision %d is in the future", gr, backend.ErrBadContinue, rev))
		case rev < s.compacted:
			s.mu.RUnlock()
			return nil, expired("continue list", gr, rev, s.compacted)
		}
	} else if rev, err = s.readRevisionLocked(op, gr, opts.Consistency, opts.Revision); err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	cands := t.candidates(&sel)
	if after != nil {
		ns, name, _ := strings.Cut(after.Key, "/")
		pos := &entry{ns: ns, name: name}
		cands = cands[sort.Search(len(cands), func(i int) bool { return entryLess(pos, cands[i]) }):]
	}
	var items []runtime.MetaObject
	var last *entry
	more, remaining := false, int64(0)
	for _, e := range cands {
		o := e.at(rev)
		if o == nil || !sel.Matches(o) {
			continue
		}
		if opts.Limit > 0 && int64(len(items)) == opts.Limit {
			more = true
			if !sel.Empty() {
				break
			}
			remaining++
			continue
		}
		items = append(items, o)
		last = e
	}
	s.mu.RUnlock()

	out := &store.List{Items: make([]runtime.MetaObject, len(items)), Revision: rev}
	for i, o := range items {
		out.Items[i] = copyOf(o)
	}
	if more {
		out.Continue = backend.EncodeContinue(backend.Continue{Revision: rev, Key: last.key()})
		if sel.Empty() {
			out.RemainingItemCount = &remaining
		}
	}
	return out, nil
}
