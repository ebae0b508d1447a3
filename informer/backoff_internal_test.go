package informer

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/internal/clock"
)

// zeroSource makes rand.Float64 return 0: no jitter.
type zeroSource struct{}

func (zeroSource) Uint64() uint64 { return 0 }

func TestBackoffSequence(t *testing.T) {
	cases := []struct {
		name string
		cfg  Backoff
		want []time.Duration
	}{
		{"defaults double up to 30s", Backoff{}, []time.Duration{
			800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond, 6400 * time.Millisecond,
			12800 * time.Millisecond, 25600 * time.Millisecond, 30 * time.Second, 30 * time.Second}},
		{"factor 3 capped", Backoff{Initial: time.Second, Max: 10 * time.Second, Factor: 3}, []time.Duration{
			time.Second, 3 * time.Second, 9 * time.Second, 10 * time.Second}},
		{"factor 1 is constant", Backoff{Initial: time.Second, Factor: 1}, []time.Duration{time.Second, time.Second, time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := tc.cfg.withDefaults()
			if err != nil {
				t.Fatal(err)
			}
			c := clock.NewFake(time.Unix(0, 0))
			b := newBackoff(cfg, c, rand.New(zeroSource{}))
			var got []time.Duration
			for range tc.want {
				got = append(got, b.step())
				c.Step(time.Second) // failures come close together: no reset
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBackoffResetsAfterHealthyPeriod(t *testing.T) {
	cfg, _ := Backoff{}.withDefaults()
	c := clock.NewFake(time.Unix(0, 0))
	b := newBackoff(cfg, c, rand.New(zeroSource{}))
	for range 4 {
		b.step()
	}
	c.Step(2*time.Minute - time.Nanosecond)
	if got := b.step(); got != 6400*time.Millisecond*2 {
		t.Errorf("failure within ResetAfter waited %v, want 12.8s", got)
	}
	c.Step(2 * time.Minute)
	if got := b.step(); got != 800*time.Millisecond {
		t.Errorf("failure after a healthy period waited %v, want the initial 800ms", got)
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	cfg, _ := Backoff{Initial: time.Second, Factor: 1}.withDefaults()
	b := newBackoff(cfg, clock.NewFake(time.Unix(0, 0)), rand.New(rand.NewPCG(1, 2)))
	seen := map[time.Duration]bool{}
	for range 1000 {
		d := b.step()
		if d < time.Second || d >= 2*time.Second {
			t.Fatalf("jittered wait %v outside [1s, 2s)", d)
		}
		seen[d] = true
	}
	if len(seen) < 900 {
		t.Errorf("only %d distinct waits in 1000: jitter is not random", len(seen))
	}
}

func TestBackoffValidation(t *testing.T) {
	cases := []struct {
		name string
		cfg  Backoff
	}{
		{"negative initial", Backoff{Initial: -1}},
		{"max below initial", Backoff{Initial: time.Minute, Max: time.Second}},
		{"factor below one", Backoff{Factor: 0.5}},
		{"negative jitter", Backoff{Jitter: -1}},
		{"negative reset", Backoff{ResetAfter: -time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.cfg.withDefaults(); err == nil {
				t.Errorf("withDefaults(%+v) accepted an invalid backoff", tc.cfg)
			}
		})
	}
}
