package resource

import (
	"testing"
)

var benchInputs = []string{"100m", "1Gi", "2", "500Mi"}

func BenchmarkParseQuantity(b *testing.B) {
	for _, in := range append(benchInputs, "1.5Gi", "123456789012345678901234") {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseQuantity(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkString(b *testing.B) {
	for _, in := range append(benchInputs, "1.5Gi") {
		q := MustParse(in)
		b.Run(in+"/parsed", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = q.String()
			}
		})
		fresh := q
		fresh.s = ""
		b.Run(in+"/computed", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = fresh.String()
			}
		})
	}
}

func BenchmarkMarshalJSON(b *testing.B) {
	q := MustParse("1536Mi")
	q.s = ""
	b.ReportAllocs()
	for b.Loop() {
		if _, err := q.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalJSON(b *testing.B) {
	data := []byte(`"500Mi"`)
	b.ReportAllocs()
	for b.Loop() {
		var q Quantity
		if err := q.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	ys := []Quantity{MustParse("100m"), MustParse("1Gi"), MustParse("2"), MustParse("500Mi")}
	base := MustParse("250m")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := base
		q.Add(ys[i%len(ys)])
		i++
	}
}

func BenchmarkCmp(b *testing.B) {
	xs := []Quantity{MustParse("100m"), MustParse("1Gi"), MustParse("2"), MustParse("500Mi")}
	ys := []Quantity{MustParse("1"), MustParse("1073741824"), MustParse("2000m"), MustParse("0.5Gi")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = xs[i%len(xs)].Cmp(ys[(i/4)%len(ys)])
		i++
	}
}

func BenchmarkListAdd(b *testing.B) {
	a := resourceList{"cpu": MustParse("1"), "memory": MustParse("1Gi"), "pods": MustParse("1")}
	c := resourceList{"cpu": MustParse("500m"), "memory": MustParse("512Mi")}
	b.ReportAllocs()
	for b.Loop() {
		_ = Add(a, c)
	}
}
