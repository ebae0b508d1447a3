package schema_test

import (
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/schema"
)

func ExampleParseGroupVersion() {
	gv, err := schema.ParseGroupVersion("apps/v1")
	if err != nil {
		panic(err)
	}
	gvk := gv.WithKind("Deployment")
	fmt.Println(gvk)
	fmt.Println(gvk.GroupKind())
	fmt.Println(gv.WithResource("deployments").GroupResource())

	core, _ := schema.ParseGroupVersion("v1")
	fmt.Printf("%q %q\n", core.Group, core.Version)

	_, err = schema.ParseGroupVersion("apps/v1/x")
	fmt.Println(err)
	// Output:
	// apps/v1, Kind=Deployment
	// Deployment.apps
	// deployments.apps
	// "" "v1"
	// schema: unexpected group version string "apps/v1/x"
}

func ExampleFromAPIVersionAndKind() {
	gvk := schema.FromAPIVersionAndKind("batch/v1", "Job")
	fmt.Println(gvk.Group, gvk.Version, gvk.Kind)
	apiVersion, kind := gvk.ToAPIVersionAndKind()
	fmt.Println(apiVersion, kind)
	// Output:
	// batch v1 Job
	// batch/v1 Job
}

// kubectl's "kubectl get deployments.v1.apps" names a resource with its version and group. The
// full reading is tried first; the group-only reading is the fallback.
func ExampleParseResourceArg() {
	for _, arg := range []string{"pods", "deployments.apps", "deployments.v1.apps"} {
		gvr, gr := schema.ParseResourceArg(arg)
		if gvr != nil {
			fmt.Printf("%s: %s or %s\n", arg, *gvr, gr)
			continue
		}
		fmt.Printf("%s: %q in group %q\n", arg, gr.Resource, gr.Group)
	}
	// Output:
	// pods: "pods" in group ""
	// deployments.apps: "deployments" in group "apps"
	// deployments.v1.apps: apps/v1, Resource=deployments or deployments.v1.apps
}
