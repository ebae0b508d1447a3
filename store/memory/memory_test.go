package memory_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

func newStore(t *testing.T, cfg storetest.Config) store.Interface {
	t.Helper()
	s, err := memory.New(memory.Options{
		Resources:        cfg.Resources,
		Clock:            cfg.Clock,
		MaxObjectSize:    cfg.MaxObjectSize,
		WatchBuffer:      cfg.WatchBuffer,
		BookmarkInterval: cfg.BookmarkInterval,
		MaxHistoryAge:    -1,
	})
	if err != nil {
		t.Fatalf("new memory store: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	defer goleak.VerifyNone(t)
	storetest.Run(t, newStore)
}
