package fields

import "testing"

func BenchmarkParseSelector(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSelector(`metadata.namespace=default,spec.nodeName=node-1,status.phase!=Succeeded`); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatches(b *testing.B) {
	sel := MustParseSelector(`metadata.namespace=default,spec.nodeName=node-1,status.phase!=Succeeded`)
	fs := Set{"metadata.name": "web-1", "metadata.namespace": "default", "spec.nodeName": "node-1",
		"status.phase": "Running", "spec.restartPolicy": "Always"}
	b.ReportAllocs()
	for b.Loop() {
		if !sel.Matches(fs) {
			b.Fatal("no match")
		}
	}
}
