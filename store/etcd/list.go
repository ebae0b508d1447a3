package etcd

import (
	"context"
	"fmt"

	clientv3 "go.etcd.io/etcd/client/v3"

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
	t      *table
	labels labels.Selector
	fields fields.Selector
}

func newSelector(t *table, l labels.Selector, f fields.Selector) selector {
	s := selector{t: t}
	if l != nil && !l.Empty() {
		s.labels = l
	}
	if f != nil && !f.Empty() {
		s.fields = f
	}
	return s
}

func (s *selector) empty() bool { return s.labels == nil && s.fields == nil }

// singleKey returns the etcd key of the one object a read of namespace ns can match when the
// field selector requires a metadata.name and the namespace is known (or the resource is
// cluster-scoped), so the read can skip the rest of the range.
func (s *selector) singleKey(ns string) (string, bool) {
	if s.fields == nil || ns == "" && s.t.res.Namespaced {
		return "", false
	}
	name, ok := s.fields.RequiresExactMatch("metadata.name")
	if !ok || name == "" {
		return "", false
	}
	return s.t.key(ns, name), true
}

// matches reports whether obj passes the selectors.
func (s *selector) matches(obj runtime.MetaObject) bool {
	if s.labels != nil && !s.labels.Matches(labels.Set(obj.GetObjectMeta().Labels)) {
		return false
	}
	if s.fields != nil && !s.fields.Matches(s.t.res.Fields(obj)) {
		return false
	}
	return true
}

// List implements store.Interface. It reads the key range of the namespace (or resource) with
// range requests at one revision: the first request fixes the revision (a linearizable read
// for Latest), every later request of the list and of its continuation pages reads at that
// revision with WithRev. Selectors are applied here, reading ListBatch keys per request until
// the page is full. Items come in etcd key order, as Kubernetes lists them: that is (namespace,
// name) order except across namespaces where one extends another with '-' ("a-b/x" sorts
// before "a/x" because '-' sorts before '/'), a departure from the contract's key order.
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
	scope := t.scope(namespace)
	start, end := scope, clientv3.GetPrefixRangeEnd(scope)
	var p readPlan
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
		key, ok := t.etcdKey(c.Key)
		if !ok {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: %v: key %q is not a key of %s", gr, backend.ErrBadContinue, c.Key, gr))
		}
		start = key + "\x00"
		p = readPlan{opts: []clientv3.OpOption{clientv3.WithRev(c.Revision)}, rev: c.Revision}
	} else if p, err = plan(op, gr, opts.Consistency, opts.Revision); err != nil {
		return nil, err
	}
	sel := newSelector(t, opts.Labels, opts.Fields)
	if key, ok := sel.singleKey(namespace); ok && opts.Continue == "" {
		start, end = key, key+"\x00"
	}
	items, rev, more, remaining, err := s.scan(ctx, op, t, start, end, p, &sel, opts.Limit)
	if err != nil {
		if opts.Continue != "" && apierrors.IsTooLargeResourceVersion(err) {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("store: list %s: %v: revision %d is in the future", gr, backend.ErrBadContinue, p.rev))
		}
		return nil, err
	}
	out := &store.List{Items: items, Revision: rev}
	if more {
		last := items[len(items)-1].GetObjectMeta()
		out.Continue = backend.EncodeContinue(backend.Continue{Revision: rev, Key: t.tokenKey(t.key(last.Namespace, last.Name))})
		if sel.empty() {
			out.RemainingItemCount = &remaining
		}
	}
	return out, nil
}

// scan reads the matching objects of [start, end) with plan p, at most limit of them (0: all).
// It returns the items, the revision read, whether more matching items follow and, without
// selectors, how many.
func (s *Store) scan(ctx context.Context, op string, t *table, start, end string, p readPlan, sel *selector, limit int64) (items []runtime.MetaObject, rev int64, more bool, remaining int64, err error) {
	gr := t.res.GroupResource
	// Ranges are read in batches even without a limit: etcd serves one huge range much more
	// slowly than the same keys in batches (its cost grows faster than the size).
	batch := s.listBatch
	if limit > 0 && sel.empty() {
		batch = limit + 1
	}
	ropts := append([]clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(batch)}, p.opts...)
	for {
		resp, err := s.kv.Get(ctx, start, ropts...)
		var head int64
		if resp != nil {
			head = resp.Header.Revision
		}
		if err := p.check(ctx, op, gr, head, err); err != nil {
			return nil, 0, false, 0, err
		}
		if rev == 0 {
			// The first request fixes the snapshot: every further request reads at it.
			rev = head
			if p.rev != 0 {
				rev = p.rev
			} else {
				ropts = append(ropts, clientv3.WithRev(rev))
			}
			p.min = 0
		}
		for i, kv := range resp.Kvs {
			o, err := t.decode(string(kv.Key), kv.Value, kv.ModRevision)
			if err != nil {
				return nil, 0, false, 0, corrupt(op, gr, err)
			}
			if !sel.matches(o) {
				continue
			}
			if limit > 0 && int64(len(items)) == limit {
				more = true
				if sel.empty() {
					// Count is the number of keys in [start, end) at rev.
					remaining = resp.Count - int64(i)
				}
				return items, rev, more, remaining, nil
			}
			items = append(items, o)
		}
		if !resp.More || len(resp.Kvs) == 0 {
			return items, rev, false, 0, nil
		}
		start = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
}
