package etcd

import (
	"context"
	"fmt"
	"reflect"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// maxGenerateTries bounds the names tried for one generateName create.
const maxGenerateTries = 8

// Create implements store.Interface. The write is a transaction that puts the key only if its
// CreateRevision is 0 (the key does not exist).
func (s *Store) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	const op = "create"
	if err := ctxErr(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	o, err := t.copyIn(op, obj)
	if err != nil {
		return nil, err
	}
	m := o.GetObjectMeta()
	if err := t.res.PrepareCreate(op, m, s.clock.Now()); err != nil {
		return nil, err
	}
	generate := m.Name == ""
	if generate {
		m.Name = backend.GenerateName(m.GenerateName) // a name of the final length, for the size check
	}
	if err := t.res.CheckSize(op, o, s.maxSize); err != nil {
		return nil, err
	}
	for try := 1; ; try++ {
		data, err := encode(o)
		if err != nil {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("store: create %s %q: object cannot be encoded: %v", gr, m.Name, err))
		}
		key := t.key(m.Namespace, m.Name)
		resp, err := s.kv.Txn(ctx).
			If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
			Then(clientv3.OpPut(key, string(data))).
			Commit()
		if err != nil {
			return nil, mapErr(ctx, op, gr, m.Name, err)
		}
		if resp.Succeeded {
			m.ResourceVersion = backend.FormatRevision(resp.Header.Revision)
			return copyOf(o), nil
		}
		if !generate || try == maxGenerateTries {
			return nil, apierrors.NewAlreadyExists(gr, m.Name)
		}
		m.Name = backend.GenerateName(m.GenerateName)
	}
}

// current is the state of a key read from etcd.
type current struct {
	obj runtime.MetaObject // nil when the key does not exist
	mod int64              // the key's ModRevision, 0 when it does not exist
}

// fromKVs decodes the result of a read of one key.
func (t *table) fromKVs(op string, kvs []*mvccpb.KeyValue) (current, error) {
	if len(kvs) == 0 {
		return current{}, nil
	}
	kv := kvs[0]
	o, err := t.decode(string(kv.Key), kv.Value, kv.ModRevision)
	if err != nil {
		return current{}, corrupt(op, t.res.GroupResource, err)
	}
	return current{obj: o, mod: kv.ModRevision}, nil
}

// readPlan is how a read turns a consistency into etcd read options.
type readPlan struct {
	opts []clientv3.OpOption
	min  int64 // NotOlderThan: the revision the read must reach
	rev  int64 // Exact: the revision read
}

func plan(op string, gr schema.GroupResource, c store.Consistency, rev int64) (readPlan, error) {
	switch c {
	case store.Latest, store.Any:
		if rev != 0 {
			return readPlan{}, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: consistency %s takes no revision, got %d", op, gr, c, rev))
		}
		if c == store.Any {
			// A serializable read is served by the member the client talks to, without a
			// round of consensus; it may lag the cluster, which Any allows.
			return readPlan{opts: []clientv3.OpOption{clientv3.WithSerializable()}}, nil
		}
		return readPlan{}, nil
	case store.NotOlderThan:
		if rev < 0 {
			return readPlan{}, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: negative revision %d", op, gr, rev))
		}
		return readPlan{min: rev}, nil
	case store.Exact:
		if rev <= 0 {
			return readPlan{}, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: consistency Exact needs a revision above 0, got %d", op, gr, rev))
		}
		return readPlan{opts: []clientv3.OpOption{clientv3.WithRev(rev)}, rev: rev}, nil
	}
	return readPlan{}, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: unknown consistency %d", op, gr, c))
}

// check maps the errors of a read made with the plan and checks its revision.
func (p readPlan) check(ctx context.Context, op string, gr schema.GroupResource, headRev int64, err error) error {
	if err != nil {
		ee := mapErr(ctx, op, gr, "", err)
		switch {
		case p.rev != 0 && apierrors.IsTooLargeResourceVersion(ee):
			return tooLarge(op, gr, p.rev, headRev)
		case p.rev != 0 && apierrors.IsResourceExpired(ee):
			return expired(op, gr, p.rev, 0)
		}
		return ee
	}
	if p.min > headRev {
		return tooLarge(op, gr, p.min, headRev)
	}
	return nil
}

