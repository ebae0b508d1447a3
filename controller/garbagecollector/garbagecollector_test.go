package garbagecollector

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

// want waits until the store holds exactly want (object -> sorted owner names).
func (e *env) want(what string, want map[string][]string) {
	e.t.Helper()
	e.eventually(what, func() (bool, string) {
		got := e.state()
		if d := cmp.Diff(want, got); d != "" {
			return false, "(-want +got)\n" + d
		}
		return true, ""
	})
}

func TestBackgroundCascade(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	d := e.create(deploymentsGR, deployment("ns", "web"))
	rs := e.create(replicaSetsGR, replicaSet("ns", "web-1", "web", controllerRef(d)))
	for _, name := range []string{"web-1-a", "web-1-b", "web-1-c"} {
		e.create(podsGR, pod("ns", name, controllerRef(rs)))
	}
	other := e.create(deploymentsGR, deployment("ns", "other"))
	e.create(podsGR, pod("ns", "other-a", controllerRef(other)))
	e.create(podsGR, pod("ns", "loner"))
	e.waitObserved()

	e.delete(deploymentsGR, "ns", "web", meta.DeletePropagationBackground)
	e.want("the deployment's replica set and pods are collected", map[string][]string{
		"deployments ns/other": {},
		"pods ns/other-a":      {"other"},
		"pods ns/loner":        {},
	})
}

func TestOrphan(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	d := e.create(deploymentsGR, deployment("ns", "web"))
	rs := e.create(replicaSetsGR, replicaSet("ns", "web-1", "web", controllerRef(d)))
	e.create(podsGR, pod("ns", "web-1-a", controllerRef(rs)))
	e.create(podsGR, pod("ns", "web-1-b", controllerRef(rs), ref(d, false)))
	e.waitObserved()

	e.delete(replicaSetsGR, "ns", "web-1", meta.DeletePropagationOrphan)
	e.want("the replica set is gone, its pods stay without a reference to it", map[string][]string{
		"deployments ns/web": {},
		"pods ns/web-1-a":    {},
		"pods ns/web-1-b":    {"web"},
	})
	e.waitObserved()

	// The orphaned pods are the deployment's no more; the one it still owns goes with it.
	e.delete(deploymentsGR, "ns", "web", meta.DeletePropagationBackground)
	e.want("only the pod still owned by the deployment is collected", map[string][]string{
		"pods ns/web-1-a": {},
	})
}

func TestMultipleOwners(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	a := e.create(configMapsGR, configMap("ns", "a"))
	b := e.create(secretsGR, secret("ns", "b"))
	e.create(configMapsGR, configMap("ns", "shared", ref(a, true), ref(b, false)))
	e.create(configMapsGR, configMap("ns", "only-a", ref(a, false)))
	e.waitObserved()

	e.delete(configMapsGR, "ns", "a", meta.DeletePropagationBackground)
	e.want("the shared dependent survives and loses the reference to the deleted owner", map[string][]string{
		"secrets ns/b":         {},
		"configmaps ns/shared": {"b"},
	})
	e.waitObserved()
	e.delete(secretsGR, "ns", "b", meta.DeletePropagationBackground)
	e.want("the dependent goes with its last owner", map[string][]string{})
}
