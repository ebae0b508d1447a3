// Command orchestrator is cellkit's main example: a working orchestrator in one process. It starts
// a store (in memory by default, durable on disk with -store=disk, or etcd with -store=etcd), the
// registry that gives objects the API server's lifecycle, the scheduler, controller managers
// (replicaset, deployment, garbage collector, node lifecycle) under leader election, and N node
// agents with hollow container runtimes. Every part talks to the others only through the store.
//
// Run with no arguments, it plays a narrated scenario and prints the cluster after each step:
// create a Deployment of 6 replicas on 3 nodes, scale it to 10, roll out a new image within
// maxUnavailable, roll back, stop a node agent and watch its pods replaced elsewhere, restart it,
// delete the Deployment and watch the garbage collector clean up. It exits non-zero when a step
// does not converge within its bound or an invariant breaks.
//
//	go run ./examples/orchestrator
//
// With the disk backend the cluster survives restarts of the program:
//
//	go run ./examples/orchestrator -store=disk -data-dir=/tmp/cellkit -scenario=up   # creates it
//	go run ./examples/orchestrator -store=disk -data-dir=/tmp/cellkit -scenario=up   # resumes it
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/cellkit/cellkit/apimachinery/apis"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/examples/orchestrator/cluster"
	"github.com/cellkit/cellkit/examples/orchestrator/scenario"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/memory"
)

type config struct {
	nodes, managers int
	backend         string
	dataDir         string
	etcdEndpoints   string
	mode            string
	verbosity       int
	timeout         time.Duration
	k8sTimings      bool
}

func main() {
	var cfg config
	flag.IntVar(&cfg.nodes, "nodes", 3, "number of node agents")
	flag.IntVar(&cfg.managers, "managers", 2, "controller-manager replicas (one leads at a time)")
	flag.StringVar(&cfg.backend, "store", "memory", "store backend: memory, disk or etcd")
	flag.StringVar(&cfg.dataDir, "data-dir", "", "directory of the disk backend's database (required with -store=disk)")
	flag.StringVar(&cfg.etcdEndpoints, "etcd-endpoints", "", "comma-separated etcd endpoints (required with -store=etcd)")
	flag.StringVar(&cfg.mode, "scenario", "full", "full: the narrated scenario; up: bring the demo deployment up (or resume it) and exit; none: run until interrupted")
	flag.IntVar(&cfg.verbosity, "v", -1, "log verbosity of the components on stderr (-1: no logs)")
	flag.DurationVar(&cfg.timeout, "timeout", 5*time.Minute, "bound on the whole run")
	flag.BoolVar(&cfg.k8sTimings, "k8s-timings", false, "use Kubernetes' default timings (a lost node is noticed after 40 s, its pods evicted after 300 s) instead of the demo's")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "orchestrator:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, out, logs io.Writer) error {
	if cfg.mode != "full" && cfg.mode != "up" && cfg.mode != "none" {
		return fmt.Errorf("unknown -scenario %q (want full, up or none)", cfg.mode)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	log := logr.Discard()
	if cfg.verbosity >= 0 {
		log = funcr.New(func(prefix, args string) { fmt.Fprintln(logs, prefix, args) }, funcr.Options{Verbosity: cfg.verbosity})
	}
	scheme, err := apis.NewScheme()
	if err != nil {
		return err
	}
	backend, closeBackend, err := openBackend(cfg, scheme)
	if err != nil {
		return err
	}
	defer closeBackend()

	timings := cluster.DemoTimings()
	if cfg.k8sTimings {
		timings = cluster.Timings{}
	}
	c, err := cluster.New(cluster.Options{
		Backend: backend, Scheme: scheme, Nodes: cfg.nodes, ControllerManagers: cfg.managers,
		Timings: timings, Logger: log,
	})
	if err != nil {
		return err
	}
	t := c.Timings()
	fmt.Fprintf(out, "cellkit orchestrator: %s store, %d nodes, %d controller managers, scheduler\n", cfg.backend, cfg.nodes, cfg.managers)
	fmt.Fprintf(out, "timings: node lease %v, node grace period %v, pods tolerate a lost node for %ds, leader lease %v\n",
		t.NodeLeaseDuration, t.NodeMonitorGracePeriod, t.DefaultTolerationSeconds, t.LeaderLease)
	if err := c.Start(ctx); err != nil {
		return err
	}
	var runErr error
	switch cfg.mode {
	case "full":
		_, runErr = scenario.Run(ctx, c, scenario.Options{Out: out})
	case "up":
		_, runErr = scenario.Up(ctx, c, scenario.Options{Out: out})
	case "none":
		fmt.Fprintln(out, "running until interrupted")
		<-ctx.Done()
		if snap, err := c.Snapshot(context.Background(), ""); err == nil {
			_ = snap.Print(out)
		}
	}
	stopErr := c.Stop()
	if runErr != nil {
		return runErr
	}
	if stopErr != nil {
		return fmt.Errorf("components failed: %w", stopErr)
	}
	if cfg.mode != "none" {
		fmt.Fprintln(out, "\nall steps converged")
	}
	return nil
}

func openBackend(cfg config, scheme *runtime.Scheme) (store.Interface, func(), error) {
	resources, err := builtin.Resources(scheme)
	if err != nil {
		return nil, nil, err
	}
	switch cfg.backend {
	case "memory":
		m, err := memory.New(memory.Options{Resources: resources})
		if err != nil {
			return nil, nil, err
		}
		return m, func() {}, nil
	case "disk":
		if cfg.dataDir == "" {
			return nil, nil, errors.New("-store=disk needs -data-dir")
		}
		if err := os.MkdirAll(cfg.dataDir, 0o755); err != nil {
			return nil, nil, err
		}
		d, err := disk.Open(disk.Options{Path: filepath.Join(cfg.dataDir, "cellkit.db"), Resources: resources})
		if err != nil {
			return nil, nil, err
		}
		return d, func() { _ = d.Close(context.Background()) }, nil
	case "etcd":
		if cfg.etcdEndpoints == "" {
			return nil, nil, errors.New("-store=etcd needs -etcd-endpoints")
		}
		cli, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(cfg.etcdEndpoints, ","), DialTimeout: 5 * time.Second})
		if err != nil {
			return nil, nil, err
		}
		e, err := etcd.New(etcd.Options{Client: cli, Resources: resources})
		if err != nil {
			_ = cli.Close()
			return nil, nil, err
		}
		return e, func() { _ = cli.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unknown -store %q (want memory, disk or etcd)", cfg.backend)
}
