// Command quickstart is cellkit's main example: it runs the embedded in-memory store and does
// real work on it, the way a control plane would. It decodes Kubernetes manifests strictly,
// creates the objects, watches pods while it works, lists them by label and by node (a field
// index), applies a strategic merge patch as kubectl would send it, updates status with
// optimistic concurrency, deletes a pod, and prints every step and every watch event.
//
// Run it with:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/patch"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

// manifests are written the way users write them for Kubernetes.
const manifests = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  labels: {app: web, tier: frontend}
spec:
  nodeName: node-a
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80, name: http}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-2
  namespace: shop
  labels: {app: web, tier: frontend}
spec:
  nodeName: node-b
  containers:
  - name: nginx
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: db-1
  namespace: shop
  labels: {app: db, tier: backend}
spec:
  nodeName: node-a
  containers:
  - name: postgres
    image: postgres:17
`

var podsGR = schema.GroupResource{Resource: "pods"}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	// The vocabulary: every built-in kind, with strict decoding and Kubernetes' defaults.
	codecs, err := apis.NewCodecs(runtime.CodecOptions{Strict: true, Default: true})
	if err != nil {
		return err
	}
	resources, err := builtin.Resources(codecs.Scheme)
	if err != nil {
		return err
	}
	s, err := memory.New(memory.Options{Resources: resources})
	if err != nil {
		return err
	}
	pods := store.For[*corev1.Pod](s, podsGR)

	// Watch every pod from now on, before writing anything.
	w, err := pods.Watch(ctx, "", store.WatchOptions{})
	if err != nil {
		return fmt.Errorf("watch pods: %w", err)
	}
	defer w.Stop()

	step(out, "decode the manifests strictly and create the objects")
	objs, err := codecs.YAML.DecodeAll([]byte(manifests))
	if err != nil {
		return fmt.Errorf("decode manifests: %w", err)
	}
	for _, obj := range objs {
		mo, ok := obj.(runtime.MetaObject)
		if !ok {
			return fmt.Errorf("manifest holds %T, not a single object", obj)
		}
		gvk, err := codecs.Scheme.ObjectKind(obj)
		if err != nil {
			return err
		}
		info, err := codecs.Scheme.ResourceForKind(gvk)
		if err != nil {
			return err
		}
		created, err := s.Create(ctx, info.GroupVersionResource.GroupResource(), mo)
		if err != nil {
			return fmt.Errorf("create %s %s: %w", gvk.Kind, mo.GetObjectMeta().Name, err)
		}
		m := created.GetObjectMeta()
		fmt.Fprintf(out, "created %s %s at resourceVersion %s\n", gvk.Kind, key(m.Namespace, m.Name), m.ResourceVersion)
	}
	if err := expectEvents(ctx, out, w, 3); err != nil {
		return err
	}

	step(out, "list pods with label selector app=web")
	sel, err := labels.Parse("app=web")
	if err != nil {
		return err
	}
	l, err := pods.List(ctx, "shop", store.ListOptions{Labels: sel})
	if err != nil {
		return err
	}
	printPods(out, l.Items)

	step(out, "list pods on node-a (served by the spec.nodeName index)")
	l, err = pods.List(ctx, "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.nodeName", "node-a")})
	if err != nil {
		return err
	}
	printPods(out, l.Items)

	step(out, "strategic merge patch: new image for web-1's nginx container, keeping its ports")
	smp := []byte(`{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}`)
	patched, err := pods.GuaranteedUpdate(ctx, "shop", "web-1", func(cur *corev1.Pod) (*corev1.Pod, error) {
		before, err := codecs.JSON.Encode(cur)
		if err != nil {
			return nil, err
		}
		after, err := patch.StrategicMergePatch(before, smp, &corev1.Pod{})
		if err != nil {
			return nil, err
		}
		return runtime.Decode[*corev1.Pod](codecs.JSON, after)
	}, store.UpdateOptions{})
	if err != nil {
		return fmt.Errorf("patch web-1: %w", err)
	}
	c := patched.Spec.Containers[0]
	fmt.Fprintf(out, "web-1 now runs %s with %d port(s), resourceVersion %s\n", c.Image, len(c.Ports), patched.ResourceVersion)
	if err := expectEvents(ctx, out, w, 1); err != nil {
		return err
	}

	step(out, "status update with a stale resourceVersion is refused; a fresh one succeeds")
	stale := patched.DeepCopy()
	stale.ResourceVersion = "1"
	stale.Status.Phase = corev1.PodRunning
	if _, err := pods.Update(ctx, stale); err != nil {
		fmt.Fprintf(out, "stale update refused: %v\n", err)
	} else {
		return fmt.Errorf("a stale update was accepted")
	}
	fresh := patched.DeepCopy()
	fresh.Status.Phase = corev1.PodRunning
	updated, err := pods.Update(ctx, fresh)
	if err != nil {
		return fmt.Errorf("update status: %w", err)
	}
	fmt.Fprintf(out, "web-1 is %s at resourceVersion %s\n", updated.Status.Phase, updated.ResourceVersion)
	if err := expectEvents(ctx, out, w, 1); err != nil {
		return err
	}

	step(out, "delete db-1")
	deleted, err := pods.Delete(ctx, "shop", "db-1", store.DeleteOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "deleted %s at resourceVersion %s\n", deleted.Name, deleted.ResourceVersion)
	if err := expectEvents(ctx, out, w, 1); err != nil {
		return err
	}

	step(out, "the store now")
	l, err = pods.List(ctx, "", store.ListOptions{})
	if err != nil {
		return err
	}
	printPods(out, l.Items)
	st, err := s.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "store revision %d, %d pods, %d namespaces\n", st.Revision,
		st.Objects[podsGR], st.Objects[schema.GroupResource{Resource: "namespaces"}])
	return nil
}

// expectEvents prints the next n events of w, or fails when they do not come in time.
func expectEvents(ctx context.Context, out io.Writer, w watch.Interface[*corev1.Pod], n int) error {
	timeout := time.NewTimer(5 * time.Second)
	defer timeout.Stop()
	for i := 0; i < n; i++ {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				return fmt.Errorf("watch closed early")
			}
			if ev.Type == watch.Error {
				return fmt.Errorf("watch failed: %v", watch.EventError(ev))
			}
			fmt.Fprintf(out, "  watch: %-8s pod %s at resourceVersion %s\n", ev.Type,
				key(ev.Object.Namespace, ev.Object.Name), ev.Object.ResourceVersion)
		case <-timeout.C:
			return fmt.Errorf("waited 5s for a watch event that did not come")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func printPods(out io.Writer, items []*corev1.Pod) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAMESPACE\tNAME\tNODE\tIMAGE\tPHASE\tLABELS")
	for _, p := range items {
		images := make([]string, 0, len(p.Spec.Containers))
		for _, c := range p.Spec.Containers {
			images = append(images, c.Image)
		}
		phase := string(p.Status.Phase)
		if phase == "" {
			phase = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Namespace, p.Name, p.Spec.NodeName,
			strings.Join(images, ","), phase, labels.Set(p.Labels).String())
	}
	tw.Flush()
}

func step(out io.Writer, what string) { fmt.Fprintf(out, "\n== %s\n", what) }

func key(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
