package patch

import (
	"errors"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Test types that mirror the shape and tags of a Pod and a Deployment.
type tPod struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Spec            tPodSpec `json:"spec,omitempty"`
}

type tPodSpec struct {
	Volumes        []tVolume         `json:"volumes,omitempty" patchStrategy:"merge,retainKeys" patchMergeKey:"name"`
	InitContainers []tContainer      `json:"initContainers,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	Containers     []tContainer      `json:"containers" patchStrategy:"merge" patchMergeKey:"name"`
	NodeSelector   map[string]string `json:"nodeSelector,omitempty"`
	NodeName       string            `json:"nodeName,omitempty"`
	Tolerations    []tToleration     `json:"tolerations,omitempty"`
	Extra          map[string]any    `json:"extra,omitempty"`
	Affinity       *tAffinity        `json:"affinity,omitempty" patchStrategy:"replace"`
}

type tAffinity struct {
	Zone string `json:"zone,omitempty"`
	Rack string `json:"rack,omitempty"`
}

type tContainer struct {
	Name    string           `json:"name"`
	Image   string           `json:"image,omitempty"`
	Command []string         `json:"command,omitempty"`
	Args    []string         `json:"args,omitempty"`
	Ports   []tContainerPort `json:"ports,omitempty" patchStrategy:"merge" patchMergeKey:"containerPort"`
	Env     []tEnvVar        `json:"env,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
}

type tContainerPort struct {
	Name          string `json:"name,omitempty"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol,omitempty"`
}

type tEnvVar struct {
	Name      string     `json:"name"`
	Value     string     `json:"value,omitempty"`
	ValueFrom *tEnvValue `json:"valueFrom,omitempty"`
}

type tEnvValue struct {
	FieldRef map[string]string `json:"fieldRef,omitempty"`
}

type tToleration struct {
	Key      string `json:"key,omitempty"`
	Operator string `json:"operator,omitempty"`
}

type tVolume struct {
	Name          string `json:"name"`
	tVolumeSource `json:",inline"`
}

type tVolumeSource struct {
	EmptyDir  map[string]any `json:"emptyDir,omitempty"`
	HostPath  map[string]any `json:"hostPath,omitempty"`
	ConfigMap map[string]any `json:"configMap,omitempty"`
}

type tDeployment struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Spec            tDeploymentSpec `json:"spec,omitempty"`
}

type tDeploymentSpec struct {
	Replicas *int32     `json:"replicas,omitempty"`
	Strategy tStrategy  `json:"strategy,omitempty" patchStrategy:"retainKeys"`
	Template tPodTempl  `json:"template"`
	Paused   bool       `json:"paused,omitempty"`
	Selector *tSelector `json:"selector"`
}

type tStrategy struct {
	Type          string         `json:"type,omitempty"`
	RollingUpdate map[string]any `json:"rollingUpdate,omitempty"`
}

type tPodTempl struct {
	meta.ObjectMeta `json:"metadata,omitempty"`
	Spec            tPodSpec `json:"spec,omitempty"`
}

type tSelector struct {
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}

const basePod = `{
  "apiVersion":"v1","kind":"Pod",
  "metadata":{"name":"web","labels":{"app":"web","tier":"fe"},"finalizers":["a","b"],
    "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1"}]},
  "spec":{
    "containers":[
      {"name":"app","image":"app:1","args":["--x"],"ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443}],
       "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
      {"name":"sidecar","image":"side:1"}
    ],
    "nodeSelector":{"disk":"ssd","zone":"a"},
    "tolerations":[{"key":"k1","operator":"Exists"},{"key":"k2"}],
    "volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c"}}]
  }
}`

