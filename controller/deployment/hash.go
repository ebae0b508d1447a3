package deployment

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// hashAlphabet holds the characters of a template hash: digits and consonants only, so a
// hash never spells a word and is always a valid label value and name suffix.
const hashAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// TemplateHash returns the pod-template-hash of a Deployment's pod template: the 32-bit FNV-1a
// hash of the template's JSON encoding, followed, when collisionCount is set, by the count as
// four little-endian bytes, written in base 27 over consonants and digits (at most seven
// characters). Equal templates (equal JSON) and equal counts always give equal hashes; bumping
// collisionCount gives another one, which is how a name collision is resolved. A
// pod-template-hash label in the template is ignored, so the hash of a ReplicaSet's template
// equals that of the Deployment's it was made from.
func TemplateHash(template *corev1.PodTemplateSpec, collisionCount *int32) (string, error) {
	if template == nil {
		return "", fmt.Errorf("hash pod template: %w", ErrNilTemplate)
	}
	b, err := templateJSON(template)
	if err != nil {
		return "", fmt.Errorf("hash pod template: %w", err)
	}
	h := fnv.New32a()
	h.Write(b)
	if collisionCount != nil {
		var c [4]byte
		binary.LittleEndian.PutUint32(c[:], uint32(*collisionCount))
		h.Write(c[:])
	}
	return encodeHash(h.Sum32()), nil
}

// encodeHash writes v in base 27 over hashAlphabet, most significant digit first.
func encodeHash(v uint32) string {
	var buf [7]byte
	i := len(buf)
	for {
		i--
		buf[i] = hashAlphabet[v%uint32(len(hashAlphabet))]
		v /= uint32(len(hashAlphabet))
		if v == 0 {
			break
		}
	}
	return string(buf[i:])
}

// templateJSON is the JSON encoding of template without the pod-template-hash label (an empty
// label map is dropped, so a template whose only label was the hash equals one without
// labels).
func templateJSON(template *corev1.PodTemplateSpec) ([]byte, error) {
	if _, ok := template.Labels[appsv1.DefaultDeploymentUniqueLabelKey]; !ok {
		return json.Marshal(template)
	}
	// A shallow copy with its own label map: the encoder only reads.
	t := *template
	t.Labels = make(map[string]string, len(template.Labels)-1)
	for k, v := range template.Labels {
		if k != appsv1.DefaultDeploymentUniqueLabelKey {
			t.Labels[k] = v
		}
	}
	if len(t.Labels) == 0 {
		t.Labels = nil
	}
	return json.Marshal(&t)
}

// equalIgnoreHash reports whether two pod templates are equal once the pod-template-hash
// label is removed from both. Equality is that of the JSON encodings, so nil and empty maps
// and slices (both omitted) compare equal, as Kubernetes' semantic equality has it.
func equalIgnoreHash(a, b *corev1.PodTemplateSpec) bool {
	ja, err := templateJSON(a)
	if err != nil {
		return false
	}
	jb, err := templateJSON(b)
	if err != nil {
		return false
	}
	return string(ja) == string(jb)
}
