package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunUpOnEveryLocalBackend runs the binary's code path on the real clock with the demo
// timings: bring the demo deployment up on the memory store, and twice on the disk store, the
// second run resuming what the first left.
func TestRunUpOnEveryLocalBackend(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the orchestrator on the real clock; skipped with -short")
	}
	base := config{nodes: 3, managers: 2, mode: "up", verbosity: -1, timeout: 2 * time.Minute}
	ctx := context.Background()

	mem := base
	mem.backend = "memory"
	var out bytes.Buffer
	if err := run(ctx, mem, &out, io.Discard); err != nil {
		t.Fatalf("memory: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "creating deployment demo/web") || !strings.Contains(out.String(), "all steps converged") {
		t.Errorf("memory run did not create and converge:\n%s", out.String())
	}

	dsk := base
	dsk.backend, dsk.dataDir = "disk", filepath.Join(t.TempDir(), "data")
	for i, want := range []string{"creating deployment demo/web", "in the store: resuming"} {
		out.Reset()
		if err := run(ctx, dsk, &out, io.Discard); err != nil {
			t.Fatalf("disk run %d: %v\n%s", i+1, err, out.String())
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("disk run %d lacks %q:\n%s", i+1, want, out.String())
		}
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  config
		want string
	}{
		{"unknown store", config{backend: "floppy", mode: "full", timeout: time.Second}, `unknown -store "floppy"`},
		{"unknown scenario", config{backend: "memory", mode: "dance", timeout: time.Second}, `unknown -scenario "dance"`},
		{"disk without dir", config{backend: "disk", mode: "full", timeout: time.Second}, "-store=disk needs -data-dir"},
		{"etcd without endpoints", config{backend: "etcd", mode: "full", timeout: time.Second}, "-store=etcd needs -etcd-endpoints"},
		{"negative nodes", config{backend: "memory", mode: "full", nodes: -1, timeout: time.Second}, "negative count of nodes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), tc.cfg, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
