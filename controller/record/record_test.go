package record

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type env struct {
	t       *testing.T
	s       store.Interface
	fc      *clock.Fake
	r       *Recorder
	handled chan struct{}
}

func newEnv(t *testing.T, opts Options, run bool) *env {
	t.Helper()
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	fc := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s, err := memory.New(memory.Options{Resources: res, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	opts.Client, opts.Scheme, opts.Clock = ForStore(s), scheme, fc
	if opts.Component == "" {
		opts.Component = "widget-controller"
	}
	r, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, s: s, fc: fc, r: r, handled: make(chan struct{}, 100)}
	r.afterWrite = func() { e.handled <- struct{}{} }
	if run {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- r.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
	return e
}

func (e *env) waitHandled(n int) {
	e.t.Helper()
	for range n {
		select {
		case <-e.handled:
		case <-time.After(10 * time.Second):
			e.t.Fatal("event not written")
		}
	}
}

func (e *env) events() []corev1.Event {
	e.t.Helper()
	l, err := store.For[*corev1.Event](e.s, Events).List(context.Background(), "", store.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []corev1.Event
	for _, ev := range l.Items {
		out = append(out, *ev)
	}
	return out
}

func pod(ns, name string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, UID: meta.UID("uid-" + name), ResourceVersion: "7"}}
}

func TestEventIsWrittenWithReference(t *testing.T) {
	e := newEnv(t, Options{Host: "node-1"}, true)
	e.r.Eventf(pod("ns", "web"), corev1.EventTypeWarning, "BackOff", "restarting %s", "web")
	e.r.Event(&corev1.Node{ObjectMeta: meta.ObjectMeta{Name: "n1"}}, corev1.EventTypeNormal, "Ready", "node is ready")
	e.waitHandled(2)
	evs := e.events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	now := meta.NewTime(e.fc.Now())
	var web, node corev1.Event
	for _, ev := range evs {
		if ev.InvolvedObject.Name == "web" {
			web = ev
		} else {
			node = ev
		}
	}
	want := corev1.Event{
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", APIVersion: "v1", Namespace: "ns", Name: "web", UID: "uid-web", ResourceVersion: "7"},
		Reason:         "BackOff", Message: "restarting web", Type: corev1.EventTypeWarning,
		Source:         corev1.EventSource{Component: "widget-controller", Host: "node-1"},
		FirstTimestamp: now, LastTimestamp: now, Count: 1,
		ReportingController: "widget-controller", ReportingInstance: "node-1",
	}
	if web.Namespace != "ns" || !strings.HasPrefix(web.Name, "web.") {
		t.Errorf("event name %s/%s, want ns/web.<hex>", web.Namespace, web.Name)
	}
	web.ObjectMeta, web.TypeMeta = meta.ObjectMeta{}, meta.TypeMeta{}
	if diff := cmp.Diff(want, web); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if node.Namespace != "default" || node.InvolvedObject.Kind != "Node" {
		t.Errorf("cluster-scoped object's event in %q about %q, want default and Node", node.Namespace, node.InvolvedObject.Kind)
	}
}

func TestRepeatsAggregate(t *testing.T) {
	e := newEnv(t, Options{}, true)
	start := e.fc.Now()
	p := pod("ns", "web")
	for range 3 {
		e.r.Event(p, corev1.EventTypeWarning, "BackOff", "restarting")
		e.waitHandled(1)
		e.fc.Step(time.Second)
	}
	e.r.Event(p, corev1.EventTypeWarning, "BackOff", "another message")
	e.waitHandled(1)
	evs := e.events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2 (one aggregated, one distinct)", len(evs))
	}
	var agg corev1.Event
	for _, ev := range evs {
		if ev.Message == "restarting" {
			agg = ev
		}
	}
	if agg.Count != 3 || !agg.FirstTimestamp.Time.Equal(start) || !agg.LastTimestamp.Time.Equal(start.Add(2*time.Second)) {
		t.Errorf("aggregated event count %d first %v last %v; want 3, %v, %v", agg.Count, agg.FirstTimestamp, agg.LastTimestamp, start, start.Add(2*time.Second))
	}
	if st := e.r.Stats(); st.Written != 2 || st.Aggregated != 2 {
		t.Errorf("stats %+v, want 2 written and 2 aggregated", st)
	}
	// A deleted event is recreated on the next repeat.
	if _, err := store.For[*corev1.Event](e.s, Events).Delete(context.Background(), agg.Namespace, agg.Name, store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	e.r.Event(p, corev1.EventTypeWarning, "BackOff", "restarting")
	e.waitHandled(1)
	if st := e.r.Stats(); st.Written != 3 {
		t.Errorf("stats %+v, want the deleted event recreated", st)
	}
}

func TestRateLimitPerObject(t *testing.T) {
	e := newEnv(t, Options{Burst: 2, Refill: time.Minute}, true)
	a, b := pod("ns", "a"), pod("ns", "b")
	for i := range 3 {
		e.r.Event(a, corev1.EventTypeNormal, "R", string(rune('x'+i)))
	}
	e.r.Event(b, corev1.EventTypeNormal, "R", "other object")
	e.waitHandled(3)
	if st := e.r.Stats(); st.RateLimited != 1 || st.Written != 3 {
		t.Errorf("stats %+v, want 1 rate limited, 3 written", st)
	}
	e.fc.Step(time.Minute)
	e.r.Event(a, corev1.EventTypeNormal, "R", "after refill")
	e.waitHandled(1)
	if st := e.r.Stats(); st.RateLimited != 1 || st.Written != 4 {
		t.Errorf("stats %+v, want the refilled token used", st)
	}
}

func TestEventNeverBlocks(t *testing.T) {
	e := newEnv(t, Options{QueueSize: 2}, false) // nobody writes
	for i := range 10 {
		e.r.Event(pod("ns", "p"), corev1.EventTypeNormal, "R", string(rune('a'+i)))
	}
	if st := e.r.Stats(); st.Dropped != 8 {
		t.Errorf("stats %+v, want 8 dropped", st)
	}
}

type failing struct{ Client }

func (failing) Create(context.Context, *corev1.Event) (*corev1.Event, error) {
	return nil, errors.New("store down")
}

func TestWriteFailuresAreCounted(t *testing.T) {
	e := newEnv(t, Options{}, false)
	e.r.opts.Client = failing{e.r.opts.Client}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.r.Run(ctx) }()
	e.r.Event(pod("ns", "p"), corev1.EventTypeNormal, "R", "m")
	e.waitHandled(1)
	cancel()
	<-done
	if st := e.r.Stats(); st.Failed != 1 || st.Written != 0 {
		t.Errorf("stats %+v, want 1 failed", st)
	}
}

func TestNewValidates(t *testing.T) {
	scheme := runtime.NewScheme()
	_, err := New(Options{Scheme: scheme, Burst: -1})
	if !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("New: %v", err)
	}
	for _, want := range []string{"client is required", "component is required", "must not be negative"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
