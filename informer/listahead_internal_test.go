package informer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	goruntime "runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/storetest"
)

// The tests of list's read-ahead: pages are requested one ahead of the page being converted,
// in order, and every exit joins the request in flight.

// hangGuard bounds a wait that only a bug would make long.
const hangGuard = 10 * time.Second

// pagedSource serves a fixed set of widgets in pages: the continue token is the index of the
// next item. Every call is recorded, with the number of items the informer had transformed
// when it was made.
type pagedSource struct {
	items []*storetest.Widget
	rev   int64
	// hook, when set, runs first in the call-th call (1-based); an error it returns is the
	// call's result. It may block.
	hook func(ctx context.Context, call int, opts store.ListOptions) error
	// transformed counts the items the informer's transform has seen.
	transformed atomic.Int64

	mu          sync.Mutex
	calls       []store.ListOptions
	doneAt      []int64 // transformed when each call was made
	inFlight    int
	maxInFlight int
}

func newPagedSource(n int) *pagedSource {
	s := &pagedSource{rev: int64(n) + 7}
	for i := range n {
		s.items = append(s.items, &storetest.Widget{ObjectMeta: meta.ObjectMeta{
			Namespace: "ns", Name: fmt.Sprintf("w-%05d", i), ResourceVersion: strconv.Itoa(i + 1)}})
	}
	return s
}

func (s *pagedSource) List(ctx context.Context, _ string, opts store.ListOptions) (*store.List, error) {
	s.mu.Lock()
	s.calls = append(s.calls, opts)
	call := len(s.calls)
	s.doneAt = append(s.doneAt, s.transformed.Load())
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	if s.hook != nil {
		if err := s.hook(ctx, call, opts); err != nil {
			return nil, err
		}
	}
	start := 0
	if opts.Continue != "" {
		var err error
		if start, err = strconv.Atoi(opts.Continue); err != nil || start > len(s.items) {
			return nil, apierrors.NewBadRequest("bad continue token " + opts.Continue)
		}
	}
	end := len(s.items)
	if opts.Limit > 0 && start+int(opts.Limit) < end {
		end = start + int(opts.Limit)
	}
	l := &store.List{Revision: s.rev}
	for _, w := range s.items[start:end] {
		l.Items = append(l.Items, w.DeepCopy())
	}
	if end < len(s.items) {
		l.Continue = strconv.Itoa(end)
		rem := int64(len(s.items) - end)
		l.RemainingItemCount = &rem
	}
	return l, nil
}

func (s *pagedSource) Watch(context.Context, string, store.WatchOptions) (watch.Interface[runtime.Object], error) {
	return nil, errors.New("pagedSource: no watch in list tests")
}

// snapshot returns the calls made so far and the most calls ever in flight at once.
func (s *pagedSource) snapshot() (calls []store.ListOptions, doneAt []int64, inFlight, maxInFlight int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]store.ListOptions(nil), s.calls...), append([]int64(nil), s.doneAt...), s.inFlight, s.maxInFlight
}

// names returns the names of items [from, to).
func (s *pagedSource) names(from, to int) []string {
	var out []string
	for _, w := range s.items[from:to] {
		out = append(out, w.Name)
	}
	return out
}

// pageOpts is the options of a paginated request from item index start.
func pageOpts(size, start int) store.ListOptions {
	o := store.ListOptions{Limit: int64(size)}
	if start > 0 {
		o.Continue = strconv.Itoa(start)
	}
	return o
}

