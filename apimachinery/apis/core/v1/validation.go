package v1

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// Validation: the Validate<Kind> functions check an object the way the Kubernetes API server
// does before it stores it, and return every problem found as a field.ErrorList whose paths and
// messages read as Kubernetes reports them ("spec.containers[0].image: Required value"). As in
// Kubernetes, objects are validated after defaulting: fields that defaulting always fills
// (restartPolicy, dnsPolicy, imagePullPolicy, port protocols, ...) are required. The
// Validate<Kind>Update functions check an update of old to new, including the rules of
// Validate<Kind> for new. They never change their arguments.

// MaxConfigMapSize is the most bytes the data of a config map or secret may take (1 MiB).
const MaxConfigMapSize = 1 << 20

// The supported values of enumerations, in the order Kubernetes lists them.
func supportedProtocols() []string {
	return []string{string(ProtocolSCTP), string(ProtocolTCP), string(ProtocolUDP)}
}
func supportedRestartPolicies() []string {
	return []string{string(RestartPolicyAlways), string(RestartPolicyOnFailure), string(RestartPolicyNever)}
}
func supportedDNSPolicies() []string {
	return []string{string(DNSClusterFirst), string(DNSClusterFirstWithHostNet), string(DNSDefault), string(DNSNone)}
}
func supportedPullPolicies() []string {
	return []string{string(PullAlways), string(PullIfNotPresent), string(PullNever)}
}
func supportedTermMsgPolicies() []string {
	return []string{string(TerminationMessageFallbackToLogsOnError), string(TerminationMessageReadFile)}
}
func supportedTaintEffects() []string {
	return []string{string(TaintEffectNoExecute), string(TaintEffectNoSchedule), string(TaintEffectPreferNoSchedule)}
}
func supportedServiceTypes() []string {
	return []string{string(ServiceTypeClusterIP), string(ServiceTypeExternalName), string(ServiceTypeLoadBalancer), string(ServiceTypeNodePort)}
}
func supportedAccessModes() []string {
	return []string{string(ReadOnlyMany), string(ReadWriteMany), string(ReadWriteOnce), string(ReadWriteOncePod)}
}
func supportedVolumeModes() []string {
	return []string{string(PersistentVolumeBlock), string(PersistentVolumeFilesystem)}
}

func invalids(path *field.Path, value any, msgs []string) field.ErrorList {
	var errs field.ErrorList
	for _, m := range msgs {
		errs = append(errs, field.Invalid(path, value, m))
	}
	return errs
}

func metaPath() *field.Path { return field.NewPath("metadata") }

// ValidatePod checks a pod: its metadata (namespaced, the name a DNS subdomain) and spec. A
// create request is checked with ValidatePodCreate.
func ValidatePod(pod *Pod) field.ErrorList {
	errs := validation.ValidateObjectMeta(&pod.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	errs = append(errs, ValidatePodSpec(&pod.Spec, field.NewPath("spec"))...)
	return errs
}

// ValidatePodCreate checks a pod that is being created: the rules of ValidatePod, and no
// ephemeral containers, which are only ever added to running pods.
func ValidatePodCreate(pod *Pod) field.ErrorList {
	errs := ValidatePod(pod)
	if len(pod.Spec.EphemeralContainers) > 0 {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "ephemeralContainers"), "cannot be set on create"))
	}
	return errs
}

// ValidatePodUpdate checks an update of a pod. Beyond the metadata rules, only the images of
// containers and init containers, activeDeadlineSeconds (set or lowered), tolerations
// (additions only) and the removal of scheduling gates may change in the spec.
func ValidatePodUpdate(newPod, oldPod *Pod) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newPod.ObjectMeta, &oldPod.ObjectMeta, metaPath())
	specPath := field.NewPath("spec")
	errs = append(errs, ValidatePodSpec(&newPod.Spec, specPath)...)

	if old := oldPod.Spec.ActiveDeadlineSeconds; old != nil {
		n := newPod.Spec.ActiveDeadlineSeconds
		p := specPath.Child("activeDeadlineSeconds")
		if n == nil {
			errs = append(errs, field.Invalid(p, n, "must not update from a positive integer to nil value"))
		} else if *n > *old {
			errs = append(errs, field.Invalid(p, *n, "must be less than or equal to previous value"))
		}
	}
	for i, t := range oldPod.Spec.Tolerations {
		if !slices.ContainsFunc(newPod.Spec.Tolerations, func(n Toleration) bool { return semanticEqual(n, t) }) {
			errs = append(errs, field.Forbidden(specPath.Child("tolerations").Index(i), "existing toleration can not be modified except its tolerationSeconds"))
		}
	}
	for _, g := range newPod.Spec.SchedulingGates {
		if !slices.Contains(oldPod.Spec.SchedulingGates, g) {
			errs = append(errs, field.Forbidden(specPath.Child("schedulingGates"), "only deletion is allowed, but found new scheduling gate '"+g.Name+"'"))
		}
	}

	// Everything else of the spec is immutable: copy the mutable fields of the new spec onto
	// a copy of the old one and compare.
	mutated := oldPod.Spec.DeepCopy()
	if len(mutated.Containers) == len(newPod.Spec.Containers) {
		for i := range mutated.Containers {
			mutated.Containers[i].Image = newPod.Spec.Containers[i].Image
		}
	}
	if len(mutated.InitContainers) == len(newPod.Spec.InitContainers) {
		for i := range mutated.InitContainers {
			mutated.InitContainers[i].Image = newPod.Spec.InitContainers[i].Image
		}
	}
	mutated.ActiveDeadlineSeconds = newPod.Spec.ActiveDeadlineSeconds
	mutated.Tolerations = newPod.Spec.Tolerations
	mutated.SchedulingGates = newPod.Spec.SchedulingGates
	if !semanticEqual(mutated, &newPod.Spec) {
		errs = append(errs, field.Forbidden(specPath, "pod updates may not change fields other than `spec.containers[*].image`, "+
			"`spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) "+
			"and `spec.schedulingGates` (only removals)"))
	}
	return errs
}

// ValidatePodTemplateSpec checks the template of a controller: the labels and annotations of
// its metadata and its pod spec. Ephemeral containers are not allowed in templates.
func ValidatePodTemplateSpec(t *PodTemplateSpec, path *field.Path) field.ErrorList {
	mp := path.Child("metadata")
	errs := validation.ValidateLabels(t.Labels, mp.Child("labels"))
	errs = append(errs, validation.ValidateAnnotations(t.Annotations, mp.Child("annotations"))...)
	sp := path.Child("spec")
	errs = append(errs, ValidatePodSpec(&t.Spec, sp)...)
	if len(t.Spec.EphemeralContainers) > 0 {
		errs = append(errs, field.Forbidden(sp.Child("ephemeralContainers"), "ephemeral containers not allowed in pod template"))
	}
	return errs
}

// ValidatePodTemplate checks a stored pod template.
func ValidatePodTemplate(t *PodTemplate) field.ErrorList {
	errs := validation.ValidateObjectMeta(&t.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, ValidatePodTemplateSpec(&t.Template, field.NewPath("template"))...)
}

