// Package apis is the ready-made scheme of cellkit's built-in API: every group version under
// apimachinery/apis (core/v1, apps/v1, batch/v1, coordination.k8s.io/v1, scheduling.k8s.io/v1,
// policy/v1, autoscaling/v1 and v2, rbac.authorization.k8s.io/v1, discovery.k8s.io/v1) with its
// kinds and its resources as kube-apiserver's discovery describes them, and codecs over it.
//
// Usage: build a scheme (or codecs) once at start-up, then share it:
//
//	codecs, err := apis.NewCodecs(runtime.CodecOptions{Strict: true})
//	obj, err := codecs.YAML.Decode(manifest) // *corev1.Pod, *appsv1.Deployment, *runtime.List, ...
//	info, err := codecs.Scheme.ResourceFor("deploy") // apps/v1 deployments
//	out, err := codecs.JSON.Encode(obj)
//
// Kinds the scheme does not know (custom resources, old versions such as extensions/v1beta1)
// decode to *runtime.Unstructured unless the codec is TypedOnly.
//
// Concurrency and ownership: there is no package-level state; NewScheme and NewCodecs build new
// values on every call. A scheme and its codecs are safe for concurrent use; register anything
// extra before sharing them.
package apis
