// Package resource provides Quantity, the fixed-point number Kubernetes uses for amounts of
// resources ("100m" of CPU, "1Gi" of memory), and helpers for lists of named quantities.
//
// A Quantity is parsed from text with ParseQuantity (or MustParse for constants), remembers the
// notation it was written in (DecimalSI, BinarySI or DecimalExponent), and prints in the
// canonical form Kubernetes prints: "0.5" becomes "500m", "1024Mi" becomes "1Gi", "1500Mi"
// stays "1500Mi". Arithmetic (Add, Sub, Neg) and comparison (Cmp, Equal) are exact across
// notations: "1Gi" equals "1073741824". Value, MilliValue and ScaledValue read a quantity as an
// integer at some precision, rounding away from zero.
//
// The usage loop:
//
//	req := resource.MustParse("250m")
//	total := resource.Quantity{}
//	total.Add(req)
//	if total.Cmp(capacity) > 0 { ... }
//	fmt.Println(total.String(), total.MilliValue())
//
// Lists of named quantities (core/v1's ResourceList is map[ResourceName]resource.Quantity) are
// handled by the generic functions Add, Sub, Max, Equal, LessOrEqual, Exceeded, Zero, IsZero,
// Clone and Names, which accept any map[K]Quantity whose key is a string type.
//
// Concurrency and ownership: a Quantity is a value. Copying one (assignment, passing it) gives
// an independent quantity: the methods with pointer receivers change only the variable they
// are called on, and internal big numbers are never mutated once built. A Quantity may be read
// from many goroutines at once; writing it needs the caller's synchronisation, like any Go
// value. The list helpers never modify their arguments and return fresh maps.
//
// Wire format: a JSON string holding the canonical text. Decoding also accepts a JSON number,
// as Kubernetes does. Quantities must be compared with Cmp or Equal (go-cmp uses Equal), never
// with == or reflect.DeepEqual, because equal numbers may be stored differently.
package resource
