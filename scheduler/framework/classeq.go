package framework

import (
	"maps"
	"reflect"
	"slices"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// specEqual reports whether two pod specs encode to the same JSON, the input of
// EquivalenceClass; it may say false for equal encodings (a nil and an empty list), never
// true for different ones. It compares the fields most pods set directly and the rest with
// reflect.DeepEqual once either side is set, which is several times cheaper than
// reflect.DeepEqual on the whole spec (a cost every scheduling cycle paid). Every field of
// PodSpec and Container must be compared here: TestSpecEqualComparesEveryField fails for a
// field added to them and not to this function.
func specEqual(a, b *corev1.PodSpec) bool {
	return slicesEqualBy(a.Containers, b.Containers, containerEqual) &&
		slicesEqualBy(a.InitContainers, b.InitContainers, containerEqual) &&
		a.RestartPolicy == b.RestartPolicy && a.DNSPolicy == b.DNSPolicy &&
		a.ServiceAccountName == b.ServiceAccountName && a.DeprecatedServiceAccount == b.DeprecatedServiceAccount &&
		a.NodeName == b.NodeName && a.HostNetwork == b.HostNetwork && a.HostPID == b.HostPID && a.HostIPC == b.HostIPC &&
		a.Hostname == b.Hostname && a.Subdomain == b.Subdomain && a.SchedulerName == b.SchedulerName &&
		a.PriorityClassName == b.PriorityClassName &&
		ptrEqual(a.TerminationGracePeriodSeconds, b.TerminationGracePeriodSeconds) &&
		ptrEqual(a.ActiveDeadlineSeconds, b.ActiveDeadlineSeconds) &&
		ptrEqual(a.AutomountServiceAccountToken, b.AutomountServiceAccountToken) &&
		ptrEqual(a.ShareProcessNamespace, b.ShareProcessNamespace) &&
		ptrEqual(a.Priority, b.Priority) && ptrEqual(a.RuntimeClassName, b.RuntimeClassName) &&
		ptrEqual(a.EnableServiceLinks, b.EnableServiceLinks) && ptrEqual(a.PreemptionPolicy, b.PreemptionPolicy) &&
		ptrEqual(a.SetHostnameAsFQDN, b.SetHostnameAsFQDN) && ptrEqual(a.HostUsers, b.HostUsers) &&
		(a.NodeSelector == nil) == (b.NodeSelector == nil) && maps.Equal(a.NodeSelector, b.NodeSelector) &&
		resourcesEqual(a.Overhead, b.Overhead) &&
		deepSlice(a.Volumes, b.Volumes) && deepSlice(a.EphemeralContainers, b.EphemeralContainers) &&
		deepPtr(a.SecurityContext, b.SecurityContext) && deepSlice(a.ImagePullSecrets, b.ImagePullSecrets) &&
		deepPtr(a.Affinity, b.Affinity) && deepSlice(a.Tolerations, b.Tolerations) &&
		deepSlice(a.HostAliases, b.HostAliases) && deepPtr(a.DNSConfig, b.DNSConfig) &&
		deepSlice(a.ReadinessGates, b.ReadinessGates) && deepSlice(a.TopologySpreadConstraints, b.TopologySpreadConstraints) &&
		deepPtr(a.OS, b.OS) && deepSlice(a.SchedulingGates, b.SchedulingGates) &&
		deepSlice(a.ResourceClaims, b.ResourceClaims) && deepPtr(a.Resources, b.Resources)
}

func containerEqual(a, b *corev1.Container) bool {
	return a.Name == b.Name && a.Image == b.Image && a.WorkingDir == b.WorkingDir &&
		a.TerminationMessagePath == b.TerminationMessagePath && a.TerminationMessagePolicy == b.TerminationMessagePolicy &&
		a.ImagePullPolicy == b.ImagePullPolicy && a.Stdin == b.Stdin && a.StdinOnce == b.StdinOnce && a.TTY == b.TTY &&
		stringsEqual(a.Command, b.Command) && stringsEqual(a.Args, b.Args) &&
		resourcesEqual(a.Resources.Requests, b.Resources.Requests) && resourcesEqual(a.Resources.Limits, b.Resources.Limits) &&
		deepSlice(a.Resources.Claims, b.Resources.Claims) &&
		ptrEqual(a.RestartPolicy, b.RestartPolicy) &&
		deepSlice(a.Ports, b.Ports) && deepSlice(a.EnvFrom, b.EnvFrom) && deepSlice(a.Env, b.Env) &&
		deepSlice(a.ResizePolicy, b.ResizePolicy) && deepSlice(a.VolumeMounts, b.VolumeMounts) &&
		deepSlice(a.VolumeDevices, b.VolumeDevices) && deepPtr(a.LivenessProbe, b.LivenessProbe) &&
		deepPtr(a.ReadinessProbe, b.ReadinessProbe) && deepPtr(a.StartupProbe, b.StartupProbe) &&
		deepPtr(a.Lifecycle, b.Lifecycle) && deepPtr(a.SecurityContext, b.SecurityContext)
}

// resourcesEqual: same resources with quantities of equal value and format (so the same
// canonical text, which is what a Quantity encodes to).
func resourcesEqual(a, b corev1.ResourceList) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for name, q := range a {
		r, ok := b[name]
		if !ok || !quantityEqual(q, r) {
			return false
		}
	}
	return true
}

func quantityEqual(a, b resource.Quantity) bool { return a.Format == b.Format && a.Cmp(b) == 0 }

func stringsEqual(a, b []string) bool { return (a == nil) == (b == nil) && slices.Equal(a, b) }

func slicesEqualBy[T any](a, b []T, eq func(x, y *T) bool) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if !eq(&a[i], &b[i]) {
			return false
		}
	}
	return true
}

func ptrEqual[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// deepPtr and deepSlice are reflect.DeepEqual with the common case, both nil, decided
// without reflection.
func deepPtr[T any](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return reflect.DeepEqual(a, b)
}

func deepSlice[T any](a, b []T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return reflect.DeepEqual(a, b)
}
