package field

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPathString(t *testing.T) {
	tests := []struct {
		name string
		path *Path
		want string
	}{
		{"nil", nil, ""},
		{"root", NewPath("spec"), "spec"},
		{"more names", NewPath("metadata", "labels"), "metadata.labels"},
		{"child index child", NewPath("spec").Child("containers").Index(0).Child("image"), "spec.containers[0].image"},
		{"key", NewPath("metadata", "labels").Key("app"), "metadata.labels[app]"},
		{"key then child", NewPath("spec").Child("containers").Index(0).Key("x"), "spec.containers[0][x]"},
		{"index on root", NewPath("items").Index(12).Index(3), "items[12][3]"},
		{"child with more", NewPath("spec").Child("template", "spec"), "spec.template.spec"},
		{"key with dots", NewPath("metadata", "annotations").Key("example.com/a"), "metadata.annotations[example.com/a]"},
		{"child of nil", (*Path)(nil).Child("x"), "x"},
		{"negative index", NewPath("a").Index(-1), "a[-1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.path.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPathSharesParent(t *testing.T) {
	base := NewPath("spec").Child("containers")
	a := base.Index(0).Child("name")
	b := base.Index(1).Child("image")
	if got, want := a.String(), "spec.containers[0].name"; got != want {
		t.Errorf("a = %q, want %q", got, want)
	}
	if got, want := b.String(), "spec.containers[1].image"; got != want {
		t.Errorf("b = %q, want %q", got, want)
	}
	if got, want := base.String(), "spec.containers"; got != want {
		t.Errorf("base changed: %q, want %q", got, want)
	}
	if got, want := b.Root().String(), "spec"; got != want {
		t.Errorf("Root() = %q, want %q", got, want)
	}
	if (*Path)(nil).Root() != nil {
		t.Errorf("nil Root() not nil")
	}
}

type stringer struct{ v int }

func (s stringer) String() string { return fmt.Sprintf("S(%d)", s.v) }

type ptrStringer struct{ v int }

func (s *ptrStringer) String() string { return fmt.Sprintf("P(%d)", s.v) }

type plain struct{ A int }

type phase string

func TestErrorMessages(t *testing.T) {
	p := NewPath("spec").Child("containers").Index(0).Child("image")
	name := NewPath("metadata", "name")
	five := int64(5)
	var nilInt *int64
	tests := []struct {
		name     string
		err      *Error
		wantType ErrorType
		want     string
	}{
		{"required", Required(p, ""), ErrorTypeRequired, "spec.containers[0].image: Required value"},
		{"required detail", Required(p, "must be set"), ErrorTypeRequired, "spec.containers[0].image: Required value: must be set"},
		{"invalid string", Invalid(name, "Foo", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters"), ErrorTypeInvalid,
			`metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters`},
		{"invalid int", Invalid(NewPath("spec", "replicas"), int32(-1), "must be greater than or equal to 0"), ErrorTypeInvalid,
			"spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
		{"invalid plain int", Invalid(NewPath("port"), 70000, "bad"), ErrorTypeInvalid, "port: Invalid value: 70000: bad"},
		{"invalid bool", Invalid(NewPath("x"), true, ""), ErrorTypeInvalid, "x: Invalid value: true"},
		{"invalid float", Invalid(NewPath("x"), 1.5, ""), ErrorTypeInvalid, "x: Invalid value: 1.5"},
		{"invalid nil", Invalid(NewPath("x"), nil, "d"), ErrorTypeInvalid, "x: Invalid value: null: d"},
		{"invalid nil pointer", Invalid(NewPath("x"), nilInt, "d"), ErrorTypeInvalid, "x: Invalid value: null: d"},
		{"invalid pointer", Invalid(NewPath("x"), &five, "d"), ErrorTypeInvalid, "x: Invalid value: 5: d"},
		{"invalid stringer", Invalid(NewPath("x"), stringer{3}, ""), ErrorTypeInvalid, "x: Invalid value: S(3)"},
		{"invalid pointer stringer value", Invalid(NewPath("x"), ptrStringer{4}, ""), ErrorTypeInvalid, "x: Invalid value: P(4)"},
		{"invalid pointer stringer", Invalid(NewPath("x"), &ptrStringer{6}, ""), ErrorTypeInvalid, "x: Invalid value: P(6)"},
		{"invalid struct", Invalid(NewPath("x"), plain{A: 1}, ""), ErrorTypeInvalid, "x: Invalid value: field.plain{A:1}"},
		{"invalid named string", Invalid(NewPath("x"), phase("Up"), ""), ErrorTypeInvalid, `x: Invalid value: "Up"`},
		{"invalid omitted", Invalid(NewPath("x"), OmitValue, "secret"), ErrorTypeInvalid, "x: Invalid value: secret"},
		{"not found", NotFound(NewPath("spec", "volumeName"), "vol"), ErrorTypeNotFound, `spec.volumeName: Not found: "vol"`},
		{"duplicate", Duplicate(NewPath("spec", "containers").Index(1).Child("name"), "web"), ErrorTypeDuplicate,
			`spec.containers[1].name: Duplicate value: "web"`},
		{"not supported", NotSupported(NewPath("spec", "restartPolicy"), "Sometimes", []string{"Always", "OnFailure", "Never"}), ErrorTypeNotSupported,
			`spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`},
		{"not supported no list", NotSupported(NewPath("x"), "y", nil), ErrorTypeNotSupported, `x: Unsupported value: "y"`},
		{"forbidden", Forbidden(NewPath("spec", "selector"), "field is immutable"), ErrorTypeForbidden, "spec.selector: Forbidden: field is immutable"},
		{"too long", TooLong(NewPath("metadata", "annotations"), "xxxx", 262144), ErrorTypeTooLong,
			"metadata.annotations: Too long: must have at most 262144 bytes"},
		{"too long no limit", TooLong(NewPath("x"), "xxxx", -1), ErrorTypeTooLong, "x: Too long: value is too long"},
		{"too many", TooMany(NewPath("spec", "containers"), 12, 10), ErrorTypeTooMany, "spec.containers: Too many: 12: must have at most 10 items"},
		{"too many no counts", TooMany(NewPath("spec", "containers"), -1, -1), ErrorTypeTooMany, "spec.containers: Too many: has too many items"},
		{"internal", InternalError(NewPath("spec"), errors.New("boom")), ErrorTypeInternal, "spec: Internal error: boom"},
		{"internal nil", InternalError(NewPath("spec"), nil), ErrorTypeInternal, "spec: Internal error: unknown error"},
		{"type invalid", TypeInvalid(NewPath("spec", "replicas"), "three", "must be an integer"), ErrorTypeTypeInvalid,
			`spec.replicas: Invalid value: "three": must be an integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.Type != tt.wantType {
				t.Errorf("Type = %q, want %q", tt.err.Type, tt.wantType)
			}
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() =\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}

func TestErrorTypeWireStrings(t *testing.T) {
	got := map[ErrorType]string{}
	for _, et := range []ErrorType{ErrorTypeNotFound, ErrorTypeRequired, ErrorTypeDuplicate, ErrorTypeInvalid,
		ErrorTypeNotSupported, ErrorTypeForbidden, ErrorTypeTooLong, ErrorTypeTooMany, ErrorTypeInternal, ErrorTypeTypeInvalid} {
		got[et] = et.String()
	}
	want := map[ErrorType]string{
		"FieldValueNotFound":     "Not found",
		"FieldValueRequired":     "Required value",
		"FieldValueDuplicate":    "Duplicate value",
		"FieldValueInvalid":      "Invalid value",
		"FieldValueNotSupported": "Unsupported value",
		"FieldValueForbidden":    "Forbidden",
		"FieldValueTooLong":      "Too long",
		"FieldValueTooMany":      "Too many",
		"InternalError":          "Internal error",
		"FieldValueTypeInvalid":  "Invalid value",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("wire strings (-want +got):\n%s", diff)
	}
	if got := ErrorType("Custom").String(); got != "Custom" {
		t.Errorf("unknown type String() = %q", got)
	}
}

func TestToAggregate(t *testing.T) {
	if err := ErrorList(nil).ToAggregate(); err != nil {
		t.Fatalf("nil list aggregate = %v, want nil", err)
	}
	if err := (ErrorList{nil}).ToAggregate(); err != nil {
		t.Fatalf("list of nil aggregate = %v, want nil", err)
	}
	one := ErrorList{Required(NewPath("a"), "")}
	if got, want := one.ToAggregate().Error(), "a: Required value"; got != want {
		t.Errorf("one = %q, want %q", got, want)
	}
	list := ErrorList{
		Required(NewPath("a"), ""),
		Invalid(NewPath("b"), "x", "bad"),
		Required(NewPath("a"), ""), // duplicate message, reported once
	}
	agg := list.ToAggregate()
	if got, want := agg.Error(), `[a: Required value, b: Invalid value: "x": bad]`; got != want {
		t.Errorf("aggregate = %q, want %q", got, want)
	}
	var a *Aggregate
	if !errors.As(agg, &a) || len(a.Errors()) != 2 {
		t.Fatalf("errors.As(*Aggregate) failed or wrong count: %v", a)
	}
	wrapped := fmt.Errorf("create pod: %w", agg)
	var fe *Error
	if !errors.As(wrapped, &fe) || fe.Field != "a" {
		t.Errorf("errors.As(*Error) = %v", fe)
	}
	if !errors.Is(wrapped, &Error{Type: ErrorTypeInvalid}) {
		t.Errorf("errors.Is(Invalid) = false, want true")
	}
	if !errors.Is(wrapped, &Error{Type: ErrorTypeInvalid, Field: "b"}) {
		t.Errorf("errors.Is(Invalid at b) = false, want true")
	}
	if errors.Is(wrapped, &Error{Type: ErrorTypeInvalid, Field: "a"}) {
		t.Errorf("errors.Is(Invalid at a) = true, want false")
	}
	if errors.Is(wrapped, &Error{Type: ErrorTypeForbidden}) {
		t.Errorf("errors.Is(Forbidden) = true, want false")
	}
	if errors.Is(wrapped, (*Error)(nil)) {
		t.Errorf("errors.Is(nil *Error) = true, want false")
	}
}

func TestFilter(t *testing.T) {
	list := ErrorList{
		Required(NewPath("a"), ""),
		Invalid(NewPath("b"), "x", "bad"),
		Forbidden(NewPath("c"), "no"),
		Invalid(NewPath("b"), "x", "bad"),
		nil,
	}
	got := list.Filter(NewErrorTypeMatcher(ErrorTypeRequired))
	want := []string{`b: Invalid value: "x": bad`, "c: Forbidden: no"}
	if diff := cmp.Diff(want, messages(got)); diff != "" {
		t.Errorf("Filter(Required) (-want +got):\n%s", diff)
	}
	got = list.Filter(NewErrorTypeMatcher(ErrorTypeRequired), NewErrorTypeMatcher(ErrorTypeInvalid), NewErrorTypeMatcher(ErrorTypeForbidden))
	if got != nil {
		t.Errorf("Filter(all) = %v, want nil", got)
	}
	got = list.Filter()
	if diff := cmp.Diff([]string{"a: Required value", `b: Invalid value: "x": bad`, "c: Forbidden: no"}, messages(got)); diff != "" {
		t.Errorf("Filter() (-want +got):\n%s", diff)
	}
	if m := NewErrorTypeMatcher(ErrorTypeRequired); m(errors.New("a: Required value")) {
		t.Errorf("matcher selected a non-*Error")
	}
}

func messages(l ErrorList) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.Error())
	}
	return out
}
