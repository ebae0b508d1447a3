package cache_test

import (
	"testing"

	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/cache"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// newCache builds a cache with the suite's configuration in front of b, closed at the end of
// the test.
func newCache(t testing.TB, b store.Interface, cfg storetest.Config, eager bool) *cache.Cache {
	t.Helper()
	c, err := cache.New(b, cache.Options{
		Resources:        cfg.Resources,
		Eager:            eager,
		WatchBuffer:      cfg.WatchBuffer,
		BookmarkInterval: cfg.BookmarkInterval,
		Clock:            cfg.Clock,
	})
	if err != nil {
		t.Fatalf("new cache: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

func newMemory(t testing.TB, cfg storetest.Config) *memory.Store {
	t.Helper()
	m, err := memory.New(memory.Options{
		Resources:        cfg.Resources,
		Clock:            cfg.Clock,
		MaxObjectSize:    cfg.MaxObjectSize,
		BookmarkInterval: cfg.BookmarkInterval,
	})
	if err != nil {
		t.Fatalf("new memory store: %v", err)
	}
	return m
}

// TestConformanceMemory runs the store contract's conformance suite against the cache in
// front of the memory backend, with upstream watches started on first use (so watches and
// reads from before the cache started are handed to the backend) and started eagerly (so
// the cache's window covers the whole history of every case).
func TestConformanceMemory(t *testing.T) {
	for _, eager := range []bool{false, true} {
		name := "lazy"
		if eager {
			name = "eager"
		}
		t.Run(name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Interface {
				return newCache(t, newMemory(t, cfg), cfg, eager)
			})
		})
	}
}

// TestConformanceEtcd runs the conformance suite against the cache in front of the etcd
// backend on a fresh embedded single-member etcd per case, lazily and eagerly started.
func TestConformanceEtcd(t *testing.T) {
	for _, eager := range []bool{false, true} {
		name := "lazy"
		if eager {
			name = "eager"
		}
		t.Run(name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Interface {
				srv := etcdtest.Start(t, etcdtest.Options{})
				b, err := etcd.New(etcd.Options{
					Client:           srv.Client(t),
					Resources:        cfg.Resources,
					Clock:            cfg.Clock,
					MaxObjectSize:    cfg.MaxObjectSize,
					BookmarkInterval: cfg.BookmarkInterval,
				})
				if err != nil {
					t.Fatalf("new etcd store: %v", err)
				}
				return newCache(t, b, cfg, eager)
			})
		})
	}
}
