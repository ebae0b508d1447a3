package memory

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

// selector is a List's or Watch's label and field selectors, with empty ones dropped.
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

// matches reports whether obj, an object of the selector's namespace, passes the selectors.
func (s *selector) matches(obj runtime.MetaObject) bool {
	if s.labels != nil && !s.labels.Matches(labels.Set(obj.GetObjectMeta().Labels)) {
		return false
	}
	if s.fields != nil && !s.fields.Matches(s.res.Fields(obj)) {
		return false
	}
	return true
}

// indexed returns the position and value of an indexed field the field selector requires, if
// any.
func (s *selector) indexed() (int, string, bool) {
	if s.fields == nil {
		return 0, "", false
	}
	for i, f := range s.res.Indexes {
		if v, ok := s.fields.RequiresExactMatch(f); ok {
			return i, v, true
		}
	}
	return 0, "", false
}

// exactName returns the name a metadata.name field selector requires, if any.
func (s *selector) exactName() (string, bool) {
	if s.fields == nil {
		return "", false
	}
	return s.fields.RequiresExactMatch("metadata.name")
}

// candidates returns the entries that may match, in key order. Callers hold s.mu.
func (t *table) candidates(sel *selector) []*entry {
	if i, v, ok := sel.indexed(); ok {
		b := t.index[i][v]
		out := make([]*entry, 0, len(b))
		for e := range b {
			if sel.ns == "" || e.ns == sel.ns {
				out = append(out, e)
			}
		}
		sort.Slice(out, func(i, j int) bool { return entryLess(out[i], out[j]) })
		return out
	}
	if name, ok := sel.exactName(); ok {
		if sel.ns != "" {
			if e := t.lookup(sel.ns, name); e != nil {
				return []*entry{e}
			}
			return nil
		}
		var out []*entry
		for _, e := range t.sortedEntries() {
			if e.name == name {
				out = append(out, e)
			}
		}
		return out
	}
	all := t.sortedEntries()
	if sel.ns == "" {
		return all
	}
	lo := sort.Search(len(all), func(i int) bool { return all[i].ns >= sel.ns })
	hi := lo + sort.Search(len(all)-lo, func(i int) bool { return all[lo+i].ns > sel.ns })
	return all[lo:hi]
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
		start := sort.Search(len(cands), func(i int) bool { return entryLess(pos, cands[i]) })
		cands = cands[start:]
	}
	// An unfiltered page counts the items after it (RemainingItemCount). The first page of a
	// list counts them by scanning; a later page takes the count its token was issued with,
	// minus its own items, so a paginated list reads each item about once.
	countRest := opts.Limit > 0 && sel.labels == nil && sel.fields == nil
	var before int64 // items after the continue token, when remembered
	known := false
	if countRest && after != nil {
		before, known = t.remaining.get(remainingKey{ns: namespace, token: opts.Continue})
	}
	var items []runtime.MetaObject
	var last *entry
	more := false
	var remaining int64
	latest := rev == s.rev
	for _, e := range cands {
		var o runtime.MetaObject
		if latest {
			o = e.latest().obj
		} else {
			o = e.at(rev)
		}
		if o == nil || !sel.matches(o) {
			continue
		}
		if opts.Limit > 0 && int64(len(items)) == opts.Limit {
			more = true
			if !countRest {
				break
			}
			if known {
				remaining = before - int64(len(items))
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
		if countRest {
			out.RemainingItemCount = &remaining
			t.remaining.put(remainingKey{ns: namespace, token: out.Continue}, remaining)
		}
	}
	return out, nil
}
