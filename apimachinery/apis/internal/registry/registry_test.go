package registry

import (
	"errors"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

type Widget struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
}

func (w *Widget) DeepCopyObject() runtime.Object { c := *w; return &c }

type WidgetList struct {
	meta.TypeMeta `json:",inline"`
	meta.ListMeta `json:"metadata,omitempty"`
	Items         []Widget `json:"items"`
}

func (w *WidgetList) DeepCopyObject() runtime.Object { c := *w; return &c }

func TestRegister(t *testing.T) {
	gv := schema.GroupVersion{Group: "example.com", Version: "v1"}
	widgets := Resource{Plural: "widgets", Kind: "Widget", Singular: "widget", Namespaced: true, ShortNames: []string{"wd"}}
	kinds := []runtime.Object{&Widget{}, &WidgetList{}}

	tests := []struct {
		name    string
		first   []Resource
		second  []Resource
		wantErr error // nil: success; errNonNil: any error
	}{
		{name: "same twice is a no-op", first: []Resource{widgets}, second: []Resource{widgets}},
		{name: "different description fails", first: []Resource{widgets},
			second: []Resource{{Plural: "widgets", Kind: "Widget", Singular: "widget", Namespaced: true}}, wantErr: errNonNil},
		{name: "kind not registered fails", second: []Resource{{Plural: "gadgets", Kind: "Gadget", Singular: "gadget"}},
			wantErr: runtime.ErrNotRegistered},
		{name: "name clash fails", first: []Resource{widgets},
			second: []Resource{{Plural: "wd", Kind: "WidgetList", Singular: "widgetlist", NoList: true}}, wantErr: runtime.ErrInvalidRegistration},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := runtime.NewScheme()
			if err := Register(s, gv, kinds, tc.first); err != nil {
				t.Fatalf("first Register: %v", err)
			}
			err := Register(s, gv, kinds, tc.second)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("second Register: %v", err)
			case tc.wantErr == errNonNil && err == nil, tc.wantErr != nil && tc.wantErr != errNonNil && !errors.Is(err, tc.wantErr):
				t.Fatalf("second Register = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil {
				r, err := s.Resource(gv.WithResource("widgets"))
				if err != nil {
					t.Fatal(err)
				}
				if !Equal(r, widgets.Info(gv)) || r.ListKind != "WidgetList" || len(r.Verbs) != 8 {
					t.Fatalf("registered %+v", r)
				}
			}
		})
	}
	if err := Register(nil, gv, kinds, nil); err == nil {
		t.Fatal("Register(nil scheme) succeeded")
	}
}

var errNonNil = errors.New("any error")

func TestVerbsWithout(t *testing.T) {
	got := VerbsWithout("deletecollection", "watch")
	want := []string{"create", "delete", "get", "list", "patch", "update"}
	if len(got) != len(want) {
		t.Fatalf("VerbsWithout = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("VerbsWithout = %v, want %v", got, want)
		}
	}
	got[0] = "changed"
	if Verbs()[0] != "create" {
		t.Fatal("Verbs shares its slice between calls")
	}
}
