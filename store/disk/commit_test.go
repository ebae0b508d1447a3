package disk

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/storetest"
)

func TestConcurrentWritersShareCommits(t *testing.T) {
	cases := []struct {
		name    string
		writers int
		each    int
		// most is the largest number of transactions allowed for writers*each writes.
		most func(writes int) int
	}{
		{"one writer commits each write", 1, 20, func(w int) int { return w }},
		{"256 writers share fsyncs", 256, 4, func(w int) int { return w / 4 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "s.db")
			s, err := Open(Options{Path: path, Resources: storetest.Resources()})
			if err != nil {
				t.Fatal(err)
			}
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			start := make(chan struct{})
			var wg sync.WaitGroup
			errs := make(chan error, tc.writers)
			for g := 0; g < tc.writers; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					for i := 0; i < tc.each; i++ {
						w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: fmt.Sprintf("w%d-%d", g, i)}}
						if _, err := ws.Create(ctx, w); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			writes := tc.writers * tc.each
			commits := int(s.commits.Load())
			if commits > tc.most(writes) {
				t.Errorf("%d writes took %d transactions, want at most %d", writes, commits, tc.most(writes))
			}
			if commits < 1 {
				t.Errorf("no transaction counted")
			}
			if err := s.Close(ctx); err != nil {
				t.Fatal(err)
			}
			s, err = Open(Options{Path: path, Resources: storetest.Resources()})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close(ctx)
			st, _ := s.Stats(ctx)
			if st.Revision != int64(writes) || st.Objects[storetest.Widgets] != int64(writes) {
				t.Errorf("after reopen: revision %d, %d widgets; want %d of each", st.Revision, st.Objects[storetest.Widgets], writes)
			}
			t.Logf("%d writes in %d transactions", writes, commits)
		})
	}
}

func TestCancelledWriteIsNotApplied(t *testing.T) {
	ctx := context.Background()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "s.db"), Resources: storetest.Resources()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ws.Create(cctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "a"}}); err == nil {
		t.Fatal("create with a cancelled context succeeded")
	}
	st, _ := s.Stats(ctx)
	if st.Revision != 0 {
		t.Errorf("revision %d after a cancelled create, want 0", st.Revision)
	}
}