// listAheadInformer returns an informer of src whose transform records the names it sees, in
// order, and calls onItem (when set) with the index of the item among those seen.
func listAheadInformer(t *testing.T, src *pagedSource, pageSize int64, onItem func(i int, w *storetest.Widget) error) (*Informer[*storetest.Widget], *[]string) {
	t.Helper()
	var seen []string
	inf, err := New[*storetest.Widget](src, Options[*storetest.Widget]{
		PageSize: pageSize,
		Transform: func(w *storetest.Widget) (*storetest.Widget, error) {
			i := len(seen)
			seen = append(seen, w.Name)
			src.transformed.Add(1)
			if onItem != nil {
				if err := onItem(i, w); err != nil {
					return nil, err
				}
			}
			return w, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return inf, &seen
}

func cachedNames(inf *Informer[*storetest.Widget]) []string {
	var out []string
	for _, w := range inf.Lister().List(nil) {
		out = append(out, w.Name)
	}
	return out
}

// checkJoined fails when a request of the source is still running after list returned.
func checkJoined(t *testing.T, src *pagedSource) {
	t.Helper()
	if _, _, inFlight, maxInFlight := src.snapshot(); inFlight != 0 || maxInFlight > 1 {
		t.Errorf("after list: %d requests in flight, at most %d at once; want 0 and at most 1", inFlight, maxInFlight)
	}
}

func TestListAheadPagesInOrder(t *testing.T) {
	defer goleak.VerifyNone(t)
	cases := []struct {
		name     string
		n        int
		pageSize int64
	}{
		{"empty", 0, 500},
		{"one item one page", 1, 1},
		{"pages of one", 10, 1},
		{"pages of three, short last page", 10, 3},
		{"two full pages", 10, 5},
		{"one exactly full page", 10, 10},
		{"page larger than the list", 10, 11},
		{"default page size over several pages", 1234, 0},
		{"one request", 10, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := newPagedSource(tc.n)
			inf, seen := listAheadInformer(t, src, tc.pageSize, nil)
			if err := inf.list(context.Background()); err != nil {
				t.Fatalf("list: %v", err)
			}
			checkJoined(t, src)
			size := int(inf.pageSize)
			var want []store.ListOptions
			if size == 0 {
				want = []store.ListOptions{{}}
			} else {
				for start := 0; start == 0 || start < tc.n; start += size {
					want = append(want, pageOpts(size, start))
				}
			}
			calls, doneAt, _, _ := src.snapshot()
			if diff := cmp.Diff(want, calls); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			// The fetcher runs at most listAhead+1 pages ahead of the page being processed,
			// so when page p (0-based) is requested every item of the pages before
			// p-listAhead-1 was transformed.
			for p, d := range doneAt {
				if floor := int64((p - listAhead - 1) * size); d < floor {
					t.Errorf("page %d requested after %d transformed items, want at least %d", p, d, floor)
				}
			}
			all := src.names(0, tc.n)
			if diff := cmp.Diff(all, *seen); diff != "" {
				t.Errorf("items transformed, in order (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(all, cachedNames(inf)); diff != "" {
				t.Errorf("cache (-want +got):\n%s", diff)
			}
			if !inf.HasSynced() || inf.LastSyncRevision() != src.rev {
				t.Errorf("synced %t at revision %d, want true at %d", inf.HasSynced(), inf.LastSyncRevision(), src.rev)
			}
		})
	}
}

// TestListAheadOverlaps shows the following pages are requested while the current one is
// being transformed, and no further than the bound: a transform blocked in page 1 sees pages
// 2 to listAhead+2 requested, and the fetcher then waits (blocked handing over a page) without
// requesting page listAhead+3.
func TestListAheadOverlaps(t *testing.T) {
	defer goleak.VerifyNone(t)
	const size = 4
	src := newPagedSource((listAhead + 4) * size)
	last := listAhead + 2 // the last page the fetcher may request while page 1 is processed
	reached := make(chan struct{})
	src.hook = func(_ context.Context, call int, _ store.ListOptions) error {
		if call == last {
			close(reached)
		}
		return nil
	}
	var during int // requests made while the transform waited in page 1
	inf, seen := listAheadInformer(t, src, size, func(i int, _ *storetest.Widget) error {
		if i != 0 {
			return nil
		}
		select {
		case <-reached:
		case <-time.After(hangGuard):
			return fmt.Errorf("page %d was not requested while page 1 was transformed", last)
		}
		// Wait until the fetcher is parked handing over page `last` (the buffer is full);
		// only then is "no further request" a fact rather than a race.
		if err := waitForChanSend(); err != nil {
			return err
		}
		calls, _, _, _ := src.snapshot()
		during = len(calls)
		return nil
	})
	if err := inf.list(context.Background()); err != nil {
		t.Fatalf("list: %v", err)
	}
	checkJoined(t, src)
	if during != last {
		t.Errorf("%d requests made while page 1 was transformed, want %d (pages 1 to %d)", during, last, last)
	}
	if diff := cmp.Diff(src.names(0, (listAhead+4)*size), *seen); diff != "" {
		t.Errorf("items transformed, in order (-want +got):\n%s", diff)
	}
}

// waitForChanSend waits until list's fetcher is parked handing over a page.
func waitForChanSend() error {
	// The fetcher hands a page over in a select (with the context's end).
	parked := regexp.MustCompile(`(?m)^goroutine \d+ \[select\]:\n.*informer\.\(\*Informer\[.*\]\)\.list\.func`)
	buf := make([]byte, 1<<20)
	for range 100_000 {
		buf = buf[:goruntime.Stack(buf[:cap(buf)], true)]
		if parked.Match(buf) {
			return nil
		}
		goruntime.Gosched()
	}
	return fmt.Errorf("the fetcher never parked handing over a page:\n%s", buf)
}

// TestListAheadBlockedSource: while the request of page 2 blocks, page 1 is processed and
// page 3 is not requested.
func TestListAheadBlockedSource(t *testing.T) {
	defer goleak.VerifyNone(t)
	const size = 3
	src := newPagedSource(4 * size)
	entered, release := make(chan struct{}), make(chan struct{})
	src.hook = func(_ context.Context, call int, _ store.ListOptions) error {
		if call == 2 {
			close(entered)
			<-release
		}
		return nil
	}
	page1Done := make(chan struct{})
	inf, seen := listAheadInformer(t, src, size, func(i int, _ *storetest.Widget) error {
		if i == size-1 {
			close(page1Done)
		}
		return nil
	})
	errc := make(chan error, 1)
	go func() { errc <- inf.list(context.Background()) }()
	for _, ch := range []chan struct{}{entered, page1Done} {
		select {
		case <-ch:
		case <-time.After(hangGuard):
			close(release)
			t.Fatal("page 2 was not requested or page 1 not processed")
		}
	}
	calls, _, _, _ := src.snapshot()
	close(release)
	if err := <-errc; err != nil {
		t.Fatalf("list: %v", err)
	}
	checkJoined(t, src)
	if len(calls) != 2 {
		t.Errorf("%d requests while page 2 blocked, want 2", len(calls))
	}
	if diff := cmp.Diff(src.names(0, 4*size), *seen); diff != "" {
		t.Errorf("items transformed, in order (-want +got):\n%s", diff)
	}
}

func TestListAheadErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	const size, pages = 3, 4
	boom := errors.New("boom")
	expired := apierrors.NewResourceExpired("continue token too old")
	// failOn fails the given call with err.
	failOn := func(call int, err error) func(context.Context, int, store.ListOptions) error {
		return func(_ context.Context, c int, _ store.ListOptions) error {
			if c == call {
				return err
			}
			return nil
		}
	}
	var src *pagedSource // set per case before the hooks run
	all := func(from, to int) []string { return src.names(from, to) }
	cases := []struct {
		name string
		hook func(context.Context, int, store.ListOptions) error
		// failItem fails the transform of the item with this index among those seen (-1: none).
		failItem int
		wantErr  error
		want     []store.ListOptions
		// maxCalls, when set, allows requests beyond want, up to maxCalls, continuing the
		// sequence of pages (the fetcher's progress at a failure depends on timing).
		maxCalls int
		seen     func() []string
		cached   bool
	}{
		{
			name: "first page fails", hook: failOn(1, boom), failItem: -1, wantErr: boom,
			want: []store.ListOptions{pageOpts(size, 0)},
			seen: func() []string { return nil },
		},
		{
			name: "page 2 fails after page 1 was processed", hook: failOn(2, boom), failItem: -1, wantErr: boom,
			want: []store.ListOptions{pageOpts(size, 0), pageOpts(size, size)},
			seen: func() []string { return all(0, size) },
		},
		{
			name: "last page fails", hook: failOn(pages, boom), failItem: -1, wantErr: boom,
			want: []store.ListOptions{pageOpts(size, 0), pageOpts(size, size), pageOpts(size, 2*size), pageOpts(size, 3*size)},
			seen: func() []string { return all(0, 3*size) },
		},
		{
			// The fetcher runs freely: by the failure it requested page 2 at least, and
			// perhaps the rest.
			name: "transform fails in page 2", failItem: size + 1, wantErr: errTransform,
			want:     []store.ListOptions{pageOpts(size, 0), pageOpts(size, size)},
			maxCalls: pages,
			seen:     func() []string { return all(0, size+2) },
		},
		{
			name: "transform fails in the last page", failItem: pages*size - 1, wantErr: errTransform,
			want: []store.ListOptions{pageOpts(size, 0), pageOpts(size, size), pageOpts(size, 2*size), pageOpts(size, 3*size)},
			seen: func() []string { return all(0, pages*size) },
		},
		{
			name: "expired continue token restarts in one request", hook: failOn(3, expired), failItem: -1,
			want: []store.ListOptions{pageOpts(size, 0), pageOpts(size, size), pageOpts(size, 2*size), {}},
			seen: func() []string { return append(all(0, 2*size), all(0, pages*size)...) }, cached: true,
		},
		{
			name: "expired first page is an error", hook: failOn(1, expired), failItem: -1, wantErr: expired,
			want: []store.ListOptions{pageOpts(size, 0)},
			seen: func() []string { return nil },
		},
		{
			name: "the restart after an expired token fails", failItem: -1, wantErr: boom,
			hook: func(_ context.Context, c int, _ store.ListOptions) error {
				switch c {
				case 2:
					return expired
				case 3:
					return boom
				}
				return nil
			},
			want: []store.ListOptions{pageOpts(size, 0), pageOpts(size, size), {}},
			seen: func() []string { return all(0, size) },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src = newPagedSource(pages * size)
			src.hook = tc.hook
			inf, seen := listAheadInformer(t, src, size, func(i int, _ *storetest.Widget) error {
				if i == tc.failItem {
					return errTransform
				}
				return nil
			})
			err := inf.list(context.Background())
			checkJoined(t, src)
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("list: %v, want %v", err, tc.wantErr)
			}
			calls, _, _, _ := src.snapshot()
			want := tc.want
			if tc.maxCalls > 0 && len(calls) > len(want) && len(calls) <= tc.maxCalls {
				for p := len(want); p < len(calls); p++ {
					want = append(want, pageOpts(size, p*size))
				}
			}
			if diff := cmp.Diff(want, calls); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.seen(), *seen); diff != "" {
				t.Errorf("items transformed, in order (-want +got):\n%s", diff)
			}
			var wantCache []string
			if tc.cached {
				wantCache = src.names(0, pages*size)
			}
			if diff := cmp.Diff(wantCache, cachedNames(inf)); diff != "" {
				t.Errorf("cache (-want +got):\n%s", diff)
			}
			if inf.HasSynced() != tc.cached {
				t.Errorf("HasSynced %t, want %t", inf.HasSynced(), tc.cached)
			}
		})
	}
}