// Get implements store.Interface.
func (s *Store) Get(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	const op = "get"
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
	p, err := plan(op, gr, opts.Consistency, opts.Revision)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, apierrors.NewNotFound(gr, name)
	}
	resp, err := s.kv.Get(ctx, t.key(namespace, name), p.opts...)
	var head int64
	if resp != nil {
		head = resp.Header.Revision
	}
	if err := p.check(ctx, op, gr, head, err); err != nil {
		return nil, err
	}
	cur, err := t.fromKVs(op, resp.Kvs)
	if err != nil {
		return nil, err
	}
	if cur.obj == nil {
		return nil, apierrors.NewNotFound(gr, name)
	}
	return cur.obj, nil
}

// read returns the current state of a key (linearizable).
func (s *Store) read(ctx context.Context, op string, t *table, key string) (current, error) {
	resp, err := s.kv.Get(ctx, key)
	if err != nil {
		return current{}, mapErr(ctx, op, t.res.GroupResource, "", err)
	}
	return t.fromKVs(op, resp.Kvs)
}

// Update implements store.Interface.
func (s *Store) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	const op = "update"
	if err := ctxErr(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	o, err := t.copyIn(op, obj)
	if err != nil {
		return nil, err
	}
	m := o.GetObjectMeta()
	if err := t.res.CheckNames(op, m, false); err != nil {
		return nil, err
	}
	want, err := backend.ParseRevision(op, gr, m.ResourceVersion)
	if err != nil {
		return nil, err
	}
	if err := t.res.CheckSize(op, o, s.maxSize); err != nil {
		return nil, err
	}
	key := t.key(m.Namespace, m.Name)
	cur, err := s.read(ctx, op, t, key)
	if err != nil {
		return nil, err
	}
	for {
		out, retry, err := s.write(ctx, op, t, o, want, nil, &cur)
		if err != nil {
			return nil, err
		}
		if retry {
			continue // cur holds the state that beat us; an unconditional update tries again
		}
		return copyOf(out), nil
	}
}

// write replaces the current object cur with o if cur is still the key's state, checking the
// resourceVersion want (0: none) and the preconditions against cur and carrying the fields the
// store owns over from it. o is the store's own copy and is not modified unless the write
// succeeds. When another write got in between, it returns retry and sets *cur to the newer
// state; a caller with a resourceVersion precondition then fails with Conflict on the next
// call.
func (s *Store) write(ctx context.Context, op string, t *table, o runtime.MetaObject, want int64, pre *meta.Preconditions, cur *current) (out runtime.MetaObject, retry bool, err error) {
	gr := t.res.GroupResource
	in := o.GetObjectMeta()
	if cur.obj == nil {
		return nil, false, apierrors.NewNotFound(gr, in.Name)
	}
	// Check and carry the store's fields over on a copy, so that a retry starts from what the
	// caller gave.
	w := copyOf(o)
	m := w.GetObjectMeta()
	if _, err := backend.PrepareUpdate(op, gr, m, cur.obj.GetObjectMeta(), cur.mod, want, pre); err != nil {
		return nil, false, err
	}
	data, err := encode(w)
	if err != nil {
		return nil, false, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: object cannot be encoded: %v", op, gr, m.Name, err))
	}
	key := t.key(m.Namespace, m.Name)
	resp, err := s.kv.Txn(ctx).
		If(clientv3.Compare(clientv3.ModRevision(key), "=", cur.mod)).
		Then(clientv3.OpPut(key, string(data))).
		Else(clientv3.OpGet(key)).
		Commit()
	if err != nil {
		return nil, false, mapErr(ctx, op, gr, m.Name, err)
	}
	if !resp.Succeeded {
		next, err := t.fromKVs(op, resp.Responses[0].GetResponseRange().Kvs)
		if err != nil {
			return nil, false, err
		}
		*cur = next
		return nil, true, nil
	}
	m.ResourceVersion = backend.FormatRevision(resp.Header.Revision)
	return w, false, nil
}

