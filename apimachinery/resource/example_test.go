package resource_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/resource"
)

func ExampleParseQuantity() {
	for _, s := range []string{"0.5", "1500Mi", "1024Mi", "1.5Gi", "1e3", "1e4", "0.0000000001"} {
		q, err := resource.ParseQuantity(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-13s %-7s %s\n", s, q.String(), q.Format)
	}
	_, err := resource.ParseQuantity("1KB")
	fmt.Println(errors.Is(err, resource.ErrFormatWrong))
	// Output:
	// 0.5           500m    DecimalSI
	// 1500Mi        1500Mi  BinarySI
	// 1024Mi        1Gi     BinarySI
	// 1.5Gi         1536Mi  BinarySI
	// 1e3           1e3     DecimalExponent
	// 1e4           10e3    DecimalExponent
	// 0.0000000001  1n      DecimalSI
	// true
}

func ExampleQuantity_Add() {
	total := resource.Quantity{}
	for _, req := range []string{"250m", "1", "0.5"} {
		total.Add(resource.MustParse(req))
	}
	fmt.Println(total.String(), total.MilliValue(), total.Value())
	fmt.Println(total.Cmp(resource.MustParse("2")))
	// Output:
	// 1750m 1750 2
	// -1
}

func ExampleQuantity_Cmp() {
	gi := resource.MustParse("1Gi")
	fmt.Println(gi.Cmp(resource.MustParse("1073741824")), gi.Cmp(resource.MustParse("1G")))
	// Output: 0 1
}

func ExampleQuantity_MarshalJSON() {
	var limits struct {
		CPU    resource.Quantity `json:"cpu"`
		Memory resource.Quantity `json:"memory"`
	}
	// Kubernetes accepts JSON numbers as well as strings.
	if err := json.Unmarshal([]byte(`{"cpu": 0.5, "memory": "2048Mi"}`), &limits); err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.Marshal(limits)
	fmt.Println(string(out))
	// Output: {"cpu":"500m","memory":"2Gi"}
}

type ResourceName string

func ExampleLessOrEqual() {
	node := map[ResourceName]resource.Quantity{"cpu": resource.MustParse("4"), "memory": resource.MustParse("8Gi")}
	used := map[ResourceName]resource.Quantity{"cpu": resource.MustParse("3500m"), "memory": resource.MustParse("6Gi")}
	pod := map[ResourceName]resource.Quantity{"cpu": resource.MustParse("1"), "memory": resource.MustParse("1Gi")}

	free := resource.Sub(node, used)
	fmt.Println(free["cpu"].String(), free["memory"].String())
	fmt.Println(resource.LessOrEqual(pod, free), resource.Exceeded(pod, free))
	// Output:
	// 500m 2Gi
	// false [cpu]
}