var errTransform = errors.New("transform refused")

// TestListAheadCancel: cancelling the context mid-list ends the request in flight and list
// returns the cancellation, leaving no goroutine behind.
func TestListAheadCancel(t *testing.T) {
	defer goleak.VerifyNone(t)
	const size, pages = 3, 4
	cases := []struct {
		name string
		// cancelAt is the call whose request cancels the context and then waits for it;
		// cancelItem, when >= 0, is the item whose transform cancels instead.
		cancelAt, cancelItem int
		wantCalls            int
		wantSeen             int
	}{
		{"while page 2 is requested ahead of page 1", 2, -1, 2, size},
		{"while the last page is requested", pages, -1, pages, (pages - 1) * size},
		{"while page 2 is transformed, page 3 in flight", 3, size, 3, 2 * size},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			src := newPagedSource(pages * size)
			var sawCancel atomic.Bool
			src.hook = func(rctx context.Context, call int, _ store.ListOptions) error {
				if call != tc.cancelAt {
					return nil
				}
				if tc.cancelItem < 0 {
					cancel()
				}
				select {
				case <-rctx.Done():
					sawCancel.Store(true)
					return rctx.Err()
				case <-time.After(hangGuard):
					return errors.New("the request in flight was never cancelled")
				}
			}
			inf, seen := listAheadInformer(t, src, size, func(i int, _ *storetest.Widget) error {
				if i == tc.cancelItem {
					cancel()
				}
				return nil
			})
			errc := make(chan error, 1)
			go func() { errc <- inf.list(ctx) }()
			var err error
			select {
			case err = <-errc:
			case <-time.After(hangGuard):
				t.Fatal("list did not return after its context was cancelled")
			}
			checkJoined(t, src)
			if !errors.Is(err, context.Canceled) || !sawCancel.Load() {
				t.Fatalf("list: %v (request saw the cancellation: %t), want context.Canceled", err, sawCancel.Load())
			}
			calls, _, _, _ := src.snapshot()
			if len(calls) != tc.wantCalls {
				t.Errorf("%d requests, want %d", len(calls), tc.wantCalls)
			}
			if diff := cmp.Diff(src.names(0, tc.wantSeen), *seen); diff != "" {
				t.Errorf("items transformed, in order (-want +got):\n%s", diff)
			}
			if inf.HasSynced() || inf.Lister().Len() != 0 {
				t.Errorf("synced %t with %d items after a cancelled list, want nothing", inf.HasSynced(), inf.Lister().Len())
			}
		})
	}
}

