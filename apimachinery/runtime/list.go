package runtime

import (
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// ListGroupVersionKind returns the kind of the generic list of mixed objects, "v1, Kind=List",
// that kubectl reads and writes. Codecs decode it to *List whatever the scheme holds.
func ListGroupVersionKind() schema.GroupVersionKind { return listGVK }

var listGVK = schema.GroupVersionKind{Version: "v1", Kind: "List"}

// List is the generic list of objects of any kinds ("apiVersion: v1, kind: List"). Codecs decode
// each item by its own apiVersion and kind, and encode each item with its kind filled in.
// Marshalling a List with encoding/json writes the items as they are, without filling kinds.
type List struct {
	meta.TypeMeta `json:",inline"`
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the objects of the list, each of its own kind.
	Items []Object `json:"items"`
}

var _ ListObject = (*List)(nil)

func (*List) selfDescribing() {}

// DeepCopyObject returns a deep copy of l; every item is deep-copied with DeepCopyObject.
func (l *List) DeepCopyObject() Object {
	if l == nil {
		return nil
	}
	out := &List{TypeMeta: l.TypeMeta, ListMeta: l.ListMeta}
	if l.RemainingItemCount != nil {
		n := *l.RemainingItemCount
		out.RemainingItemCount = &n
	}
	if l.Items != nil {
		out.Items = make([]Object, len(l.Items))
		for i, item := range l.Items {
			if item != nil {
				out.Items[i] = item.DeepCopyObject()
			}
		}
	}
	return out
}
