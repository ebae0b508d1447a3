package nodeagent

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestBackOffSequence replays a container that runs one second and exits, forever: the
// restarts come at once, then after 10, 20, 40, 80, 160 and 300 s, and stay at 300 s.
func TestBackOffSequence(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var b backOff
	now := start
	var waits []time.Duration
	for i := 0; i < 9; i++ {
		finished := now.Add(time.Second) // ran one second
		now = finished
		until, wait := b.wait(finished, now)
		if wait {
			waits = append(waits, until.Sub(finished))
			now = until
			if _, still := b.wait(finished, now); still {
				t.Fatalf("restart %d: still in back-off at its end", i)
			}
		} else {
			waits = append(waits, 0)
		}
		b.restart(finished, now)
	}
	want := []time.Duration{0, 10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second,
		160 * time.Second, 300 * time.Second, 300 * time.Second, 300 * time.Second}
	if diff := cmp.Diff(want, waits); diff != "" {
		t.Errorf("waits before each restart (-want +got):\n%s", diff)
	}
}

func TestBackOffResets(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		ran     time.Duration // how long the container ran after its last restart
		wantGap time.Duration // wait before the next restart
	}{
		{"short run keeps doubling", time.Minute, 20 * time.Second},
		{"exactly ten minutes still counts", BackOffResetAfter, 20 * time.Second},
		{"over ten minutes starts over", BackOffResetAfter + time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b backOff
			b.restart(start, start)                                      // first exit: immediate, 10 s
			b.restart(start.Add(time.Second), start.Add(11*time.Second)) // second: after 10 s, now 20 s
			finished := start.Add(11*time.Second + tt.ran)
			until, wait := b.wait(finished, finished)
			gap := time.Duration(0)
			if wait {
				gap = until.Sub(finished)
			}
			if gap != tt.wantGap {
				t.Errorf("gap = %v, want %v", gap, tt.wantGap)
			}
			b.restart(finished, finished.Add(gap))
			if tt.wantGap == 0 && b.d != InitialBackOff {
				t.Errorf("back-off after reset = %v, want %v", b.d, InitialBackOff)
			}
		})
	}
}
