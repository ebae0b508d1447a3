package watch

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkBroadcasterSend measures one Send fanned out to n watchers that keep up.
func BenchmarkBroadcasterSend(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("watchers=%d", n), func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			br, err := NewBroadcaster[int](BroadcasterOptions{Buffer: 1024})
			if err != nil {
				b.Fatal(err)
			}
			ws := make([]Interface[int], n)
			for i := range ws {
				ws[i] = br.Watch(ctx)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := br.Send(Event[int]{Type: Modified, Object: i}); err != nil {
					b.Fatal(err)
				}
				i++
				if i%512 == 0 { // drain on the benchmark goroutine so nobody falls behind
					for _, w := range ws {
						for len(w.ResultChan()) > 0 {
							<-w.ResultChan()
						}
					}
				}
			}
			br.Close()
		})
	}
}

// BenchmarkFilterMap measures an event passing through Filter and Cast relays.
func BenchmarkFilterMap(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := NewFake[any](0)
	w := Cast[int](ctx, Filter(ctx, Interface[any](src), func(ev Event[any]) (Event[any], bool) { return ev, true }))
	b.ReportAllocs()
	for b.Loop() {
		if err := src.Add(ctx, 1); err != nil {
			b.Fatal(err)
		}
		<-w.ResultChan()
	}
	w.Stop()
	for range w.ResultChan() {
	}
}
