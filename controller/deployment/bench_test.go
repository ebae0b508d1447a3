package deployment

import (
	"fmt"
	"testing"
	"time"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
)

// BenchmarkReconcileSteady measures one reconcile of a rolled-out Deployment with ten old
// ReplicaSets in its history: the cost every resync and every unrelated event pays.
func BenchmarkReconcileSteady(b *testing.B) {
	e := newEnv(b)
	e.create(withBudget(deployment("web", 10, "v0"), "25%", "25%"))
	e.drive("web", gainAll, 10, nil)
	for i := 1; i <= 10; i++ {
		e.clk.Step(time.Minute)
		e.update("web", setImage(fmt.Sprintf("v%d", i)))
		e.drive("web", gainAll, 30, nil)
	}
	e.mustReconcile("web")
	if n := len(e.replicaSets("web")); n != 11 {
		b.Fatalf("%d replica sets, want 11", n)
	}
	before := e.versions("web")
	b.ReportAllocs()
	for b.Loop() {
		e.mustReconcile("web")
	}
	b.StopTimer()
	if after := e.versions("web"); fmt.Sprint(after) != fmt.Sprint(before) {
		b.Fatal("a steady reconcile wrote")
	}
}

// BenchmarkRollingUpdate measures a whole rolling update of 100 pods, one template to the
// next, with the ReplicaSet controller's part played by the test (a round of status updates
// between reconciles).
func BenchmarkRollingUpdate(b *testing.B) {
	e := newEnv(b)
	e.create(withBudget(deployment("web", 100, "v0"), "25%", "25%"))
	e.drive("web", gainAll, 10, nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		e.clk.Step(time.Minute)
		e.update("web", setImage(fmt.Sprintf("v%d", i)))
		e.drive("web", gainAll, 50, nil)
	}
}

func BenchmarkTemplateHash(b *testing.B) {
	d := deployment("web", 1, "nginx:1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TemplateHash(&d.Spec.Template, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProportionalScale(b *testing.B) {
	d := dep(150, "3", "2")
	rss := []*appsv1.ReplicaSet{rs("a", 80, 1, 103), rs("b", 13, 2, 103), rs("c", 10, 3, 103)}
	b.ReportAllocs()
	for b.Loop() {
		proportionalScale(d, rss)
	}
}
