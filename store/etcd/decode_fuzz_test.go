package etcd

import (
	"reflect"
	"testing"

	"github.com/cellkit/cellkit/store/internal/backend"
	"github.com/cellkit/cellkit/store/storetest"
)

// fuzzTables returns the tables of the suite's resources under the default prefix.
func fuzzTables(f *testing.F) []*table {
	res, err := backend.NewResources(storetest.Resources())
	if err != nil {
		f.Fatal(err)
	}
	return []*table{
		{res: res[storetest.Widgets], base: "/registry/storetest.cellkit.io/widgets/"},
		{res: res[storetest.Gizmos], base: "/registry/storetest.cellkit.io/gizmos/"},
	}
}

// FuzzDecode feeds arbitrary keys and values to the decoder of stored values: it must never
// panic, and whatever it accepts must be an object of the resource's kind stored under its own
// key, which encodes and decodes back to itself.
func FuzzDecode(f *testing.F) {
	f.Add("/registry/storetest.cellkit.io/widgets/ns1/a", []byte(`{"apiVersion":"storetest.cellkit.io/v1","kind":"Widget","metadata":{"namespace":"ns1","name":"a","uid":"u"},"spec":{"node":"n1","size":3}}`), int64(5))
	f.Add("/registry/storetest.cellkit.io/gizmos/g", []byte(`{"apiVersion":"storetest.cellkit.io/v1","kind":"Gizmo","metadata":{"name":"g"}}`), int64(1))
	f.Add("/registry/storetest.cellkit.io/widgets/ns1/a/b", []byte(`{}`), int64(1))
	f.Add("/registry/storetest.cellkit.io/widgets/ns1/", []byte(`null`), int64(1))
	f.Add("/other", []byte(`{"kind":`), int64(-1))
	tables := fuzzTables(f)
	f.Fuzz(func(t *testing.T, key string, value []byte, rev int64) {
		for _, tb := range tables {
			o, err := tb.decode(key, value, rev)
			if err != nil {
				continue
			}
			ns, name, ok := tb.splitKey(key)
			m := o.GetObjectMeta()
			if !ok || m.Namespace != ns || m.Name != name {
				t.Fatalf("decoded %q/%q from key %q (split %q/%q %v)", m.Namespace, m.Name, key, ns, name, ok)
			}
			if got := o.GetObjectKind().GroupVersionKind(); got != tb.res.Kind {
				t.Fatalf("decoded kind %v, want %v", got, tb.res.Kind)
			}
			if tb.key(ns, name) != key {
				t.Fatalf("key(%q, %q) = %q, want %q", ns, name, tb.key(ns, name), key)
			}
			data, err := encode(o)
			if err != nil {
				t.Fatalf("encode of a decoded object: %v", err)
			}
			back, err := tb.decode(key, data, rev)
			if err != nil {
				t.Fatalf("decode of an encoded object: %v", err)
			}
			if !reflect.DeepEqual(o, back) {
				t.Fatalf("round trip changed the object:\n%#v\n%#v", o, back)
			}
			if tk := tb.tokenKey(key); tk != "" {
				if k, ok := tb.etcdKey(tk); !ok || k != key {
					t.Fatalf("token key %q of %q maps back to %q, %v", tk, key, k, ok)
				}
			}
		}
	})
}
