// Package patch applies and creates the three patch formats of the Kubernetes API: JSON merge
// patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch, as kubectl sends them.
//
// A server decodes the stored object to JSON, applies the client's patch by its media type with
// Apply (or MergePatch, ApplyJSONPatch, StrategicMergePatch directly), then decodes and validates
// the result:
//
//	out, err := patch.Apply(patch.Type(contentType), current, body, &corev1.Pod{})
//	if errors.Is(err, patch.ErrTestFailed) { ... 422 ... }
//
// A client or controller computes a patch from two versions of an object with CreateMergePatch or
// CreateTwoWayMergePatch and sends it instead of a full update, so that fields it does not own
// survive.
//
// Strategic merge patch reads the Go struct tags of the target type with reflect: `json:"name"`
// for member names (inline and embedded structs included), `patchStrategy:"merge"` with
// `patchMergeKey:"name"` for lists merged by key, `patchStrategy:"merge"` alone for sets of
// primitives, and `patchStrategy:"retainKeys"` for union structs. The directives $patch,
// $retainKeys, $setElementOrder/<field> and $deleteFromPrimitiveList/<field> follow Kubernetes'
// implementation, including its element ordering (patch order first, server-only elements
// interleaved by their live position).
//
// Every function is pure: it never modifies its inputs, keeps no state and is safe for concurrent
// use. Numbers keep their exact text. Object members of results are sorted by name. Errors wrap
// ErrInvalidJSON, ErrInvalidPatch, ErrPathNotFound or ErrTestFailed, and a failed patch never
// returns a partial document.
package patch
