package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

// TestRun runs the example end to end: the controller creates the pages' ConfigMaps, deletes
// the removed page's, and reports status for each generation. Everything it started stops.
func TestRun(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: %v\noutput so far:\n%s", err, out.String())
	}
	want := `created website default/shop with pages [home about]
status: 2 pages, observedGeneration 1, Ready=True (2 pages served)
  configmap shop-about: page=about, controlled by shop
  configmap shop-home: page=home, controlled by shop
changed pages to [home contact] (generation 2)
status: 2 pages, observedGeneration 2, Ready=True (2 pages served)
  configmap shop-contact: page=contact, controlled by shop
  configmap shop-home: page=home, controlled by shop
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

// The README shows the whole program: it must hold the current sources verbatim.
func TestReadmeShowsTheProgram(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"website.go", "main.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), string(src)) {
			t.Errorf("README.md does not show the current %s", f)
		}
	}
}
