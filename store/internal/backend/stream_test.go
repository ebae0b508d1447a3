package backend

import (
	"context"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
)

func TestStreamSendEnds(t *testing.T) {
	ev := watch.Event[runtime.Object]{Type: watch.Bookmark}
	cases := []struct {
		name string
		end  func(s *Stream, cancel context.CancelFunc, closed chan struct{})
	}{
		{"stop", func(s *Stream, _ context.CancelFunc, _ chan struct{}) { s.Stop(); s.Stop() }},
		{"context", func(_ *Stream, cancel context.CancelFunc, _ chan struct{}) { cancel() }},
		{"backend closed", func(_ *Stream, _ context.CancelFunc, closed chan struct{}) { close(closed) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			closed := make(chan struct{})
			var s Stream
			s.Init(ctx, closed)
			for i := range StreamBuffer {
				if !s.Send(ev) {
					t.Fatalf("send %d into a buffer with room failed", i)
				}
			}
			tc.end(&s, cancel, closed)
			if s.Send(ev) {
				t.Fatalf("send into a full buffer of an ended watch succeeded")
			}
			s.End()
			n := 0
			for range s.ResultChan() {
				n++
			}
			if n != StreamBuffer {
				t.Errorf("consumer got %d events, want %d", n, StreamBuffer)
			}
		})
	}
}

func TestStreamNotifyCoalesces(t *testing.T) {
	var s Stream
	s.Init(context.Background(), nil)
	s.Notify()
	s.Notify() // does not block: the wake-up is pending already
	select {
	case <-s.Wake():
	default:
		t.Fatal("no wake-up after Notify")
	}
	select {
	case <-s.Wake():
		t.Fatal("two wake-ups for two Notify calls before a wait, want one")
	default:
	}
	if s.Closed() != nil {
		t.Errorf("Closed of a backend that never ends is not nil")
	}
}
