package backend

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"reflect"
	"time"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// PrepareCreate checks the names and resourceVersion of an object about to be created in r and
// sets the fields a store owns: a new UID, the creation time now (at second precision, as it
// travels on the wire), generation 1 and no deletion state. Every backend's Create calls it.
func (r *Resource) PrepareCreate(op string, m *meta.ObjectMeta, now time.Time) error {
	if err := r.CheckNames(op, m, true); err != nil {
		return err
	}
	if m.ResourceVersion != "" {
		return apierrors.NewBadRequest(fmt.Sprintf("store: create %s %q: resourceVersion must not be set on create, got %q", r.GroupResource, m.Name, m.ResourceVersion))
	}
	m.UID = NewUID()
	m.CreationTimestamp = meta.NewTime(now.Truncate(time.Second))
	m.Generation = 1
	m.DeletionTimestamp = nil
	m.DeletionGracePeriodSeconds = nil
	return nil
}

// Generated names, as Kubernetes makes them: the generateName prefix, cut to leave room for
// the suffix within 63 bytes, and GenerateSuffixLen characters of SuffixAlphabet (no vowels,
// so no words; no characters easily confused).
const (
	GenerateSuffixLen  = 5
	MaxGeneratedPrefix = 63 - GenerateSuffixLen
	SuffixAlphabet     = "bcdfghjklmnpqrstvwxz2456789"
)

// GenerateName returns prefix (cut to MaxGeneratedPrefix bytes) followed by a random suffix.
// A backend tries a few names before it reports AlreadyExists.
func GenerateName(prefix string) string {
	if len(prefix) > MaxGeneratedPrefix {
		prefix = prefix[:MaxGeneratedPrefix]
	}
	var b [GenerateSuffixLen]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	out := make([]byte, 0, len(prefix)+GenerateSuffixLen)
	out = append(out, prefix...)
	for _, c := range b {
		out = append(out, SuffixAlphabet[int(c)%len(SuffixAlphabet)])
	}
	return string(out)
}

// NewUID returns a random (version 4) UUID.
func NewUID() meta.UID {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return meta.UID(out[:])
}

// CopyIn returns the backend's own copy of obj, checked for kind (see CheckKind). A nil or
// typed-nil obj is a BadRequest.
func (r *Resource) CopyIn(op string, obj runtime.MetaObject) (runtime.MetaObject, error) {
	if obj == nil || reflect.ValueOf(obj).IsNil() {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: nil object", op, r.GroupResource))
	}
	o, ok := obj.DeepCopyObject().(runtime.MetaObject)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: deep copy of %T is not an object with metadata", op, r.GroupResource, obj))
	}
	if err := r.CheckKind(op, o); err != nil {
		return nil, err
	}
	return o, nil
}

// Updated is one attempt of a GuaranteedUpdate of namespace/name in a backend called name:
// it runs fn on a copy of cur, the stored object, and checks the result. It returns fn's
// result and changed false when fn changed nothing (no write is due); else the backend's own
// copy of the new object, checked for kind and key, carrying cur's resourceVersion so the
// write fails with a conflict if cur is no longer current. fn's error is wrapped; a nil result
// or a changed key is a BadRequest.
func (r *Resource) Updated(backendName, op, namespace, name string, cur runtime.MetaObject, fn store.UpdateFunc) (next runtime.MetaObject, changed bool, err error) {
	gr := r.GroupResource
	next, err = fn(cur.DeepCopyObject().(runtime.MetaObject))
	if err != nil {
		return nil, false, fmt.Errorf("%s: %s %s %q: %w", backendName, op, gr, name, err)
	}
	if next == nil || reflect.ValueOf(next).IsNil() {
		return nil, false, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: update function returned nil", op, gr, name))
	}
	if reflect.DeepEqual(next, cur) {
		return next, false, nil
	}
	o, err := r.CopyIn(op, next)
	if err != nil {
		return nil, false, err
	}
	m := o.GetObjectMeta()
	if m.Namespace != namespace || m.Name != name {
		return nil, false, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: update function changed the object's key to %q/%q", op, gr, name, m.Namespace, m.Name))
	}
	m.ResourceVersion = cur.GetObjectMeta().ResourceVersion
	return o, true, nil
}

// UpdatedShared is Updated for a GuaranteedUpdate with shared objects (see
// store.SharedUpdater): fn gets cur itself, and the object it returns becomes the backend's
// own without a copy. It returns changed false when fn returned cur or an object equal to it.
// An object sharing cur's metadata (which the write would modify) is a BadRequest.
func (r *Resource) UpdatedShared(backendName, op, namespace, name string, cur runtime.MetaObject, fn store.UpdateFunc) (next runtime.MetaObject, changed bool, err error) {
	gr := r.GroupResource
	next, err = fn(cur)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %s %s %q: %w", backendName, op, gr, name, err)
	}
	if next == nil || reflect.ValueOf(next).IsNil() {
		return nil, false, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: update function returned nil", op, gr, name))
	}
	if next == cur || reflect.DeepEqual(next, cur) { // cheap on a shallow copy: shared parts compare by pointer
		return next, false, nil
	}
	if err := r.CheckKind(op, next); err != nil {
		return nil, false, err
	}
	m := next.GetObjectMeta()
	if m == cur.GetObjectMeta() {
		return nil, false, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: update function returned an object sharing the stored object's metadata", op, gr, name))
	}
	if m.Namespace != namespace || m.Name != name {
		return nil, false, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s %q: update function changed the object's key to %q/%q", op, gr, name, m.Namespace, m.Name))
	}
	m.ResourceVersion = cur.GetObjectMeta().ResourceVersion
	return next, true, nil
}

// PrepareUpdate checks an update of the stored object with metadata cur, written at curRev,
// to the object with metadata m: the preconditions pre, the resourceVersion m asked for (want,
// 0 for an unconditional update) and m's UID when set. It then carries the fields the store
// owns over from cur (UID, creation time, and generateName and generation when m has none).
// conflict is true for a stale resourceVersion only: the failure a GuaranteedUpdate retries.
func PrepareUpdate(op string, gr schema.GroupResource, m, cur *meta.ObjectMeta, curRev, want int64, pre *meta.Preconditions) (conflict bool, err error) {
	if err := CheckPreconditions(op, gr, cur, pre); err != nil {
		return false, err
	}
	if want != 0 && want != curRev {
		return true, apierrors.NewConflict(gr, m.Name, fmt.Errorf("store: %s: the object has been modified; please apply your changes to the latest version and try again (resourceVersion %d, current %d)", op, want, curRev))
	}
	if m.UID != "" && m.UID != cur.UID {
		return false, apierrors.NewConflict(gr, m.Name, fmt.Errorf("store: %s: UID %s does not match the stored object's %s", op, m.UID, cur.UID))
	}
	m.UID = cur.UID
	m.CreationTimestamp = cur.CreationTimestamp
	if m.GenerateName == "" {
		m.GenerateName = cur.GenerateName
	}
	if m.Generation == 0 {
		m.Generation = cur.Generation
	}
	return false, nil
}
