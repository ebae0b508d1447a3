package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestRun runs the example end to end and checks what it reports at each step, in order.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: %v\noutput so far:\n%s", err, out.String())
	}
	want := []string{
		"created Namespace shop at resourceVersion 1",
		"created Pod shop/web-1 at resourceVersion 2",
		"created Pod shop/db-1 at resourceVersion 4",
		"watch: ADDED    pod shop/web-1 at resourceVersion 2",
		"watch: ADDED    pod shop/db-1 at resourceVersion 4",
		"== list pods with label selector app=web",
		"shop       web-2  node-b",
		"== list pods on node-a",
		"shop       db-1   node-a",
		"web-1 now runs nginx:1.28 with 1 port(s), resourceVersion 5",
		"watch: MODIFIED pod shop/web-1 at resourceVersion 5",
		"stale update refused: Operation cannot be fulfilled on pods \"web-1\"",
		"web-1 is Running at resourceVersion 6",
		"watch: DELETED  pod shop/db-1 at resourceVersion 7",
		"store revision 7, 2 pods, 1 namespaces",
	}
	got := out.String()
	pos := 0
	for _, w := range want {
		i := strings.Index(got[pos:], w)
		if i < 0 {
			t.Fatalf("output lacks %q after offset %d; whole output:\n%s", w, pos, got)
		}
		pos += i + len(w)
	}
	// The label-selected list must not show the backend pod.
	sel := got[strings.Index(got, "app=web\n"):strings.Index(got, "== list pods on node-a")]
	if strings.Contains(sel, "db-1") {
		t.Fatalf("label selector app=web listed db-1:\n%s", sel)
	}
}
