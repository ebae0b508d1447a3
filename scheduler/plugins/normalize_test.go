package plugins_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
)

// TestRawNormalizationMatches: the plugins that normalize raw score arrays
// (framework.RawScoreExtensions, which a cycle uses) give exactly what their NormalizeScore
// gives on NodeScores with the same scores, on fixed edge cases and random vectors.
func TestRawNormalizationMatches(t *testing.T) {
	ipa, err := plugins.NewInterPodAffinity(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	exts := map[string]framework.ScoreExtensions{
		"TaintToleration":  plugins.TaintToleration{},
		"NodeAffinity":     plugins.NodeAffinity{},
		"InterPodAffinity": ipa,
	}
	vectors := [][]int64{{0}, {0, 0, 0}, {5}, {3, 3, 3}, {0, 1, 2, 7}, {-4, 0, 9}, {-3, -3}, {100, 1, 0, 37}}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		v := make([]int64, 1+rng.IntN(40))
		for j := range v {
			v[j] = rng.Int64N(300) - 100
			if i%2 == 0 {
				v[j] = rng.Int64N(20) // non-negative, as TaintToleration and NodeAffinity give
			}
		}
		vectors = append(vectors, v)
	}
	for name, ext := range exts {
		raw, ok := ext.(framework.RawScoreExtensions)
		if !ok {
			t.Fatalf("%s does not implement RawScoreExtensions", name)
		}
		for i, v := range vectors {
			ns := make([]framework.NodeScore, len(v))
			for j, s := range v {
				ns[j] = framework.NodeScore{Name: fmt.Sprintf("n%d", j), Score: s}
			}
			if s := ext.NormalizeScore(context.Background(), framework.NewCycleState(), nil, ns); !s.IsSuccess() {
				t.Fatalf("%s vector %d: %v", name, i, s)
			}
			want := make([]int64, len(ns))
			for j := range ns {
				want[j] = ns[j].Score
			}
			got := append([]int64(nil), v...)
			if s := raw.NormalizeRawScores(context.Background(), framework.NewCycleState(), nil, got); !s.IsSuccess() {
				t.Fatalf("%s vector %d: %v", name, i, s)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s vector %v (-NormalizeScore +NormalizeRawScores):\n%s", name, v, d)
			}
		}
	}
}
