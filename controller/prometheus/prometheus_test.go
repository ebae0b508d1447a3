package prometheus_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	prom "github.com/prometheus/client_golang/prometheus"

	"github.com/cellkit/cellkit/controller"
	ctlprom "github.com/cellkit/cellkit/controller/prometheus"
)

func TestProviderExportsControllerRuntimeNames(t *testing.T) {
	reg := prom.NewRegistry()
	p, err := ctlprom.New(ctlprom.Options{Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	p.NewReconcilesMetric("widgets", controller.ResultSuccess).Inc()
	p.NewReconcilesMetric("widgets", controller.ResultError).Inc()
	p.NewReconcileErrorsMetric("widgets").Inc()
	p.NewTerminalErrorsMetric("widgets").Inc()
	p.NewPanicsMetric("widgets").Inc()
	p.NewActiveWorkersMetric("widgets").Inc()
	p.NewReconcileTimeMetric("widgets").Observe(0.02)
	got := gather(t, reg)
	want := map[string]float64{
		`controller_runtime_reconcile_total{controller="widgets",result="error"}`:   1,
		`controller_runtime_reconcile_total{controller="widgets",result="success"}`: 1,
		`controller_runtime_reconcile_errors_total{controller="widgets"}`:           1,
		`controller_runtime_terminal_reconcile_errors_total{controller="widgets"}`:  1,
		`controller_runtime_reconcile_panics_total{controller="widgets"}`:           1,
		`controller_runtime_active_workers{controller="widgets"}`:                   1,
		`controller_runtime_reconcile_time_seconds_count{controller="widgets"}`:     1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gathered (-want +got):\n%s", diff)
	}
	if _, err := ctlprom.New(ctlprom.Options{Registerer: reg}); err == nil {
		t.Error("registering twice into one registry succeeded")
	}
	if _, err := ctlprom.New(ctlprom.Options{}); !errors.Is(err, ctlprom.ErrInvalidOptions) {
		t.Errorf("no registerer: %v", err)
	}
}

// A controller wired to the provider counts its reconciles.
func TestProviderWithController(t *testing.T) {
	reg := prom.NewRegistry()
	p, err := ctlprom.New(ctlprom.Options{Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	c, err := controller.New[string](controller.Func[string](func(context.Context, string) (controller.Result, error) {
		close(done)
		return controller.Result{}, nil
	}), controller.Options[string]{Name: "w", Metrics: p})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error)
	go func() { ran <- c.Run(ctx) }()
	c.Enqueue("x")
	<-done
	cancel()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if got := gather(t, reg)[`controller_runtime_reconcile_total{controller="w",result="success"}`]; got != 1 {
		t.Errorf("success count %v, want 1", got)
	}
}

// gather returns every sample of reg as "name{labels}" -> value (histograms as _count).
func gather(t *testing.T, reg *prom.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			labels := ""
			for i, l := range m.GetLabel() {
				if i > 0 {
					labels += ","
				}
				labels += fmt.Sprintf("%s=%q", l.GetName(), l.GetValue())
			}
			name := mf.GetName()
			var v float64
			switch {
			case m.Counter != nil:
				v = m.Counter.GetValue()
			case m.Gauge != nil:
				v = m.Gauge.GetValue()
			case m.Histogram != nil:
				name += "_count"
				v = float64(m.Histogram.GetSampleCount())
			}
			if v != 0 {
				out[name+"{"+labels+"}"] = v
			}
		}
	}
	return out
}
