package apis_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/internal/apitest"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite testdata/kubernetes-examples.golden from the current outcomes")

func strictCodecs(t testing.TB, typedOnly bool) *apis.Codecs {
	t.Helper()
	c, err := apis.NewCodecs(runtime.CodecOptions{Strict: true, TypedOnly: typedOnly})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestGolden decodes real manifests strictly, in YAML and in JSON, and checks that both decode
// to the same objects and re-encode to JSON semantically equal to the input.
func TestGolden(t *testing.T) {
	codecs := strictCodecs(t, true)
	tests := []struct {
		name string
		want reflect.Type
		// items are the Go types of a List's items.
		items []reflect.Type
	}{
		{"pod", reflect.TypeFor[*corev1.Pod](), nil},
		{"pod-full", reflect.TypeFor[*corev1.Pod](), nil},
		{"deployment", reflect.TypeFor[*appsv1.Deployment](), nil},
		{"service", reflect.TypeFor[*corev1.Service](), nil},
		{"job", reflect.TypeFor[*batchv1.Job](), nil},
		{"cronjob", reflect.TypeFor[*batchv1.CronJob](), nil},
		{"node", reflect.TypeFor[*corev1.Node](), nil},
		{"list", reflect.TypeFor[*runtime.List](), []reflect.Type{
			reflect.TypeFor[*corev1.Namespace](), reflect.TypeFor[*corev1.ConfigMap](),
			reflect.TypeFor[*appsv1.Deployment](), reflect.TypeFor[*corev1.Service](),
			reflect.TypeOf(mustNew(t, codecs, "policy/v1", "PodDisruptionBudget")),
			reflect.TypeOf(mustNew(t, codecs, "autoscaling/v2", "HorizontalPodAutoscaler")),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var encodings [][]byte
			for _, format := range []runtime.Format{runtime.YAML, runtime.JSON} {
				path := filepath.Join("testdata", "golden", tc.name+"."+format.String())
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				in := data
				if format == runtime.YAML {
					if in, err = yaml.YAMLToJSON(data); err != nil {
						t.Fatal(err)
					}
				}
				c, _ := codecs.For(format)
				obj, err := c.Decode(data)
				if err != nil {
					t.Fatalf("%s: strict decode: %v", path, err)
				}
				if reflect.TypeOf(obj) != tc.want {
					t.Fatalf("%s decoded to %T, want %v", path, obj, tc.want)
				}
				if l, ok := obj.(*runtime.List); ok {
					var got []reflect.Type
					for _, item := range l.Items {
						got = append(got, reflect.TypeOf(item))
					}
					if !slices.Equal(got, tc.items) {
						t.Fatalf("%s: list items are %v, want %v", path, got, tc.items)
					}
				}
				out, err := codecs.JSON.Encode(obj)
				if err != nil {
					t.Fatalf("%s: encode: %v", path, err)
				}
				diff, err := apitest.JSONDiff(in, out)
				if err != nil {
					t.Fatal(err)
				}
				if diff != "" {
					t.Errorf("%s: re-encoded JSON differs from the input (-in +out):\n%s", path, diff)
				}
				// The YAML encoding decodes back to the same object.
				y, err := codecs.YAML.Encode(obj)
				if err != nil {
					t.Fatalf("%s: encode YAML: %v", path, err)
				}
				back, err := codecs.YAML.Decode(y)
				if err != nil {
					t.Fatalf("%s: decode own YAML: %v\n%s", path, err, y)
				}
				again, err := codecs.JSON.Encode(back)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again, out) {
					t.Errorf("%s: YAML round trip changed the object:\n%s\n%s", path, out, again)
				}
				encodings = append(encodings, out)
			}
			if !bytes.Equal(encodings[0], encodings[1]) {
				t.Errorf("YAML and JSON manifests decode differently:\n%s\n%s", encodings[0], encodings[1])
			}
		})
	}
}

