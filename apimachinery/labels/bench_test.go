package labels

import "testing"

var benchLabels = Set{
	"app": "web", "tier": "front", "env": "prod", "version": "v2", "zone": "us-east-1a",
	"team": "payments", "release": "stable", "owner": "alice", "shard": "17", "app.kubernetes.io/name": "web",
}

func BenchmarkParse(b *testing.B) {
	const in = "app=web,tier in (front,back),!canary,version notin (v1,v0),shard>3"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatchesEquality(b *testing.B) {
	sel := MustParse("app=web,tier=front,env=prod,version=v2,zone=us-east-1a")
	b.ReportAllocs()
	for b.Loop() {
		if !sel.Matches(benchLabels) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkMatchesSetBased(b *testing.B) {
	sel := MustParse("app in (web,api),tier notin (back),!canary,release,shard>3")
	b.ReportAllocs()
	for b.Loop() {
		if !sel.Matches(benchLabels) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkSelectorString(b *testing.B) {
	sel := MustParse("app=web,tier in (front,back),!canary,version notin (v1,v0),shard>3")
	b.ReportAllocs()
	for b.Loop() {
		_ = sel.String()
	}
}
