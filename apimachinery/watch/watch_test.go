package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// pod is a minimal runtime.Object for tests.
type pod struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata"`
}

func (p *pod) DeepCopyObject() runtime.Object { c := *p; return &c }

type service struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata"`
}

func (s *service) DeepCopyObject() runtime.Object { c := *s; return &c }

func newPod(name, rv string) *pod {
	return &pod{TypeMeta: meta.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: meta.ObjectMeta{Name: name, ResourceVersion: rv}}
}

// drain reads ch until it closes and returns what it read; it fails the test if the channel is
// not closed within a generous bound (a hang, not a timing assertion).
func drain[T any](t *testing.T, ch <-chan Event[T]) []Event[T] {
	t.Helper()
	var got []Event[T]
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return got
			}
			got = append(got, ev)
		case <-timeout:
			t.Fatalf("channel not closed; read %d events", len(got))
			return got
		}
	}
}

func recv[T any](t *testing.T, ch <-chan Event[T]) Event[T] {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("channel closed, want an event")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	return Event[T]{}
}

func waitClosed(t *testing.T, done <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s never happened", what)
	}
}

func names(evs []Event[*pod]) []string {
	var out []string
	for _, ev := range evs {
		if ev.Type == Error {
			out = append(out, "ERROR:"+string(ev.ErrorStatus().Reason))
			continue
		}
		out = append(out, string(ev.Type)+":"+ev.Object.Name)
	}
	return out
}

func TestEventTypeWireStrings(t *testing.T) {
	want := map[EventType]string{Added: "ADDED", Modified: "MODIFIED", Deleted: "DELETED", Bookmark: "BOOKMARK", Error: "ERROR"}
	for typ, s := range want {
		if string(typ) != s || !typ.Valid() {
			t.Errorf("%q: want wire string %q and valid", typ, s)
		}
	}
	for _, bad := range []EventType{"", "added", "SYNC"} {
		if bad.Valid() {
			t.Errorf("%q reported valid", bad)
		}
	}
}

func TestNewErrorAndErrorStatus(t *testing.T) {
	st := SlowWatcherStatus(3)
	if ev := NewError[any](st); ev.Object != st || ev.ErrorStatus() != st {
		t.Errorf("Event[any]: object %v status %v, want both the status", ev.Object, ev.ErrorStatus())
	}
	if ev := NewError[*meta.Status](st); ev.Object != st {
		t.Errorf("Event[*meta.Status]: object %v, want the status", ev.Object)
	}
	if ev := NewError[*pod](st); ev.Object != nil || ev.ErrorStatus() != st {
		t.Errorf("Event[*pod]: object %v status %v, want nil and the status", ev.Object, ev.ErrorStatus())
	}
	if ev := NewError[runtime.Object](st); ev.ErrorStatus() != st {
		t.Errorf("Event[runtime.Object]: status %v", ev.ErrorStatus())
	}
	// An Error event built by hand with the status as its object.
	if got := (Event[any]{Type: Error, Object: st}).ErrorStatus(); got != st {
		t.Errorf("hand-built error event: status %v", got)
	}
	if got := (Event[any]{Type: Added, Object: st}).ErrorStatus(); got != nil {
		t.Errorf("non-error event has status %v", got)
	}
	if !IsSlowWatcher(NewError[*pod](st)) || IsSlowWatcher(NewError[*pod](internalErrorStatus("x"))) {
		t.Error("IsSlowWatcher misclassifies")
	}
	if st.Code != 429 || st.Reason != "TooManyRequests" || st.Details.RetryAfterSeconds != 1 || st.Kind != "Status" {
		t.Errorf("slow watcher status %+v", st)
	}
	if err := EventError(NewError[*pod](st)); !apierrors.IsTooManyRequests(err) {
		t.Errorf("EventError = %v, want a TooManyRequests API error", err)
	}
	if err := EventError(Event[*pod]{Type: Error}); !apierrors.IsInternalError(err) {
		t.Errorf("EventError without status = %v, want an internal error", err)
	}
	if err := EventError(Event[*pod]{Type: Added}); err != nil {
		t.Errorf("EventError of ADDED = %v", err)
	}
}

func TestEventMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		ev   any
		want string
	}{
		{"added", Event[runtime.Object]{Type: Added, Object: newPod("a", "5")},
			`{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"5","creationTimestamp":null}}}`},
		{"error carries the status", NewError[runtime.Object](&meta.Status{Status: meta.StatusFailure, Code: 410, Reason: "Expired", Message: "too old"}),
			`{"type":"ERROR","object":{"metadata":{},"status":"Failure","message":"too old","reason":"Expired","code":410}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.ev)
			if err != nil {
				t.Fatal(err)
			}
			var got, want any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("wire form (-want +got):\n%s", d)
			}
		})
	}
}

func TestFilter(t *testing.T) {
	tests := []struct {
		name string
		fn   func(Event[*pod]) (Event[*pod], bool)
		want []string
	}{
		{"keep all", func(ev Event[*pod]) (Event[*pod], bool) { return ev, true }, []string{"ADDED:a", "MODIFIED:b", "DELETED:a"}},
		{"drop deletes", func(ev Event[*pod]) (Event[*pod], bool) { return ev, ev.Type != Deleted }, []string{"ADDED:a", "MODIFIED:b"}},
		{"rewrite b leaving the selector", func(ev Event[*pod]) (Event[*pod], bool) {
			if ev.Object.Name == "b" {
				ev.Type = Deleted
			}
			return ev, true
		}, []string{"ADDED:a", "DELETED:b", "DELETED:a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			src := NewFake[*pod](3)
			for _, ev := range []Event[*pod]{{Added, newPod("a", "1"), nil}, {Modified, newPod("b", "2"), nil}, {Deleted, newPod("a", "3"), nil}} {
				if err := src.Send(ctx, ev); err != nil {
					t.Fatal(err)
				}
			}
			src.Close()
			got := names(drain(t, Filter(ctx, src, tt.fn).ResultChan()))
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
		})
	}
}

func TestMapAndCast(t *testing.T) {
	ctx := context.Background()
	t.Run("cast converts every object", func(t *testing.T) {
		src := NewFake[runtime.Object](3)
		_ = src.Add(ctx, newPod("a", "1"))
		_ = src.Bookmark(ctx, newPod("", "7"))
		_ = src.Delete(ctx, newPod("a", "8"))
		src.Close()
		got := names(drain(t, Cast[*pod](ctx, src).ResultChan()))
		if d := cmp.Diff([]string{"ADDED:a", "BOOKMARK:", "DELETED:a"}, got); d != "" {
			t.Errorf("events (-want +got):\n%s", d)
		}
	})
	t.Run("wrong type ends the stream with a clear error", func(t *testing.T) {
		src := NewFake[runtime.Object](3)
		_ = src.Add(ctx, newPod("a", "1"))
		_ = src.Add(ctx, &service{ObjectMeta: meta.ObjectMeta{Name: "s"}})
		_ = src.Add(ctx, newPod("c", "3"))
		got := drain(t, Objects[*pod](ctx, src).ResultChan())
		if len(got) != 2 || got[0].Object.Name != "a" || got[1].Type != Error {
			t.Fatalf("got %v, want ADDED a then ERROR", names(got))
		}
		st := got[1].ErrorStatus()
		want := "Internal error occurred: watch: convert ADDED event: unexpected object type *watch.service, want *watch.pod"
		if st.Code != 500 || st.Reason != "InternalError" || st.Message != want {
			t.Errorf("status %+v, want code 500 InternalError %q", st, want)
		}
		waitClosed(t, src.Stopped(), "upstream stop")
	})
	t.Run("error events pass through with their status", func(t *testing.T) {
		src := NewFake[runtime.Object](2)
		expired := &meta.Status{Code: 410, Reason: "Expired"}
		_ = src.Error(ctx, expired)
		got := drain(t, Cast[*pod](ctx, src).ResultChan())
		if len(got) != 1 || got[0].ErrorStatus() != expired {
			t.Fatalf("got %v, want the Expired error", got)
		}
	})
	t.Run("map function error", func(t *testing.T) {
		src := NewFake[int](2)
		_ = src.Add(ctx, 1)
		_ = src.Add(ctx, -1)
		w := Map(ctx, src, func(i int) (string, error) {
			if i < 0 {
				return "", errors.New("negative")
			}
			return fmt.Sprint(i), nil
		})
		got := drain(t, w.ResultChan())
		if len(got) != 2 || got[0].Object != "1" || got[1].ErrorStatus().Message != "Internal error occurred: watch: convert ADDED event: negative" {
			t.Errorf("got %+v", got)
		}
	})
}

// Every helper's watch must close its channel after Stop and after context cancellation, and stop
// its upstream, even when nobody reads and the upstream never sends.
func TestHelpersEndOnStopAndContext(t *testing.T) {
	type made struct {
		w     Interface[*pod]
		src   *Fake[*pod]
		done  <-chan struct{} // upstream released
		after func() error
	}
	helpers := map[string]func(ctx context.Context) made{
		"filter": func(ctx context.Context) made {
			src := NewFake[*pod](0)
			return made{w: Filter(ctx, src, func(ev Event[*pod]) (Event[*pod], bool) { return ev, true }), src: src, done: src.Stopped()}
		},
		"cast": func(ctx context.Context) made {
			src := NewFake[*pod](0)
			return made{w: Cast[*pod](ctx, src), src: src, done: src.Stopped()}
		},
		"proxy": func(ctx context.Context) made {
			src := NewFake[*pod](0)
			p := NewProxy(ctx, src.ResultChan())
			return made{w: p, src: src, done: p.Done()}
		},
		"broadcaster": func(ctx context.Context) made {
			b, _ := NewBroadcaster[*pod](BroadcasterOptions{Buffer: 1})
			return made{w: b.Watch(ctx), after: func() error {
				// The channel is closed under the broadcaster's lock, so once drained the
				// watcher must be gone.
				if n := b.Len(); n != 0 {
					return fmt.Errorf("broadcaster still has %d watchers", n)
				}
				return nil
			}}
		},
	}
	for name, mk := range helpers {
		for _, how := range []string{"stop", "cancel", "stop twice concurrently"} {
			t.Run(name+"/"+how, func(t *testing.T) {
				defer goleak.VerifyNone(t)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				m := mk(ctx)
				if m.src != nil {
					// A producer that keeps trying to send until it is told to stop.
					var wg sync.WaitGroup
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; ; i++ {
							select {
							case <-m.done:
								return
							default:
							}
							sctx, c := context.WithTimeout(context.Background(), time.Millisecond)
							err := m.src.Add(sctx, newPod(fmt.Sprint(i), ""))
							c()
							if errors.Is(err, ErrStopped) || errors.Is(err, ErrClosed) {
								return
							}
						}
					}()
					defer func() { m.src.Close(); wg.Wait() }()
				}
				switch how {
				case "stop":
					m.w.Stop()
				case "cancel":
					cancel()
				default:
					var wg sync.WaitGroup
					for i := 0; i < 4; i++ {
						wg.Add(1)
						go func() { defer wg.Done(); m.w.Stop() }()
					}
					wg.Wait()
				}
				drain(t, m.w.ResultChan())
				if m.done != nil {
					waitClosed(t, m.done, "upstream release")
				}
				if m.after != nil {
					if err := m.after(); err != nil {
						t.Error(err)
					}
				}
				m.w.Stop() // idempotent after the end
			})
		}
	}
}

func TestBroadcasterDeliversInOrderToEveryWatcher(t *testing.T) {
	ctx := context.Background()
	b, err := NewBroadcaster[*pod](BroadcasterOptions{Buffer: 10})
	if err != nil {
		t.Fatal(err)
	}
	ws := []Interface[*pod]{b.Watch(ctx), b.Watch(ctx), b.Watch(ctx)}
	var want []string
	for i := 0; i < 10; i++ {
		if err := b.Send(Event[*pod]{Type: Added, Object: newPod(fmt.Sprint(i), "")}); err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprintf("ADDED:%d", i))
	}
	b.Close()
	for i, w := range ws {
		if d := cmp.Diff(want, names(drain(t, w.ResultChan()))); d != "" {
			t.Errorf("watcher %d (-want +got):\n%s", i, d)
		}
	}
	if err := b.Send(Event[*pod]{Type: Added}); !errors.Is(err, ErrBroadcasterClosed) {
		t.Errorf("send after close: %v, want ErrBroadcasterClosed", err)
	}
	if got := drain(t, b.Watch(ctx).ResultChan()); len(got) != 0 {
		t.Errorf("watch after close delivered %v", got)
	}
}

func TestBroadcasterSlowWatcher(t *testing.T) {
	ctx := context.Background()
	b, _ := NewBroadcaster[*pod](BroadcasterOptions{Buffer: 2})
	slow := b.Watch(ctx)
	fast := b.Watch(ctx)
	var fastGot []Event[*pod]
	// Nobody reads slow; the producer must never block.
	for i := 0; i < 5; i++ {
		if err := b.Send(Event[*pod]{Type: Modified, Object: newPod(fmt.Sprint(i), "")}); err != nil {
			t.Fatal(err)
		}
		fastGot = append(fastGot, recv(t, fast.ResultChan()))
	}
	if b.Len() != 1 {
		t.Errorf("watchers after overflow = %d, want 1", b.Len())
	}
	got := drain(t, slow.ResultChan())
	if d := cmp.Diff([]string{"MODIFIED:0", "MODIFIED:1", "ERROR:TooManyRequests"}, names(got)); d != "" {
		t.Errorf("slow watcher (-want +got):\n%s", d)
	}
	if !IsSlowWatcher(got[len(got)-1]) {
		t.Error("last event is not the slow watcher error")
	}
	if d := cmp.Diff([]string{"MODIFIED:0", "MODIFIED:1", "MODIFIED:2", "MODIFIED:3", "MODIFIED:4"}, names(fastGot)); d != "" {
		t.Errorf("fast watcher (-want +got):\n%s", d)
	}
	slow.Stop() // after the broadcaster closed it: no panic, no effect
	fast.Stop()
	if got := drain(t, fast.ResultChan()); len(got) != 0 {
		t.Errorf("fast got %v after stop", got)
	}
}

func TestBroadcasterConcurrentSendStopWatch(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithCancel(context.Background())
	b, _ := NewBroadcaster[int](BroadcasterOptions{Buffer: 4})
	var producers, consumers sync.WaitGroup
	stopProducers := make(chan struct{})
	for p := 0; p < 4; p++ {
		producers.Add(1)
		go func() {
			defer producers.Done()
			for i := 0; ; i++ {
				select {
				case <-stopProducers:
					return
				default:
				}
				_ = b.Send(Event[int]{Type: Added, Object: i})
			}
		}()
	}
	for c := 0; c < 8; c++ {
		consumers.Add(1)
		go func() {
			defer consumers.Done()
			for i := 0; i < 20; i++ {
				wctx, wcancel := context.WithCancel(ctx)
				w := b.Watch(wctx)
				n := 0
				for ev := range w.ResultChan() {
					n++
					if ev.Type == Error || n == 3 {
						break
					}
				}
				if i%2 == 0 {
					w.Stop()
				} else {
					wcancel()
				}
				for range w.ResultChan() { // the channel must close either way
				}
				wcancel()
			}
		}()
	}
	consumers.Wait()
	close(stopProducers)
	producers.Wait()
	cancel()
	b.Close()
}

func TestBroadcasterPump(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx := context.Background()
	b, _ := NewBroadcaster[*pod](BroadcasterOptions{})
	w := b.Watch(ctx)
	src := NewFake[*pod](2)
	_ = src.Add(ctx, newPod("a", "1"))
	_ = src.Delete(ctx, newPod("a", "2"))
	src.Close()
	if err := b.Pump(ctx, src); err != nil {
		t.Fatalf("pump: %v", err)
	}
	b.Close()
	if d := cmp.Diff([]string{"ADDED:a", "DELETED:a"}, names(drain(t, w.ResultChan()))); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	open := NewFake[*pod](0)
	b2, _ := NewBroadcaster[*pod](BroadcasterOptions{})
	if err := b2.Pump(cctx, open); !errors.Is(err, context.Canceled) {
		t.Errorf("pump with cancelled ctx: %v", err)
	}
	waitClosed(t, open.Stopped(), "pump stops its source")
	b2.Close()
	if err := b2.Pump(ctx, func() *Fake[*pod] { f := NewFake[*pod](1); _ = f.Add(ctx, newPod("x", "")); return f }()); !errors.Is(err, ErrBroadcasterClosed) {
		t.Errorf("pump into closed broadcaster: %v", err)
	}
	if _, err := NewBroadcaster[int](BroadcasterOptions{Buffer: -1}); err == nil {
		t.Error("negative buffer accepted")
	}
}

// expiredSentinel marks a test case that expects an error for which apierrors.IsResourceExpired
// holds.
type expiredSentinel struct{}

func (expiredSentinel) Error() string { return "expired" }

var errExpired error = expiredSentinel{}

func TestUntil(t *testing.T) {
	named := func(n string) ConditionFunc[*pod] {
		return func(ev Event[*pod]) (bool, error) { return ev.Object.Name == n, nil }
	}
	boom := errors.New("boom")
	tests := []struct {
		name     string
		events   []Event[*pod]
		close    bool
		conds    []ConditionFunc[*pod]
		wantLast string
		wantErr  error
	}{
		{"first condition", []Event[*pod]{{Added, newPod("a", ""), nil}, {Added, newPod("b", ""), nil}}, false,
			[]ConditionFunc[*pod]{named("a")}, "a", nil},
		{"conditions in order", []Event[*pod]{{Added, newPod("b", ""), nil}, {Added, newPod("a", ""), nil}, {Added, newPod("b", ""), nil}}, false,
			[]ConditionFunc[*pod]{named("a"), named("b")}, "b", nil},
		{"one event satisfies only one condition", []Event[*pod]{{Added, newPod("a", ""), nil}}, true,
			[]ConditionFunc[*pod]{named("a"), named("a")}, "a", ErrClosed},
		{"stream closes first", []Event[*pod]{{Added, newPod("x", ""), nil}}, true,
			[]ConditionFunc[*pod]{named("a")}, "x", ErrClosed},
		{"error event", []Event[*pod]{NewError[*pod](&meta.Status{Code: 410, Reason: "Expired"})}, false,
			[]ConditionFunc[*pod]{named("a")}, "", errExpired},
		{"condition error", []Event[*pod]{{Added, newPod("x", ""), nil}}, false,
			[]ConditionFunc[*pod]{func(Event[*pod]) (bool, error) { return false, boom }}, "x", boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			src := NewFake[*pod](len(tt.events))
			for _, ev := range tt.events {
				_ = src.Send(ctx, ev)
			}
			if tt.close {
				src.Close()
			}
			last, err := Until(ctx, src, tt.conds...)
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("err %v", err)
				}
			case expiredSentinel:
				if !apierrors.IsResourceExpired(err) {
					t.Fatalf("err %v, want an Expired API error", err)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("err %v, want %v", err, want)
				}
			}
			if tt.wantLast != "" && last.Object.Name != tt.wantLast {
				t.Errorf("last event object %q, want %q", last.Object.Name, tt.wantLast)
			}
			waitClosed(t, src.Stopped(), "Until stops the watch")
		})
	}
	t.Run("context deadline", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Until(ctx, NewFake[*pod](0), named("a"))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
	})
}

func TestFake(t *testing.T) {
	ctx := context.Background()
	t.Run("blocked send is released by stop", func(t *testing.T) {
		f := NewFake[int](0)
		errc := make(chan error)
		go func() { errc <- f.Add(ctx, 1) }()
		f.Stop()
		if err := <-errc; !errors.Is(err, ErrStopped) {
			t.Errorf("blocked send: %v, want ErrStopped", err)
		}
		if err := f.Add(ctx, 2); !errors.Is(err, ErrStopped) {
			t.Errorf("send after stop: %v", err)
		}
	})
	t.Run("blocked send is released by close", func(t *testing.T) {
		f := NewFake[int](0)
		errc := make(chan error)
		go func() { errc <- f.Add(ctx, 1) }()
		f.Close()
		if err := <-errc; !errors.Is(err, ErrClosed) {
			t.Errorf("blocked send: %v, want ErrClosed", err)
		}
		f.Close()
		f.Stop()
	})
	t.Run("context", func(t *testing.T) {
		f := NewFake[int](0)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := f.Add(cctx, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("send with cancelled ctx: %v", err)
		}
	})
	t.Run("buffered events survive close", func(t *testing.T) {
		f := NewFake[int](2)
		_ = f.Add(ctx, 1)
		_ = f.Modify(ctx, 2)
		f.Close()
		got := drain(t, f.ResultChan())
		if d := cmp.Diff([]Event[int]{{Type: Added, Object: 1}, {Type: Modified, Object: 2}}, got); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
}

// Several watchers fall behind in the same Send: each is closed with the slow-watcher error and
// every other watcher still receives every event.
func TestBroadcasterManySlowWatchers(t *testing.T) {
	ctx := context.Background()
	b, _ := NewBroadcaster[int](BroadcasterOptions{Buffer: 1})
	ws := make([]Interface[int], 6)
	for i := range ws {
		ws[i] = b.Watch(ctx)
	}
	fast := map[int]bool{1: true, 3: true}
	got := make([][]int, len(ws))
	for n := 0; n < 3; n++ {
		if err := b.Send(Event[int]{Type: Added, Object: n}); err != nil {
			t.Fatal(err)
		}
		for i := range fast {
			got[i] = append(got[i], recv(t, ws[i].ResultChan()).Object)
		}
	}
	if b.Len() != len(fast) {
		t.Fatalf("watchers left %d, want %d", b.Len(), len(fast))
	}
	for i, w := range ws {
		if fast[i] {
			if d := cmp.Diff([]int{0, 1, 2}, got[i]); d != "" {
				t.Errorf("fast watcher %d (-want +got):\n%s", i, d)
			}
			continue
		}
		evs := drain(t, w.ResultChan())
		if len(evs) != 2 || evs[0].Object != 0 || !IsSlowWatcher(evs[1]) {
			t.Errorf("slow watcher %d got %+v, want event 0 then the slow-watcher error", i, evs)
		}
	}
	b.Close()
}
