package informer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/storetest"
)

// The tests of the initial list's staged cache: list builds the cache's state page by page in
// a cache of its own and adopts it at the end; the result must be exactly what inserting the
// items one by one (replace) gives, and the notifications exactly those replace sends.

// queued returns the notifications waiting in l, as "kind name rv[/old rv] flag" strings.
func queued(l *listener[*storetest.Widget]) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, n := range l.queue[l.head:] {
		s := fmt.Sprintf("%d %s %s", n.kind, n.obj.Name, n.obj.ResourceVersion)
		if n.kind == notifyUpdate {
			s += "/" + n.old.ResourceVersion
		}
		out = append(out, fmt.Sprintf("%s %t", s, n.flag))
	}
	return out
}

func stagedWidget(name, rv string, lbl map[string]string) *storetest.Widget {
	return &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns" + name[:1], Name: name, ResourceVersion: rv, Labels: lbl}}
}

// TestStagedListMatchesReplace lists random pages (with duplicate keys, labels and two
// custom indexes, label index on) into an empty informer, and inserts the same items with
// replace into another: caches, indexes and notifications must be equal.
func TestStagedListMatchesReplace(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 3))
		src := newPagedSource(0)
		n := rng.IntN(300)
		for i := range n {
			name := fmt.Sprintf("%c-%d", 'a'+rune(rng.IntN(3)), rng.IntN(n+1)) // keys repeat
			lbl := map[string]string{}
			for range rng.IntN(3) {
				lbl["k"+strconv.Itoa(rng.IntN(3))] = "v" + strconv.Itoa(rng.IntN(4))
			}
			rv := strconv.Itoa(i + 1)
			if rng.IntN(8) == 0 && i > 0 { // a duplicate that keeps the previous item's version
				rv = src.items[i-1].ResourceVersion
				name = src.items[i-1].Name
			}
			src.items = append(src.items, stagedWidget(name, rv, lbl))
		}
		opts := func() Options[*storetest.Widget] {
			return Options[*storetest.Widget]{
				PageSize:   int64(1 + rng.IntN(40)),
				LabelIndex: true,
				Indexers: map[string]IndexFunc[*storetest.Widget]{
					"k0": func(w *storetest.Widget) []string {
						if v, ok := w.Labels["k0"]; ok {
							return []string{v}
						}
						return nil
					},
					"first": func(w *storetest.Widget) []string { return []string{w.Name[:1], "all"} },
				},
			}
		}
		staged, err := New[*storetest.Widget](src, opts())
		if err != nil {
			t.Fatal(err)
		}
		sreg, _ := staged.AddHandler(HandlerFuncs[*storetest.Widget]{}, HandlerOptions{})
		if err := staged.list(context.Background()); err != nil {
			t.Fatalf("seed %d: list: %v", seed, err)
		}
		ref, err := New[*storetest.Widget](src, opts())
		if err != nil {
			t.Fatal(err)
		}
		rreg, _ := ref.AddHandler(HandlerFuncs[*storetest.Widget]{}, HandlerOptions{})
		var items []*storetest.Widget
		for _, w := range src.items {
			items = append(items, w.DeepCopy())
		}
		ref.replace(items, src.rev)

		sc, rc := staged.cache, ref.cache
		for _, c := range []struct {
			what     string
			got, ref any
		}{
			{"objects", sc.byNS, rc.byNS},
			{"count", sc.count, rc.count},
			{"indexes", sc.indices, rc.indices},
			{"label index", sc.labels, rc.labels},
		} {
			if !reflect.DeepEqual(c.got, c.ref) {
				t.Errorf("seed %d: staged %s differ from replace's:\n%s", seed, c.what, cmp.Diff(c.ref, c.got))
			}
		}
		if diff := cmp.Diff(queued(rreg.(*listener[*storetest.Widget])), queued(sreg.(*listener[*storetest.Widget]))); diff != "" {
			t.Errorf("seed %d: notifications (-replace +staged):\n%s", seed, diff)
		}
		if !staged.HasSynced() || staged.LastSyncRevision() != src.rev {
			t.Errorf("seed %d: staged informer synced %t at %d, want true at %d", seed, staged.HasSynced(), staged.LastSyncRevision(), src.rev)
		}
	}
}

// TestStagedListRestartForgetsStaged: when the continue token expires mid-list, what the first
// attempt staged is dropped: objects that were gone by the restart are neither cached nor
// notified.
func TestStagedListRestartForgetsStaged(t *testing.T) {
	src := newPagedSource(12)
	gone := src.names(0, 3)
	src.hook = func(_ context.Context, call int, _ store.ListOptions) error {
		switch call {
		case 3:
			return apierrors.NewResourceExpired("continue token too old")
		case 4: // the restart: the first three objects were deleted meanwhile
			src.items = src.items[3:]
			src.rev++
		}
		return nil
	}
	inf, _ := listAheadInformer(t, src, 3, nil)
	reg, _ := inf.AddHandler(HandlerFuncs[*storetest.Widget]{}, HandlerOptions{})
	if err := inf.list(context.Background()); err != nil {
		t.Fatalf("list: %v", err)
	}
	want := src.names(0, len(src.items))
	if diff := cmp.Diff(want, cachedNames(inf)); diff != "" {
		t.Errorf("cache (-want +got):\n%s", diff)
	}
	var wantN []string
	for _, w := range src.items {
		wantN = append(wantN, fmt.Sprintf("%d %s %s true", notifyAdd, w.Name, w.ResourceVersion))
	}
	if diff := cmp.Diff(wantN, queued(reg.(*listener[*storetest.Widget]))); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
	for _, name := range gone {
		if _, ok := inf.Lister().Namespace("ns").Get(name); ok {
			t.Errorf("%s, gone before the restart, is cached", name)
		}
	}
}

// TestRelistIsNotStaged: a list into a cache that holds objects (a relist) compares with it
// and notifies the differences, updates and deletes included.
func TestRelistIsNotStaged(t *testing.T) {
	src := newPagedSource(6)
	inf, _ := listAheadInformer(t, src, 4, nil)
	if err := inf.list(context.Background()); err != nil {
		t.Fatal(err)
	}
	reg, _ := inf.AddHandler(HandlerFuncs[*storetest.Widget]{}, HandlerOptions{})
	l := reg.(*listener[*storetest.Widget])
	l.take() // the initial adds of a late handler
	src.items = src.items[1:]
	src.items[0] = src.items[0].DeepCopy()
	src.items[0].ResourceVersion = "99"
	if err := inf.list(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		fmt.Sprintf("%d w-00001 99/2 false", notifyUpdate),
		fmt.Sprintf("%d w-00000 1 true", notifyDelete),
	}
	if diff := cmp.Diff(want, queued(l)); diff != "" {
		t.Errorf("relist notifications (-want +got):\n%s", diff)
	}
}
