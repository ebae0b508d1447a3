package backend

import (
	"fmt"
	"sort"
	"strings"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/store"
)

// ListStart checks the arguments of a List of r in namespace that do not depend on the
// backend's state (scope, limit, a continue token with no consistency or revision beside it)
// and decodes the continue token: nil when the list starts at the beginning.
func (r *Resource) ListStart(namespace string, opts store.ListOptions) (*Continue, error) {
	const op = "list"
	if err := r.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	if opts.Limit < 0 {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: negative limit %d", r.GroupResource, opts.Limit))
	}
	if opts.Continue == "" {
		return nil, nil
	}
	if opts.Consistency != store.Latest || opts.Revision != 0 {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: a continue token carries its revision; consistency and revision must be unset", r.GroupResource))
	}
	prefix := ""
	if namespace != "" {
		prefix = namespace + "/"
	}
	c, err := DecodeContinue(opts.Continue, prefix)
	if err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: %v", r.GroupResource, err))
	}
	return &c, nil
}

// WatchStart checks the arguments of a Watch of r in namespace that do not depend on the
// backend's state: the scope and a revision not below 0.
func (r *Resource) WatchStart(namespace string, opts store.WatchOptions) error {
	if err := r.CheckScope("watch", namespace); err != nil {
		return err
	}
	if opts.Revision < 0 {
		return apierrors.NewBadRequest(fmt.Sprintf("store: watch %s: negative revision %d", r.GroupResource, opts.Revision))
	}
	return nil
}

// CheckContinue checks the revision of a continue token against a backend whose newest
// revision is current and whose history starts at compacted: a revision from the future is a
// bad token, one compacted away is Expired.
func (r *Resource) CheckContinue(c *Continue, current, compacted int64) error {
	switch {
	case c.Revision > current:
		return apierrors.NewBadRequest(fmt.Sprintf("store: list %s: %v: revision %d is in the future", r.GroupResource, ErrBadContinue, c.Revision))
	case c.Revision < compacted:
		return Expired("continue list", r.GroupResource, c.Revision, compacted)
	}
	return nil
}

// ListRevision returns the revision a List of a backend called name reads at: the revision of
// its continue token after (checked with CheckContinue), or the one opts' consistency and
// revision ask for (see ReadRevision). current and compacted are the backend's.
func (r *Resource) ListRevision(name string, after *Continue, opts store.ListOptions, current, compacted int64) (int64, error) {
	if after != nil {
		if err := r.CheckContinue(after, current, compacted); err != nil {
			return 0, err
		}
		return after.Revision, nil
	}
	return ReadRevision(name, "list", r.GroupResource, opts.Consistency, opts.Revision, current, compacted)
}

// After returns the part of cands, entries in key order, strictly after the key of c (all of
// cands when c is nil).
func After(cands []*Entry, c *Continue) []*Entry {
	if c == nil {
		return cands
	}
	ns, name, _ := strings.Cut(c.Key, "/")
	pos := &Entry{NS: ns, Name: name}
	return cands[sort.Search(len(cands), func(i int) bool { return EntryLess(pos, cands[i]) }):]
}

// Page is one page of a List: the stored objects of the page, in key order, and where the
// next page starts.
type Page struct {
	Items []runtime.MetaObject // the stored objects: copy before handing them out
	Last  *Entry               // the entry of the last item
	More  bool                 // more items match after Last
	// Counted says Remaining is the number of items after the page: set for an unfiltered
	// list with a limit (Kubernetes' RemainingItemCount).
	Counted   bool
	Remaining int64
}

// ReadPage reads a page of at most limit (0: no limit) objects at rev from cands, entries in
// key order, keeping those sel matches. latest says rev is the backend's current revision
// (the newest versions are read without a search). An unfiltered page with a limit counts the
// items after it; known, when not negative, is that count for the items after the page's
// start, so the page need not scan them. Callers hold the lock guarding the entries.
func ReadPage(cands []*Entry, sel *Selector, rev int64, latest bool, limit, known int64) Page {
	var p Page
	p.Counted = limit > 0 && sel.Empty()
	for _, e := range cands {
		var o runtime.MetaObject
		if latest {
			o = e.Latest().Obj
		} else {
			o = e.At(rev)
		}
		if o == nil || !sel.Matches(o) {
			continue
		}
		if limit > 0 && int64(len(p.Items)) == limit {
			p.More = true
			if !p.Counted {
				break
			}
			if known >= 0 {
				p.Remaining = known - int64(len(p.Items))
				break
			}
			p.Remaining++
			continue
		}
		p.Items = append(p.Items, o)
		p.Last = e
	}
	return p
}

// List returns the store.List of p at rev: deep copies of the items, a continue token when
// more items follow, and the count of those for an unfiltered list. Call it after releasing
// the lock: the stored objects are immutable.
func (p *Page) List(rev int64) *store.List {
	out := &store.List{Items: make([]runtime.MetaObject, len(p.Items)), Revision: rev}
	for i, o := range p.Items {
		out.Items[i] = o.DeepCopyObject().(runtime.MetaObject)
	}
	if p.More {
		out.Continue = EncodeContinue(Continue{Revision: rev, Key: p.Last.Key()})
		if p.Counted {
			n := p.Remaining
			out.RemainingItemCount = &n
		}
	}
	return out
}
