package leaderelection_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	"github.com/cellkit/cellkit/controller/leaderelection"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

func ExampleElector() {
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
	ctx, cancel := context.WithCancel(context.Background())
	e, err := leaderelection.New(leaderelection.Options{
		Client:          leaderelection.ForStore(s),
		Namespace:       "kube-system",
		Name:            "widgets-controller",
		Identity:        "replica-1",
		ReleaseOnCancel: true,
		Callbacks: leaderelection.Callbacks{
			OnNewLeader: func(id string) { fmt.Println("leader:", id) },
			OnStartedLeading: func(ctx context.Context) {
				fmt.Println("started leading")
				cancel() // a real program runs its controllers until ctx ends
				<-ctx.Done()
			},
			OnStoppedLeading: func() { fmt.Println("stopped leading") },
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("run:", e.Run(ctx))
	l, err := leaderelection.ForStore(s).Get(context.Background(), "kube-system", "widgets-controller", store.GetOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("released:", l.Spec.HolderIdentity == nil, "transitions:", *l.Spec.LeaseTransitions, "duration:", time.Duration(*l.Spec.LeaseDurationSeconds)*time.Second)
	// Output:
	// leader: replica-1
	// started leading
	// stopped leading
	// run: <nil>
	// released: true transitions: 0 duration: 1s
}
