// Command customcontroller shows a custom controller for a kind the user defines (Website,
// with TypeMeta, ObjectMeta, Spec and Status, registered in a scheme), running in a manager on
// the embedded in-memory store. For every page of a Website it creates a ConfigMap it
// controls, deletes the ConfigMaps of pages that were removed, records Events, and reports
// status (pages served, observedGeneration, a Ready condition).
//
// Run it with:
//
//	go run ./examples/customcontroller
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/controller/manager"
	"github.com/cellkit/cellkit/controller/record"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

var (
	websitesGR   = schema.GroupResource{Group: GroupVersion.Group, Resource: "websites"}
	configMapsGR = schema.GroupResource{Resource: "configmaps"}
)

const siteLabel = "example.cellkit.io/website"

// reconciler makes the ConfigMaps of a Website match its pages. It is level-based: it reads
// the Website and its ConfigMaps from the caches and acts on the difference, whatever event
// woke it up.
type reconciler struct {
	sites      store.Typed[*Website]
	configMaps store.Typed[*corev1.ConfigMap]
	siteCache  informer.Lister[*Website]
	cmCache    informer.Lister[*corev1.ConfigMap]
	cmInformer *informer.Informer[*corev1.ConfigMap]
	events     *record.Recorder
	kind       schema.GroupVersionKind

	mu        sync.Mutex
	lastWrite map[controller.Request]int64 // revision of our last ConfigMap write per site
}

// wrote remembers that the cache must reach rev before req is reconciled again.
func (r *reconciler) wrote(req controller.Request, obj runtime.MetaObject) {
	rev, _ := strconv.ParseInt(obj.GetObjectMeta().ResourceVersion, 10, 64)
	r.mu.Lock()
	r.lastWrite[req] = max(r.lastWrite[req], rev)
	r.mu.Unlock()
}

