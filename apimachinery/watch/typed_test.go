package watch_test

import (
	"context"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
)

// A store's untyped watch read as Pods: a Service in the stream ends it with an error that names
// both types.
func TestObjectsWithBuiltinTypes(t *testing.T) {
	ctx := context.Background()
	src := watch.NewFake[runtime.Object](3)
	_ = src.Add(ctx, &corev1.Pod{ObjectMeta: meta.ObjectMeta{Name: "web"}})
	_ = src.Add(ctx, &corev1.Service{ObjectMeta: meta.ObjectMeta{Name: "svc"}})
	w := watch.Objects[*corev1.Pod](ctx, src)

	ev := <-w.ResultChan()
	if ev.Type != watch.Added || ev.Object.Name != "web" {
		t.Fatalf("first event %+v", ev)
	}
	ev = <-w.ResultChan()
	want := "Internal error occurred: watch: convert ADDED event: unexpected object type *v1.Service, want *v1.Pod"
	if st := ev.ErrorStatus(); ev.Type != watch.Error || st == nil || st.Message != want {
		t.Fatalf("second event %+v, want an Error event with message %q", ev, want)
	}
	if _, ok := <-w.ResultChan(); ok {
		t.Fatal("stream continued after the error")
	}
	<-src.Stopped()
}
