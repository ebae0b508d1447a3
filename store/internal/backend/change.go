package backend

import (
	"sync"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
)

// Change is one write as the watchers of a backend see it. Backends embed it in their history
// events and never modify it once published; its objects are the stored, immutable ones.
type Change struct {
	Rev     int64
	Type    watch.EventType    // Added, Modified or Deleted
	Obj     runtime.MetaObject // the new state; for Deleted the last state stamped with the delete's revision
	Prev    runtime.MetaObject // the state before; nil for Added
	Idx     []string           // values of the indexed fields of Obj, nil for Deleted
	PrevIdx []string           // values of the indexed fields of Prev, nil for Added

	prevOnce sync.Once
	prevAt   runtime.MetaObject
}

// PrevAtRev returns Prev stamped with the change's revision: the object of the Deleted event a
// watcher gets when the object leaves its selectors. Built once, shared by every watcher.
func (c *Change) PrevAtRev() runtime.MetaObject {
	c.prevOnce.Do(func() {
		o := c.Prev.DeepCopyObject().(runtime.MetaObject)
		o.GetObjectMeta().ResourceVersion = FormatRevision(c.Rev)
		c.prevAt = o
	})
	return c.prevAt
}

// Event returns the event a watcher with selector s gets for c, a change of an object of the
// selector's namespace (callers check the namespace): typed by the selector transition, so an
// object that starts to match is Added, one that stops matching is Deleted (with its last
// matching state at the change's revision), one that matches before and after keeps the
// change's type. ok is false when the object matches neither before nor after. With share the
// event carries the stored object itself (a watch with SharedObjects), else a deep copy.
func (s *Selector) Event(c *Change, share bool) (ev watch.Event[runtime.Object], ok bool) {
	switch c.Type {
	case watch.Added:
		if s.Matches(c.Obj) {
			return watch.Event[runtime.Object]{Type: watch.Added, Object: WatchObject(c.Obj, share)}, true
		}
	case watch.Modified:
		was, is := s.Matches(c.Prev), s.Matches(c.Obj)
		switch {
		case was && is:
			return watch.Event[runtime.Object]{Type: watch.Modified, Object: WatchObject(c.Obj, share)}, true
		case is:
			return watch.Event[runtime.Object]{Type: watch.Added, Object: WatchObject(c.Obj, share)}, true
		case was:
			return watch.Event[runtime.Object]{Type: watch.Deleted, Object: WatchObject(c.PrevAtRev(), share)}, true
		}
	case watch.Deleted:
		if s.Matches(c.Prev) {
			return watch.Event[runtime.Object]{Type: watch.Deleted, Object: WatchObject(c.Obj, share)}, true
		}
	}
	return watch.Event[runtime.Object]{}, false
}

// WatchObject returns what a watch hands out for the stored object o: o itself for a watch
// with SharedObjects (share), else a deep copy.
func WatchObject(o runtime.MetaObject, share bool) runtime.Object {
	if share {
		return o
	}
	return o.DeepCopyObject()
}
