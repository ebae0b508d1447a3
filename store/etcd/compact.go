package etcd

import (
	"context"
	"errors"
	"fmt"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// Compact implements store.Interface with etcd's Compact, which discards the history of every
// key before revision (the whole etcd keyspace, not only this store's prefix). It waits for
// the compaction to be applied (physical compaction of the database goes on in the
// background); reads before revision fail with Expired as soon as it returns.
func (s *Store) Compact(ctx context.Context, revision int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("etcd: compact: %w", err)
	}
	if revision <= 0 {
		return nil
	}
	if revision <= s.compacted.Load() {
		return nil
	}
	_, err := s.kv.Compact(ctx, revision)
	switch ee := rpctypes.Error(err); {
	case err == nil:
		s.noteCompacted(revision)
		return nil
	case errors.Is(ee, rpctypes.ErrCompacted):
		return nil // at or before the current compaction point: a no-op
	case errors.Is(ee, rpctypes.ErrFutureRev):
		head, _ := s.head(ctx)
		return fmt.Errorf("etcd: compact to %d: %w", revision, apierrors.NewTooLargeResourceVersion(uint64(revision), uint64(head), 1))
	default:
		return fmt.Errorf("etcd: compact to %d: %w", revision, mapErr(ctx, "compact", schema.GroupResource{}, "", err))
	}
}

// noteCompacted raises the known compaction point to rev.
func (s *Store) noteCompacted(rev int64) {
	for {
		c := s.compacted.Load()
		if rev <= c || s.compacted.CompareAndSwap(c, rev) {
			return
		}
	}
}

// head returns etcd's current revision with a linearizable read of one key.
func (s *Store) head(ctx context.Context) (int64, error) {
	resp, err := s.kv.Get(ctx, s.prefix+"/", clientv3.WithCountOnly())
	if err != nil {
		return 0, err
	}
	return resp.Header.Revision, nil
}

// compactedRevision returns etcd's compaction point. etcd does not report it directly: the
// store remembers the highest one it saw and checks with a read at that revision whether
// someone compacted further (another client, etcd's own auto-compaction). Only then it asks
// with a watch from revision 1, whose cancellation carries the compaction point.
func (s *Store) compactedRevision(ctx context.Context) (int64, error) {
	known := s.compacted.Load()
	_, err := s.kv.Get(ctx, s.prefix+"/", clientv3.WithCountOnly(), clientv3.WithRev(max(known, 1)))
	if err == nil {
		return known, nil
	}
	if !errors.Is(rpctypes.Error(err), rpctypes.ErrCompacted) {
		return 0, err
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := clientv3.NewWatcher(s.client)
	defer w.Close()
	for resp := range w.Watch(wctx, s.prefix+"/\x00compaction-probe", clientv3.WithRev(1)) {
		if resp.CompactRevision != 0 {
			s.noteCompacted(resp.CompactRevision)
			return s.compacted.Load(), nil
		}
		if err := resp.Err(); err != nil {
			return 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("compaction probe watch ended without an answer")
}

// Stats implements store.Interface. Revision is etcd's revision (of the whole keyspace),
// Objects counts the keys of each resource's range with count-only reads, HistoryEvents is 0
// (etcd keeps the history) and Watchers counts the open watches of this Store.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	if err := ctx.Err(); err != nil {
		return store.Stats{}, fmt.Errorf("etcd: stats: %w", err)
	}
	ops := make([]clientv3.Op, 0, len(s.order))
	for _, gr := range s.order {
		base := s.tables[gr].base
		ops = append(ops, clientv3.OpGet(base, clientv3.WithRange(clientv3.GetPrefixRangeEnd(base)), clientv3.WithCountOnly()))
	}
	// One transaction reads every count at one revision.
	resp, err := s.kv.Txn(ctx).Then(ops...).Commit()
	if err != nil {
		return store.Stats{}, fmt.Errorf("etcd: stats: %w", mapErr(ctx, "stats", schema.GroupResource{}, "", err))
	}
	st := store.Stats{
		Revision: resp.Header.Revision,
		Objects:  make(map[schema.GroupResource]int64, len(s.order)),
		Watchers: s.watchers.Load(),
	}
	for i, gr := range s.order {
		st.Objects[gr] = resp.Responses[i].GetResponseRange().Count
	}
	if st.CompactedRevision, err = s.compactedRevision(ctx); err != nil {
		return store.Stats{}, fmt.Errorf("etcd: stats: %w", mapErr(ctx, "stats", schema.GroupResource{}, "", err))
	}
	return st, nil
}