// TestListAheadRunRelists: through Run, a list whose page fails is retried from its first
// page and then syncs the complete state.
func TestListAheadRunRelists(t *testing.T) {
	defer goleak.VerifyNone(t)
	const size, pages = 2, 3
	src := newPagedSource(pages * size)
	src.hook = func(_ context.Context, call int, _ store.ListOptions) error {
		if call == 2 {
			return apierrors.NewInternalError(errors.New("page lost"))
		}
		return nil
	}
	var failures atomic.Int32
	inf, err := New[*storetest.Widget](SourceFuncs{
		ListFunc: src.List,
		WatchFunc: func(context.Context, string, store.WatchOptions) (watch.Interface[runtime.Object], error) {
			return watch.NewFake[runtime.Object](0), nil
		},
	}, Options[*storetest.Widget]{
		PageSize:          size,
		Backoff:           Backoff{Initial: time.Microsecond, Max: time.Microsecond},
		WatchErrorHandler: func(error) { failures.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); inf.Run(ctx) }()
	sctx, scancel := context.WithTimeout(ctx, hangGuard)
	err = WaitForSync(sctx, inf)
	scancel()
	cancel()
	<-done
	if err != nil {
		t.Fatalf("WaitForSync: %v", err)
	}
	want := []store.ListOptions{pageOpts(size, 0), pageOpts(size, size), pageOpts(size, 0), pageOpts(size, size), pageOpts(size, 2*size)}
	calls, _, _, _ := src.snapshot()
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(src.names(0, pages*size), cachedNames(inf)); diff != "" {
		t.Errorf("cache (-want +got):\n%s", diff)
	}
	if failures.Load() != 1 {
		t.Errorf("%d failures reported, want 1", failures.Load())
	}
}
