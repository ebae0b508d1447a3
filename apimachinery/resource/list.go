package resource

import (
	"slices"
)

// The functions below work on any list of named quantities, such as core/v1's
// ResourceList (map[ResourceName]Quantity). None of them modifies its arguments; the maps they
// return are new and share nothing with the inputs. A name missing from a list counts as zero.

// Clone returns a deep copy of list; a nil list gives nil.
func Clone[M ~map[K]Quantity, K ~string](list M) M {
	if list == nil {
		return nil
	}
	out := make(M, len(list))
	for k, v := range list {
		out[k] = v.DeepCopy()
	}
	return out
}

// Add returns a + b, name by name, over the names of both lists.
func Add[M ~map[K]Quantity, K ~string](a, b M) M {
	out := Clone(a)
	if out == nil {
		out = make(M, len(b))
	}
	for k, v := range b {
		sum := out[k]
		sum.Add(v)
		out[k] = sum
	}
	return out
}

// Sub returns a - b, name by name, over the names of both lists: a name only in b gives a
// negative quantity.
func Sub[M ~map[K]Quantity, K ~string](a, b M) M {
	out := Clone(a)
	if out == nil {
		out = make(M, len(b))
	}
	for k, v := range b {
		diff := out[k]
		diff.Sub(v)
		out[k] = diff
	}
	return out
}

// Max returns the larger quantity of a and b for every name in either list.
func Max[M ~map[K]Quantity, K ~string](a, b M) M {
	out := Clone(a)
	if out == nil {
		out = make(M, len(b))
	}
	for k, v := range b {
		if cur, ok := out[k]; !ok || v.Cmp(cur) > 0 {
			out[k] = v.DeepCopy()
		}
	}
	return out
}

// Equal reports whether a and b name the same resources with equal quantities (whatever their
// formats). A name that one list holds with a zero quantity and the other lacks makes them
// different, as in Kubernetes' quota helpers.
func Equal[M ~map[K]Quantity, K ~string](a, b M) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || v.Cmp(w) != 0 {
			return false
		}
	}
	return true
}

// LessOrEqual reports whether every quantity of a is at most the quantity of the same name in
// b, a missing name in b counting as zero: whether a request fits in what is available.
func LessOrEqual[M ~map[K]Quantity, K ~string](a, b M) bool {
	for k, v := range a {
		w := b[k]
		if v.Cmp(w) > 0 {
			return false
		}
	}
	return true
}

// Exceeded returns, sorted, the names whose quantity in a is greater than in b (missing names
// count as zero): the resources a request does not fit in. It returns nil when a fits in b.
func Exceeded[M ~map[K]Quantity, K ~string](a, b M) []K {
	var out []K
	for k, v := range a {
		w := b[k]
		if v.Cmp(w) > 0 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Zero returns a list with the names of list and zero quantities in their formats.
func Zero[M ~map[K]Quantity, K ~string](list M) M {
	if list == nil {
		return nil
	}
	out := make(M, len(list))
	for k, v := range list {
		out[k] = Quantity{Format: v.Format}
	}
	return out
}

// IsZero reports whether every quantity of list is zero (true for an empty list).
func IsZero[M ~map[K]Quantity, K ~string](list M) bool {
	for _, v := range list {
		if !v.IsZero() {
			return false
		}
	}
	return true
}

// Names returns the names of list, sorted.
func Names[M ~map[K]Quantity, K ~string](list M) []K {
	out := make([]K, 0, len(list))
	for k := range list {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
