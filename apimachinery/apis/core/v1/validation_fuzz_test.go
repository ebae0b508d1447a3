package v1_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// FuzzDefaultValidatePod decodes arbitrary pods, defaults them twice and validates them: it
// checks that defaulting is idempotent and that validation and update validation never panic,
// whatever nil pointers and odd values the object holds.
func FuzzDefaultValidatePod(f *testing.F) {
	full, err := os.ReadFile("testdata/pod-full.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(`{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","livenessProbe":{},"lifecycle":{"preStop":{}}}],"volumes":[{"name":"v","ephemeral":{}}]}}`))
	f.Add([]byte(`{"spec":{"hostNetwork":true,"containers":[{"ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"1"}}}],"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{}},"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{}]}}}}`))
	f.Add([]byte(`{"spec":{"topologySpreadConstraints":[{"maxSkew":1,"minDomains":0}],"tolerations":[{"operator":"Exists","value":"x"}],"dnsPolicy":"None","ephemeralContainers":[{"name":"d"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var pod corev1.Pod
		if err := json.Unmarshal(data, &pod); err != nil {
			return
		}
		_ = corev1.ValidatePod(pod.DeepCopy()) // not defaulted: still no panic
		corev1.DefaultPod(&pod)
		once := pod.DeepCopy()
		corev1.DefaultPod(&pod)
		if diff := cmp.Diff(once, &pod, quantityCmp); diff != "" {
			t.Fatalf("defaulting twice differs from once (-once +twice):\n%s", diff)
		}
		_ = corev1.ValidatePod(&pod)
		n := pod.DeepCopy()
		n.ResourceVersion = "2"
		_ = corev1.ValidatePodUpdate(n, &pod)
		tmpl := &corev1.PodTemplate{ObjectMeta: pod.ObjectMeta, Template: corev1.PodTemplateSpec{ObjectMeta: pod.ObjectMeta, Spec: pod.Spec}}
		_ = corev1.ValidatePodTemplate(tmpl)
	})
}

func BenchmarkDefaultAndValidatePod(b *testing.B) {
	data, err := os.ReadFile("testdata/pod-full.json")
	if err != nil {
		b.Fatal(err)
	}
	var pod corev1.Pod
	if err := json.Unmarshal(data, &pod); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p := pod.DeepCopy()
		corev1.DefaultPod(p)
		if errs := corev1.ValidatePod(p); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}
