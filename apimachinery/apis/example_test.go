package apis_test

import (
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Decode a manifest strictly, resolve kubectl's names for resources, and encode back.
func ExampleNewCodecs() {
	codecs, err := apis.NewCodecs(runtime.CodecOptions{Strict: true})
	if err != nil {
		panic(err)
	}
	obj, err := codecs.YAML.Decode([]byte(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`))
	if err != nil {
		panic(err)
	}
	d := obj.(*appsv1.Deployment)
	fmt.Println(d.Name, *d.Spec.Replicas, d.Spec.Template.Spec.Containers[0].Image)

	for _, name := range []string{"deploy", "po", "hpa", "cj"} {
		info, err := codecs.Scheme.ResourceFor(name)
		if err != nil {
			panic(err)
		}
		fmt.Println(name, "->", info.GroupVersionResource.String(), "namespaced:", info.Namespaced)
	}

	_, err = codecs.YAML.Decode([]byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  nodeNmae: n1\n"))
	fmt.Println(err)
	// Output:
	// web 3 nginx:1.27
	// deploy -> apps/v1, Resource=deployments namespaced: true
	// po -> v1, Resource=pods namespaced: true
	// hpa -> autoscaling/v2, Resource=horizontalpodautoscalers namespaced: true
	// cj -> batch/v1, Resource=cronjobs namespaced: true
	// runtime: strict decoding error: unknown field "spec.nodeNmae"
}
