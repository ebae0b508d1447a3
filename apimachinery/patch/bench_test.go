package patch_test

import (
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/patch"
)

// benchPod is a Pod of typical size (about 3 KB): two containers with probes, env, ports, mounts
// and resources, volumes, tolerations and status.
const benchPod = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d9f8b6c5d-x2k4p","generateName":"web-7d9f8b6c5d-",
"namespace":"prod","uid":"4f6a2c1e-9b8d-4e3f-a1b2-c3d4e5f60718","resourceVersion":"918273","creationTimestamp":"2026-01-02T03:04:05Z",
"labels":{"app":"web","pod-template-hash":"7d9f8b6c5d","tier":"frontend","version":"v2"},
"annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"9090"},
"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d9f8b6c5d","uid":"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9","controller":true,"blockOwnerDeletion":true}],
"finalizers":["example.com/protect"]},
"spec":{"containers":[
 {"name":"web","image":"registry.example.com/web:2.4.1","args":["--port=8080","--metrics=9090","--log-level=info"],
  "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],
  "env":[{"name":"MODE","value":"production"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
  "resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}},
  "volumeMounts":[{"name":"config","mountPath":"/etc/web","readOnly":true},{"name":"cache","mountPath":"/var/cache/web"}],
  "livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"initialDelaySeconds":10,"periodSeconds":10},
  "readinessProbe":{"httpGet":{"path":"/ready","port":"http"},"periodSeconds":5},
  "imagePullPolicy":"IfNotPresent"},
 {"name":"proxy","image":"envoyproxy/envoy:v1.30.1","args":["-c","/etc/envoy/envoy.yaml"],
  "ports":[{"name":"proxy","containerPort":10000,"protocol":"TCP"}],
  "resources":{"requests":{"cpu":"100m","memory":"64Mi"}},
  "volumeMounts":[{"name":"envoy","mountPath":"/etc/envoy"}]}],
 "volumes":[{"name":"config","configMap":{"name":"web-config"}},{"name":"cache","emptyDir":{}},{"name":"envoy","configMap":{"name":"envoy"}}],
 "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"web","nodeName":"node-17",
 "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
 "priority":0,"schedulerName":"default-scheduler"},
"status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True","lastTransitionTime":"2026-01-02T03:04:06Z"},{"type":"Ready","status":"True","lastTransitionTime":"2026-01-02T03:04:20Z"},{"type":"ContainersReady","status":"True","lastTransitionTime":"2026-01-02T03:04:20Z"},{"type":"PodScheduled","status":"True","lastTransitionTime":"2026-01-02T03:04:05Z"}],
 "hostIP":"10.0.3.17","podIP":"10.244.17.23","podIPs":[{"ip":"10.244.17.23"}],"startTime":"2026-01-02T03:04:05Z"}}`

func benchApply(b *testing.B, fn func() ([]byte, error)) {
	b.Helper()
	b.SetBytes(int64(len(benchPod)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fn(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMergePatch(b *testing.B) {
	p := []byte(`{"metadata":{"labels":{"version":"v3","tier":null}},"spec":{"activeDeadlineSeconds":600}}`)
	benchApply(b, func() ([]byte, error) { return patch.MergePatch([]byte(benchPod), p) })
}

func BenchmarkJSONPatch(b *testing.B) {
	p, err := patch.DecodeJSONPatch([]byte(`[{"op":"test","path":"/metadata/resourceVersion","value":"918273"},
		{"op":"replace","path":"/spec/containers/0/image","value":"registry.example.com/web:2.4.2"},
		{"op":"add","path":"/metadata/labels/canary","value":"true"},
		{"op":"remove","path":"/spec/tolerations/1"}]`))
	if err != nil {
		b.Fatal(err)
	}
	benchApply(b, func() ([]byte, error) { return p.Apply([]byte(benchPod)) })
}

func BenchmarkStrategicMergePatch(b *testing.B) {
	p := []byte(`{"metadata":{"labels":{"version":"v3"},"$deleteFromPrimitiveList/finalizers":["example.com/protect"]},
		"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"proxy"}],
		"containers":[{"name":"web","image":"registry.example.com/web:2.4.2","$setElementOrder/env":[{"name":"MODE"},{"name":"POD_NAME"},{"name":"POD_IP"}],"env":[{"name":"MODE","value":"canary"}]}]}}`)
	benchApply(b, func() ([]byte, error) { return patch.StrategicMergePatch([]byte(benchPod), p, &corev1.Pod{}) })
}

func BenchmarkCreateTwoWayMergePatch(b *testing.B) {
	modified, err := patch.StrategicMergePatch([]byte(benchPod),
		[]byte(`{"spec":{"containers":[{"name":"web","image":"registry.example.com/web:2.4.2"}]},"metadata":{"labels":{"version":"v3"}}}`), &corev1.Pod{})
	if err != nil {
		b.Fatal(err)
	}
	benchApply(b, func() ([]byte, error) { return patch.CreateTwoWayMergePatch([]byte(benchPod), modified, &corev1.Pod{}) })
}
