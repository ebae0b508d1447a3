package replicaset

import (
	"context"
	"testing"
)

// BenchmarkConverge1000 measures the time from the creation of a ReplicaSet of 1000 replicas
// to a status that counts 1000 pods in the controller's cache: two bursts of 500 creates in
// slow-start batches, the informer catching up, and the status write. The store is the
// memory store; the informers and the controller run in-process with 5 workers.
func BenchmarkConverge1000(b *testing.B) {
	const replicas = 1000
	for range b.N {
		b.StopTimer()
		e := newEnv(b, Options{})
		ctx, cancel := context.WithCancel(e.ctx)
		done := make(chan error, 1)
		go func() { done <- e.c.Run(ctx) }()
		b.StartTimer()
		e.createRS(newRS("web", replicas, webLabels))
		e.waitFor("1000 replicas in status", func() bool { return e.getRS("web").Status.Replicas == replicas })
		b.StopTimer()
		if n := len(e.listPods()); n != replicas {
			b.Fatalf("pods = %d, want %d", n, replicas)
		}
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		e.stop()
		b.StartTimer()
	}
}
