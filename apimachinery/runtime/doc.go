// Package runtime is the object model of cellkit: the Object interfaces every API type satisfies,
// the Scheme that maps kinds to Go types and to resources, the JSON and YAML codecs, and
// Unstructured objects for kinds no Go type describes.
//
// # Scheme
//
// A Scheme is built once at start-up and then shared. API packages register their types with
// AddKnownTypes (the Go type name is the kind; a "<Kind>List" type is recorded as the list of
// <Kind>) and their resources with AddResource, which ties a kind to its plural, singular and
// short names, categories, scope, subresources and verbs. ResourceFor resolves the names kubectl
// accepts ("po", "pods", "pod", "Pod", "deployments.apps", "deployments.v1.apps") and
// ResourcesInCategory expands categories such as "all". New creates an
// object of a kind, ObjectKind tells the kind of an object from its Go type, and Default runs the
// defaulting functions registered per Go type. There is no package-level scheme: a program makes
// as many as it needs with NewScheme. Registration errors are returned, never panicked.
//
//	s := runtime.NewScheme()
//	if err := s.AddKnownTypes(gv, &Widget{}, &WidgetList{}); err != nil { ... }
//	if err := s.AddResource(runtime.ResourceInfo{GroupVersionResource: gv.WithResource("widgets"),
//		Kind: "Widget", ShortNames: []string{"wd"}, Namespaced: true}); err != nil { ... }
//
// # Codecs
//
// NewJSONCodec and NewYAMLCodec build a Codec over a scheme. Encode writes apiVersion and kind from
// the scheme when the object leaves them empty, without changing the object. Decode reads apiVersion
// and kind first, then decodes into a new object of the registered Go type, into *Unstructured for
// kinds the scheme does not know (or fails naming the kind, with TypedOnly), or into *List for
// "apiVersion: v1, kind: List" with each item decoded the same way. Field names match
// case-sensitively. With Strict, unknown and duplicate fields are reported with their JSON path
// (`unknown field "spec.template.spec.containers[0].imagePullPolicyy"`) in a *StrictDecodingError
// that comes together with the decoded object, so a server can choose to warn instead of fail.
// Duplicate keys in YAML are reported the same way, with their line (YAMLDuplicateFieldError).
// Every decode is limited in size (3 MiB by default). Streams of documents (YAML separated by
// "---", or concatenated JSON) are read with Codec.NewDecoder, built on YAMLReader and JSONReader.
// Decoding untrusted input never panics; the decoders are fuzzed.
//
// # Unstructured
//
// Unstructured keeps apiVersion and kind in a meta.TypeMeta and metadata in a real meta.ObjectMeta,
// and every other top-level field in Content as plain JSON values, so that it is a MetaObject like
// any typed object and generic code (stores, informers, selectors) needs no special case. The
// Nested helpers read and write paths inside Content. The price of a typed ObjectMeta is that
// metadata fields it does not know are dropped (a strict codec reports them); Kubernetes defines
// no others, so we prefer one metadata type everywhere over a map that every caller must parse.
// Kinds ending in "List" with an items array decode to UnstructuredList, whose items inherit the
// list's apiVersion and item kind when they carry none.
//
// # Concurrency and ownership
//
// Scheme methods are safe for concurrent use; register before sharing so that readers see a
// complete scheme. Codecs are immutable and safe for concurrent use, and never modify the objects
// they encode. Decoded objects belong to the caller. YAMLReader, JSONReader and Decoder are for one
// goroutine at a time.
package runtime
