package informer_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/informer/informertest"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

func isRace(err error) bool {
	return apierrors.IsNotFound(err) || apierrors.IsAlreadyExists(err) || apierrors.IsConflict(err)
}

// faultRun is one run of an informer over a faulty source while writers change the store.
type faultRun struct {
	faults     informertest.Faults
	mode       informertest.Mode
	initial    informer.InitialList
	writers    int
	ops        int // per writer
	keys       int
	history    int // the store's MaxHistory (0: default)
	seed       uint64
	wantFault  func(informertest.Stats) bool // the scenario really injected its fault
	wantErrors bool                          // the watch error hook must have been called
}

func (fr faultRun) run(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// A big watch buffer keeps the truth watch from being closed as a slow watcher (the
	// informer's watches get the same buffer; it recovers from such closes anyway).
	s := newStore(t, memory.Options{MaxHistory: fr.history, WatchBuffer: 1 << 20})
	ws := widgets(s)

	// The truth: an unfaulted watch of the store from before the first write.
	hist := informertest.NewHistory()
	hw, err := s.Watch(ctx, storetest.Widgets, "", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	histCtx, stopHist := context.WithCancel(ctx)
	histDone := make(chan error, 1)
	go func() { histDone <- hist.Follow(histCtx, hw) }()

	sentinel, err := ws.Create(ctx, mkWidget("a", "sentinel", "", nil))
	if err != nil {
		t.Fatal(err)
	}

	fs := informertest.NewSource(informer.ForResource(s, storetest.Widgets), fr.seed, fr.faults)
	var hookErrs int
	inf, err := informer.New[*widget](fs, informer.Options[*widget]{
		Name:              "faults",
		LabelIndex:        fr.seed%2 == 1, // TestFaults with the index, TestSoak both ways
		InitialList:       fr.initial,
		PageSize:          7,
		Backoff:           fastBackoff,
		Rand:              rand.New(rand.NewPCG(fr.seed, 1)),
		WatchErrorHandler: func(error) { hookErrs++ }, // called from Run's goroutine only
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := informertest.NewRecorder[*widget]()
	if _, err := inf.AddHandler(rec, informer.HandlerOptions{}); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	runDone := make(chan error, 1)
	go func() { runDone <- inf.Run(runCtx) }()
	if err := informer.WaitForSync(ctx, inf); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, fr.writers)
	for i := range fr.writers {
		wr := &writer{w: ws, rng: rand.New(rand.NewPCG(fr.seed, uint64(100+i))), ns: []string{"a", "b"}[i%2]}
		for k := range fr.keys {
			wr.keys = append(wr.keys, fmt.Sprintf("w%d", k))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range fr.ops {
				if err := wr.step(ctx); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	sentinel.ResourceVersion = ""
	sentinel.Spec.Data = "done"
	last, err := ws.Update(ctx, sentinel)
	if err != nil {
		t.Fatal(err)
	}
	target := rev(t, last)

	if err := inf.WaitForRevision(ctx, target); err != nil {
		t.Fatal(err)
	}
	if err := rec.WaitForRV(ctx, "a/sentinel", last.ResourceVersion); err != nil {
		t.Fatal(err)
	}
	if err := hist.WaitForRV(ctx, "a/sentinel", target); err != nil {
		t.Fatal(err)
	}
	checkCache(ctx, t, s, inf, rec, target)
	converge(ctx, t, rec, hist, fr.mode)

	stop()
	if err := <-runDone; err != nil {
		t.Errorf("Run: %v", err)
	}
	fs.Wait()
	stopHist()
	if err := <-histDone; err != nil {
		t.Errorf("truth watch: %v", err)
	}
	st := fs.Stats()
	t.Logf("faults injected: %+v; revision %d; %d notifications", st, target, rec.Len())
	if fr.wantFault != nil && !fr.wantFault(st) {
		t.Errorf("scenario injected no fault: %+v", st)
	}
	if fr.wantErrors && hookErrs == 0 {
		t.Errorf("the watch error hook was never called")
	}
}

func TestFaults(t *testing.T) {
	base := faultRun{writers: 3, ops: 150, keys: 12, seed: 1}
	cases := []struct {
		name string
		fr   func(faultRun) faultRun
	}{
		{"no faults", func(f faultRun) faultRun { return f }},
		{"streaming initial list", func(f faultRun) faultRun { f.initial = informer.StreamingList; return f }},
		{"dropped watches resume from the last revision", func(f faultRun) faultRun {
			f.faults.Drop = 0.05
			f.wantFault = func(s informertest.Stats) bool { return s.Drops > 0 }
			return f
		}},
		{"list and watch call errors", func(f faultRun) faultRun {
			f.faults.ListError, f.faults.WatchError = 0.5, 0.3
			f.faults.Drop = 0.05
			f.wantFault = func(s informertest.Stats) bool { return s.ListErrors > 0 && s.WatchErrors > 0 }
			f.wantErrors = true
			return f
		}},
		{"error events end streams", func(f faultRun) faultRun {
			f.faults.StreamError = 0.05
			f.wantFault = func(s informertest.Stats) bool { return s.StreamErrors > 0 }
			return f
		}},
		{"expired watches relist", func(f faultRun) faultRun {
			f.faults.Expire, f.faults.Drop = 0.3, 0.05
			f.mode = informertest.Consistent
			f.wantFault = func(s informertest.Stats) bool { return s.Expired > 0 && s.Lists > 1 }
			return f
		}},
		{"compacted history relists", func(f faultRun) faultRun {
			f.history = 20
			f.faults.Drop, f.faults.Hold = 0.05, 30
			f.mode = informertest.Consistent
			f.wantFault = func(s informertest.Stats) bool { return s.Lists > 1 }
			f.wantErrors = true
			return f
		}},
		{"delayed deliveries lost with the connection", func(f faultRun) faultRun {
			f.faults.Hold, f.faults.Drop = 20, 0.05
			f.wantFault = func(s informertest.Stats) bool { return s.HeldEvents > 0 && s.Drops > 0 }
			return f
		}},
		{"replayed changes after reconnect", func(f faultRun) faultRun {
			f.faults.Replay, f.faults.Drop = 15, 0.05
			f.wantFault = func(s informertest.Stats) bool { return s.Replays > 0 }
			return f
		}},
		{"reordered deliveries relist", func(f faultRun) faultRun {
			f.faults.Hold, f.faults.Swap, f.faults.Drop = 10, 0.3, 0.02
			f.mode = informertest.Consistent
			f.wantFault = func(s informertest.Stats) bool { return s.Swaps > 0 }
			return f
		}},
		{"everything at once with streaming", func(f faultRun) faultRun {
			f.initial = informer.StreamingList
			f.faults = informertest.Faults{ListError: 0.2, WatchError: 0.2, Expire: 0.1, Drop: 0.03, StreamError: 0.03, Hold: 10, Replay: 10, Swap: 0.1}
			f.mode = informertest.Consistent
			return f
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.fr(base).run(t) })
	}
}

// TestSoak runs seeded random fault mixes with concurrent writers; it stays bounded (a few
// seconds under -race).
func TestSoak(t *testing.T) {
	seeds := 4
	if testing.Short() {
		seeds = 1
	}
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 7))
		f := informertest.Faults{
			ListError:   rng.Float64() * 0.3,
			WatchError:  rng.Float64() * 0.3,
			Expire:      rng.Float64() * 0.1,
			Drop:        rng.Float64() * 0.05,
			StreamError: rng.Float64() * 0.05,
			Hold:        rng.IntN(20),
			Replay:      rng.Int64N(20),
			Swap:        rng.Float64() * 0.1,
		}
		fr := faultRun{
			faults: f, mode: informertest.Consistent, writers: 4, ops: 400, keys: 25,
			history: 50 + rng.IntN(500), seed: seed + 1000,
			initial: informer.InitialList(rng.IntN(2)),
		}
		t.Run(fmt.Sprintf("seed=%d", seed), fr.run)
	}
}