// ValidatePodSpec checks a pod spec at path (usually spec, or spec.template.spec in a
// controller): volumes, containers, init and ephemeral containers, policies, scheduling
// constraints and resources.
func ValidatePodSpec(spec *PodSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	volumes, vErrs := validateVolumes(spec.Volumes, path.Child("volumes"))
	errs = append(errs, vErrs...)

	names := map[string]bool{}
	errs = append(errs, validateContainers(spec.InitContainers, true, volumes, names, path.Child("initContainers"))...)
	if len(spec.Containers) == 0 {
		errs = append(errs, field.Required(path.Child("containers"), ""))
	}
	errs = append(errs, validateContainers(spec.Containers, false, volumes, names, path.Child("containers"))...)
	for i := range spec.EphemeralContainers {
		errs = append(errs, validateEphemeralContainer(&spec.EphemeralContainers[i], volumes, names, path.Child("ephemeralContainers").Index(i))...)
	}
	errs = append(errs, validateHostPorts(spec, path)...)

	switch spec.RestartPolicy {
	case RestartPolicyAlways, RestartPolicyOnFailure, RestartPolicyNever:
	case "":
		errs = append(errs, field.Required(path.Child("restartPolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(path.Child("restartPolicy"), spec.RestartPolicy, supportedRestartPolicies()))
	}
	switch spec.DNSPolicy {
	case DNSClusterFirst, DNSClusterFirstWithHostNet, DNSDefault:
	case DNSNone:
		if spec.DNSConfig == nil {
			errs = append(errs, field.Required(path.Child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"))
		}
	case "":
		errs = append(errs, field.Required(path.Child("dnsPolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(path.Child("dnsPolicy"), spec.DNSPolicy, supportedDNSPolicies()))
	}
	if spec.DNSConfig != nil {
		if n := len(spec.DNSConfig.Nameservers); n > 3 {
			errs = append(errs, field.Invalid(path.Child("dnsConfig", "nameservers"), spec.DNSConfig.Nameservers, "must not have more than 3 nameservers"))
		}
		for i, ns := range spec.DNSConfig.Nameservers {
			errs = append(errs, invalids(path.Child("dnsConfig", "nameservers").Index(i), ns, validation.IsValidIP(ns))...)
		}
		for i, o := range spec.DNSConfig.Options {
			if o.Name == "" {
				errs = append(errs, field.Required(path.Child("dnsConfig", "options").Index(i), "Option.Name must not be empty"))
			}
		}
	}
	errs = append(errs, validation.ValidateLabels(spec.NodeSelector, path.Child("nodeSelector"))...)
	if spec.ServiceAccountName != "" {
		errs = append(errs, invalids(path.Child("serviceAccountName"), spec.ServiceAccountName, validation.IsDNS1123Subdomain(spec.ServiceAccountName))...)
	}
	if spec.NodeName != "" {
		errs = append(errs, invalids(path.Child("nodeName"), spec.NodeName, validation.IsDNS1123Subdomain(spec.NodeName))...)
	}
	if spec.Hostname != "" {
		errs = append(errs, invalids(path.Child("hostname"), spec.Hostname, validation.IsDNS1123Label(spec.Hostname))...)
	}
	if spec.Subdomain != "" {
		errs = append(errs, invalids(path.Child("subdomain"), spec.Subdomain, validation.IsDNS1123Label(spec.Subdomain))...)
	}
	if g := spec.TerminationGracePeriodSeconds; g != nil && *g < 0 {
		errs = append(errs, field.Invalid(path.Child("terminationGracePeriodSeconds"), *g, validation.IsNegativeErrorMsg))
	}
	if d := spec.ActiveDeadlineSeconds; d != nil && *d < 1 {
		errs = append(errs, field.Invalid(path.Child("activeDeadlineSeconds"), *d, "must be greater than or equal to 1"))
	}
	for i, s := range spec.ImagePullSecrets {
		if s.Name == "" {
			errs = append(errs, field.Required(path.Child("imagePullSecrets").Index(i).Child("name"), ""))
		}
	}
	errs = append(errs, validateTolerations(spec.Tolerations, path.Child("tolerations"))...)
	errs = append(errs, validateAffinity(spec.Affinity, path.Child("affinity"))...)
	errs = append(errs, validateTopologySpreadConstraints(spec.TopologySpreadConstraints, path.Child("topologySpreadConstraints"))...)
	for i, a := range spec.HostAliases {
		p := path.Child("hostAliases").Index(i)
		errs = append(errs, invalids(p.Child("ip"), a.IP, validation.IsValidIP(a.IP))...)
		for j, h := range a.Hostnames {
			errs = append(errs, invalids(p.Child("hostnames").Index(j), h, validation.IsDNS1123Subdomain(h))...)
		}
	}
	seenGates := map[string]bool{}
	for i, g := range spec.SchedulingGates {
		p := path.Child("schedulingGates").Index(i).Child("name")
		errs = append(errs, invalids(p, g.Name, validation.IsQualifiedName(g.Name))...)
		if seenGates[g.Name] {
			errs = append(errs, field.Duplicate(p, g.Name))
		}
		seenGates[g.Name] = true
	}
	if spec.Overhead != nil {
		errs = append(errs, validateResourceList(spec.Overhead, path.Child("overhead"))...)
	}
	if spec.Resources != nil {
		errs = append(errs, validateResources(spec.Resources, path.Child("resources"))...)
	}
	if spec.OS != nil && spec.OS.Name != Linux && spec.OS.Name != Windows {
		errs = append(errs, field.NotSupported(path.Child("os", "name"), spec.OS.Name, []string{string(Linux), string(Windows)}))
	}
	if spec.PreemptionPolicy != nil && *spec.PreemptionPolicy != PreemptLowerPriority && *spec.PreemptionPolicy != PreemptNever {
		errs = append(errs, field.NotSupported(path.Child("preemptionPolicy"), *spec.PreemptionPolicy, []string{string(PreemptNever), string(PreemptLowerPriority)}))
	}
	return errs
}

// volumeSources returns the json names of the sources set in a volume source.
func volumeSources(s *VolumeSource) []string {
	var set []string
	add := func(ok bool, name string) {
		if ok {
			set = append(set, name)
		}
	}
	add(s.HostPath != nil, "hostPath")
	add(s.EmptyDir != nil, "emptyDir")
	add(s.GCEPersistentDisk != nil, "gcePersistentDisk")
	add(s.AWSElasticBlockStore != nil, "awsElasticBlockStore")
	add(s.Secret != nil, "secret")
	add(s.NFS != nil, "nfs")
	add(s.ISCSI != nil, "iscsi")
	add(s.PersistentVolumeClaim != nil, "persistentVolumeClaim")
	add(s.DownwardAPI != nil, "downwardAPI")
	add(s.FC != nil, "fc")
	add(s.ConfigMap != nil, "configMap")
	add(s.Projected != nil, "projected")
	add(s.CSI != nil, "csi")
	add(s.Ephemeral != nil, "ephemeral")
	add(s.Image != nil, "image")
	return set
}

func validateFileMode(mode *int32, path *field.Path) field.ErrorList {
	if mode != nil && (*mode < 0 || *mode > 0o777) {
		return field.ErrorList{field.Invalid(path, *mode, "must be a number between 0 and 0777 (octal), both inclusive")}
	}
	return nil
}

func validateVolumes(vols []Volume, path *field.Path) (map[string]*Volume, field.ErrorList) {
	var errs field.ErrorList
	byName := map[string]*Volume{}
	for i := range vols {
		v := &vols[i]
		p := path.Index(i)
		np := p.Child("name")
		if v.Name == "" {
			errs = append(errs, field.Required(np, ""))
		} else {
			errs = append(errs, invalids(np, v.Name, validation.IsDNS1123Label(v.Name))...)
			if _, dup := byName[v.Name]; dup {
				errs = append(errs, field.Duplicate(np, v.Name))
			} else {
				byName[v.Name] = v
			}
		}
		srcs := volumeSources(&v.VolumeSource)
		switch {
		case len(srcs) == 0:
			errs = append(errs, field.Required(p, "must specify a volume type"))
		case len(srcs) > 1:
			errs = append(errs, field.Forbidden(p.Child(srcs[1]), "may not specify more than 1 volume type"))
		}
		s := &v.VolumeSource
		switch {
		case s.HostPath != nil:
			if s.HostPath.Path == "" {
				errs = append(errs, field.Required(p.Child("hostPath", "path"), ""))
			}
		case s.Secret != nil:
			errs = append(errs, validateFileMode(s.Secret.DefaultMode, p.Child("secret", "defaultMode"))...)
			if s.Secret.SecretName == "" {
				errs = append(errs, field.Required(p.Child("secret", "secretName"), ""))
			}
		case s.ConfigMap != nil:
			errs = append(errs, validateFileMode(s.ConfigMap.DefaultMode, p.Child("configMap", "defaultMode"))...)
			if s.ConfigMap.Name == "" {
				errs = append(errs, field.Required(p.Child("configMap", "name"), ""))
			}
		case s.PersistentVolumeClaim != nil:
			if s.PersistentVolumeClaim.ClaimName == "" {
				errs = append(errs, field.Required(p.Child("persistentVolumeClaim", "claimName"), ""))
			}
		case s.NFS != nil:
			if s.NFS.Server == "" {
				errs = append(errs, field.Required(p.Child("nfs", "server"), ""))
			}
			if s.NFS.Path == "" {
				errs = append(errs, field.Required(p.Child("nfs", "path"), ""))
			} else if !strings.HasPrefix(s.NFS.Path, "/") {
				errs = append(errs, field.Invalid(p.Child("nfs", "path"), s.NFS.Path, "must be an absolute path"))
			}
		case s.DownwardAPI != nil:
			errs = append(errs, validateFileMode(s.DownwardAPI.DefaultMode, p.Child("downwardAPI", "defaultMode"))...)
		case s.Projected != nil:
			errs = append(errs, validateFileMode(s.Projected.DefaultMode, p.Child("projected", "defaultMode"))...)
		case s.EmptyDir != nil:
			if l := s.EmptyDir.SizeLimit; l != nil && l.Sign() < 0 {
				errs = append(errs, field.Invalid(p.Child("emptyDir", "sizeLimit"), l.String(), validation.IsNegativeErrorMsg))
			}
		case s.CSI != nil:
			if s.CSI.Driver == "" {
				errs = append(errs, field.Required(p.Child("csi", "driver"), ""))
			}
		case s.Image != nil:
			if s.Image.Reference == "" {
				errs = append(errs, field.Required(p.Child("image", "reference"), ""))
			}
		}
	}
	return byName, errs
}

func validateContainers(cs []Container, init bool, volumes map[string]*Volume, names map[string]bool, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range cs {
		c := &cs[i]
		p := path.Index(i)
		errs = append(errs, validateContainerName(c.Name, names, p.Child("name"))...)
		errs = append(errs, validateContainerCommon(c, volumes, p)...)
		rp := p.Child("restartPolicy")
		if init {
			if c.RestartPolicy != nil && *c.RestartPolicy != ContainerRestartPolicyAlways {
				errs = append(errs, field.NotSupported(rp, *c.RestartPolicy, []string{string(ContainerRestartPolicyAlways)}))
			}
			sidecar := c.RestartPolicy != nil
			if !sidecar {
				for _, pr := range []struct {
					name string
					p    *Probe
				}{{"livenessProbe", c.LivenessProbe}, {"readinessProbe", c.ReadinessProbe}, {"startupProbe", c.StartupProbe}} {
					if pr.p != nil {
						errs = append(errs, field.Forbidden(p.Child(pr.name), "may not be set for init containers without restartPolicy=Always"))
					}
				}
				if c.Lifecycle != nil {
					errs = append(errs, field.Forbidden(p.Child("lifecycle"), "may not be set for init containers without restartPolicy=Always"))
				}
			}
		} else if c.RestartPolicy != nil {
			errs = append(errs, field.Forbidden(rp, "may not be set for non-init containers"))
		}
		errs = append(errs, validateProbe(c.LivenessProbe, true, p.Child("livenessProbe"))...)
		errs = append(errs, validateProbe(c.ReadinessProbe, false, p.Child("readinessProbe"))...)
		errs = append(errs, validateProbe(c.StartupProbe, true, p.Child("startupProbe"))...)
		if c.ReadinessProbe != nil && c.ReadinessProbe.TerminationGracePeriodSeconds != nil {
			errs = append(errs, field.Invalid(p.Child("readinessProbe", "terminationGracePeriodSeconds"), *c.ReadinessProbe.TerminationGracePeriodSeconds, "must not be set for readinessProbes"))
		}
		if c.Lifecycle != nil {
			errs = append(errs, validateLifecycleHandler(c.Lifecycle.PostStart, p.Child("lifecycle", "postStart"))...)
			errs = append(errs, validateLifecycleHandler(c.Lifecycle.PreStop, p.Child("lifecycle", "preStop"))...)
		}
	}
	return errs
}

func validateContainerName(name string, names map[string]bool, path *field.Path) field.ErrorList {
	if name == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	errs := invalids(path, name, validation.IsDNS1123Label(name))
	if names[name] {
		errs = append(errs, field.Duplicate(path, name))
	}
	names[name] = true
	return errs
}

// validateContainerCommon checks what regular and init containers share.
func validateContainerCommon(c *Container, volumes map[string]*Volume, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if strings.TrimSpace(c.Image) == "" {
		errs = append(errs, field.Required(p.Child("image"), ""))
	} else if c.Image != strings.TrimSpace(c.Image) {
		errs = append(errs, field.Invalid(p.Child("image"), c.Image, "must not have leading or trailing whitespace"))
	}
	errs = append(errs, validateContainerPorts(c.Ports, p.Child("ports"))...)
	errs = append(errs, validateEnv(c.Env, p.Child("env"))...)
	errs = append(errs, validateEnvFrom(c.EnvFrom, p.Child("envFrom"))...)
	errs = append(errs, validateVolumeMounts(c.VolumeMounts, volumes, p.Child("volumeMounts"))...)
	errs = append(errs, validateResources(&c.Resources, p.Child("resources"))...)
	errs = append(errs, validatePullPolicy(c.ImagePullPolicy, p.Child("imagePullPolicy"))...)
	errs = append(errs, validateTerminationMessagePolicy(c.TerminationMessagePolicy, p.Child("terminationMessagePolicy"))...)
	if c.StdinOnce && !c.Stdin {
		errs = append(errs, field.Invalid(p.Child("stdinOnce"), true, "must be false when `stdin` is false"))
	}
	if c.TTY && !c.Stdin {
		errs = append(errs, field.Invalid(p.Child("tty"), true, "must be false when `stdin` is false"))
	}
	return errs
}

func validatePullPolicy(pp PullPolicy, path *field.Path) field.ErrorList {
	switch pp {
	case PullAlways, PullIfNotPresent, PullNever:
		return nil
	case "":
		return field.ErrorList{field.Required(path, "")}
	}
	return field.ErrorList{field.NotSupported(path, pp, supportedPullPolicies())}
}

func validateTerminationMessagePolicy(tp TerminationMessagePolicy, path *field.Path) field.ErrorList {
	switch tp {
	case TerminationMessageReadFile, TerminationMessageFallbackToLogsOnError:
		return nil
	case "":
		return field.ErrorList{field.Required(path, "")}
	}
	return field.ErrorList{field.NotSupported(path, tp, supportedTermMsgPolicies())}
}

func validateEphemeralContainer(ec *EphemeralContainer, volumes map[string]*Volume, names map[string]bool, p *field.Path) field.ErrorList {
	c := &ec.EphemeralContainerCommon
	errs := validateContainerName(c.Name, names, p.Child("name"))
	if strings.TrimSpace(c.Image) == "" {
		errs = append(errs, field.Required(p.Child("image"), ""))
	}
	if len(c.Ports) > 0 {
		errs = append(errs, field.Forbidden(p.Child("ports"), "cannot be set for an Ephemeral Container"))
	}
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"livenessProbe", c.LivenessProbe != nil}, {"readinessProbe", c.ReadinessProbe != nil},
		{"startupProbe", c.StartupProbe != nil}, {"lifecycle", c.Lifecycle != nil},
		{"resources", len(c.Resources.Limits)+len(c.Resources.Requests)+len(c.Resources.Claims) > 0},
		{"resizePolicy", len(c.ResizePolicy) > 0}, {"restartPolicy", c.RestartPolicy != nil},
	} {
		if f.set {
			errs = append(errs, field.Forbidden(p.Child(f.name), "cannot be set for an Ephemeral Container"))
		}
	}
	errs = append(errs, validateEnv(c.Env, p.Child("env"))...)
	errs = append(errs, validateEnvFrom(c.EnvFrom, p.Child("envFrom"))...)
	for i, m := range c.VolumeMounts {
		if m.SubPath != "" {
			errs = append(errs, field.Forbidden(p.Child("volumeMounts").Index(i).Child("subPath"), "cannot be set for an Ephemeral Container"))
		}
	}
	errs = append(errs, validateVolumeMounts(c.VolumeMounts, volumes, p.Child("volumeMounts"))...)
	errs = append(errs, validatePullPolicy(c.ImagePullPolicy, p.Child("imagePullPolicy"))...)
	errs = append(errs, validateTerminationMessagePolicy(c.TerminationMessagePolicy, p.Child("terminationMessagePolicy"))...)
	return errs
}

func validateProtocol(proto Protocol, path *field.Path) field.ErrorList {
	switch proto {
	case ProtocolTCP, ProtocolUDP, ProtocolSCTP:
		return nil
	case "":
		return field.ErrorList{field.Required(path, "")}
	}
	return field.ErrorList{field.NotSupported(path, proto, supportedProtocols())}
}

func validateContainerPorts(ports []ContainerPort, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := map[string]bool{}
	for i, port := range ports {
		p := path.Index(i)
		if port.Name != "" {
			errs = append(errs, invalids(p.Child("name"), port.Name, validation.IsValidPortName(port.Name))...)
			if names[port.Name] {
				errs = append(errs, field.Duplicate(p.Child("name"), port.Name))
			}
			names[port.Name] = true
		}
		if port.ContainerPort == 0 {
			errs = append(errs, field.Required(p.Child("containerPort"), ""))
		} else {
			errs = append(errs, invalids(p.Child("containerPort"), port.ContainerPort, validation.IsValidPortNum(int(port.ContainerPort)))...)
		}
		if port.HostPort != 0 {
			errs = append(errs, invalids(p.Child("hostPort"), port.HostPort, validation.IsValidPortNum(int(port.HostPort)))...)
		}
		if port.HostIP != "" {
			errs = append(errs, invalids(p.Child("hostIP"), port.HostIP, validation.IsValidIP(port.HostIP))...)
		}
		errs = append(errs, validateProtocol(port.Protocol, p.Child("protocol"))...)
	}
	return errs
}

// validateHostPorts reports host ports that two containers of the pod claim with the same
// protocol and host IP, and, with hostNetwork, host ports that differ from their container
// ports.
func validateHostPorts(spec *PodSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	check := func(cs []Container, cp *field.Path) {
		for i, c := range cs {
			for j, port := range c.Ports {
				if port.HostPort == 0 {
					continue
				}
				if spec.HostNetwork && port.HostPort != port.ContainerPort {
					errs = append(errs, field.Invalid(cp.Index(i).Child("ports").Index(j).Child("hostPort"), port.HostPort,
						"must match `containerPort` when `hostNetwork` is true"))
				}
				key := fmt.Sprintf("%s/%s/%d", port.HostIP, port.Protocol, port.HostPort)
				if seen[key] {
					errs = append(errs, field.Duplicate(cp.Index(i).Child("ports").Index(j).Child("hostPort"), fmt.Sprintf("%d/%s", port.HostPort, port.Protocol)))
				}
				seen[key] = true
			}
		}
	}
	check(spec.InitContainers, path.Child("initContainers"))
	check(spec.Containers, path.Child("containers"))
	return errs
}

func validateEnv(env []EnvVar, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, e := range env {
		p := path.Index(i)
		if e.Name == "" {
			errs = append(errs, field.Required(p.Child("name"), ""))
		} else {
			errs = append(errs, invalids(p.Child("name"), e.Name, validation.IsEnvVarName(e.Name))...)
		}
		if e.ValueFrom == nil {
			continue
		}
		vp := p.Child("valueFrom")
		n := 0
		vf := e.ValueFrom
		if vf.FieldRef != nil {
			n++
			if vf.FieldRef.FieldPath == "" {
				errs = append(errs, field.Required(vp.Child("fieldRef", "fieldPath"), ""))
			}
		}
		if vf.ResourceFieldRef != nil {
			n++
			if vf.ResourceFieldRef.Resource == "" {
				errs = append(errs, field.Required(vp.Child("resourceFieldRef", "resource"), ""))
			}
		}
		if vf.ConfigMapKeyRef != nil {
			n++
			errs = append(errs, validateKeyRef(vf.ConfigMapKeyRef.Name, vf.ConfigMapKeyRef.Key, vp.Child("configMapKeyRef"))...)
		}
		if vf.SecretKeyRef != nil {
			n++
			errs = append(errs, validateKeyRef(vf.SecretKeyRef.Name, vf.SecretKeyRef.Key, vp.Child("secretKeyRef"))...)
		}
		switch {
		case n == 0:
			errs = append(errs, field.Invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
		case n > 1:
			errs = append(errs, field.Invalid(vp, "", "may not have more than one field specified at a time"))
		}
		if e.Value != "" {
			errs = append(errs, field.Invalid(vp, "", "may not be specified when `value` is not empty"))
		}
	}
	return errs
}

func validateKeyRef(name, key string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if name == "" {
		errs = append(errs, field.Required(path.Child("name"), ""))
	}
	if key == "" {
		errs = append(errs, field.Required(path.Child("key"), ""))
	} else {
		errs = append(errs, invalids(path.Child("key"), key, validation.IsConfigMapKey(key))...)
	}
	return errs
}

func validateEnvFrom(from []EnvFromSource, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, f := range from {
		p := path.Index(i)
		n := 0
		if f.ConfigMapRef != nil {
			n++
			if f.ConfigMapRef.Name == "" {
				errs = append(errs, field.Required(p.Child("configMapRef", "name"), ""))
			}
		}
		if f.SecretRef != nil {
			n++
			if f.SecretRef.Name == "" {
				errs = append(errs, field.Required(p.Child("secretRef", "name"), ""))
			}
		}
		switch {
		case n == 0:
			errs = append(errs, field.Invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"))
		case n > 1:
			errs = append(errs, field.Invalid(p, "", "may not have more than one field specified at a time"))
		}
	}
	return errs
}

func validateVolumeMounts(mounts []VolumeMount, volumes map[string]*Volume, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	paths := map[string]bool{}
	for i, m := range mounts {
		p := path.Index(i)
		if m.Name == "" {
			errs = append(errs, field.Required(p.Child("name"), ""))
		} else if _, ok := volumes[m.Name]; !ok {
			errs = append(errs, field.NotFound(p.Child("name"), m.Name))
		}
		if m.MountPath == "" {
			errs = append(errs, field.Required(p.Child("mountPath"), ""))
		} else {
			if paths[m.MountPath] {
				errs = append(errs, field.Invalid(p.Child("mountPath"), m.MountPath, "must be unique"))
			}
			paths[m.MountPath] = true
		}
		if m.SubPath != "" && m.SubPathExpr != "" {
			errs = append(errs, field.Invalid(p.Child("subPathExpr"), m.SubPathExpr, "subPathExpr and subPath are mutually exclusive"))
		}
		if m.SubPath != "" {
			errs = append(errs, validateLocalRelativePath(m.SubPath, p.Child("subPath"))...)
		}
		if m.MountPropagation != nil {
			switch *m.MountPropagation {
			case MountPropagationNone, MountPropagationHostToContainer, MountPropagationBidirectional:
			default:
				errs = append(errs, field.NotSupported(p.Child("mountPropagation"), *m.MountPropagation,
					[]string{string(MountPropagationBidirectional), string(MountPropagationHostToContainer), string(MountPropagationNone)}))
			}
		}
	}
	return errs
}

func validateLocalRelativePath(s string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if strings.HasPrefix(s, "/") {
		errs = append(errs, field.Invalid(path, s, "must be a relative path"))
	}
	for _, part := range strings.Split(s, "/") {
		if part == ".." {
			errs = append(errs, field.Invalid(path, s, "must not contain '..'"))
			break
		}
	}
	return errs
}

func sortedResourceNames(rl ResourceList) []ResourceName {
	names := make([]ResourceName, 0, len(rl))
	for k := range rl {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	return names
}

func validateResourceName(name ResourceName, path *field.Path) field.ErrorList {
	return invalids(path, string(name), validation.IsQualifiedName(string(name)))
}

func validateResourceList(rl ResourceList, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, name := range sortedResourceNames(rl) {
		p := path.Key(string(name))
		errs = append(errs, validateResourceName(name, p)...)
		q := rl[name]
		if q.Sign() < 0 {
			errs = append(errs, field.Invalid(p, q.String(), validation.IsNegativeErrorMsg))
		}
	}
	return errs
}

func validateResources(r *ResourceRequirements, path *field.Path) field.ErrorList {
	errs := validateResourceList(r.Limits, path.Child("limits"))
	errs = append(errs, validateResourceList(r.Requests, path.Child("requests"))...)
	for _, name := range sortedResourceNames(r.Requests) {
		req := r.Requests[name]
		limit, ok := r.Limits[name]
		if ok && req.Cmp(limit) > 0 {
			errs = append(errs, field.Invalid(path.Child("requests").Key(string(name)), req.String(),
				fmt.Sprintf("must be less than or equal to %s limit of %s", name, limit.String())))
		}
	}
	seen := map[string]bool{}
	for i, c := range r.Claims {
		p := path.Child("claims").Index(i)
		if c.Name == "" {
			errs = append(errs, field.Required(p.Child("name"), ""))
		}
		key := c.Name + "/" + c.Request
		if seen[key] {
			errs = append(errs, field.Duplicate(p, key))
		}
		seen[key] = true
	}
	return errs
}

func validateProbe(pr *Probe, successMustBeOne bool, path *field.Path) field.ErrorList {
	if pr == nil {
		return nil
	}
	var errs field.ErrorList
	var set []string
	h := &pr.ProbeHandler
	if h.Exec != nil {
		set = append(set, "exec")
	}
	if h.HTTPGet != nil {
		set = append(set, "httpGet")
		errs = append(errs, validateHTTPGet(h.HTTPGet, path.Child("httpGet"))...)
	}
	if h.TCPSocket != nil {
		set = append(set, "tcpSocket")
		errs = append(errs, validatePortNumOrName(h.TCPSocket.Port, path.Child("tcpSocket", "port"))...)
	}
	if h.GRPC != nil {
		set = append(set, "grpc")
		errs = append(errs, invalids(path.Child("grpc", "port"), h.GRPC.Port, validation.IsValidPortNum(int(h.GRPC.Port)))...)
	}
	switch {
	case len(set) == 0:
		errs = append(errs, field.Required(path, "must specify a handler type"))
	case len(set) > 1:
		errs = append(errs, field.Forbidden(path.Child(set[1]), "may not specify more than 1 handler type"))
	}
	for _, f := range []struct {
		name string
		v    int32
	}{
		{"initialDelaySeconds", pr.InitialDelaySeconds}, {"timeoutSeconds", pr.TimeoutSeconds},
		{"periodSeconds", pr.PeriodSeconds}, {"successThreshold", pr.SuccessThreshold},
		{"failureThreshold", pr.FailureThreshold},
	} {
		errs = append(errs, validation.ValidateNonnegativeField(int64(f.v), path.Child(f.name))...)
	}
	if successMustBeOne && pr.SuccessThreshold != 1 {
		errs = append(errs, field.Invalid(path.Child("successThreshold"), pr.SuccessThreshold, "must be 1"))
	}
	if g := pr.TerminationGracePeriodSeconds; g != nil && *g <= 0 {
		errs = append(errs, field.Invalid(path.Child("terminationGracePeriodSeconds"), *g, "must be greater than 0"))
	}
	return errs
}

func validateLifecycleHandler(h *LifecycleHandler, path *field.Path) field.ErrorList {
	if h == nil {
		return nil
	}
	var errs field.ErrorList
	var set []string
	if h.Exec != nil {
		set = append(set, "exec")
		if len(h.Exec.Command) == 0 {
			errs = append(errs, field.Required(path.Child("exec", "command"), ""))
		}
	}
	if h.HTTPGet != nil {
		set = append(set, "httpGet")
		errs = append(errs, validateHTTPGet(h.HTTPGet, path.Child("httpGet"))...)
	}
	if h.TCPSocket != nil {
		set = append(set, "tcpSocket")
		errs = append(errs, validatePortNumOrName(h.TCPSocket.Port, path.Child("tcpSocket", "port"))...)
	}
	if h.Sleep != nil {
		set = append(set, "sleep")
		if h.Sleep.Seconds < 0 {
			errs = append(errs, field.Invalid(path.Child("sleep", "seconds"), h.Sleep.Seconds, validation.IsNegativeErrorMsg))
		}
	}
	switch {
	case len(set) == 0:
		errs = append(errs, field.Required(path, "must specify a handler type"))
	case len(set) > 1:
		errs = append(errs, field.Forbidden(path.Child(set[1]), "may not specify more than 1 handler type"))
	}
	return errs
}

func validateHTTPGet(h *HTTPGetAction, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if h.Path == "" {
		errs = append(errs, field.Required(path.Child("path"), ""))
	}
	errs = append(errs, validatePortNumOrName(h.Port, path.Child("port"))...)
	if h.Scheme != URISchemeHTTP && h.Scheme != URISchemeHTTPS {
		errs = append(errs, field.NotSupported(path.Child("scheme"), h.Scheme, []string{string(URISchemeHTTP), string(URISchemeHTTPS)}))
	}
	for i, hd := range h.HTTPHeaders {
		errs = append(errs, invalids(path.Child("httpHeaders").Index(i).Child("name"), hd.Name, validation.IsHTTPHeaderName(hd.Name))...)
	}
	return errs
}

// validatePortNumOrName checks a port given as a number (1-65535) or an IANA service name.
func validatePortNumOrName(port intstr.IntOrString, path *field.Path) field.ErrorList {
	if port.Type == intstr.Int {
		return invalids(path, port.IntVal, validation.IsValidPortNum(int(port.IntVal)))
	}
	if port.StrVal == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	return invalids(path, port.StrVal, validation.IsValidPortName(port.StrVal))
}

func validateTolerations(ts []Toleration, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, t := range ts {
		p := path.Index(i)
		if t.Key != "" {
			errs = append(errs, validation.ValidateLabelName(t.Key, p.Child("key"))...)
		}
		if t.Key == "" && t.Operator != TolerationOpExists {
			errs = append(errs, field.Invalid(p.Child("operator"), t.Operator,
				"operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
		}
		if t.TolerationSeconds != nil && t.Effect != TaintEffectNoExecute {
			errs = append(errs, field.Invalid(p.Child("effect"), t.Effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
		}
		switch t.Operator {
		case TolerationOpEqual, "":
			errs = append(errs, invalids(p.Child("value"), t.Value, validation.IsValidLabelValue(t.Value))...)
		case TolerationOpExists:
			if t.Value != "" {
				errs = append(errs, field.Invalid(p.Child("operator"), t.Value, "value must be empty when `operator` is 'Exists'"))
			}
		default:
			errs = append(errs, field.NotSupported(p.Child("operator"), t.Operator, []string{string(TolerationOpEqual), string(TolerationOpExists)}))
		}
		if t.Effect != "" {
			errs = append(errs, validateTaintEffect(t.Effect, p.Child("effect"))...)
		}
	}
	return errs
}

func validateTaintEffect(e TaintEffect, path *field.Path) field.ErrorList {
	switch e {
	case TaintEffectNoSchedule, TaintEffectPreferNoSchedule, TaintEffectNoExecute:
		return nil
	case "":
		return field.ErrorList{field.Required(path, "")}
	}
	return field.ErrorList{field.NotSupported(path, e, supportedTaintEffects())}
}

func validateAffinity(a *Affinity, path *field.Path) field.ErrorList {
	if a == nil {
		return nil
	}
	var errs field.ErrorList
	if na := a.NodeAffinity; na != nil {
		np := path.Child("nodeAffinity")
		if r := na.RequiredDuringSchedulingIgnoredDuringExecution; r != nil {
			errs = append(errs, ValidateNodeSelector(r, np.Child("requiredDuringSchedulingIgnoredDuringExecution"))...)
		}
		for i, t := range na.PreferredDuringSchedulingIgnoredDuringExecution {
			p := np.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i)
			errs = append(errs, validateWeight(t.Weight, p.Child("weight"))...)
			errs = append(errs, validateNodeSelectorTerm(&t.Preference, p.Child("preference"))...)
		}
	}
	podTerms := func(req []PodAffinityTerm, pref []WeightedPodAffinityTerm, p *field.Path) {
		for i := range req {
			errs = append(errs, validatePodAffinityTerm(&req[i], p.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(i))...)
		}
		for i := range pref {
			wp := p.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i)
			errs = append(errs, validateWeight(pref[i].Weight, wp.Child("weight"))...)
			errs = append(errs, validatePodAffinityTerm(&pref[i].PodAffinityTerm, wp.Child("podAffinityTerm"))...)
		}
	}
	if pa := a.PodAffinity; pa != nil {
		podTerms(pa.RequiredDuringSchedulingIgnoredDuringExecution, pa.PreferredDuringSchedulingIgnoredDuringExecution, path.Child("podAffinity"))
	}
	if pa := a.PodAntiAffinity; pa != nil {
		podTerms(pa.RequiredDuringSchedulingIgnoredDuringExecution, pa.PreferredDuringSchedulingIgnoredDuringExecution, path.Child("podAntiAffinity"))
	}
	return errs
}

func validateWeight(w int32, path *field.Path) field.ErrorList {
	if w < 1 || w > 100 {
		return field.ErrorList{field.Invalid(path, w, "must be in the range 1-100")}
	}
	return nil
}

// ValidateNodeSelector checks a node selector: at least one term, and each term's requirements.
func ValidateNodeSelector(ns *NodeSelector, path *field.Path) field.ErrorList {
	tp := path.Child("nodeSelectorTerms")
	if len(ns.NodeSelectorTerms) == 0 {
		return field.ErrorList{field.Required(tp, "must have at least one node selector term")}
	}
	var errs field.ErrorList
	for i := range ns.NodeSelectorTerms {
		errs = append(errs, validateNodeSelectorTerm(&ns.NodeSelectorTerms[i], tp.Index(i))...)
	}
	return errs
}

func validateNodeSelectorTerm(t *NodeSelectorTerm, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, r := range t.MatchExpressions {
		p := path.Child("matchExpressions").Index(i)
		errs = append(errs, validateNodeSelectorRequirement(r, p)...)
		errs = append(errs, validation.ValidateLabelName(r.Key, p.Child("key"))...)
	}
	for i, r := range t.MatchFields {
		p := path.Child("matchFields").Index(i)
		if r.Key != "metadata.name" {
			errs = append(errs, field.Invalid(p.Child("key"), r.Key, "not a valid field selector key"))
		}
		if r.Operator != NodeSelectorOpIn && r.Operator != NodeSelectorOpNotIn {
			errs = append(errs, field.Invalid(p.Child("operator"), r.Operator, "not a valid selector operator"))
		} else if len(r.Values) != 1 {
			errs = append(errs, field.Required(p.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
		}
	}
	return errs
}

func validateNodeSelectorRequirement(r NodeSelectorRequirement, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch r.Operator {
	case NodeSelectorOpIn, NodeSelectorOpNotIn:
		if len(r.Values) == 0 {
			errs = append(errs, field.Required(p.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
		}
	case NodeSelectorOpExists, NodeSelectorOpDoesNotExist:
		if len(r.Values) > 0 {
			errs = append(errs, field.Forbidden(p.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
		}
	case NodeSelectorOpGt, NodeSelectorOpLt:
		if len(r.Values) != 1 {
			errs = append(errs, field.Required(p.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
		}
	default:
		errs = append(errs, field.Invalid(p.Child("operator"), r.Operator, "not a valid selector operator"))
	}
	return errs
}

func validatePodAffinityTerm(t *PodAffinityTerm, path *field.Path) field.ErrorList {
	errs := labels.ValidateLabelSelector(t.LabelSelector, path.Child("labelSelector"))
	errs = append(errs, labels.ValidateLabelSelector(t.NamespaceSelector, path.Child("namespaceSelector"))...)
	for i, ns := range t.Namespaces {
		errs = append(errs, invalids(path.Child("namespaces").Index(i), ns, validation.IsDNS1123Label(ns))...)
	}
	tp := path.Child("topologyKey")
	if t.TopologyKey == "" {
		errs = append(errs, field.Required(tp, "can not be empty"))
	} else {
		errs = append(errs, validation.ValidateLabelName(t.TopologyKey, tp)...)
	}
	for i, k := range t.MatchLabelKeys {
		errs = append(errs, validation.ValidateLabelName(k, path.Child("matchLabelKeys").Index(i))...)
		if slices.Contains(t.MismatchLabelKeys, k) {
			errs = append(errs, field.Invalid(path.Child("matchLabelKeys").Index(i), k, "exists in both matchLabelKeys and mismatchLabelKeys"))
		}
	}
	for i, k := range t.MismatchLabelKeys {
		errs = append(errs, validation.ValidateLabelName(k, path.Child("mismatchLabelKeys").Index(i))...)
	}
	return errs
}

func validateTopologySpreadConstraints(cs []TopologySpreadConstraint, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, c := range cs {
		p := path.Index(i)
		if c.MaxSkew <= 0 {
			errs = append(errs, field.Invalid(p.Child("maxSkew"), c.MaxSkew, "must be greater than zero"))
		}
		if c.TopologyKey == "" {
			errs = append(errs, field.Required(p.Child("topologyKey"), "can not be empty"))
		} else {
			errs = append(errs, validation.ValidateLabelName(c.TopologyKey, p.Child("topologyKey"))...)
		}
		switch c.WhenUnsatisfiable {
		case DoNotSchedule, ScheduleAnyway:
		default:
			errs = append(errs, field.NotSupported(p.Child("whenUnsatisfiable"), c.WhenUnsatisfiable, []string{string(DoNotSchedule), string(ScheduleAnyway)}))
		}
		key := c.TopologyKey + "\x00" + string(c.WhenUnsatisfiable)
		if seen[key] {
			errs = append(errs, field.Duplicate(p, fmt.Sprintf("{%v, %v}", c.TopologyKey, c.WhenUnsatisfiable)))
		}
		seen[key] = true
		if c.MinDomains != nil {
			if *c.MinDomains <= 0 {
				errs = append(errs, field.Invalid(p.Child("minDomains"), *c.MinDomains, "must be greater than 0"))
			} else if c.WhenUnsatisfiable != DoNotSchedule {
				errs = append(errs, field.Invalid(p.Child("minDomains"), *c.MinDomains, "can only use minDomains if whenUnsatisfiable=DoNotSchedule"))
			}
		}
		for _, pol := range []struct {
			name string
			v    *NodeInclusionPolicy
		}{{"nodeAffinityPolicy", c.NodeAffinityPolicy}, {"nodeTaintsPolicy", c.NodeTaintsPolicy}} {
			if pol.v != nil && *pol.v != NodeInclusionPolicyHonor && *pol.v != NodeInclusionPolicyIgnore {
				errs = append(errs, field.NotSupported(p.Child(pol.name), *pol.v, []string{string(NodeInclusionPolicyHonor), string(NodeInclusionPolicyIgnore)}))
			}
		}
		errs = append(errs, labels.ValidateLabelSelector(c.LabelSelector, p.Child("labelSelector"))...)
		for j, k := range c.MatchLabelKeys {
			errs = append(errs, validation.ValidateLabelName(k, p.Child("matchLabelKeys").Index(j))...)
		}
	}
	return errs
}

// ValidateReplicationController checks a replication controller: replicas >= 0, a non-empty
// selector that matches the template's labels, a template whose restartPolicy is Always.
func ValidateReplicationController(rc *ReplicationController) field.ErrorList {
	errs := validation.ValidateObjectMeta(&rc.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, validateReplicationControllerSpec(&rc.Spec, field.NewPath("spec"))...)
}

// ValidateReplicationControllerUpdate checks an update of a replication controller (its selector
// may change, as in Kubernetes).
func ValidateReplicationControllerUpdate(newRC, oldRC *ReplicationController) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newRC.ObjectMeta, &oldRC.ObjectMeta, metaPath())
	return append(errs, validateReplicationControllerSpec(&newRC.Spec, field.NewPath("spec"))...)
}

func validateReplicationControllerSpec(spec *ReplicationControllerSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if spec.Replicas != nil {
		errs = append(errs, validation.ValidateNonnegativeField(int64(*spec.Replicas), path.Child("replicas"))...)
	}
	errs = append(errs, validation.ValidateNonnegativeField(int64(spec.MinReadySeconds), path.Child("minReadySeconds"))...)
	if len(spec.Selector) == 0 {
		errs = append(errs, field.Required(path.Child("selector"), ""))
	} else {
		errs = append(errs, validation.ValidateLabels(spec.Selector, path.Child("selector"))...)
	}
	tp := path.Child("template")
	if spec.Template == nil {
		return append(errs, field.Required(tp, ""))
	}
	if len(spec.Selector) > 0 && !labels.SelectorFromSet(spec.Selector).Matches(labels.Set(spec.Template.Labels)) {
		errs = append(errs, field.Invalid(tp.Child("metadata", "labels"), spec.Template.Labels, "`selector` does not match template `labels`"))
	}
	errs = append(errs, ValidatePodTemplateSpec(spec.Template, tp)...)
	errs = append(errs, ValidateTemplateRestartPolicy(spec.Template.Spec.RestartPolicy, tp.Child("spec", "restartPolicy"), RestartPolicyAlways)...)
	return errs
}

// ValidateTemplateRestartPolicy checks that a controller's template uses one of the allowed
// restart policies (an empty policy is reported by ValidatePodSpec already).
func ValidateTemplateRestartPolicy(rp RestartPolicy, path *field.Path, allowed ...RestartPolicy) field.ErrorList {
	if rp == "" || slices.Contains(allowed, rp) {
		return nil
	}
	vals := make([]string, len(allowed))
	for i, a := range allowed {
		vals[i] = string(a)
	}
	return field.ErrorList{field.NotSupported(path, rp, vals)}
}

// ValidateService checks a service: its type, ports (names, numbers, protocols, target ports,
// unique name and port+protocol), selector labels, cluster IP, session affinity and the rules
// of each type.
func ValidateService(svc *Service) field.ErrorList {
	errs := validation.ValidateObjectMeta(&svc.ObjectMeta, true, validation.NameIsDNS1035Label, metaPath())
	s := &svc.Spec
	sp := field.NewPath("spec")
	switch s.Type {
	case ServiceTypeClusterIP, ServiceTypeNodePort, ServiceTypeLoadBalancer, ServiceTypeExternalName:
	case "":
		errs = append(errs, field.Required(sp.Child("type"), ""))
	default:
		errs = append(errs, field.NotSupported(sp.Child("type"), s.Type, supportedServiceTypes()))
	}
	if s.Type == ServiceTypeExternalName {
		if s.ClusterIP != "" {
			errs = append(errs, field.Forbidden(sp.Child("clusterIP"), "may not be set for ExternalName services"))
		}
		en := strings.TrimSuffix(s.ExternalName, ".")
		if en == "" {
			errs = append(errs, field.Required(sp.Child("externalName"), ""))
		} else {
			errs = append(errs, invalids(sp.Child("externalName"), s.ExternalName, validation.IsDNS1123Subdomain(en))...)
		}
	} else if len(s.Ports) == 0 && s.ClusterIP != "None" {
		errs = append(errs, field.Required(sp.Child("ports"), ""))
	}
	if s.ClusterIP != "" && s.ClusterIP != "None" {
		errs = append(errs, invalids(sp.Child("clusterIP"), s.ClusterIP, validation.IsValidIP(s.ClusterIP))...)
	}
	if len(s.ClusterIPs) > 0 && s.ClusterIP != "" && s.ClusterIPs[0] != s.ClusterIP {
		errs = append(errs, field.Invalid(sp.Child("clusterIPs").Index(0), s.ClusterIPs[0], "must match `clusterIP` if specified"))
	}
	names := map[string]bool{}
	ports := map[string]bool{}
	for i, port := range s.Ports {
		p := sp.Child("ports").Index(i)
		np := p.Child("name")
		if len(s.Ports) > 1 && port.Name == "" {
			errs = append(errs, field.Required(np, ""))
		} else if port.Name != "" {
			errs = append(errs, invalids(np, port.Name, validation.IsDNS1123Label(port.Name))...)
			if names[port.Name] {
				errs = append(errs, field.Duplicate(np, port.Name))
			}
			names[port.Name] = true
		}
		errs = append(errs, invalids(p.Child("port"), port.Port, validation.IsValidPortNum(int(port.Port)))...)
		errs = append(errs, validateProtocol(port.Protocol, p.Child("protocol"))...)
		errs = append(errs, validatePortNumOrName(port.TargetPort, p.Child("targetPort"))...)
		key := fmt.Sprintf("%d/%s", port.Port, port.Protocol)
		if ports[key] {
			errs = append(errs, field.Duplicate(p, key))
		}
		ports[key] = true
		if port.NodePort != 0 {
			if s.Type == ServiceTypeClusterIP || s.Type == ServiceTypeExternalName {
				errs = append(errs, field.Forbidden(p.Child("nodePort"), fmt.Sprintf("may not be used when `type` is '%s'", s.Type)))
			} else {
				errs = append(errs, invalids(p.Child("nodePort"), port.NodePort, validation.IsValidPortNum(int(port.NodePort)))...)
			}
		}
		if s.ClusterIP == "None" && port.TargetPort.Type == intstr.Int && port.TargetPort.IntVal != port.Port && port.TargetPort.IntVal != 0 {
			errs = append(errs, field.Invalid(p.Child("targetPort"), port.TargetPort.IntVal, "must be equal to the value of 'port' when clusterIP = None"))
		}
	}
	errs = append(errs, validation.ValidateLabels(s.Selector, sp.Child("selector"))...)
	switch s.SessionAffinity {
	case ServiceAffinityNone:
		if s.SessionAffinityConfig != nil {
			errs = append(errs, field.Forbidden(sp.Child("sessionAffinityConfig"), "must not be set when session affinity is None"))
		}
	case ServiceAffinityClientIP:
		if c := s.SessionAffinityConfig; c != nil && c.ClientIP != nil && c.ClientIP.TimeoutSeconds != nil {
			if t := *c.ClientIP.TimeoutSeconds; t <= 0 || t > 86400 {
				errs = append(errs, field.Invalid(sp.Child("sessionAffinityConfig", "clientIP", "timeoutSeconds"), t, "must be greater than 0 and less than 86400"))
			}
		}
	case "":
		errs = append(errs, field.Required(sp.Child("sessionAffinity"), ""))
	default:
		errs = append(errs, field.NotSupported(sp.Child("sessionAffinity"), s.SessionAffinity, []string{string(ServiceAffinityClientIP), string(ServiceAffinityNone)}))
	}
	switch s.ExternalTrafficPolicy {
	case "":
	case ServiceExternalTrafficPolicyCluster, ServiceExternalTrafficPolicyLocal:
		if s.Type != ServiceTypeNodePort && s.Type != ServiceTypeLoadBalancer {
			errs = append(errs, field.Invalid(sp.Child("externalTrafficPolicy"), s.ExternalTrafficPolicy, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"))
		}
	default:
		errs = append(errs, field.NotSupported(sp.Child("externalTrafficPolicy"), s.ExternalTrafficPolicy,
			[]string{string(ServiceExternalTrafficPolicyCluster), string(ServiceExternalTrafficPolicyLocal)}))
	}
	if p := s.InternalTrafficPolicy; p != nil && *p != ServiceInternalTrafficPolicyCluster && *p != ServiceInternalTrafficPolicyLocal {
		errs = append(errs, field.NotSupported(sp.Child("internalTrafficPolicy"), *p,
			[]string{string(ServiceInternalTrafficPolicyCluster), string(ServiceInternalTrafficPolicyLocal)}))
	}
	for i, ip := range s.ExternalIPs {
		errs = append(errs, invalids(sp.Child("externalIPs").Index(i), ip, validation.IsValidIP(ip))...)
	}
	for i, r := range s.LoadBalancerSourceRanges {
		errs = append(errs, invalids(sp.Child("loadBalancerSourceRanges").Index(i), r, validation.IsValidCIDR(strings.TrimSpace(r)))...)
	}
	return errs
}

// ValidateServiceUpdate checks an update of a service: a cluster IP, once allocated, may not
// change unless the service becomes an ExternalName service.
func ValidateServiceUpdate(newSvc, oldSvc *Service) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newSvc.ObjectMeta, &oldSvc.ObjectMeta, metaPath())
	errs = append(errs, ValidateService(newSvc)...)
	if oldSvc.Spec.ClusterIP != "" && newSvc.Spec.Type != ServiceTypeExternalName && newSvc.Spec.ClusterIP != oldSvc.Spec.ClusterIP {
		errs = append(errs, field.Invalid(field.NewPath("spec", "clusterIP"), newSvc.Spec.ClusterIP, validation.FieldImmutableErrorMsg))
	}
	return errs
}

// ValidateEndpoints checks the addresses and ports of every subset.
func ValidateEndpoints(ep *Endpoints) field.ErrorList {
	errs := validation.ValidateObjectMeta(&ep.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	for i, s := range ep.Subsets {
		p := field.NewPath("subsets").Index(i)
		for _, group := range []struct {
			name  string
			addrs []EndpointAddress
		}{{"addresses", s.Addresses}, {"notReadyAddresses", s.NotReadyAddresses}} {
			for j, a := range group.addrs {
				errs = append(errs, invalids(p.Child(group.name).Index(j).Child("ip"), a.IP, validation.IsValidIP(a.IP))...)
				if a.Hostname != "" {
					errs = append(errs, invalids(p.Child(group.name).Index(j).Child("hostname"), a.Hostname, validation.IsDNS1123Label(a.Hostname))...)
				}
			}
		}
		names := map[string]bool{}
		for j, port := range s.Ports {
			pp := p.Child("ports").Index(j)
			if len(s.Ports) > 1 && port.Name == "" {
				errs = append(errs, field.Required(pp.Child("name"), ""))
			} else if port.Name != "" {
				errs = append(errs, invalids(pp.Child("name"), port.Name, validation.IsDNS1123Label(port.Name))...)
				if names[port.Name] {
					errs = append(errs, field.Duplicate(pp.Child("name"), port.Name))
				}
				names[port.Name] = true
			}
			errs = append(errs, invalids(pp.Child("port"), port.Port, validation.IsValidPortNum(int(port.Port)))...)
			errs = append(errs, validateProtocol(port.Protocol, pp.Child("protocol"))...)
		}
	}
	return errs
}

// ValidateNamespace checks a namespace: a DNS-label name, no namespace, and qualified finalizer
// names.
func ValidateNamespace(ns *Namespace) field.ErrorList {
	errs := validation.ValidateObjectMeta(&ns.ObjectMeta, false, validation.ValidateNamespaceName, metaPath())
	for i, f := range ns.Spec.Finalizers {
		errs = append(errs, validateFinalizerName(string(f), field.NewPath("spec", "finalizers").Index(i))...)
	}
	return errs
}

func validateFinalizerName(name string, path *field.Path) field.ErrorList {
	errs := invalids(path, name, validation.IsQualifiedName(name))
	if len(errs) == 0 && !strings.Contains(name, "/") && name != "kubernetes" {
		errs = append(errs, field.Invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified"))
	}
	return errs
}

// ValidateNamespaceUpdate checks an update of a namespace's metadata and spec.
func ValidateNamespaceUpdate(newNS, oldNS *Namespace) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newNS.ObjectMeta, &oldNS.ObjectMeta, metaPath())
	for i, f := range newNS.Spec.Finalizers {
		errs = append(errs, validateFinalizerName(string(f), field.NewPath("spec", "finalizers").Index(i))...)
	}
	return errs
}

// ValidateConfigMap checks a config map: valid keys, no key in both data and binaryData, at most
// MaxConfigMapSize bytes of data.
func ValidateConfigMap(cm *ConfigMap) field.ErrorList {
	errs := validation.ValidateObjectMeta(&cm.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	size := 0
	for _, k := range sortedKeys(cm.Data) {
		p := field.NewPath("data").Key(k)
		errs = append(errs, invalids(p, k, validation.IsConfigMapKey(k))...)
		size += len(cm.Data[k])
	}
	for _, k := range sortedKeys(cm.BinaryData) {
		p := field.NewPath("binaryData").Key(k)
		errs = append(errs, invalids(p, k, validation.IsConfigMapKey(k))...)
		if _, ok := cm.Data[k]; ok {
			errs = append(errs, field.Invalid(field.NewPath("data").Key(k), k, "duplicate of key present in binaryData"))
		}
		size += len(cm.BinaryData[k])
	}
	if size > MaxConfigMapSize {
		errs = append(errs, field.TooLong(field.NewPath(""), "", MaxConfigMapSize))
	}
	return errs
}

// ValidateConfigMapUpdate checks an update: an immutable config map keeps its data and stays
// immutable.
func ValidateConfigMapUpdate(newCM, oldCM *ConfigMap) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newCM.ObjectMeta, &oldCM.ObjectMeta, metaPath())
	errs = append(errs, ValidateConfigMap(newCM)...)
	if oldCM.Immutable != nil && *oldCM.Immutable {
		if newCM.Immutable == nil || !*newCM.Immutable {
			errs = append(errs, field.Forbidden(field.NewPath("immutable"), "field is immutable when `immutable` is set"))
		}
		if !reflect.DeepEqual(newCM.Data, oldCM.Data) {
			errs = append(errs, field.Forbidden(field.NewPath("data"), "field is immutable when `immutable` is set"))
		}
		if !reflect.DeepEqual(newCM.BinaryData, oldCM.BinaryData) {
			errs = append(errs, field.Forbidden(field.NewPath("binaryData"), "field is immutable when `immutable` is set"))
		}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ValidateSecret checks a secret: valid keys, at most MaxConfigMapSize bytes of data, and the
// keys or annotations that each well-known type requires. Other types are free-form, as in
// Kubernetes.
func ValidateSecret(s *Secret) field.ErrorList {
	errs := validation.ValidateObjectMeta(&s.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	dp := field.NewPath("data")
	size := 0
	for _, k := range sortedKeys(s.Data) {
		errs = append(errs, invalids(dp.Key(k), k, validation.IsConfigMapKey(k))...)
		size += len(s.Data[k])
	}
	if size > MaxConfigMapSize {
		errs = append(errs, field.TooLong(dp, "", MaxConfigMapSize))
	}
	has := func(k string) bool {
		if _, ok := s.Data[k]; ok {
			return true
		}
		_, ok := s.StringData[k]
		return ok
	}
	requireKey := func(k string) {
		if !has(k) {
			errs = append(errs, field.Required(dp.Key(k), ""))
		}
	}
	switch s.Type {
	case SecretTypeServiceAccountToken:
		if s.Annotations["kubernetes.io/service-account.name"] == "" {
			errs = append(errs, field.Required(metaPath().Child("annotations").Key("kubernetes.io/service-account.name"), ""))
		}
	case SecretTypeDockercfg:
		requireKey(".dockercfg")
	case SecretTypeDockerConfigJSON:
		requireKey(".dockerconfigjson")
	case SecretTypeBasicAuth:
		if !has("username") && !has("password") {
			errs = append(errs, field.Required(dp.Key("username"), ""), field.Required(dp.Key("password"), ""))
		}
	case SecretTypeSSHAuth:
		requireKey("ssh-privatekey")
	case SecretTypeTLS:
		requireKey("tls.crt")
		requireKey("tls.key")
	case "":
		errs = append(errs, field.Required(field.NewPath("type"), ""))
	}
	return errs
}

// ValidateSecretUpdate checks an update: the type may not change, and an immutable secret keeps
// its data and stays immutable.
func ValidateSecretUpdate(newS, oldS *Secret) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newS.ObjectMeta, &oldS.ObjectMeta, metaPath())
	errs = append(errs, ValidateSecret(newS)...)
	errs = append(errs, validation.ValidateImmutableField(newS.Type, oldS.Type, field.NewPath("type"))...)
	if oldS.Immutable != nil && *oldS.Immutable {
		if newS.Immutable == nil || !*newS.Immutable {
			errs = append(errs, field.Forbidden(field.NewPath("immutable"), "field is immutable when `immutable` is set"))
		}
		if !reflect.DeepEqual(newS.Data, oldS.Data) {
			errs = append(errs, field.Forbidden(field.NewPath("data"), "field is immutable when `immutable` is set"))
		}
	}
	return errs
}

// ValidateServiceAccount checks a service account's metadata and the names of its secrets.
func ValidateServiceAccount(sa *ServiceAccount) field.ErrorList {
	errs := validation.ValidateObjectMeta(&sa.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	for i, s := range sa.ImagePullSecrets {
		if s.Name == "" {
			errs = append(errs, field.Required(field.NewPath("imagePullSecrets").Index(i).Child("name"), ""))
		}
	}
	return errs
}

// ValidateNode checks a node: a DNS-subdomain name, no namespace, valid pod CIDRs and taints
// (qualified keys, label values, supported effects, no two with the same key and effect).
func ValidateNode(n *Node) field.ErrorList {
	errs := validation.ValidateObjectMeta(&n.ObjectMeta, false, validation.NameIsDNSSubdomain, metaPath())
	sp := field.NewPath("spec")
	if n.Spec.PodCIDR != "" {
		errs = append(errs, invalids(sp.Child("podCIDR"), n.Spec.PodCIDR, validation.IsValidCIDR(n.Spec.PodCIDR))...)
	}
	for i, c := range n.Spec.PodCIDRs {
		errs = append(errs, invalids(sp.Child("podCIDRs").Index(i), c, validation.IsValidCIDR(c))...)
	}
	errs = append(errs, ValidateTaints(n.Spec.Taints, sp.Child("taints"))...)
	errs = append(errs, validateResourceList(n.Status.Capacity, field.NewPath("status", "capacity"))...)
	errs = append(errs, validateResourceList(n.Status.Allocatable, field.NewPath("status", "allocatable"))...)
	return errs
}

// ValidateNodeUpdate checks an update of a node: the pod CIDRs, once set, may not change.
func ValidateNodeUpdate(newN, oldN *Node) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newN.ObjectMeta, &oldN.ObjectMeta, metaPath())
	errs = append(errs, ValidateNode(newN)...)
	if oldN.Spec.PodCIDR != "" && newN.Spec.PodCIDR != oldN.Spec.PodCIDR {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "podCIDR"), "node updates may not change podCIDR except from \"\" to valid"))
	}
	return errs
}

// ValidateTaints checks node taints.
func ValidateTaints(taints []Taint, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, t := range taints {
		p := path.Index(i)
		errs = append(errs, validation.ValidateLabelName(t.Key, p.Child("key"))...)
		errs = append(errs, invalids(p.Child("value"), t.Value, validation.IsValidLabelValue(t.Value))...)
		errs = append(errs, validateTaintEffect(t.Effect, p.Child("effect"))...)
		k := t.Key + "\x00" + string(t.Effect)
		if seen[k] {
			errs = append(errs, field.Duplicate(p, "taints must be unique by key and effect pair"))
		}
		seen[k] = true
	}
	return errs
}

func validateAccessModes(modes []PersistentVolumeAccessMode, path *field.Path) field.ErrorList {
	if len(modes) == 0 {
		return field.ErrorList{field.Required(path, "at least 1 access mode is required")}
	}
	var errs field.ErrorList
	for _, m := range modes {
		if !slices.Contains(supportedAccessModes(), string(m)) {
			errs = append(errs, field.NotSupported(path, m, supportedAccessModes()))
		}
	}
	if slices.Contains(modes, ReadWriteOncePod) && len(modes) > 1 {
		errs = append(errs, field.Forbidden(path, "may not use ReadWriteOncePod with other access modes"))
	}
	return errs
}

func validateVolumeMode(m *PersistentVolumeMode, path *field.Path) field.ErrorList {
	if m != nil && *m != PersistentVolumeBlock && *m != PersistentVolumeFilesystem {
		return field.ErrorList{field.NotSupported(path, *m, supportedVolumeModes())}
	}
	return nil
}

// ValidatePersistentVolumeClaim checks a claim's spec: access modes, a positive storage request,
// volume mode, selector.
func ValidatePersistentVolumeClaim(pvc *PersistentVolumeClaim) field.ErrorList {
	errs := validation.ValidateObjectMeta(&pvc.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, ValidatePersistentVolumeClaimSpec(&pvc.Spec, field.NewPath("spec"))...)
}

// ValidatePersistentVolumeClaimSpec checks a claim spec at path (StatefulSets' volume claim
// templates use it).
func ValidatePersistentVolumeClaimSpec(spec *PersistentVolumeClaimSpec, path *field.Path) field.ErrorList {
	errs := validateAccessModes(spec.AccessModes, path.Child("accessModes"))
	errs = append(errs, labels.ValidateLabelSelector(spec.Selector, path.Child("selector"))...)
	rp := path.Child("resources", "requests")
	storage, ok := spec.Resources.Requests[ResourceStorage]
	if !ok {
		errs = append(errs, field.Required(rp.Key(string(ResourceStorage)), ""))
	} else if storage.Sign() <= 0 {
		errs = append(errs, field.Invalid(rp.Key(string(ResourceStorage)), storage.String(), "must be greater than zero"))
	}
	errs = append(errs, validateResourceList(spec.Resources.Requests, rp)...)
	errs = append(errs, validateResourceList(spec.Resources.Limits, path.Child("resources", "limits"))...)
	errs = append(errs, validateVolumeMode(spec.VolumeMode, path.Child("volumeMode"))...)
	if spec.StorageClassName != nil && *spec.StorageClassName != "" {
		errs = append(errs, invalids(path.Child("storageClassName"), *spec.StorageClassName, validation.IsDNS1123Subdomain(*spec.StorageClassName))...)
	}
	return errs
}

// ValidatePersistentVolumeClaimUpdate checks an update of a claim: the spec is immutable except
// for a larger storage request and the volume attributes class (and the volume name, which the
// binder sets once).
func ValidatePersistentVolumeClaimUpdate(newPVC, oldPVC *PersistentVolumeClaim) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newPVC.ObjectMeta, &oldPVC.ObjectMeta, metaPath())
	errs = append(errs, ValidatePersistentVolumeClaimSpec(&newPVC.Spec, field.NewPath("spec"))...)
	oldStorage := oldPVC.Spec.Resources.Requests[ResourceStorage]
	newStorage := newPVC.Spec.Resources.Requests[ResourceStorage]
	if newStorage.Cmp(oldStorage) < 0 {
		errs = append(errs, field.Forbidden(field.NewPath("spec", "resources", "requests", "storage"), "field can not be less than previous value"))
	}
	mutated := oldPVC.Spec.DeepCopy()
	mutated.Resources = *newPVC.Spec.Resources.DeepCopy()
	mutated.VolumeAttributesClassName = newPVC.Spec.VolumeAttributesClassName
	if oldPVC.Spec.VolumeName == "" {
		mutated.VolumeName = newPVC.Spec.VolumeName
	}
	if !semanticEqual(mutated, &newPVC.Spec) {
		errs = append(errs, field.Forbidden(field.NewPath("spec"), "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
	}
	return errs
}

// ValidatePersistentVolume checks a volume: a positive storage capacity, access modes, exactly
// one source, reclaim policy and volume mode.
func ValidatePersistentVolume(pv *PersistentVolume) field.ErrorList {
	errs := validation.ValidateObjectMeta(&pv.ObjectMeta, false, validation.NameIsDNSSubdomain, metaPath())
	sp := field.NewPath("spec")
	errs = append(errs, validateAccessModes(pv.Spec.AccessModes, sp.Child("accessModes"))...)
	cp := sp.Child("capacity")
	if st, ok := pv.Spec.Capacity[ResourceStorage]; !ok {
		errs = append(errs, field.Required(cp.Key(string(ResourceStorage)), ""))
	} else if st.Sign() <= 0 {
		errs = append(errs, field.Invalid(cp.Key(string(ResourceStorage)), st.String(), "must be greater than zero"))
	}
	errs = append(errs, validateResourceList(pv.Spec.Capacity, cp)...)
	src := reflect.ValueOf(pv.Spec.PersistentVolumeSource)
	var set []string
	for i := 0; i < src.NumField(); i++ {
		if f := src.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
			name, _, _ := strings.Cut(src.Type().Field(i).Tag.Get("json"), ",")
			set = append(set, name)
		}
	}
	switch {
	case len(set) == 0:
		errs = append(errs, field.Required(sp, "must specify a volume type"))
	case len(set) > 1:
		errs = append(errs, field.Forbidden(sp.Child(set[1]), "may not specify more than 1 volume type"))
	}
	switch pv.Spec.PersistentVolumeReclaimPolicy {
	case PersistentVolumeReclaimRetain, PersistentVolumeReclaimDelete, PersistentVolumeReclaimRecycle:
	default:
		errs = append(errs, field.NotSupported(sp.Child("persistentVolumeReclaimPolicy"), pv.Spec.PersistentVolumeReclaimPolicy,
			[]string{string(PersistentVolumeReclaimDelete), string(PersistentVolumeReclaimRecycle), string(PersistentVolumeReclaimRetain)}))
	}
	errs = append(errs, validateVolumeMode(pv.Spec.VolumeMode, sp.Child("volumeMode"))...)
	if na := pv.Spec.NodeAffinity; na != nil && na.Required != nil {
		errs = append(errs, ValidateNodeSelector(na.Required, sp.Child("nodeAffinity", "required"))...)
	}
	return errs
}

// ValidateResourceQuota checks that every hard limit is a valid resource name with a
// non-negative quantity.
func ValidateResourceQuota(q *ResourceQuota) field.ErrorList {
	errs := validation.ValidateObjectMeta(&q.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, validateResourceList(q.Spec.Hard, field.NewPath("spec", "hard"))...)
}

// semanticEqual reports whether a and b encode to the same JSON: quantities compare by value
// (each encodes in its canonical form) and a nil list or map equals an empty one, as in
// Kubernetes' semantic equality. Values that cannot be encoded are unequal.
func semanticEqual(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
