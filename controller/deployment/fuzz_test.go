package deployment

import (
	"strconv"
	"strings"
	"testing"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// FuzzRevision parses revision annotations: never a panic; a revision it accepts is a
// non-negative number that prints back to an equal value.
func FuzzRevision(f *testing.F) {
	for _, s := range []string{"", "0", "1", "42", "-1", "007", "1e3", " 1", "9223372036854775807", "9223372036854775808", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n, err := Revision(&meta.ObjectMeta{Annotations: map[string]string{RevisionAnnotation: v}})
		if err != nil {
			if n != 0 {
				t.Fatalf("error with revision %d", n)
			}
			return
		}
		if n < 0 {
			t.Fatalf("negative revision %d from %q", n, v)
		}
		if v == "" {
			return
		}
		back, err := strconv.ParseInt(strconv.FormatInt(n, 10), 10, 64)
		if err != nil || back != n {
			t.Fatalf("revision %d from %q does not round-trip", n, v)
		}
		rs := &appsv1.ReplicaSet{ObjectMeta: meta.ObjectMeta{Annotations: map[string]string{DesiredReplicasAnnotation: v}}}
		if r, ok := replicasAnnotation(rs, DesiredReplicasAnnotation); ok && (r < 0 || int64(r) != n) {
			t.Fatalf("replicas %d from %q, revision %d", r, v, n)
		}
	})
}

// FuzzAppendRevisionHistory checks the revision-history annotation: the result never
// exceeds the limit when the revision fits, ends with the revision, and keeps a suffix of
// the old history.
func FuzzAppendRevisionHistory(f *testing.F) {
	f.Add("", "1", 2000)
	f.Add("1,2,3", "4", 5)
	f.Add("10,20,30", "400", 7)
	f.Add("1,,2", "3", 3)
	f.Add("abc", "12345", 4)
	f.Add("1", "2", -1)
	f.Fuzz(func(t *testing.T, history, rev string, limit int) {
		out, ok := appendRevisionHistory(history, rev, limit)
		if !ok {
			if out != history {
				t.Fatalf("refused, but changed %q to %q", history, out)
			}
			if len(rev) <= limit {
				t.Fatalf("refused a revision %q that fits %d", rev, limit)
			}
			return
		}
		if len(out) > limit && out != rev {
			t.Fatalf("%q is longer than %d", out, limit)
		}
		if !strings.HasSuffix(out, rev) {
			t.Fatalf("%q does not end with %q", out, rev)
		}
		full := rev
		if history != "" {
			full = history + "," + rev
		}
		if !strings.HasSuffix(full, out) {
			t.Fatalf("%q is not a suffix of %q", out, full)
		}
	})
}

// FuzzResolveFenceposts resolves arbitrary budgets: never a panic; accepted budgets are
// non-negative and let a rollout move (surge or unavailable positive).
func FuzzResolveFenceposts(f *testing.F) {
	f.Add(false, int32(0), "25%", false, int32(0), "25%", int32(10))
	f.Add(true, int32(0), "", true, int32(0), "", int32(10))
	f.Add(true, int32(-1), "", false, int32(0), "0%", int32(3))
	f.Add(false, int32(0), "150%", false, int32(0), "100%", int32(7))
	f.Add(false, int32(0), "2147483647%", true, int32(1), "", int32(2147483647))
	f.Add(false, int32(0), "%", false, int32(0), "-0%", int32(-5))
	f.Fuzz(func(t *testing.T, sInt bool, sv int32, ss string, uInt bool, uv int32, us string, desired int32) {
		mk := func(isInt bool, v int32, s string) *intstr.IntOrString {
			if isInt {
				return &intstr.IntOrString{Type: intstr.Int, IntVal: v}
			}
			return &intstr.IntOrString{Type: intstr.String, StrVal: s}
		}
		surge, unavail, err := ResolveFenceposts(mk(sInt, sv, ss), mk(uInt, uv, us), desired)
		if err != nil {
			if surge != 0 || unavail != 0 {
				t.Fatalf("error with values %d, %d", surge, unavail)
			}
			return
		}
		if surge < 0 || unavail < 0 {
			t.Fatalf("negative budget %d, %d", surge, unavail)
		}
		if surge == 0 && unavail == 0 {
			t.Fatal("a budget that cannot move")
		}
	})
}

// FuzzProportionalScale spreads random sizes and annotations: sizes never go negative, empty
// ReplicaSets are not scaled up, a scale-up ends at exactly the allowed total, a scale-down at
// no less than it (a ReplicaSet is not taken below zero), and without a change nothing moves.
// With annotations that contradict the sizes (only a hand edit makes those) a scale-down may
// end above where it started, as Kubernetes' algorithm does.
func FuzzProportionalScale(f *testing.F) {
	f.Add(int32(15), int32(3), int32(8), int32(5), int32(0), int32(13), int32(13), int32(0), int32(10))
	f.Add(int32(0), int32(3), int32(11), int32(7), int32(0), int32(18), int32(18), int32(0), int32(18))
	f.Add(int32(7), int32(3), int32(3), int32(3), int32(3), int32(9), int32(9), int32(9), int32(9))
	f.Add(int32(20), int32(0), int32(6), int32(0), int32(4), int32(-1), int32(-1), int32(-1), int32(0))
	f.Add(int32(1), int32(1), int32(100), int32(1), int32(0), int32(1), int32(0), int32(0), int32(0))
	f.Fuzz(func(t *testing.T, desired, surge, a, b, c, ma, mb, mc, statusReplicas int32) {
		if desired < 0 || surge < 0 || a < 0 || b < 0 || c < 0 || desired > 1<<20 || surge > 1<<20 || a > 1<<20 || b > 1<<20 || c > 1<<20 {
			return
		}
		d := dep(desired, strconv.Itoa(int(surge)), "1")
		d.Status.Replicas = statusReplicas
		rss := []*appsv1.ReplicaSet{rs("a", a, 1, ma), rs("b", b, 2, mb), rs("c", c, 3, mc)}
		before := map[string]int32{"a": a, "b": b, "c": c}
		steps, op := proportionalScale(d, rss)
		var total, was int32
		for _, st := range steps {
			if st.size < 0 {
				t.Fatalf("%s scaled to %d", st.rs.Name, st.size)
			}
			if before[st.rs.Name] == 0 {
				t.Fatalf("empty %s was given %d", st.rs.Name, st.size)
			}
			total += st.size
			was += before[st.rs.Name]
		}
		allowed := int32(0)
		if desired > 0 {
			allowed = desired + surge
		}
		switch op {
		case "up":
			if total != allowed {
				t.Fatalf("scaled up to %d, allowed %d", total, allowed)
			}
		case "down":
			if total < allowed {
				t.Fatalf("scaled down from %d to %d, allowed %d", was, total, allowed)
			}
		case "":
			if total != was {
				t.Fatalf("no change, but %d became %d", was, total)
			}
		}
	})
}
