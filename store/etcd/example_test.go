package etcd_test

import (
	"context"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/storetest"
)

// This example needs an etcd listening on 127.0.0.1:2379, so it is compiled but not run (it
// has no Output line). Tests start etcd themselves with package etcdtest.
func Example() {
	ctx := context.Background()
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}, DialTimeout: 5 * time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cli.Close()
	s, err := etcd.New(etcd.Options{Client: cli, Resources: storetest.Resources()})
	if err != nil {
		fmt.Println(err)
		return
	}
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	w, err := widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	key, _ := s.Key(storetest.Widgets, "default", "web")
	fmt.Println("stored at", key, "resourceVersion", w.ResourceVersion)
}

// ResourcePath gives the default key path of a resource below the prefix.
func ExampleResourcePath() {
	fmt.Println(etcd.ResourcePath(schema.GroupResource{Resource: "pods"}))
	fmt.Println(etcd.ResourcePath(schema.GroupResource{Group: "apps", Resource: "deployments"}))
	// Output:
	// pods
	// apps/deployments
}
