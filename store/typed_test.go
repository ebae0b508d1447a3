package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// A typed view over the wrong resource reports errors instead of panicking.
func TestTypedWrongTypeIsAnError(t *testing.T) {
	ctx := context.Background()
	s, err := memory.New(memory.Options{Resources: storetest.Resources()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.For[*storetest.Widget](s, storetest.Widgets).Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "w"}}); err != nil {
		t.Fatal(err)
	}
	wrong := store.For[*storetest.Gizmo](s, storetest.Widgets)
	if wrong.Resource() != storetest.Widgets || wrong.Store() != store.Interface(s) {
		t.Fatalf("accessors = %v %v", wrong.Resource(), wrong.Store())
	}
	cases := []struct {
		name string
		do   func() error
	}{
		{"get", func() error { _, err := wrong.Get(ctx, "ns", "w", store.GetOptions{}); return err }},
		{"list", func() error { _, err := wrong.List(ctx, "", store.ListOptions{}); return err }},
		{"guaranteed update", func() error {
			_, err := wrong.GuaranteedUpdate(ctx, "ns", "w", func(g *storetest.Gizmo) (*storetest.Gizmo, error) { return g, nil }, store.UpdateOptions{})
			return err
		}},
		{"delete", func() error { _, err := wrong.Delete(ctx, "ns", "w", store.DeleteOptions{}); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if err == nil || !strings.Contains(err.Error(), "want *storetest.Gizmo") {
				t.Fatalf("error = %v, want a type mismatch", err)
			}
		})
	}
	// The delete above went through (the store checks no type on delete); watch a new one.
	if _, err := store.For[*storetest.Widget](s, storetest.Widgets).Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "w2"}}); err != nil {
		t.Fatal(err)
	}
	w, err := wrong.Watch(ctx, "", store.WatchOptions{SendInitialEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ev := <-w.ResultChan()
	if ev.Type != watch.Error || !strings.Contains(ev.ErrorStatus().Message, "unexpected object type") {
		t.Fatalf("event %s %v, want an Error event naming the types", ev.Type, ev.ErrorStatus())
	}
	if _, ok := w.(store.ProgressRequester); !ok {
		t.Errorf("typed watch of the memory store does not forward RequestProgress")
	}
}
