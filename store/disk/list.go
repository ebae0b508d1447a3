package disk

import (
	"context"
	"fmt"
	"sort"
	"strings"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// selector is a List's or Watch's scope and selectors, empty selectors dropped.
type selector struct {
	res    *backend.Resource
	ns     string
	labels labels.Selector
	fields fields.Selector
}

func newSelector(res *backend.Resource, ns string, l labels.Selector, f fields.Selector) selector {
	s := selector{res: res, ns: ns}
	if l != nil && !l.Empty() {
		s.labels = l
	}
	if f != nil && !f.Empty() {
		s.fields = f
	}
	return s
}

func (s *selector) empty() bool { return s.labels == nil && s.fields == nil }

// matches reports whether obj passes the selectors (not the namespace).
func (s *selector) matches(obj runtime.MetaObject) bool {
	if s.labels != nil && !s.labels.Matches(labels.Set(obj.GetObjectMeta().Labels)) {
		return false
	}
	return s.fields == nil || s.fields.Matches(s.res.Fields(obj))
}

// candidates returns the entries that may match, in key order: from a field index when the
// field selector pins an indexed field, else the namespace's range of the sorted keys.
// Callers hold Store.mu.
func (t *table) candidates(sel *selector) []*entry {
	if sel.fields != nil {
		for i, f := range t.res.Indexes {
			v, ok := sel.fields.RequiresExactMatch(f)
			if !ok {
				continue
			}
			out := make([]*entry, 0, len(t.index[i][v]))
			for e := range t.index[i][v] {
				if sel.ns == "" || e.ns == sel.ns {
					out = append(out, e)
				}
			}
			sort.Slice(out, func(a, b int) bool { return entryLess(out[a], out[b]) })
			return out
		}
		if name, ok := sel.fields.RequiresExactMatch("metadata.name"); ok && (sel.ns != "" || !t.res.Namespaced) {
			if e := t.lookup(sel.ns, name); e != nil {
				return []*entry{e}
			}
			return nil
		}
	}
	all := t.sortedEntries()
	if sel.ns == "" {
		return all
	}
	lo := sort.Search(len(all), func(i int) bool { return all[i].ns >= sel.ns })
	hi := lo + sort.Search(len(all)-lo, func(i int) bool { return all[lo+i].ns > sel.ns })
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
	sel := newSelector(t.res, namespace, opts.Labels, opts.Fields)

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
		if o == nil || !sel.matches(o) {
			continue
		}
		if opts.Limit > 0 && int64(len(items)) == opts.Limit {
			more = true
			if !sel.empty() {
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
		if sel.empty() {
			out.RemainingItemCount = &remaining
		}
	}
	return out, nil
}
