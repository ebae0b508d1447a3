package disk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
)

// The database layout. Every key and value is written by this file's functions.
//
//	meta                        "format" -> formatVersion, "rev" -> u64, "compacted" -> u64
//	history                     u64 revision (big endian) -> history record
//	o/<group>/<resource>        "<namespace>/<name>" -> u64 revision + object JSON
//
// Objects are stored as their JSON encoding (the Kubernetes wire form every built-in type
// already has, readable with standard tools), prefixed with the revision of their last write
// so the revision is known without decoding.
var (
	metaBucket    = []byte("meta")
	historyBucket = []byte("history")
	keyFormat     = []byte("format")
	keyRev        = []byte("rev")
	keyCompacted  = []byte("compacted")
)

// formatVersion names the layout; a database with another one is refused.
const formatVersion = "cellkit.disk/v1"

// recordVersion is the first byte of every history record.
const recordVersion = 1

func bucketName(gr schema.GroupResource) string { return "o/" + gr.Group + "/" + gr.Resource }

func u64(v int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(v))
	return b[:]
}

func readU64(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("%w: %d-byte integer, want 8", ErrCorrupt, len(b))
	}
	v := binary.BigEndian.Uint64(b)
	if v > 1<<62 {
		return 0, fmt.Errorf("%w: integer %d out of range", ErrCorrupt, v)
	}
	return int64(v), nil
}

// ErrCorrupt is wrapped by every error about database content this package did not write.
var ErrCorrupt = errors.New("corrupt database record")

// objectValue is the value of an object key: the revision, then the JSON.
func objectValue(rev int64, js []byte) []byte {
	out := make([]byte, 8, 8+len(js))
	binary.BigEndian.PutUint64(out, uint64(rev))
	return append(out, js...)
}

// splitObjectValue returns the revision and JSON of an object value.
func splitObjectValue(v []byte) (int64, []byte, error) {
	if len(v) < 9 {
		return 0, nil, fmt.Errorf("%w: object value of %d bytes", ErrCorrupt, len(v))
	}
	rev, err := readU64(v[:8])
	if err != nil {
		return 0, nil, err
	}
	if rev < 1 {
		return 0, nil, fmt.Errorf("%w: object revision %d", ErrCorrupt, rev)
	}
	return rev, v[8:], nil
}

// historyRecord is one change as stored in the history bucket.
type historyRecord struct {
	Type    watch.EventType // Added, Modified or Deleted
	At      time.Time       // when it was committed, for age-based compaction
	PrevRev int64           // revision of the previous state; 0 for Added
	Bucket  string          // bucketName of the resource
	NS      string
	Name    string
	Obj     []byte // JSON of the new state; for Deleted the last state with the delete's revision
	Prev    []byte // JSON of the previous state, for Modified only
}

var typeCodes = map[watch.EventType]byte{watch.Added: 'A', watch.Modified: 'M', watch.Deleted: 'D'}

func appendString(b []byte, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// encode returns the record's bytes.
func (r *historyRecord) encode() []byte {
	n := 2 + 8 + 10 + 5*binary.MaxVarintLen64 + len(r.Bucket) + len(r.NS) + len(r.Name) + len(r.Obj) + len(r.Prev)
	b := make([]byte, 0, n)
	b = append(b, recordVersion, typeCodes[r.Type])
	b = binary.BigEndian.AppendUint64(b, uint64(r.At.UnixNano()))
	b = binary.AppendUvarint(b, uint64(r.PrevRev))
	b = appendString(b, []byte(r.Bucket))
	b = appendString(b, []byte(r.NS))
	b = appendString(b, []byte(r.Name))
	b = appendString(b, r.Obj)
	b = appendString(b, r.Prev)
	return b
}

// decodeHistoryRecord parses a record written by encode. The byte slices of the result alias
// b. It fails, wrapping ErrCorrupt, on anything else.
func decodeHistoryRecord(b []byte) (historyRecord, error) {
	var r historyRecord
	if len(b) < 10 {
		return r, fmt.Errorf("%w: history record of %d bytes", ErrCorrupt, len(b))
	}
	if b[0] != recordVersion {
		return r, fmt.Errorf("%w: history record version %d", ErrCorrupt, b[0])
	}
	switch b[1] {
	case 'A':
		r.Type = watch.Added
	case 'M':
		r.Type = watch.Modified
	case 'D':
		r.Type = watch.Deleted
	default:
		return r, fmt.Errorf("%w: history record type %q", ErrCorrupt, b[1])
	}
	r.At = time.Unix(0, int64(binary.BigEndian.Uint64(b[2:10]))).UTC()
	b = b[10:]
	prev, n := binary.Uvarint(b)
	if n <= 0 || prev > 1<<62 {
		return r, fmt.Errorf("%w: history record previous revision", ErrCorrupt)
	}
	r.PrevRev = int64(prev)
	b = b[n:]
	fields := []*[]byte{new([]byte), new([]byte), new([]byte), &r.Obj, &r.Prev}
	for i, f := range fields {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return r, fmt.Errorf("%w: history record field %d", ErrCorrupt, i)
		}
		*f = b[n : n+int(l)]
		b = b[n+int(l):]
	}
	if len(b) != 0 {
		return r, fmt.Errorf("%w: %d trailing bytes in history record", ErrCorrupt, len(b))
	}
	r.Bucket, r.NS, r.Name = string(*fields[0]), string(*fields[1]), string(*fields[2])
	switch {
	case r.Bucket == "" || r.Name == "":
		return r, fmt.Errorf("%w: history record without resource or name", ErrCorrupt)
	case len(r.Obj) == 0:
		return r, fmt.Errorf("%w: history record without object", ErrCorrupt)
	case r.Type == watch.Added && (r.PrevRev != 0 || len(r.Prev) != 0):
		return r, fmt.Errorf("%w: added record with a previous state", ErrCorrupt)
	case r.Type == watch.Modified && (r.PrevRev == 0 || len(r.Prev) == 0):
		return r, fmt.Errorf("%w: modified record without a previous state", ErrCorrupt)
	case r.Type == watch.Deleted && (r.PrevRev == 0 || len(r.Prev) != 0):
		return r, fmt.Errorf("%w: deleted record with a bad previous state", ErrCorrupt)
	}
	return r, nil
}
