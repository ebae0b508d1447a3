package intstr_test

import (
	"encoding/json"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/intstr"
)

// A rolling update's budgets are counts or percentages of the desired replicas.
func ExampleScaledValue() {
	var budget struct {
		MaxSurge       intstr.IntOrString `json:"maxSurge"`
		MaxUnavailable intstr.IntOrString `json:"maxUnavailable"`
	}
	if err := json.Unmarshal([]byte(`{"maxSurge":"25%","maxUnavailable":1}`), &budget); err != nil {
		fmt.Println(err)
		return
	}
	surge, _ := intstr.ScaledValue(&budget.MaxSurge, 10, true)
	unavailable, _ := intstr.ScaledValue(&budget.MaxUnavailable, 10, false)
	fmt.Println(surge, unavailable)

	out, _ := json.Marshal(budget)
	fmt.Println(string(out))

	_, err := intstr.ScaledValue(&intstr.IntOrString{Type: intstr.String, StrVal: "half"}, 10, false)
	fmt.Println(err)
	// Output:
	// 3 1
	// {"maxSurge":"25%","maxUnavailable":1}
	// intstr: "half" is neither an integer nor a percentage
}
