package cache

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// FuzzContinueToken lists through the cache with arbitrary continue tokens (and limits) and
// checks that the cache answers exactly as the backend does: the same items, or an error of
// the same kind (BadRequest for a token it did not make, Expired for a compacted one), never
// a panic. Tokens within the cache's window are decoded and served by the cache; the others
// go to the backend, so both paths are compared with the backend's own answer.
func FuzzContinueToken(f *testing.F) {
	ctx := context.Background()
	mem, err := memory.New(memory.Options{Resources: storetest.Resources(), Clock: clock.NewFake(storetest.Epoch)})
	if err != nil {
		f.Fatal(err)
	}
	c, err := New(mem, Options{Resources: storetest.Resources(), Eager: true, HistorySize: 6, Clock: clock.NewFake(storetest.Epoch)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(c.Close)
	ws := store.For[*storetest.Widget](c, storetest.Widgets)
	for i := 0; i < 12; i++ {
		if _, err := ws.Create(ctx, widget(fmt.Sprintf("ns%d", i%2), fmt.Sprintf("w%02d", i), "")); err != nil {
			f.Fatal(err)
		}
	}
	if err := mem.Compact(ctx, 3); err != nil {
		f.Fatal(err)
	}
	first, err := ws.List(ctx, "", store.ListOptions{Limit: 3})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(first.Continue, int64(3), "")
	f.Add(first.Continue, int64(0), "ns1")
	f.Add("", int64(2), "")
	f.Add("not a token", int64(1), "")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"v":"cellkit/continue.v1","rv":2,"start":"ns0/w00"}`)), int64(2), "")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"v":"cellkit/continue.v1","rv":10,"start":"ns1/w03"}`)), int64(2), "ns1")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"v":"cellkit/continue.v1","rv":99,"start":"ns0/w00"}`)), int64(2), "")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"v":"cellkit/continue.v1","rv":12,"start":"/x"}`)), int64(-1), "")
	f.Fuzz(func(t *testing.T, token string, limit int64, ns string) {
		opts := store.ListOptions{Continue: token, Limit: limit}
		want, werr := mem.List(ctx, storetest.Widgets, ns, opts)
		got, gerr := c.List(ctx, storetest.Widgets, ns, opts)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("backend: %v; cache: %v", werr, gerr)
		}
		if werr != nil {
			for _, is := range []func(error) bool{apierrors.IsBadRequest, apierrors.IsResourceExpired, apierrors.IsTooLargeResourceVersion} {
				if is(werr) != is(gerr) {
					t.Fatalf("errors of different kinds: backend %v; cache %v", werr, gerr)
				}
			}
			return
		}
		// Continue tokens may differ only in how they are made; both must be readable by both.
		want.Continue, got.Continue = "", ""
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("list (-backend +cache):\n%s", d)
		}
	})
}
