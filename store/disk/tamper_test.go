package disk_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/storetest"
)

func be(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// TestOpenRefusesInconsistentDatabases damages a database in ways a crash cannot (every batch
// is one transaction) but a bug or a bad disk could, and checks that Open refuses it with
// ErrCorrupt instead of serving a half-applied state.
func TestOpenRefusesInconsistentDatabases(t *testing.T) {
	objects := []byte("o/" + storetest.Group + "/widgets")
	cases := []struct {
		name   string
		damage func(tx *bolt.Tx) error
	}{
		{"history gap", func(tx *bolt.Tx) error { return tx.Bucket([]byte("history")).Delete(be(3)) }},
		{"history shorter than the revision", func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("rev"), be(9)) }},
		{"revision behind an object", func(tx *bolt.Tx) error {
			if err := tx.Bucket([]byte("history")).Delete(be(6)); err != nil {
				return err
			}
			return tx.Bucket([]byte("meta")).Put([]byte("rev"), be(5))
		}},
		{"object without its history record", func(tx *bolt.Tx) error {
			return tx.Bucket(objects).Put([]byte("ns/ghost"), append(be(4), `{"apiVersion":"storetest.cellkit.io/v1","kind":"Widget","metadata":{"name":"ghost","namespace":"ns","resourceVersion":"4"}}`...))
		}},
		{"deleted object still stored", func(tx *bolt.Tx) error {
			return tx.Bucket(objects).Put([]byte("ns/w1"), append(be(2), `{"apiVersion":"storetest.cellkit.io/v1","kind":"Widget","metadata":{"name":"w1","namespace":"ns","resourceVersion":"2"}}`...))
		}},
		{"object JSON", func(tx *bolt.Tx) error {
			return tx.Bucket(objects).Put([]byte("ns/w0"), append(be(5), `{"metadata":`...))
		}},
		{"object under another key", func(tx *bolt.Tx) error {
			v := append([]byte(nil), tx.Bucket(objects).Get([]byte("ns/w0"))...)
			if err := tx.Bucket(objects).Delete([]byte("ns/w0")); err != nil {
				return err
			}
			return tx.Bucket(objects).Put([]byte("ns/w9"), v)
		}},
		{"history record bytes", func(tx *bolt.Tx) error { return tx.Bucket([]byte("history")).Put(be(2), []byte{1, 'A', 0}) }},
		{"compaction point above the revision", func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("compacted"), be(99)) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "s.db")
			s := open(t, path, nil, nil)
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			// revisions: 1 create w0, 2 create w1, 3 create w2, 4 delete w1, 5 update w0, 6 create w3
			for i := 0; i < 3; i++ {
				if _, err := ws.Create(ctx, widget("ns", fmt.Sprintf("w%d", i), "")); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := ws.Delete(ctx, "ns", "w1", store.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
			w0, _ := ws.Get(ctx, "ns", "w0", store.GetOptions{})
			w0.Status.Phase = "x"
			if _, err := ws.Update(ctx, w0); err != nil {
				t.Fatal(err)
			}
			if _, err := ws.Create(ctx, widget("ns", "w3", "")); err != nil {
				t.Fatal(err)
			}
			closeStore(t, s)
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(tc.damage); err != nil {
				t.Fatal(err)
			}
			_ = db.Close()
			s2, err := disk.Open(disk.Options{Path: path, Resources: storetest.Resources()})
			if err == nil {
				closeStore(t, s2)
				t.Fatal("open of a damaged database succeeded")
			}
			if !errors.Is(err, disk.ErrCorrupt) {
				t.Errorf("error %v, want ErrCorrupt", err)
			}
		})
	}
}
