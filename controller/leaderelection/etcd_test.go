package leaderelection

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
)

// The same election against a real (embedded) etcd through the etcd backend: the Lease's
// optimistic concurrency is etcd's mod-revision compare.
func TestFailoverEtcd(t *testing.T) {
	srv := etcdtest.Start(t, etcdtest.Options{})
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	s, err := etcd.New(etcd.Options{Client: srv.Client(t), Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	runFailover(t, func() Client { return ForStore(s) })
}
