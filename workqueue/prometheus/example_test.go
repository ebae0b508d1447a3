package prometheus_test

import (
	"context"
	"fmt"

	prom "github.com/prometheus/client_golang/prometheus"

	"github.com/cellkit/cellkit/workqueue"
	wqprom "github.com/cellkit/cellkit/workqueue/prometheus"
)

func Example() {
	reg := prom.NewRegistry()
	metrics, err := wqprom.New(wqprom.Options{Registerer: reg})
	if err != nil {
		panic(err)
	}
	q, err := workqueue.New(workqueue.Options[string]{Name: "pods", Metrics: metrics})
	if err != nil {
		panic(err)
	}
	defer q.ShutDown()
	q.Add("default/web-0")
	q.Add("default/web-1")
	key, _ := q.Get(context.Background())
	q.Done(key)
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() == "workqueue_adds_total" || mf.GetName() == "workqueue_depth" {
			m := mf.GetMetric()[0]
			fmt.Println(mf.GetName(), m.GetLabel()[0].GetValue(), m.GetCounter().GetValue()+m.GetGauge().GetValue())
		}
	}
	// Output:
	// workqueue_adds_total pods 2
	// workqueue_depth pods 1
}
