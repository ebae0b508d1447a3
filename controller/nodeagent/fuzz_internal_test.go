package nodeagent

import (
	"strings"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// FuzzPodField checks the resolution of downward-API field paths of environment variables:
// it never panics, resolves label and annotation references to the value of exactly that key,
// and resolves nothing else than the documented fields.
func FuzzPodField(f *testing.F) {
	for _, seed := range []struct{ path, key, value string }{
		{"metadata.name", "app", "web"},
		{"metadata.labels['app']", "app", "web"},
		{"metadata.annotations['a.b/c']", "a.b/c", "v"},
		{"metadata.labels['']", "", "empty"},
		{"metadata.labels['app'", "app", "web"},
		{"metadata.labels[']']", "]", "x"},
		{"status.podIP", "k", "v"},
		{"spec.containers[0].image", "k", "v"},
	} {
		f.Add(seed.path, seed.key, seed.value)
	}
	a := &Agent{hostIP: "192.0.2.1"}
	f.Fuzz(func(t *testing.T, path, key, value string) {
		pod := &corev1.Pod{
			ObjectMeta: meta.ObjectMeta{Name: "p", Namespace: "ns", UID: "u",
				Labels: map[string]string{key: value}, Annotations: map[string]string{key: value}},
			Spec: corev1.PodSpec{NodeName: "n", ServiceAccountName: "sa"},
		}
		got, ok := a.podField(pod, path, "10.0.0.1")
		switch path {
		case "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
			"spec.serviceAccountName", "status.podIP", "status.hostIP":
			if !ok {
				t.Fatalf("documented field %q not resolved", path)
			}
			return
		}
		for _, prefix := range []string{"metadata.labels['", "metadata.annotations['"} {
			if path == prefix+key+"']" && len(key) > 0 {
				if !ok || got != value {
					t.Fatalf("%q = %q, %v; want %q", path, got, ok, value)
				}
				return
			}
		}
		if ok && !strings.HasPrefix(path, "metadata.labels['") && !strings.HasPrefix(path, "metadata.annotations['") {
			t.Fatalf("undocumented path %q resolved to %q", path, got)
		}
		if ok && got != value {
			t.Fatalf("%q resolved to %q, which is no label or annotation value", path, got)
		}
	})
}

// FuzzTrimScheme checks the parsing of published container IDs (<runtime>://<id>): the ID
// is what follows the first "://", and a string without one is its own ID.
func FuzzTrimScheme(f *testing.F) {
	for _, s := range []string{"hollow://abc", "containerd://", "://x", "plain", "a://b://c", ":/", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := trimScheme(s)
		i := strings.Index(s, "://")
		want := s
		if i >= 0 {
			want = s[i+3:]
		}
		if got != want {
			t.Fatalf("trimScheme(%q) = %q, want %q", s, got, want)
		}
	})
}
