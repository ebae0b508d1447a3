package informer

import (
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store/storetest"
)

// TestListenerBatchStopsOnRemoval: a listener delivers a burst as one batch, yet removing it
// while a call is in progress ends delivery after that call, and HasSynced follows the
// processed count within a batch.
func TestListenerBatchStopsOnRemoval(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int64
	l := newListener[*storetest.Widget](HandlerFuncs[*storetest.Widget]{
		AddFunc: func(*storetest.Widget, bool) {
			if calls.Add(1) == 1 {
				close(entered)
				<-release
			}
		},
	}, 0)
	var ns []notification[*storetest.Widget]
	for i := range 100 {
		ns = append(ns, notification[*storetest.Widget]{kind: notifyAdd, flag: true,
			obj: &storetest.Widget{ObjectMeta: meta.ObjectMeta{Name: "w" + strconv.Itoa(i)}}})
	}
	l.enqueueAll(ns)
	l.markSynced()
	stop := make(chan struct{})
	go l.run(stop)
	<-entered
	if l.HasSynced() {
		t.Fatal("synced while the first of 100 initial adds is being delivered")
	}
	l.remove()
	close(release)
	<-l.done
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d adds delivered, want 1: delivery must end after the call in progress at removal", n)
	}
	close(stop)
}

// TestListenerBatchSyncs: every notification of a burst is delivered in order and the
// listener syncs exactly when the marked count is processed.
func TestListenerBatchSyncs(t *testing.T) {
	var got []string
	syncedAt := -1
	all := make(chan struct{})
	var l *listener[*storetest.Widget]
	l = newListener[*storetest.Widget](HandlerFuncs[*storetest.Widget]{
		AddFunc: func(w *storetest.Widget, _ bool) {
			if syncedAt < 0 && l.HasSynced() {
				syncedAt = len(got)
			}
			got = append(got, w.Name)
			if len(got) == 80 {
				close(all)
			}
		},
	}, 0)
	for i := range 50 {
		l.enqueue(notification[*storetest.Widget]{kind: notifyAdd, obj: &storetest.Widget{ObjectMeta: meta.ObjectMeta{Name: strconv.Itoa(i)}}})
	}
	l.markSynced() // the first 50 are the initial state
	for i := 50; i < 80; i++ {
		l.enqueue(notification[*storetest.Widget]{kind: notifyAdd, obj: &storetest.Widget{ObjectMeta: meta.ObjectMeta{Name: strconv.Itoa(i)}}})
	}
	stop := make(chan struct{})
	go l.run(stop)
	<-all
	close(stop)
	<-l.done
	if len(got) != 80 {
		t.Fatalf("delivered %d, want 80", len(got))
	}
	for i, name := range got {
		if name != strconv.Itoa(i) {
			t.Fatalf("delivery %d is %s, want %d (order)", i, name, i)
		}
	}
	if syncedAt != 50 {
		t.Fatalf("HasSynced first true when delivering item %d, want 50", syncedAt)
	}
}