func mustNew(t testing.TB, c *apis.Codecs, apiVersion, kind string) runtime.Object {
	t.Helper()
	info, err := c.Scheme.ResourceFor(kind)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := info.GroupVersionKind().ToAPIVersionAndKind(); got != apiVersion {
		t.Fatalf("%s resolves to %v, want %s", kind, info.GroupVersionKind(), apiVersion)
	}
	obj, err := c.Scheme.New(info.GroupVersionKind())
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// exampleOutcome decodes one document and says what became of it:
//
//	typed <apiVersion> <kind>         decoded strictly into a built-in Go type, re-encodes equal
//	unstructured <apiVersion> <kind>  a kind the scheme does not serve, kept as Unstructured
//	strict-error <apiVersion> <kind>: <fields>  decoded, but with these unknown or duplicate fields
//	error <apiVersion> <kind>         not decodable; the error names the kind
//	invalid-yaml                      not YAML (a template), and the codec says so
//
// An unstructured document must also fail to decode through typed, a TypedOnly codec, with a
// NotRegistered error naming its kind.
func exampleOutcome(codecs, typed *apis.Codecs, doc []byte) (string, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		// Not YAML at all (templates with {{placeholders}}): the codec must say so too.
		if _, derr := codecs.YAML.Decode(doc); derr == nil || !strings.Contains(derr.Error(), "yaml") {
			return "", fmt.Errorf("invalid YAML (%v) decoded with error %v", err, derr)
		}
		return "invalid-yaml", nil
	}
	id := head.APIVersion + " " + head.Kind
	obj, err := codecs.YAML.Decode(doc)
	if err != nil {
		if serr, ok := runtime.AsStrictDecodingError(err); ok {
			// The wording belongs to package runtime; the table records the field each
			// problem names (the first quoted string of its message).
			var names []string
			for _, e := range serr.Errors {
				msg := e.Error()
				i := strings.IndexByte(msg, '"')
				j := strings.IndexByte(msg[i+1:], '"')
				if i < 0 || j < 0 {
					return "", fmt.Errorf("strict error %q names no field", msg)
				}
				names = append(names, msg[i+1:i+1+j])
			}
			return "strict-error " + id + ": " + strings.Join(names, ", "), nil
		}
		if !strings.Contains(err.Error(), head.Kind) {
			return "", fmt.Errorf("error %q does not name the kind %q", err, head.Kind)
		}
		return "error " + id, nil
	}
	in, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return "", err
	}
	out, err := codecs.JSON.Encode(obj)
	if err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	diff, err := apitest.JSONDiff(in, out)
	if err != nil {
		return "", err
	}
	if diff != "" {
		return "", fmt.Errorf("re-encoded JSON differs from the input (-in +out):\n%s", diff)
	}
	switch obj.(type) {
	case *runtime.Unstructured, *runtime.UnstructuredList:
		_, err := typed.YAML.Decode(doc)
		if !errors.Is(err, runtime.ErrNotRegistered) || !strings.Contains(err.Error(), head.Kind) {
			return "", fmt.Errorf("TypedOnly decode of an unknown kind: got %v, want a NotRegistered error naming %s", err, head.Kind)
		}
		return "unstructured " + id, nil
	}
	return "typed " + id, nil
}

// TestKubernetesExamples decodes every document of every manifest of kubernetes/examples and
// compares what became of each with testdata/kubernetes-examples.golden (regenerate it with
// -update and review the difference). Typed and unstructured documents must re-encode to
// semantically equal JSON; nothing may panic.
func TestKubernetesExamples(t *testing.T) {
	codecs, typed := strictCodecs(t, false), strictCodecs(t, true)
	root := filepath.Join("testdata", "kubernetes-examples")
	var lines []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(root, path)
		r := runtime.NewYAMLReader(f, 0)
		for i := 0; ; i++ {
			doc, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: document %d: %v", rel, i, err)
				break
			}
			outcome, err := exampleOutcome(codecs, typed, doc)
			if err != nil {
				t.Errorf("%s: document %d: %v", rel, i, err)
				outcome = "FAILED"
			}
			lines = append(lines, fmt.Sprintf("%s#%d %s", filepath.ToSlash(rel), i, outcome))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join("testdata", "kubernetes-examples.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if d := lineDiff(string(want), got); d != "" {
		t.Errorf("outcomes differ from %s (-want +got):\n%s", golden, d)
	}
	counts := map[string]int{}
	for _, l := range lines {
		counts[strings.Fields(l)[1]]++
	}
	if counts["typed"] < 100 {
		t.Errorf("only %d documents decoded typed: %v", counts["typed"], counts)
	}
	t.Logf("outcomes: %v", counts)
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}
