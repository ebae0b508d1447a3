package etcd_test

import (
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/storetest"
)

// TestConformance runs the store contract's conformance suite against the etcd backend, on a
// fresh single-member etcd per case (no fsync: see TestDurableWrites for the fsync path).
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Interface {
		srv := etcdtest.Start(t, etcdtest.Options{})
		return newStore(t, srv.Client(t), cfg)
	})
}

func newStore(t testing.TB, cli *clientv3.Client, cfg storetest.Config) *etcd.Store {
	t.Helper()
	s, err := etcd.New(etcd.Options{
		Client:           cli,
		Resources:        cfg.Resources,
		Clock:            cfg.Clock,
		MaxObjectSize:    cfg.MaxObjectSize,
		WatchBuffer:      cfg.WatchBuffer,
		BookmarkInterval: cfg.BookmarkInterval,
	})
	if err != nil {
		t.Fatalf("new store: %v", err)
	}
	return s
}