func TestStrategicMergePatch(t *testing.T) {
	tests := []struct {
		name, original, patch, want string
		data                        any
	}{
		{name: "empty patch is identity", original: basePod, patch: `{}`, want: basePod},
		{name: "container merged by name",
			original: `{"spec":{"containers":[{"name":"app","image":"app:1","args":["--x"]},{"name":"sidecar","image":"side:1"}]}}`,
			patch:    `{"spec":{"containers":[{"name":"app","image":"app:2"}]}}`,
			want:     `{"spec":{"containers":[{"name":"app","image":"app:2","args":["--x"]},{"name":"sidecar","image":"side:1"}]}}`},
		{name: "new container goes before server-only ones (kubectl patch docs)",
			original: `{"spec":{"containers":[{"name":"app"}]}}`,
			patch:    `{"spec":{"containers":[{"name":"debug","image":"busybox"}]}}`,
			want:     `{"spec":{"containers":[{"name":"debug","image":"busybox"},{"name":"app"}]}}`},
		{name: "$patch delete removes a container",
			original: `{"spec":{"containers":[{"name":"app"},{"name":"sidecar"}]}}`,
			patch:    `{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}`,
			want:     `{"spec":{"containers":[{"name":"app"}]}}`},
		{name: "$patch replace replaces the list",
			original: `{"spec":{"containers":[{"name":"app","image":"a"},{"name":"sidecar"}]}}`,
			patch:    `{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"o"}]}}`,
			want:     `{"spec":{"containers":[{"name":"only","image":"o"}]}}`},
		{name: "ports merged by containerPort",
			original: `{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443}]}]}}`,
			patch:    `{"spec":{"containers":[{"name":"app","ports":[{"containerPort":443,"name":"https"},{"containerPort":8080}]}]}}`,
			want:     `{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"name":"https"},{"containerPort":8080}]}]}}`},
		{name: "env merged by name, null deletes inside an element",
			original: `{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"x"}}}]}]}}`,
			patch:    `{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"2","valueFrom":null},{"name":"C","value":"3"}]}]}}`,
			want:     `{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"C","value":"3"}]}]}}`},
		{name: "finalizers are a union in patch order",
			original: `{"metadata":{"finalizers":["a","b"]}}`,
			patch:    `{"metadata":{"finalizers":["c","a"]}}`,
			want:     `{"metadata":{"finalizers":["c","a","b"]}}`},
		{name: "$deleteFromPrimitiveList",
			original: `{"metadata":{"finalizers":["a","b","c"]}}`,
			patch:    `{"metadata":{"$deleteFromPrimitiveList/finalizers":["a","c","zz"]}}`,
			want:     `{"metadata":{"finalizers":["b"]}}`},
		{name: "list without strategy is replaced",
			original: `{"spec":{"tolerations":[{"key":"k1"},{"key":"k2"}],"containers":[{"name":"app","args":["a","b"]}]}}`,
			patch:    `{"spec":{"tolerations":[{"key":"k3"}],"containers":[{"name":"app","args":["c"]}]}}`,
			want:     `{"spec":{"tolerations":[{"key":"k3"}],"containers":[{"name":"app","args":["c"]}]}}`},
		{name: "map of primitives merged, null deletes a key",
			original: `{"metadata":{"labels":{"app":"web","tier":"fe"}},"spec":{"nodeSelector":{"disk":"ssd"}}}`,
			patch:    `{"metadata":{"labels":{"tier":null,"v":"2"}},"spec":{"nodeSelector":{"zone":"b"}}}`,
			want:     `{"metadata":{"labels":{"app":"web","v":"2"}},"spec":{"nodeSelector":{"disk":"ssd","zone":"b"}}}`},
		{name: "null deletes a field",
			original: `{"spec":{"nodeName":"n1","containers":[]}}`,
			patch:    `{"spec":{"nodeName":null}}`,
			want:     `{"spec":{"containers":[]}}`},
		{name: "$patch replace on a map",
			original: `{"spec":{"nodeSelector":{"disk":"ssd","zone":"a"}}}`,
			patch:    `{"spec":{"nodeSelector":{"$patch":"replace","zone":"b"}}}`,
			want:     `{"spec":{"nodeSelector":{"zone":"b"}}}`},
		{name: "$patch delete on a map leaves it empty",
			original: `{"metadata":{"name":"x","labels":{"a":"b"}}}`,
			patch:    `{"metadata":{"labels":{"$patch":"delete"}}}`,
			want:     `{"metadata":{"name":"x","labels":{}}}`},
		{name: "$patch delete at the top",
			original: `{"metadata":{"name":"x"}}`,
			patch:    `{"$patch":"delete"}`,
			want:     `{}`},
		{name: "$patch replace at the top",
			original: `{"metadata":{"name":"x"},"spec":{"nodeName":"n"}}`,
			patch:    `{"$patch":"replace","metadata":{"name":"y"}}`,
			want:     `{"metadata":{"name":"y"}}`},
		{name: "owner references merged by uid",
			original: `{"metadata":{"ownerReferences":[{"uid":"u1","name":"a"},{"uid":"u2","name":"b"}]}}`,
			patch:    `{"metadata":{"ownerReferences":[{"uid":"u2","controller":true}]}}`,
			want:     `{"metadata":{"ownerReferences":[{"uid":"u1","name":"a"},{"uid":"u2","name":"b","controller":true}]}}`},
		{name: "$setElementOrder reorders containers",
			original: `{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}`,
			patch:    `{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"b"}]}}`,
			want:     `{"spec":{"containers":[{"name":"c"},{"name":"a"},{"name":"b"}]}}`},
		{name: "$setElementOrder places a new container",
			original: `{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}`,
			patch:    `{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"d"},{"name":"b"},{"name":"c"}],"containers":[{"name":"d","image":"d:1"}]}}`,
			want:     `{"spec":{"containers":[{"name":"a"},{"name":"d","image":"d:1"},{"name":"b"},{"name":"c"}]}}`},
		{name: "$setElementOrder keeps server-only elements where they were",
			original: `{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"x"}]}}`,
			patch:    `{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}`,
			want:     `{"spec":{"containers":[{"name":"b"},{"name":"a"},{"name":"x"}]}}`},
		{name: "$setElementOrder interleaves server-only env by live order",
			original: `{"spec":{"containers":[{"name":"c","env":[{"name":"ENV2"},{"name":"ENV5"},{"name":"ENV1"},{"name":"ENV3"},{"name":"ENV4"}]}]}}`,
			patch:    `{"spec":{"containers":[{"name":"c","$setElementOrder/env":[{"name":"ENV1"},{"name":"ENV2"},{"name":"ENV6"}],"env":[{"name":"ENV3","$patch":"delete"},{"name":"ENV6","value":"new"}]}]}}`,
			want:     `{"spec":{"containers":[{"name":"c","env":[{"name":"ENV5"},{"name":"ENV1"},{"name":"ENV2"},{"name":"ENV6","value":"new"},{"name":"ENV4"}]}]}}`},
		{name: "$setElementOrder on ports with numeric keys",
			original: `{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80},{"containerPort":443}]}]}}`,
			patch:    `{"spec":{"containers":[{"name":"a","$setElementOrder/ports":[{"containerPort":443},{"containerPort":80}]}]}}`,
			want:     `{"spec":{"containers":[{"name":"a","ports":[{"containerPort":443},{"containerPort":80}]}]}}`},
		{name: "$setElementOrder on finalizers",
			original: `{"metadata":{"finalizers":["a","b"]}}`,
			patch:    `{"metadata":{"finalizers":["c"],"$setElementOrder/finalizers":["c","a","b"]}}`,
			want:     `{"metadata":{"finalizers":["c","a","b"]}}`},
		{name: "$retainKeys clears the other member of a union",
			original: `{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}`,
			patch:    `{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}`,
			want:     `{"spec":{"strategy":{"type":"Recreate"}}}`,
			data:     &tDeployment{}},
		{name: "$retainKeys in a volume (list element)",
			original: `{"spec":{"volumes":[{"name":"v","emptyDir":{}}],"containers":[]}}`,
			patch:    `{"spec":{"volumes":[{"name":"v","$retainKeys":["name","hostPath"],"hostPath":{"path":"/d"}}]}}`,
			want:     `{"spec":{"volumes":[{"name":"v","hostPath":{"path":"/d"}}],"containers":[]}}`},
		{name: "nested pod template in a deployment",
			original: `{"spec":{"replicas":1,"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"app","image":"1"},{"name":"s"}]}}}}`,
			patch:    `{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"app","image":"2"}]}}}}`,
			want:     `{"spec":{"replicas":3,"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"app","image":"2"},{"name":"s"}]}}}}`,
			data:     tDeployment{}},
		{name: "struct tagged replace is replaced",
			original: `{"spec":{"affinity":{"zone":"a","rack":"r1"}}}`,
			patch:    `{"spec":{"affinity":{"zone":"b"}}}`,
			want:     `{"spec":{"affinity":{"zone":"b"}}}`},
		{name: "unknown fields follow merge patch rules",
			original: `{"spec":{"extra":{"l":[1,2],"m":{"a":1}},"unknown":{"x":[1]}}}`,
			patch:    `{"spec":{"extra":{"l":[3],"m":{"b":2}},"unknown":{"x":[2],"y":null}}}`,
			want:     `{"spec":{"extra":{"l":[3],"m":{"a":1,"b":2}},"unknown":{"x":[2]}}}`},
		{name: "directives are resolved in new fields",
			original: `{"spec":{}}`,
			patch:    `{"spec":{"containers":[{"name":"a","env":[{"name":"X","$patch":"delete"},{"name":"Y"}]}]}}`,
			want:     `{"spec":{"containers":[{"name":"a","env":[{"name":"Y"}]}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if data == nil {
				data = &tPod{}
			}
			orig := []byte(tt.original)
			got, err := StrategicMergePatch(orig, []byte(tt.patch), data)
			if err != nil {
				t.Fatalf("StrategicMergePatch: %v", err)
			}
			if string(orig) != tt.original {
				t.Fatal("input modified")
			}
			if d := jsonDiff(t, tt.want, string(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestStrategicMergePatchErrors(t *testing.T) {
	tests := []struct {
		name, original, patch string
		data                  any
		want                  error
	}{
		{"bad document", `{`, `{}`, &tPod{}, ErrInvalidJSON},
		{"bad patch", `{}`, `{"a":}`, &tPod{}, ErrInvalidJSON},
		{"document not an object", `[1]`, `{}`, &tPod{}, ErrInvalidJSON},
		{"patch not an object", `{}`, `[]`, &tPod{}, ErrInvalidJSON},
		{"nil data struct", `{}`, `{}`, nil, ErrInvalidPatch},
		{"data struct not a struct", `{}`, `{}`, 3, ErrInvalidPatch},
		{"unknown $patch", `{}`, `{"spec":{"$patch":"explode"}}`, &tPod{}, ErrInvalidPatch},
		{"element without merge key", `{"spec":{"containers":[{"name":"a"}]}}`, `{"spec":{"containers":[{"image":"x"}]}}`, &tPod{}, ErrInvalidPatch},
		{"element not an object", `{"spec":{"containers":[]}}`, `{"spec":{"containers":["a"]}}`, &tPod{}, ErrInvalidPatch},
		{"delete without merge key", `{"metadata":{"finalizers":["a"]}}`, `{"metadata":{"finalizers":[{"$patch":"delete"}]}}`, &tPod{}, ErrInvalidPatch},
		{"$patch merge in a list", `{"spec":{"containers":[]}}`, `{"spec":{"containers":[{"name":"a","$patch":"merge"}]}}`, &tPod{}, ErrInvalidPatch},
		{"$retainKeys not a list", `{}`, `{"spec":{"$retainKeys":"x"}}`, &tPod{}, ErrInvalidPatch},
		{"$retainKeys misses a patched key", `{}`, `{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}}`, &tDeployment{}, ErrInvalidPatch},
		{"$setElementOrder not a list", `{"spec":{"containers":[]}}`, `{"spec":{"$setElementOrder/containers":{}}}`, &tPod{}, ErrInvalidPatch},
		{"$setElementOrder entry without key", `{"spec":{"containers":[{"name":"a"}]}}`, `{"spec":{"$setElementOrder/containers":[{"image":"x"}]}}`, &tPod{}, ErrInvalidPatch},
		{"$setElementOrder misses a patched element", `{"spec":{"containers":[{"name":"a"}]}}`, `{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b"}]}}`, &tPod{}, ErrInvalidPatch},
		{"$setElementOrder contradicts the patch order", `{"spec":{"containers":[]}}`, `{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"b"},{"name":"a"}]}}`, &tPod{}, ErrInvalidPatch},
		{"$setElementOrder misses a finalizer", `{}`, `{"metadata":{"$setElementOrder/finalizers":["a"],"finalizers":["b"]}}`, &tPod{}, ErrInvalidPatch},
		{"$deleteFromPrimitiveList not a list", `{}`, `{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}`, &tPod{}, ErrInvalidPatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StrategicMergePatch([]byte(tt.original), []byte(tt.patch), tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("got a document %s with an error", got)
			}
		})
	}
}

func TestCreateTwoWayMergePatch(t *testing.T) {
	tests := []struct {
		name, original, modified, want string
		data                           any
	}{
		{name: "no change", original: basePod, modified: basePod, want: `{}`},
		{name: "image change in one container",
			original: `{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}}`,
			modified: `{"spec":{"containers":[{"name":"a","image":"2"},{"name":"b","image":"1"}]}}`,
			want:     `{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"a","image":"2"}]}}`},
		{name: "container removed and added",
			original: `{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}`,
			modified: `{"spec":{"containers":[{"name":"c"},{"name":"a"}]}}`,
			want:     `{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"}],"containers":[{"name":"c"},{"name":"b","$patch":"delete"}]}}`},
		{name: "finalizers added and removed",
			original: `{"metadata":{"finalizers":["a","b"]}}`,
			modified: `{"metadata":{"finalizers":["b","c"]}}`,
			want:     `{"metadata":{"$setElementOrder/finalizers":["b","c"],"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["c"]}}`},
		{name: "fields removed, labels changed, args replaced",
			original: `{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"nodeName":"n","containers":[{"name":"a","args":["x","y"]}]}}`,
			modified: `{"metadata":{"labels":{"a":"1","c":"3"}},"spec":{"containers":[{"name":"a","args":["y"]}]}}`,
			want:     `{"metadata":{"labels":{"b":null,"c":"3"}},"spec":{"nodeName":null,"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"a","args":["y"]}]}}`},
		{name: "replace strategy sends the whole struct",
			original: `{"spec":{"affinity":{"zone":"a","rack":"r1"}}}`,
			modified: `{"spec":{"affinity":{"zone":"b","rack":"r1"}}}`,
			want:     `{"spec":{"affinity":{"zone":"b","rack":"r1"}}}`},
		{name: "retainKeys field carries $retainKeys",
			original: `{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}`,
			modified: `{"spec":{"strategy":{"type":"Recreate"}}}`,
			want:     `{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}`,
			data:     &tDeployment{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if data == nil {
				data = &tPod{}
			}
			p, err := CreateTwoWayMergePatch([]byte(tt.original), []byte(tt.modified), data)
			if err != nil {
				t.Fatal(err)
			}
			if d := jsonDiff(t, tt.want, string(p)); d != "" {
				t.Errorf("patch (-want +got):\n%s", d)
			}
			got, err := StrategicMergePatch([]byte(tt.original), p, data)
			if err != nil {
				t.Fatalf("apply: %v", err)
			}
			if d := jsonDiff(t, tt.modified, string(got)); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

// Patches created from any pair of documents apply back to the modified document.
func TestCreateTwoWayMergePatchRoundTrip(t *testing.T) {
	docs := []string{
		basePod,
		`{}`,
		`{"metadata":{"finalizers":[]},"spec":{"containers":[]}}`,
		`{"metadata":{"name":"web","finalizers":["b","z"]},"spec":{"containers":[{"name":"sidecar","image":"side:2"},{"name":"app","ports":[{"containerPort":443},{"containerPort":8080,"name":"alt"}],"env":[{"name":"B","value":"2"}]}],"tolerations":[{"key":"k2"}]}}`,
		`{"spec":{"containers":[{"name":"x"},{"name":"x"}]}}`,
		`{"spec":{"volumes":[{"name":"data","hostPath":{"path":"/d"}}],"containers":[{"name":"app","image":"app:1"}],"nodeSelector":{"zone":"b"}}}`,
		`{"spec":"not an object"}`,
	}
	for i, o := range docs {
		for j, m := range docs {
			p, err := CreateTwoWayMergePatch([]byte(o), []byte(m), &tPod{})
			if err != nil {
				t.Fatalf("%d->%d: create: %v", i, j, err)
			}
			got, err := StrategicMergePatch([]byte(o), p, &tPod{})
			if err != nil {
				t.Fatalf("%d->%d: apply %s: %v", i, j, p, err)
			}
			if d := jsonDiff(t, m, string(got)); d != "" {
				t.Errorf("%d->%d via %s (-want +got):\n%s", i, j, p, d)
			}
		}
	}
}
