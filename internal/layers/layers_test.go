package layers

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/cellkit/cellkit"

// layer of every area of the module. A package may import another of ours only if the
// other's layer is strictly lower, or both are in the same area. Areas in one layer are siblings
// and must not import each other.
var layerOf = map[string]int{
	"internal/clock":       0,
	"internal/layers":      0,
	"apimachinery":         1,
	"workqueue":            1,
	"internal/gentool":     1, // what the code generators share (imports nothing of ours)
	"internal/apitest":     2, // test support for the API types
	"internal/deepcopygen": 2, // the generator and its test support read apimachinery types
	"internal/interngen":   2, // the generator of informer.Dedup's interning code
	"store":                3,
	"informer":             4,
	"scheduler":            5,
	"controller":           6,
	"examples":             7,
}

// testSupport are packages that exist to help tests: the tests of any package may import them,
// even though they themselves import the layer under test.
var testSupport = map[string]bool{
	module + "/internal/apitest":                  true,
	module + "/internal/deepcopygen/deepcopytest": true,
}

// area maps a package path to the key of layerOf that owns it.
func area(pkg string) (string, bool) {
	rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
	best := ""
	for a := range layerOf {
		if (rel == a || strings.HasPrefix(rel, a+"/")) && len(a) > len(best) {
			best = a
		}
	}
	return best, best != ""
}

// allowed reports whether a package in area from may import one in area to.
func allowed(from, to string) bool {
	if from == to {
		return true
	}
	// internal packages are shared private code: anything above them may use them.
	return layerOf[to] < layerOf[from]
}

func TestImportGraphFollowsLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-f",
		`{{.ImportPath}}|{{join .Imports " "}}|{{join .TestImports " "}}|{{join .XTestImports " "}}`,
		module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	packages := 0
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "|")
		if len(parts) != 4 {
			t.Fatalf("unexpected go list line %q", sc.Text())
		}
		pkg := parts[0]
		packages++
		from, ok := area(pkg)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s is in no known area: add its area to layerOf", pkg))
			continue
		}
		nonTest := len(strings.Fields(parts[1]))
		for i, imp := range strings.Fields(parts[1] + " " + parts[2] + " " + parts[3]) {
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue
			}
			if imp == pkg || (i >= nonTest && testSupport[imp]) {
				continue
			}
			to, ok := area(imp)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s imports %s, which is in no known area", pkg, imp))
				continue
			}
			if !allowed(from, to) {
				problems = append(problems, fmt.Sprintf("%s (%s, layer %d) imports %s (%s, layer %d)",
					pkg, from, layerOf[from], imp, to, layerOf[to]))
			}
		}
	}
	if packages == 0 {
		t.Fatal("go list returned no packages")
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

func TestAllowedRules(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{"store", "apimachinery", true},
		{"apimachinery", "store", false},
		{"workqueue", "apimachinery", false},
		{"apimachinery", "workqueue", false},
		{"informer", "workqueue", true},
		{"controller", "informer", true},
		{"informer", "controller", false},
		{"scheduler", "controller", false},
		{"apimachinery", "internal/clock", true},
		{"internal/clock", "apimachinery", false},
	}
	for _, tt := range tests {
		if got := allowed(tt.from, tt.to); got != tt.want {
			t.Errorf("allowed(%s -> %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	if a, _ := area(module + "/apimachinery/apis/core/v1"); a != "apimachinery" {
		t.Errorf("area of core/v1 = %q", a)
	}
	if a, _ := area(module + "/internal/clock"); a != "internal/clock" {
		t.Errorf("area of internal/clock = %q", a)
	}
}
