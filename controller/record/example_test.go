package record_test

import (
	"context"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller/record"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

func ExampleRecorder() {
	scheme, _ := apis.NewScheme()
	res, _ := builtin.Resources(scheme)
	s, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		panic(err)
	}
	rec, err := record.New(record.Options{Client: record.ForStore(s), Scheme: scheme, Component: "example"})
	if err != nil {
		panic(err)
	}
	p := &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"}}
	for range 3 {
		rec.Event(p, corev1.EventTypeWarning, "BackOff", "back-off restarting failed container")
	}
	ctx, cancel := context.WithCancel(context.Background())
	events := store.For[*corev1.Event](s, record.Events)
	w, err := events.Watch(ctx, "default", store.WatchOptions{})
	if err != nil {
		panic(err)
	}
	done := make(chan error)
	go func() { done <- rec.Run(ctx) }()
	for ev := range w.ResultChan() { // one create, then two updates
		if ev.Object.Count == 3 {
			break
		}
	}
	cancel()
	<-done
	w.Stop()
	l, _ := store.For[*corev1.Event](s, record.Events).List(context.Background(), "default", store.ListOptions{})
	for _, ev := range l.Items {
		fmt.Println(ev.InvolvedObject.Kind, ev.InvolvedObject.Name, ev.Reason, ev.Count)
	}
	// Output:
	// Pod web BackOff 3
}
