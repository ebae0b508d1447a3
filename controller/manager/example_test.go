package manager_test

import (
	"context"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/apis"
	"github.com/cellkit/cellkit/controller/manager"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

func ExampleManager() {
	scheme, err := apis.NewScheme()
	if err != nil {
		panic(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		panic(err)
	}
	s, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		panic(err)
	}
	m, err := manager.New(manager.Options{Store: s, Scheme: scheme, LeaderElection: &manager.LeaderElection{
		Namespace: "kube-system", Name: "example", Identity: "replica-1", ReleaseOnCancel: true,
	}})
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_ = m.Add(manager.WithoutLeaderElection(manager.RunnableFunc(func(ctx context.Context) error {
		fmt.Println("every replica: serving")
		<-ctx.Done()
		return nil
	})))
	_ = m.Add(manager.RunnableFunc(func(ctx context.Context) error {
		fmt.Println("leader only: reconciling")
		cancel()
		<-ctx.Done()
		return nil
	}))
	fmt.Println("run:", m.Run(ctx))
	// Unordered output:
	// every replica: serving
	// leader only: reconciling
	// run: <nil>
}
