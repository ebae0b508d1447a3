package disk

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/watch"
)

func TestHistoryRecordRoundTrip(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	cases := []struct {
		name string
		r    historyRecord
	}{
		{"added", historyRecord{Type: watch.Added, At: at, Bucket: "o//pods", NS: "default", Name: "web", Obj: []byte(`{"a":1}`)}},
		{"modified", historyRecord{Type: watch.Modified, At: at, PrevRev: 7, Bucket: "o/apps/deployments", NS: "ns", Name: "d", Obj: []byte(`{}`), Prev: []byte(`{"x":"y"}`)}},
		{"deleted cluster-scoped", historyRecord{Type: watch.Deleted, At: at, PrevRev: 1 << 40, Bucket: "o//nodes", Name: "n", Obj: []byte(`{"z":null}`)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeHistoryRecord(tc.r.encode())
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.r, got, cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

func TestDecodeHistoryRecordRejects(t *testing.T) {
	good := (&historyRecord{Type: watch.Modified, PrevRev: 3, Bucket: "o//pods", NS: "a", Name: "b", Obj: []byte("{}"), Prev: []byte("{}")}).encode()
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	cases := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"short", good[:5]},
		{"other version", mutate(func(b []byte) []byte { b[0] = 9; return b })},
		{"unknown type", mutate(func(b []byte) []byte { b[1] = 'X'; return b })},
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(append([]byte(nil), good...), 0)},
		{"added with previous state", (&historyRecord{Type: watch.Added, PrevRev: 2, Bucket: "o//p", Name: "n", Obj: []byte("{}")}).encode()},
		{"modified without previous state", (&historyRecord{Type: watch.Modified, PrevRev: 2, Bucket: "o//p", Name: "n", Obj: []byte("{}")}).encode()},
		{"deleted without previous revision", (&historyRecord{Type: watch.Deleted, Bucket: "o//p", Name: "n", Obj: []byte("{}")}).encode()},
		{"no name", (&historyRecord{Type: watch.Added, Bucket: "o//p", Obj: []byte("{}")}).encode()},
		{"no object", (&historyRecord{Type: watch.Added, Bucket: "o//p", Name: "n"}).encode()},
		{"huge length", append(good[:10:10], 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := decodeHistoryRecord(tc.b); !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v, want ErrCorrupt", err)
			}
		})
	}
}

func FuzzDecodeHistoryRecord(f *testing.F) {
	f.Add((&historyRecord{Type: watch.Added, Bucket: "o//pods", NS: "default", Name: "web", Obj: []byte(`{"a":1}`)}).encode())
	f.Add((&historyRecord{Type: watch.Modified, PrevRev: 7, Bucket: "o/apps/d", NS: "n", Name: "d", Obj: []byte(`{}`), Prev: []byte(`{}`)}).encode())
	f.Add((&historyRecord{Type: watch.Deleted, PrevRev: 9, Bucket: "o//nodes", Name: "n", Obj: []byte(`{}`)}).encode())
	f.Add([]byte{1, 'A'})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeHistoryRecord(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		// What decodes re-encodes to the same bytes but for the time, which is normalized.
		again, err := decodeHistoryRecord(r.encode())
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if d := cmp.Diff(r, again); d != "" {
			t.Fatalf("re-encoding changed the record (-first +second):\n%s", d)
		}
	})
}

func FuzzSplitObjectValue(f *testing.F) {
	f.Add(objectValue(5, []byte(`{"metadata":{}}`)))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '{'})
	f.Fuzz(func(t *testing.T, b []byte) {
		rev, js, err := splitObjectValue(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if rev < 1 || len(js) == 0 || string(objectValue(rev, js)) != string(b) {
			t.Fatalf("split(%x) = %d, %q: not a round trip", b, rev, js)
		}
	})
}