func (r *reconciler) Reconcile(ctx context.Context, req controller.Request) (controller.Result, error) {
	site, ok := r.siteCache.Namespace(req.Namespace).Get(req.Name)
	if !ok {
		return controller.Result{}, nil // deleted: the garbage collector removes owned ConfigMaps
	}
	if len(site.Spec.Pages) > 100 {
		r.events.Event(site, corev1.EventTypeWarning, "TooManyPages", "at most 100 pages")
		return controller.Result{}, controller.Terminal(fmt.Errorf("website %s has %d pages", req, len(site.Spec.Pages)))
	}
	// Read our own writes: a cache that has not seen the ConfigMaps we created or deleted
	// would make us create or keep them twice.
	r.mu.Lock()
	rev := r.lastWrite[req]
	r.mu.Unlock()
	if err := r.cmInformer.WaitForRevision(ctx, rev); err != nil {
		return controller.Result{}, err
	}
	sel := labels.SelectorFromSet(labels.Set{siteLabel: site.Name})
	owned := map[string]*corev1.ConfigMap{}
	for _, cm := range r.cmCache.Namespace(site.Namespace).List(sel) {
		if ref := meta.GetControllerOf(&cm.ObjectMeta); ref != nil && ref.UID == site.UID {
			owned[cm.Name] = cm
		}
	}
	for _, page := range site.Spec.Pages {
		name := site.Name + "-" + page
		if _, ok := owned[name]; ok {
			continue
		}
		cm := &corev1.ConfigMap{
			ObjectMeta: meta.ObjectMeta{Namespace: site.Namespace, Name: name, Labels: map[string]string{siteLabel: site.Name}},
			Data:       map[string]string{"title": site.Spec.Title, "page": page},
		}
		if err := controller.SetControllerRef(&cm.ObjectMeta, &site.ObjectMeta, r.kind); err != nil {
			return controller.Result{}, err
		}
		created, err := r.configMaps.Create(ctx, cm)
		if apierrors.IsAlreadyExists(err) {
			continue
		}
		if err != nil {
			return controller.Result{}, fmt.Errorf("create page %s: %w", name, err)
		}
		r.wrote(req, created)
		r.events.Eventf(site, corev1.EventTypeNormal, "PageCreated", "created page %s", page)
	}
	for name, cm := range owned {
		if slices.Contains(site.Spec.Pages, cm.Data["page"]) {
			continue
		}
		deleted, err := r.configMaps.Delete(ctx, cm.Namespace, name, store.DeleteOptions{})
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return controller.Result{}, fmt.Errorf("delete page %s: %w", name, err)
		}
		r.wrote(req, deleted)
		r.events.Eventf(site, corev1.EventTypeNormal, "PageDeleted", "deleted page %s", cm.Data["page"])
	}
	_, err := controller.UpdateStatus(ctx, r.sites, site.Namespace, site.Name, func(cur *Website) {
		cur.Status.Pages = int32(len(site.Spec.Pages))
		cur.Status.ObservedGeneration = site.Generation
		meta.SetStatusCondition(&cur.Status.Conditions, meta.Condition{
			Type: "Ready", Status: meta.ConditionTrue, Reason: "PagesServed",
			Message: fmt.Sprintf("%d pages served", len(site.Spec.Pages)), ObservedGeneration: site.Generation,
		}, time.Now())
	})
	return controller.Result{}, err
}

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "customcontroller:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The scheme knows the built-in kinds and ours; the store holds all of them.
	scheme, err := apis.NewScheme()
	if err != nil {
		return err
	}
	if err := AddToScheme(scheme); err != nil {
		return err
	}
	resources, err := builtin.Resources(scheme)
	if err != nil {
		return err
	}
	s, err := memory.New(memory.Options{Resources: append(resources, Resource())})
	if err != nil {
		return err
	}

	// The manager owns the informers; the controller is built from it.
	m, err := manager.New(manager.Options{Store: s, Scheme: scheme})
	if err != nil {
		return err
	}
	events, err := record.New(record.Options{Client: record.ForStore(s), Scheme: scheme, Component: "website-controller"})
	if err != nil {
		return err
	}
	siteInf, err := informer.Shared[*Website](m.Factory(), websitesGR, informer.Scope{})
	if err != nil {
		return err
	}
	cmInf, err := informer.Shared[*corev1.ConfigMap](m.Factory(), configMapsGR, informer.Scope{})
	if err != nil {
		return err
	}
	r := &reconciler{
		sites: store.For[*Website](s, websitesGR), configMaps: store.For[*corev1.ConfigMap](s, configMapsGR),
		siteCache: siteInf.Lister(), cmCache: cmInf.Lister(), cmInformer: cmInf, events: events,
		kind: GroupVersion.WithKind("Website"), lastWrite: map[controller.Request]int64{},
	}
	c, err := controller.NewBuilder(m.Factory(), m.Scheme()).
		Named("website").
		For(controller.Object[*Website](controller.GenerationChanged[*Website]())).
		Owns(controller.Object[*corev1.ConfigMap]()).
		WithOptions(controller.Options[controller.Request]{Workers: 2, Metrics: m.ControllerMetrics(), QueueMetrics: m.QueueMetrics()}).
		Build(r)
	if err != nil {
		return err
	}
	if err := errors.Join(m.Add(c), m.Add(manager.WithoutLeaderElection(events))); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	// A user creates a Website, then changes its pages.
	sites := store.For[*Website](s, websitesGR)
	site, err := sites.Create(ctx, &Website{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "shop"},
		Spec:       WebsiteSpec{Title: "The Shop", Pages: []string{"home", "about"}},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created website %s/%s with pages %v\n", site.Namespace, site.Name, site.Spec.Pages)
	if err := report(ctx, out, s, sites, site); err != nil {
		return err
	}
	site, err = sites.GuaranteedUpdate(ctx, "default", "shop", func(w *Website) (*Website, error) {
		w.Spec.Pages = []string{"home", "contact"}
		w.Generation++ // the spec changed: the writer bumps the generation
		return w, nil
	}, store.UpdateOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "changed pages to %v (generation %d)\n", site.Spec.Pages, site.Generation)
	if err := report(ctx, out, s, sites, site); err != nil {
		return err
	}
	cancel()
	return <-done
}

// report waits (through a watch, no polling) until the controller reports the website's
// generation as observed and ready, and prints its status and pages.
func report(ctx context.Context, out io.Writer, s store.Interface, sites store.Typed[*Website], want *Website) error {
	w, err := sites.Watch(ctx, want.Namespace, store.WatchOptions{Revision: rv(want)})
	if err != nil {
		return err
	}
	defer w.Stop()
	timeout := time.After(30 * time.Second)
	cur := want
	for cur.Status.ObservedGeneration != want.Generation || !meta.IsStatusConditionTrue(cur.Status.Conditions, "Ready") {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				return errors.New("watch ended")
			}
			if ev.Object.Name == want.Name {
				cur = ev.Object
			}
		case <-timeout:
			return errors.New("the controller did not report the website ready")
		}
	}
	fmt.Fprintf(out, "status: %d pages, observedGeneration %d, Ready=%s (%s)\n", cur.Status.Pages, cur.Status.ObservedGeneration,
		meta.FindStatusCondition(cur.Status.Conditions, "Ready").Status, meta.FindStatusCondition(cur.Status.Conditions, "Ready").Message)
	cms, err := store.For[*corev1.ConfigMap](s, configMapsGR).List(ctx, want.Namespace, store.ListOptions{})
	if err != nil {
		return err
	}
	for _, cm := range cms.Items {
		fmt.Fprintf(out, "  configmap %s: page=%s, controlled by %s\n", cm.Name, cm.Data["page"], meta.GetControllerOf(&cm.ObjectMeta).Name)
	}
	return nil
}

func rv(obj runtime.MetaObject) int64 {
	n, _ := strconv.ParseInt(obj.GetObjectMeta().ResourceVersion, 10, 64)
	return n
}
