package v1

import (
	"strconv"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/fields"
)

// The field-set functions below return the fields of an object that field selectors can use,
// with the names and value formats kube-apiserver serves for this version: metadata.name, and
// metadata.namespace for namespaced kinds, plus the kind's own fields. Every call returns a new
// set, and a set of a given kind always has the same keys whatever the object, so the keys of
// the set of a zero object are the field labels the kind supports. Kinds without functions here
// support only the metadata fields (fields.ObjectMetaSet).

// PodFields returns the selectable fields of a pod: spec.nodeName, spec.restartPolicy,
// spec.schedulerName, spec.serviceAccountName, spec.hostNetwork ("true" or "false"),
// status.phase, status.podIP (the first pod IP), status.podIPs (every pod IP, comma-separated)
// and status.nominatedNodeName.
//
// Kubernetes accepts the status.podIPs label but never fills it in, so there only an empty value
// matches; here it carries the pod's IPs, so selecting a single-stack pod by its IP works with
// either label.
func PodFields(p *Pod) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 11), &p.ObjectMeta, true)
	s["spec.nodeName"] = p.Spec.NodeName
	s["spec.restartPolicy"] = string(p.Spec.RestartPolicy)
	s["spec.schedulerName"] = p.Spec.SchedulerName
	s["spec.serviceAccountName"] = p.Spec.ServiceAccountName
	s["spec.hostNetwork"] = strconv.FormatBool(p.Spec.HostNetwork)
	s["status.phase"] = string(p.Status.Phase)
	podIP, podIPs := p.Status.PodIP, p.Status.PodIP
	if len(p.Status.PodIPs) > 0 {
		podIP = p.Status.PodIPs[0].IP
		ips := make([]string, len(p.Status.PodIPs))
		for i, ip := range p.Status.PodIPs {
			ips[i] = ip.IP
		}
		podIPs = strings.Join(ips, ",")
	}
	s["status.podIP"] = podIP
	s["status.podIPs"] = podIPs
	s["status.nominatedNodeName"] = p.Status.NominatedNodeName
	return s
}

// NodeFields returns the selectable fields of a node: metadata.name and spec.unschedulable
// ("true" or "false").
func NodeFields(n *Node) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 2), &n.ObjectMeta, false)
	s["spec.unschedulable"] = strconv.FormatBool(n.Spec.Unschedulable)
	return s
}

// NamespaceFields returns the selectable fields of a namespace: metadata.name and status.phase.
func NamespaceFields(n *Namespace) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 2), &n.ObjectMeta, false)
	s["status.phase"] = string(n.Status.Phase)
	return s
}

// SecretFields returns the selectable fields of a secret: the metadata fields and type.
func SecretFields(sec *Secret) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 3), &sec.ObjectMeta, true)
	s["type"] = string(sec.Type)
	return s
}

// ServiceFields returns the selectable fields of a service: the metadata fields, spec.clusterIP
// and spec.type.
func ServiceFields(svc *Service) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 4), &svc.ObjectMeta, true)
	s["spec.clusterIP"] = svc.Spec.ClusterIP
	s["spec.type"] = string(svc.Spec.Type)
	return s
}

// ReplicationControllerFields returns the selectable fields of a replication controller: the
// metadata fields and status.replicas (decimal).
func ReplicationControllerFields(rc *ReplicationController) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 3), &rc.ObjectMeta, true)
	s["status.replicas"] = strconv.Itoa(int(rc.Status.Replicas))
	return s
}

// EventFields returns the selectable fields of an event: the metadata fields,
// involvedObject.kind, .namespace, .name, .uid, .apiVersion, .resourceVersion and .fieldPath,
// reason, reportingComponent, source (source.component, or reportingComponent when that is
// empty) and type.
func EventFields(e *Event) fields.Set {
	s := fields.AddObjectMetaSet(make(fields.Set, 13), &e.ObjectMeta, true)
	s["involvedObject.kind"] = e.InvolvedObject.Kind
	s["involvedObject.namespace"] = e.InvolvedObject.Namespace
	s["involvedObject.name"] = e.InvolvedObject.Name
	s["involvedObject.uid"] = string(e.InvolvedObject.UID)
	s["involvedObject.apiVersion"] = e.InvolvedObject.APIVersion
	s["involvedObject.resourceVersion"] = e.InvolvedObject.ResourceVersion
	s["involvedObject.fieldPath"] = e.InvolvedObject.FieldPath
	s["reason"] = e.Reason
	s["reportingComponent"] = e.ReportingController
	source := e.Source.Component
	if source == "" {
		source = e.ReportingController
	}
	s["source"] = source
	s["type"] = e.Type
	return s
}
