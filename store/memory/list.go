package memory

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

// candidates returns the entries that may match, in key order. Callers hold s.mu.
func (t *table) candidates(sel *backend.Selector) []*entry {
	if i, v, ok := sel.Indexed(); ok {
		b := t.index[i][v]
		out := make([]*entry, 0, len(b))
		for e := range b {
			if sel.NS == "" || e.ns == sel.NS {
				out = append(out, e)
			}
		}
		sort.Slice(out, func(i, j int) bool { return entryLess(out[i], out[j]) })
		return out
	}
	if name, ok := sel.ExactName(); ok {
		if sel.NS != "" {
			if e := t.lookup(sel.NS, name); e != nil {
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
	if sel.NS == "" {
		return all
	}
	lo := sort.Search(len(all), func(i int) bool { return all[i].ns >= sel.NS })
	hi := lo + sort.Search(len(all)-lo, func(i int) bool { return all[lo+i].ns > sel.NS })
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
		start := sort.Search(len(cands), func(i int) bool { return entryLess(pos, cands[i]) })
		cands = cands[start:]
	}
	// An unfiltered page counts the items after it (RemainingItemCount). The first page of a
	// list counts them by scanning; a later page takes the count its token was issued with,
	// minus its own items, so a paginated list reads each item about once.
	countRest := opts.Limit > 0 && sel.Empty()
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
		if o == nil || !sel.Matches(o) {
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