// GuaranteedUpdate implements store.Interface. Each attempt reads the key, calls fn, and
// writes with a ModRevision compare; a failed compare hands back the newer state, from which
// the next attempt starts without another read.
func (s *Store) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	const op = "guaranteed update"
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
	if fn == nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: nil update function", op, gr, name))
	}
	if name == "" {
		return nil, apierrors.NewNotFound(gr, name)
	}
	cur, err := s.read(ctx, op, t, t.key(namespace, name))
	if err != nil {
		return nil, err
	}
	for {
		if err := ctxErr(ctx, op, gr); err != nil {
			return nil, err
		}
		if cur.obj == nil {
			return nil, apierrors.NewNotFound(gr, name)
		}
		if err := backend.CheckPreconditions(op, gr, cur.obj.GetObjectMeta(), opts.Preconditions); err != nil {
			return nil, err
		}
		next, err := fn(copyOf(cur.obj))
		if err != nil {
			return nil, fmt.Errorf("etcd: %s %s %q: %w", op, gr, name, err)
		}
		if next == nil || reflect.ValueOf(next).IsNil() {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: update function returned nil", op, gr, name))
		}
		if reflect.DeepEqual(next, cur.obj) {
			return next, nil // nothing changed: no write
		}
		o, err := t.copyIn(op, next)
		if err != nil {
			return nil, err
		}
		m := o.GetObjectMeta()
		if m.Namespace != namespace || m.Name != name {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: update function changed the object's key to %q/%q", op, gr, name, m.Namespace, m.Name))
		}
		if err := t.res.CheckNames(op, m, false); err != nil {
			return nil, err
		}
		if err := t.res.CheckSize(op, o, s.maxSize); err != nil {
			return nil, err
		}
		out, retry, err := s.write(ctx, op, t, o, cur.mod, opts.Preconditions, &cur)
		if err != nil {
			return nil, err
		}
		if retry {
			continue
		}
		return copyOf(out), nil
	}
}

// Delete implements store.Interface. Without preconditions it is one DeleteRange that returns
// the deleted value; with them, a transaction that deletes only if the key's ModRevision is
// the one the preconditions were checked against.
func (s *Store) Delete(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	const op = "delete"
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
	if name == "" {
		return nil, apierrors.NewNotFound(gr, name)
	}
	key := t.key(namespace, name)
	deleted := func(kvs []*mvccpb.KeyValue, rev int64) (runtime.MetaObject, error) {
		if len(kvs) == 0 {
			return nil, apierrors.NewNotFound(gr, name)
		}
		o, err := t.decode(key, kvs[0].Value, rev)
		if err != nil {
			return nil, corrupt(op, gr, err)
		}
		return o, nil
	}
	if opts.Preconditions == nil {
		resp, err := s.kv.Delete(ctx, key, clientv3.WithPrevKV())
		if err != nil {
			return nil, mapErr(ctx, op, gr, name, err)
		}
		return deleted(resp.PrevKvs, resp.Header.Revision)
	}
	cur, err := s.read(ctx, op, t, key)
	if err != nil {
		return nil, err
	}
	for {
		if cur.obj == nil {
			return nil, apierrors.NewNotFound(gr, name)
		}
		if err := backend.CheckPreconditions(op, gr, cur.obj.GetObjectMeta(), opts.Preconditions); err != nil {
			return nil, err
		}
		resp, err := s.kv.Txn(ctx).
			If(clientv3.Compare(clientv3.ModRevision(key), "=", cur.mod)).
			Then(clientv3.OpDelete(key, clientv3.WithPrevKV())).
			Else(clientv3.OpGet(key)).
			Commit()
		if err != nil {
			return nil, mapErr(ctx, op, gr, name, err)
		}
		if resp.Succeeded {
			return deleted(resp.Responses[0].GetResponseDeleteRange().PrevKvs, resp.Header.Revision)
		}
		if cur, err = t.fromKVs(op, resp.Responses[0].GetResponseRange().Kvs); err != nil {
			return nil, err
		}
	}
}
