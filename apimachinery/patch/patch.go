package patch

import "fmt"

// Type is a patch format, named by the media type a client sends in Content-Type.
type Type string

// The patch formats Kubernetes clients send.
const (
	// JSONPatchType is RFC 6902 (kubectl patch --type=json, kubectl rollout undo).
	JSONPatchType Type = "application/json-patch+json"
	// MergePatchType is RFC 7386 (kubectl patch --type=merge, and custom resources).
	MergePatchType Type = "application/merge-patch+json"
	// StrategicMergePatchType is Kubernetes' strategic merge patch (kubectl apply, edit, patch).
	StrategicMergePatchType Type = "application/strategic-merge-patch+json"
)

// Apply applies a patch of type t to original. dataStruct names the Go type of the document
// and is used by StrategicMergePatchType only. An unknown type wraps ErrInvalidPatch.
func Apply(t Type, original, patch []byte, dataStruct any) ([]byte, error) {
	switch t {
	case JSONPatchType:
		return ApplyJSONPatch(original, patch)
	case MergePatchType:
		return MergePatch(original, patch)
	case StrategicMergePatchType:
		return StrategicMergePatch(original, patch, dataStruct)
	}
	return nil, fmt.Errorf("apply patch: %w: unsupported patch type %q", ErrInvalidPatch, t)
}
