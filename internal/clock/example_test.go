package clock_test

import (
	"fmt"
	"time"

	"github.com/cellkit/cellkit/internal/clock"
)

func ExampleFake() {
	fc := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fc.AfterFunc(2*time.Second, func() { fmt.Println("fired at", fc.Now().Format(time.TimeOnly)) })
	fc.Step(time.Second)
	fmt.Println("waiters after 1s:", fc.Waiters())
	fc.Step(time.Second)
	fmt.Println("waiters after 2s:", fc.Waiters())
	// Output:
	// waiters after 1s: 1
	// fired at 00:00:02
	// waiters after 2s: 0
}
