package disk_test

import (
	"context"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/storetest"
)

func newStore(t *testing.T, cfg storetest.Config) store.Interface {
	t.Helper()
	s, err := disk.Open(disk.Options{
		Path:             filepath.Join(t.TempDir(), "store.db"),
		Resources:        cfg.Resources,
		Clock:            cfg.Clock,
		MaxObjectSize:    cfg.MaxObjectSize,
		WatchBuffer:      cfg.WatchBuffer,
		BookmarkInterval: cfg.BookmarkInterval,
		MaxHistoryAge:    -1,
	})
	if err != nil {
		t.Fatalf("open disk store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	defer goleak.VerifyNone(t)
	storetest.Run(t, newStore)
}
