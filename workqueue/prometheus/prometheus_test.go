package prometheus_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	prom "github.com/prometheus/client_golang/prometheus"

	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/workqueue"
	wqprom "github.com/cellkit/cellkit/workqueue/prometheus"
)

// flatten gathers reg into "name{label=value} kind" -> value, with
// histograms as _count, _sum and _bucket{le} entries.
func flatten(t *testing.T, reg prom.Gatherer) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("Gather: %v", err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, lp := range m.GetLabel() {
				labels = append(labels, lp.GetName()+"="+lp.GetValue())
			}
			sort.Strings(labels)
			key := mf.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.GetGauge() != nil:
				out[key+" gauge"] = m.GetGauge().GetValue()
			case m.GetCounter() != nil:
				out[key+" counter"] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				h := m.GetHistogram()
				out[key+" count"] = float64(h.GetSampleCount())
				out[key+" sum"] = h.GetSampleSum()
				for _, b := range h.GetBucket() {
					out[fmt.Sprintf("%s le=%v", key, b.GetUpperBound())] = float64(b.GetCumulativeCount())
				}
			}
		}
	}
	return out
}

func TestProviderExportsKubernetesNames(t *testing.T) {
	reg := prom.NewPedanticRegistry()
	p, err := wqprom.New(wqprom.Options{Registerer: reg, Buckets: []float64{1, 10}})
	if err != nil {
		t.Fatal(err)
	}
	fc := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	q, err := workqueue.New(workqueue.Options[string]{Name: "pods", Metrics: p, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	defer q.ShutDown()
	q.Add("a")
	q.Add("b")
	q.Add("a")
	fc.Step(2 * time.Second)
	item, err := q.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fc.Step(3 * time.Second)
	q.AddRateLimited("c")

	want := map[string]float64{
		"workqueue_adds_total{name=pods} counter":                      2,
		"workqueue_depth{name=pods} gauge":                             1,
		"workqueue_retries_total{name=pods} counter":                   1,
		"workqueue_unfinished_work_seconds{name=pods} gauge":           3,
		"workqueue_longest_running_processor_seconds{name=pods} gauge": 3,
		"workqueue_queue_duration_seconds{name=pods} count":            1,
		"workqueue_queue_duration_seconds{name=pods} sum":              2,
		"workqueue_queue_duration_seconds{name=pods} le=1":             0,
		"workqueue_queue_duration_seconds{name=pods} le=10":            1,
		"workqueue_work_duration_seconds{name=pods} count":             0,
		"workqueue_work_duration_seconds{name=pods} sum":               0,
		"workqueue_work_duration_seconds{name=pods} le=1":              0,
		"workqueue_work_duration_seconds{name=pods} le=10":             0,
	}
	if diff := cmp.Diff(want, flatten(t, reg)); diff != "" {
		t.Fatalf("gathered (-want +got):\n%s", diff)
	}
	q.Done(item)
	got := flatten(t, reg)
	for key, v := range map[string]float64{
		"workqueue_work_duration_seconds{name=pods} count":             1,
		"workqueue_work_duration_seconds{name=pods} sum":               3,
		"workqueue_unfinished_work_seconds{name=pods} gauge":           0,
		"workqueue_longest_running_processor_seconds{name=pods} gauge": 0,
	} {
		if got[key] != v {
			t.Errorf("%s = %v, want %v", key, got[key], v)
		}
	}
}

func TestProviderOptions(t *testing.T) {
	tests := []struct {
		name string
		opts wqprom.Options
	}{
		{name: "nil registerer", opts: wqprom.Options{}},
		{name: "empty buckets", opts: wqprom.Options{Registerer: prom.NewRegistry(), Buckets: []float64{}}},
		{name: "unsorted buckets", opts: wqprom.Options{Registerer: prom.NewRegistry(), Buckets: []float64{2, 1}}},
		{name: "duplicate buckets", opts: wqprom.Options{Registerer: prom.NewRegistry(), Buckets: []float64{1, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := wqprom.New(tt.opts); !errors.Is(err, wqprom.ErrInvalidOptions) {
				t.Fatalf("New = %v, want ErrInvalidOptions", err)
			}
		})
	}
	reg := prom.NewRegistry()
	if _, err := wqprom.New(wqprom.Options{Registerer: reg}); err != nil {
		t.Fatal(err)
	}
	_, err := wqprom.New(wqprom.Options{Registerer: reg})
	var already prom.AlreadyRegisteredError
	if !errors.As(err, &already) {
		t.Fatalf("second provider on one registry = %v, want AlreadyRegisteredError", err)
	}
}
