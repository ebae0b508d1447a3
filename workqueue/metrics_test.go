package workqueue_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/workqueue"
)

// recordingProvider is an in-memory MetricsProvider for tests.
type recordingProvider struct {
	mu      sync.Mutex
	names   []string
	depth   float64
	adds    int
	retries int
	latency []float64
	work    []float64
	report  func() workqueue.Processing
}

type recGauge struct{ p *recordingProvider }

func (g recGauge) Inc() { g.p.mu.Lock(); g.p.depth++; g.p.mu.Unlock() }
func (g recGauge) Dec() { g.p.mu.Lock(); g.p.depth--; g.p.mu.Unlock() }

type recCounter struct {
	n  *int
	mu *sync.Mutex
}

func (c recCounter) Inc() { c.mu.Lock(); *c.n++; c.mu.Unlock() }

type recHist struct {
	obs *[]float64
	mu  *sync.Mutex
}

func (h recHist) Observe(v float64) { h.mu.Lock(); *h.obs = append(*h.obs, v); h.mu.Unlock() }

func (p *recordingProvider) NewDepthMetric(name string) workqueue.GaugeMetric {
	p.names = append(p.names, "depth:"+name)
	return recGauge{p}
}
func (p *recordingProvider) NewAddsMetric(name string) workqueue.CounterMetric {
	p.names = append(p.names, "adds:"+name)
	return recCounter{&p.adds, &p.mu}
}
func (p *recordingProvider) NewLatencyMetric(name string) workqueue.HistogramMetric {
	p.names = append(p.names, "latency:"+name)
	return recHist{&p.latency, &p.mu}
}
func (p *recordingProvider) NewWorkDurationMetric(name string) workqueue.HistogramMetric {
	p.names = append(p.names, "work:"+name)
	return recHist{&p.work, &p.mu}
}
func (p *recordingProvider) NewRetriesMetric(name string) workqueue.CounterMetric {
	p.names = append(p.names, "retries:"+name)
	return recCounter{&p.retries, &p.mu}
}
func (p *recordingProvider) NewProcessingMetrics(name string, report func() workqueue.Processing) {
	p.names = append(p.names, "processing:"+name)
	p.report = report
}

type nilProvider struct{ recordingProvider }

func (*nilProvider) NewAddsMetric(string) workqueue.CounterMetric { return nil }

func TestMetrics(t *testing.T) {
	p := &recordingProvider{}
	q, fc := newQueue(t, workqueue.Options[string]{Name: "jobs", Metrics: p})
	if diff := cmp.Diff([]string{"depth:jobs", "adds:jobs", "latency:jobs", "work:jobs", "retries:jobs", "processing:jobs"}, p.names); diff != "" {
		t.Fatalf("metrics created (-want +got):\n%s", diff)
	}
	q.Add("a")
	q.Add("a") // merged: not an add
	q.Add("b")
	if p.depth != 2 || p.adds != 2 {
		t.Fatalf("depth=%v adds=%d, want 2 and 2", p.depth, p.adds)
	}
	fc.Step(2 * time.Second)
	a, _ := q.Get(now())
	fc.Step(time.Second)
	b, _ := q.Get(now())
	fc.Step(3 * time.Second)
	got := p.report()
	// a has run 4s, b 3s.
	if diff := cmp.Diff(workqueue.Processing{UnfinishedSeconds: 7, LongestRunningSeconds: 4}, got); diff != "" {
		t.Fatalf("processing report (-want +got):\n%s", diff)
	}
	q.Done(a)
	q.Done(b)
	q.AddRateLimited("c")
	if diff := cmp.Diff([]float64{2, 3}, p.latency); diff != "" {
		t.Errorf("latency (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{4, 3}, p.work); diff != "" {
		t.Errorf("work duration (-want +got):\n%s", diff)
	}
	if p.depth != 0 || p.retries != 1 {
		t.Errorf("depth=%v retries=%d, want 0 and 1", p.depth, p.retries)
	}
	if diff := cmp.Diff(workqueue.Processing{}, p.report()); diff != "" {
		t.Errorf("idle report (-want +got):\n%s", diff)
	}
}
