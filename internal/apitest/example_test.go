package apitest_test

import (
	"fmt"
	"strings"

	"github.com/cellkit/cellkit/internal/apitest"
)

type spec struct {
	Tags   []string
	Labels map[string]string
}

// goodCopy copies every reference.
func goodCopy(in *spec) *spec {
	out := &spec{Tags: append([]string(nil), in.Tags...), Labels: map[string]string{}}
	for k, v := range in.Labels {
		out.Labels[k] = v
	}
	return out
}

// shallowCopy shares the map with its input, the bug CheckCopy exists to catch.
func shallowCopy(in *spec) *spec {
	return &spec{Tags: append([]string(nil), in.Tags...), Labels: in.Labels}
}

// CheckCopy fills a value from a seed, copies it, mutates the copy and checks the original did
// not change: a copy that shares memory is caught.
func ExampleCheckCopy() {
	fmt.Println(apitest.CheckCopy(1, apitest.Options{}, nil, "goodCopy", goodCopy))
	err := apitest.CheckCopy(1, apitest.Options{}, nil, "shallowCopy", shallowCopy)
	fmt.Println(strings.SplitN(err.Error(), "\n", 2)[0])
	// Output:
	// <nil>
	// seed 1: mutating the result of shallowCopy changed the original (-before +after):
}
