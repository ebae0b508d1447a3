package resource

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parseCase is one fact about Kubernetes' ParseQuantity: the canonical text it prints for an
// input and the format it remembers. The pairs come from Kubernetes' quantity documentation
// and its own tests of parsing, emitting and rounding.
type parseCase struct {
	in     string
	want   string
	format Format
}

var parseCases = []parseCase{
	// Zeros of every suffix print as "0" but keep the suffix's format.
	{"0", "0", DecimalSI},
	{"0n", "0", DecimalSI},
	{"0u", "0", DecimalSI},
	{"0m", "0", DecimalSI},
	{"0Ki", "0", BinarySI},
	{"0k", "0", DecimalSI},
	{"0Mi", "0", BinarySI},
	{"0M", "0", DecimalSI},
	{"0Gi", "0", BinarySI},
	{"0T", "0", DecimalSI},
	{"0e3", "0", DecimalExponent},
	{"0.000", "0", DecimalSI},

	{"1", "1", DecimalSI},
	{"2", "2", DecimalSI},

	// Binary suffixes.
	{"1Ki", "1Ki", BinarySI},
	{"8Ki", "8Ki", BinarySI},
	{"7Mi", "7Mi", BinarySI},
	{"6Gi", "6Gi", BinarySI},
	{"5Ti", "5Ti", BinarySI},
	{"4Pi", "4Pi", BinarySI},
	{"3Ei", "3Ei", BinarySI},
	{"10Ti", "10Ti", BinarySI},
	{"100Ti", "100Ti", BinarySI},
	{"500Mi", "500Mi", BinarySI},
	{"1500Mi", "1500Mi", BinarySI},
	{"1000Mi", "1000Mi", BinarySI},
	{"1024Mi", "1Gi", BinarySI},
	{"1025Ki", "1025Ki", BinarySI},
	{"2048Ki", "2Mi", BinarySI},
	{"307200Ki", "300Mi", BinarySI},
	{"1025024Mi", "1001Gi", BinarySI},
	{"1024Gi", "1Ti", BinarySI},

	// Decimal suffixes.
	{"5n", "5n", DecimalSI},
	{"4u", "4u", DecimalSI},
	{"3m", "3m", DecimalSI},
	{"100m", "100m", DecimalSI},
	{"1000m", "1", DecimalSI},
	{"1500m", "1500m", DecimalSI},
	{"9", "9", DecimalSI},
	{"8k", "8k", DecimalSI},
	{"50k", "50k", DecimalSI},
	{"7M", "7M", DecimalSI},
	{"1000M", "1G", DecimalSI},
	{"6G", "6G", DecimalSI},
	{"5T", "5T", DecimalSI},
	{"40T", "40T", DecimalSI},
	{"300T", "300T", DecimalSI},
	{"2P", "2P", DecimalSI},
	{"1E", "1E", DecimalSI},
	{"12E", "12E", DecimalSI},
	{"1000u", "1m", DecimalSI},
	{"1080000000n", "1080m", DecimalSI},
	{"1.08", "1080m", DecimalSI},
	{"0.001T", "1G", DecimalSI},

	// Decimal exponents: the exponent is a multiple of three.
	{"1E-3", "1e-3", DecimalExponent},
	{"1e3", "1e3", DecimalExponent},
	{"1E6", "1e6", DecimalExponent},
	{"1e9", "1e9", DecimalExponent},
	{"1E12", "1e12", DecimalExponent},
	{"1e15", "1e15", DecimalExponent},
	{"1E18", "1e18", DecimalExponent},
	{"1e14", "100e12", DecimalExponent},
	{"1e13", "10e12", DecimalExponent},
	{"1e4", "10e3", DecimalExponent},
	{".001e12", "1e9", DecimalExponent},
	{"0.001e0", "1e-3", DecimalExponent},
	{"1000e-12", "1e-9", DecimalExponent},
	{"80e-3", "80e-3", DecimalExponent},
	{"300e6", "300e6", DecimalExponent},
	{"1e+3", "1e3", DecimalExponent},
	{"1e0", "1", DecimalExponent},

	// Things that look like floating point.
	{"100.035k", "100035", DecimalSI},
	{"0.001", "1m", DecimalSI},
	{"0.0005k", "500m", DecimalSI},
	{"0.005", "5m", DecimalSI},
	{"0.05", "50m", DecimalSI},
	{"0.5", "500m", DecimalSI},
	{"0.00050k", "500m", DecimalSI},
	{"0.00500", "5m", DecimalSI},
	{"0.05000", "50m", DecimalSI},
	{"0.50000", "500m", DecimalSI},
	{"0.5e0", "500e-3", DecimalExponent},
	{"0.5e-1", "50e-3", DecimalExponent},
	{"0.5e-2", "5e-3", DecimalExponent},
	{"10.035M", "10035k", DecimalSI},
	{"1.2e3", "1200", DecimalExponent},
	{"1.3E+6", "1300e3", DecimalExponent},
	{"1.40e9", "1400e6", DecimalExponent},
	{"1.53E12", "1530e9", DecimalExponent},
	{"1.6e15", "1600e12", DecimalExponent},
	{"1.7E18", "1700e15", DecimalExponent},
	{"9.01", "9010m", DecimalSI},
	{"8.1k", "8100", DecimalSI},
	{"7.123456M", "7123456", DecimalSI},
	{"6.987654321G", "6987654321", DecimalSI},
	{"5.444T", "5444G", DecimalSI},
	{"40.1T", "40100G", DecimalSI},
	{"300.2T", "300200G", DecimalSI},
	{"2.5P", "2500T", DecimalSI},
	{"1.01E", "1010P", DecimalSI},
	{"1.5", "1500m", DecimalSI},
	{"0.0001", "100u", DecimalSI},

	// Rounding up (away from zero) to nano precision.
	{"3.001n", "4n", DecimalSI},
	{"1.1E-9", "2e-9", DecimalExponent},
	{"0.0000000001", "1n", DecimalSI},
	{"0.0000000005", "1n", DecimalSI},
	{"0.00000000050", "1n", DecimalSI},
	{"0.5e-9", "1e-9", DecimalExponent},
	{"0.9n", "1n", DecimalSI},
	{"0.00000012345", "124n", DecimalSI},
	{"0.00000012354", "124n", DecimalSI},
	{"1e-1000", "1e-9", DecimalExponent},
	{"1234567890123456789e-1000000000", "1e-9", DecimalExponent},
	{"0.1234567890123456789012345678901234567890123456789Ki", "126419751949n", BinarySI},
	{"0.0000000000001234567890123456789Ki", "1n", DecimalSI},
	{"1.0000000001", "1000000001n", DecimalSI},

	// Binary quantities are capped at the largest int64.
	{"9Ei", "9223372036854775807", BinarySI},
	{"8Ei", "9223372036854775807", BinarySI},
	{"9223372036854775807Ki", "9223372036854775807", BinarySI},
	{"99999999999999999999999Ei", "9223372036854775807", BinarySI},
	{"7Ei", "7Ei", BinarySI},

	// Fractional binary quantities print as decimal when they are not integers or are small.
	{"100.035Ki", "102435840m", BinarySI},
	{"0.5Mi", "512Ki", BinarySI},
	{"1.5Gi", "1536Mi", BinarySI},
	{"0.5Gi", "512Mi", BinarySI},
	{"0.05Gi", "53687091200m", BinarySI},
	{"0.025Ti", "27487790694400m", BinarySI},
	{"0.5Ki", "512", BinarySI},
	{".001Ki", "1024m", BinarySI},
	{".000001Ki", "1024u", DecimalSI},
	{".000000001Ki", "1024n", DecimalSI},
	{"0.000000000001Ki", "2n", DecimalSI},

	// Written by trolls, still parsable.
	{".001", "1m", DecimalSI},
	{".0001k", "100m", DecimalSI},
	{"1.", "1", DecimalSI},
	{"1.G", "1G", DecimalSI},
	{"+1", "1", DecimalSI},
	{"01", "1", DecimalSI},
	{"+.5", "500m", DecimalSI},
	{"000000000000000000000000000001", "1", DecimalSI},

	// DecimalSI beyond "E" falls back to an exponent instead of losing magnitude.
	{"1000E", "1e21", DecimalSI},
	{"5000E", "5e21", DecimalSI},
	{"1000000E", "1e24", DecimalSI},
	{"10000E", "10e21", DecimalSI},

	// Beyond int64.
	{"9223372036854775808", "9223372036854775808", DecimalSI},
	{"123456789012345678901234", "123456789012345678901234", DecimalSI},
	{"123456789012345678901.234", "123456789012345678901234m", DecimalSI},
	{"1e100", "10e99", DecimalExponent},
}

func TestParseQuantityCanonical(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.in, func(t *testing.T) {
			q, err := ParseQuantity(tc.in)
			if err != nil {
				t.Fatalf("ParseQuantity(%q): %v", tc.in, err)
			}
			if got := q.String(); got != tc.want {
				t.Errorf("ParseQuantity(%q).String() = %q, want %q", tc.in, got, tc.want)
			}
			if q.Format != tc.format {
				t.Errorf("ParseQuantity(%q).Format = %s, want %s", tc.in, q.Format, tc.format)
			}
			if q.s != "" && q.s != tc.want {
				t.Errorf("ParseQuantity(%q) cached %q as canonical, want %q", tc.in, q.s, tc.want)
			}
			// The canonical text reads back to the same number and prints the same.
			back, err := ParseQuantity(tc.want)
			if err != nil {
				t.Fatalf("ParseQuantity(%q) of the canonical text: %v", tc.want, err)
			}
			if !back.Equal(q) {
				t.Errorf("canonical %q reads back as %s, not equal to %s", tc.want, back.String(), q.String())
			}
			if got := back.String(); got != tc.want {
				t.Errorf("canonical %q prints again as %q", tc.want, got)
			}
		})
	}
}

func TestParseQuantityNegative(t *testing.T) {
	for _, tc := range parseCases {
		if tc.want == "0" {
			continue
		}
		t.Run(tc.in, func(t *testing.T) {
			in := "-" + strings.TrimPrefix(tc.in, "+")
			q, err := ParseQuantity(in)
			if err != nil {
				t.Fatalf("ParseQuantity(%q): %v", in, err)
			}
			if got, want := q.String(), "-"+tc.want; got != want {
				t.Errorf("ParseQuantity(%q).String() = %q, want %q", in, got, want)
			}
			if q.Format != tc.format {
				t.Errorf("ParseQuantity(%q).Format = %s, want %s", in, q.Format, tc.format)
			}
			if q.Sign() != -1 {
				t.Errorf("ParseQuantity(%q).Sign() = %d, want -1", in, q.Sign())
			}
		})
	}
}

func TestParseQuantityErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrFormatWrong},
		{"1.1.M", ErrFormatWrong},
		{"1+1.0M", ErrFormatWrong},
		{"0.1am", ErrFormatWrong},
		{"aoeu", ErrFormatWrong},
		{" 1", ErrFormatWrong},
		{"1 ", ErrFormatWrong},
		{"1e1.5", ErrFormatWrong},
		{"1e3k", ErrFormatWrong},
		{"Non-Numeric", ErrFormatWrong},
		{".", ErrFormatWrong},
		{"-", ErrFormatWrong},
		{"+", ErrFormatWrong},
		{"Ki", ErrFormatWrong},
		{"--1", ErrFormatWrong},
		{"1,5", ErrFormatWrong},
		{"0.1mi", ErrSuffix},
		{".5i", ErrSuffix},
		{"1i", ErrSuffix},
		{"-3.01i", ErrSuffix},
		{"-3.01e-", ErrSuffix},
		{"1e", ErrSuffix},
		{"1e+", ErrSuffix},
		{"1K", ErrSuffix},
		{"1ki", ErrSuffix},
		{"1KiB", ErrFormatWrong},
		{"1EE", ErrSuffix},
		{"1Ki5", ErrSuffix},
		{"1e99999999999999999999", ErrNumeric},
		{"1e2000", ErrNumeric},
		{"1e-2000000000", ErrNumeric},
		{"1" + strings.Repeat("0", 1000), ErrNumeric},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			q, err := ParseQuantity(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ParseQuantity(%q) = %v, %v; want error %v", tc.in, q.String(), err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "parse quantity ") {
				t.Errorf("error %q does not name the operation", err)
			}
		})
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, ErrFormatWrong) {
			t.Fatalf("MustParse(\"Non-Numeric\") panicked with %v, want ErrFormatWrong", r)
		}
	}()
	MustParse("Non-Numeric")
}

func TestCmpAcrossFormats(t *testing.T) {
	tests := []struct {
		x, y string
		want int
	}{
		{"0", "0", 0},
		{"0Ki", "0e3", 0},
		{"100m", "50m", 1},
		{"50m", "100m", -1},
		{"10000T", "100Gi", 1},
		{"1Gi", "1073741824", 0},
		{"1Gi", "1G", 1},
		{"1G", "1e9", 0},
		{"1k", "1e3", 0},
		{"1000m", "1", 0},
		{"1", "999999999n", 1},
		{"-1", "1n", -1},
		{"-1Gi", "-1G", -1},
		{"1e100", "9223372036854775807", 1},
		{"-1e100", "-9223372036854775807", -1},
		{"123456789012345678901234", "123456789012345678901235", -1},
		{"9223372036854775807", "9223372036854775807000m", 0},
		{"9.223372036854775807E", "9223372036854775807", 0},
		{"8Ei", "9223372036854775807", 0},
		{"1n", "0", 1},
	}
	for _, tc := range tests {
		t.Run(tc.x+" vs "+tc.y, func(t *testing.T) {
			x, y := MustParse(tc.x), MustParse(tc.y)
			if got := x.Cmp(y); got != tc.want {
				t.Errorf("Cmp(%s, %s) = %d, want %d", tc.x, tc.y, got, tc.want)
			}
			if got := y.Cmp(x); got != -tc.want {
				t.Errorf("Cmp(%s, %s) = %d, want %d", tc.y, tc.x, got, -tc.want)
			}
			if got := x.Equal(y); got != (tc.want == 0) {
				t.Errorf("Equal(%s, %s) = %t", tc.x, tc.y, got)
			}
		})
	}
}

func TestCmpInt64Boundaries(t *testing.T) {
	tests := []struct {
		name string
		a, b Quantity
		want int
	}{
		{"same", Quantity{i: 901, scale: -2}, Quantity{i: 901, scale: -2}, 0},
		{"smaller scale", Quantity{i: 90, scale: -1}, Quantity{i: 901, scale: -2}, -1},
		{"zeros at different scales", Quantity{i: 0, scale: 1}, Quantity{i: 0, scale: -1}, 0},
		{"800m vs 1", Quantity{i: 800, scale: -3}, Quantity{i: 1}, -1},
		{"800m vs 790m", Quantity{i: 800, scale: -3}, Quantity{i: 79, scale: -2}, 1},
		{"max vs 0.1", Quantity{i: math.MaxInt64}, Quantity{i: 1, scale: -1}, 1},
		{"max*10 vs 10", Quantity{i: math.MaxInt64, scale: 1}, Quantity{i: 1, scale: 1}, 1},
		{"max*1e-16 vs 1000", Quantity{i: math.MaxInt64, scale: -16}, Quantity{i: 1, scale: 3}, -1},
		{"min vs 0", Quantity{i: math.MinInt64}, Quantity{}, -1},
		{"min*1e-18 vs -1", Quantity{i: math.MinInt64, scale: -18}, Quantity{i: -1}, -1},
		{"min*1e-19 vs -1", Quantity{i: math.MinInt64, scale: -19}, Quantity{i: -1}, 1},
		{"1e18*1e-17 vs 10", Quantity{i: 1e18, scale: -17}, Quantity{i: 1, scale: 1}, 0},
		{"(1e18+1)*1e-17 vs 10", Quantity{i: 1e18 + 1, scale: -17}, Quantity{i: 1, scale: 1}, 1},
		{"(1e18-1)*1e-17 vs 10", Quantity{i: 1e18 - 1, scale: -17}, Quantity{i: 1, scale: 1}, -1},
		{"-1e18*1e-17 vs -10", Quantity{i: -1e18, scale: -17}, Quantity{i: -10}, 0},
		{"big vs int", Quantity{b: new(big.Int).Lsh(big.NewInt(1), 70)}, Quantity{i: math.MaxInt64}, 1},
		{"negative big vs int", Quantity{b: new(big.Int).Lsh(big.NewInt(-1), 70)}, Quantity{i: math.MinInt64}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.Cmp(tc.b); got != tc.want {
				t.Errorf("a.Cmp(b) = %d, want %d", got, tc.want)
			}
			if got := tc.b.Cmp(tc.a); got != -tc.want {
				t.Errorf("b.Cmp(a) = %d, want %d", got, -tc.want)
			}
		})
	}
}

func TestCmpInt64(t *testing.T) {
	tests := []struct {
		q    string
		y    int64
		want int
	}{
		{"1Ki", 1024, 0},
		{"1Ki", 1023, 1},
		{"1023999m", 1024, -1},
		{"-1", -1, 0},
		{"1e30", math.MaxInt64, 1},
		{"-1e30", math.MinInt64, -1},
		{"0", 0, 0},
		{"1n", 0, 1},
	}
	for _, tc := range tests {
		q := MustParse(tc.q)
		if got := q.CmpInt64(tc.y); got != tc.want {
			t.Errorf("%s.CmpInt64(%d) = %d, want %d", tc.q, tc.y, got, tc.want)
		}
	}
}

func TestAddSub(t *testing.T) {
	tests := []struct {
		name       string
		a, b       Quantity
		add, sub   string
		addFormat  Format
		subFormats Format
	}{
		{"same format", MustParse("100m"), MustParse("200m"), "300m", "-100m", DecimalSI, DecimalSI},
		{"decimal plus binary keeps the receiver's format", MustParse("10"), MustParse("1Ki"), "1034", "-1014", DecimalSI, DecimalSI},
		{"binary plus decimal keeps binary", MustParse("1Gi"), MustParse("1Gi"), "2Gi", "0", BinarySI, BinarySI},
		{"binary minus decimal", MustParse("1Ki"), MustParse("1"), "1025", "1023", BinarySI, BinarySI},
		{"zero receiver takes the other's format", Quantity{Format: DecimalSI}, MustParse("1Gi"), "1Gi", "-1Gi", BinarySI, BinarySI},
		{"zero argument keeps the receiver", MustParse("100m"), MustParse("0"), "100m", "100m", DecimalSI, DecimalSI},
		{"zero plus zero", Quantity{Format: DecimalSI}, Quantity{Format: DecimalSI}, "0", "0", DecimalSI, DecimalSI},
		{"across scales", MustParse("1"), MustParse("1n"), "1000000001n", "999999999n", DecimalSI, DecimalSI},
		{"10 and 1e1", MustParse("10"), Quantity{i: 1, scale: 1, Format: DecimalSI}, "20", "0", DecimalSI, DecimalSI},
		{"overflow into big", Quantity{i: math.MaxInt64, Format: DecimalSI}, Quantity{i: math.MaxInt64, Format: DecimalSI}, "18446744073709551614", "0", DecimalSI, DecimalSI},
		{"huge scale gap", MustParse("1e30"), MustParse("1n"), "1000000000000000000000000000000000000001e-9", "999999999999999999999999999999999999999e-9", DecimalExponent, DecimalExponent},
		{"big minus big back to int64", MustParse("9223372036854775808"), MustParse("9223372036854775807"), "18446744073709551615", "1", DecimalSI, DecimalSI},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sum := tc.a.DeepCopy()
			sum.Add(tc.b)
			if got := sum.String(); got != tc.add {
				t.Errorf("Add = %s, want %s", got, tc.add)
			}
			if sum.Format != tc.addFormat {
				t.Errorf("Add format = %s, want %s", sum.Format, tc.addFormat)
			}
			diff := tc.a.DeepCopy()
			diff.Sub(tc.b)
			if got := diff.String(); got != tc.sub {
				t.Errorf("Sub = %s, want %s", got, tc.sub)
			}
			if diff.Format != tc.subFormats {
				t.Errorf("Sub format = %s, want %s", diff.Format, tc.subFormats)
			}
			// Adding back what was subtracted gives the receiver again.
			diff.Add(tc.b)
			if !diff.Equal(tc.a) {
				t.Errorf("(a-b)+b = %s, want %s", diff.String(), tc.a.String())
			}
		})
	}
}

func TestNegAtInt64Boundary(t *testing.T) {
	neg := Quantity{i: math.MinInt64, Format: DecimalSI}
	neg.Neg()
	if got, want := neg.String(), "9223372036854775808"; got != want {
		t.Errorf("-MinInt64 = %s, want %s", got, want)
	}
	if v, ok := neg.AsInt64(); ok {
		t.Errorf("AsInt64 of 2^63 = %d, true; want false", v)
	}

	scaled := *NewScaledQuantity(math.MinInt64, Milli)
	scaled.Neg()
	if got, want := scaled.String(), "9223372036854775808m"; got != want {
		t.Errorf("-(MinInt64 m) = %s, want %s", got, want)
	}

	sub := Quantity{Format: DecimalSI}
	sub.Sub(Quantity{i: math.MinInt64, Format: BinarySI})
	if sub.Format != BinarySI || sub.String() != "8Ei" {
		t.Errorf("0 - MinInt64 (binary) = %s %s, want 8Ei BinarySI", sub.String(), sub.Format)
	}

	one := Quantity{i: 1, Format: DecimalSI}
	one.Sub(Quantity{i: math.MinInt64})
	if got, want := one.String(), "9223372036854775809"; got != want {
		t.Errorf("1 - MinInt64 = %s, want %s", got, want)
	}

	neighbour := Quantity{i: math.MinInt64 + 1, Format: DecimalSI}
	neighbour.Neg()
	if v, ok := neighbour.AsInt64(); !ok || v != math.MaxInt64 {
		t.Errorf("-(MinInt64+1) = %d, %t; want MaxInt64", v, ok)
	}
	if neighbour.b != nil {
		t.Errorf("-(MinInt64+1) left the int64 representation")
	}

	twice := MustParse("-123456789012345678901234")
	twice.Neg()
	twice.Neg()
	if got := twice.String(); got != "-123456789012345678901234" {
		t.Errorf("double negation = %s", got)
	}
}

func TestMul(t *testing.T) {
	tests := []struct {
		q    Quantity
		y    int64
		want string
	}{
		{MustParse("10"), 10, "100"},
		{MustParse("10"), 1, "10"},
		{MustParse("50"), 0, "0"},
		{MustParse("10"), -10, "-100"},
		{MustParse("-50"), -50, "2500"},
		{MustParse("100m"), 3, "300m"},
		{MustParse("1Gi"), 3, "3Gi"},
		{Quantity{i: math.MaxInt64, Format: DecimalSI}, 2, "18446744073709551614"},
		{Quantity{i: math.MaxInt64, Format: DecimalSI}, -1, "-9223372036854775807"},
		{Quantity{i: math.MinInt64, Format: DecimalSI}, -1, "9223372036854775808"},
		{Quantity{i: -1, Format: DecimalSI}, math.MinInt64, "9223372036854775808"},
		{Quantity{i: math.MinInt64, Format: DecimalSI}, 2, "-18446744073709551616"},
	}
	for _, tc := range tests {
		q := tc.q.DeepCopy()
		q.Mul(tc.y)
		if got := q.String(); got != tc.want {
			t.Errorf("%s * %d = %s, want %s", tc.q.String(), tc.y, got, tc.want)
		}
	}
}

func TestAddSubCancel(t *testing.T) {
	// Many values at many scales, added then subtracted, cancel exactly.
	values := []int64{math.MaxInt64, 1, 999999999, math.MaxInt64 / 3, 7, 123456789123, math.MaxInt64 - 5}
	for k := -12; k <= 12; k++ {
		q := Quantity{Format: DecimalSI}
		for _, v := range values {
			q.Add(*NewScaledQuantity(v, Scale(k)))
			q.Add(*NewScaledQuantity(v, Scale(-k)))
		}
		for _, v := range values {
			q.Sub(*NewScaledQuantity(v, Scale(k)))
			q.Sub(*NewScaledQuantity(v, Scale(-k)))
		}
		if !q.IsZero() {
			t.Errorf("scale %d: sum minus the same values = %s, want 0", k, q.String())
		}
	}
}

func TestValues(t *testing.T) {
	tests := []struct {
		in          string
		value, mill int64
	}{
		{"100m", 1, 100},
		{"1.5", 2, 1500},
		{"-1.5", -2, -1500},
		{"1n", 1, 1},
		{"-1n", -1, -1},
		{"1Gi", 1 << 30, 1 << 30 * 1000},
		{"0", 0, 0},
		{"9.01", 10, 9010},
		{"1e30", math.MaxInt64, math.MaxInt64},
		{"-1e30", math.MinInt64, math.MinInt64},
		{"9223372036854775807", math.MaxInt64, math.MaxInt64},
		{"123456789012345678901.5", math.MaxInt64, math.MaxInt64},
		{"8Ei", math.MaxInt64, math.MaxInt64},
	}
	for _, tc := range tests {
		q := MustParse(tc.in)
		if got := q.Value(); got != tc.value {
			t.Errorf("%s.Value() = %d, want %d", tc.in, got, tc.value)
		}
		if got := q.MilliValue(); got != tc.mill {
			t.Errorf("%s.MilliValue() = %d, want %d", tc.in, got, tc.mill)
		}
	}
}

func TestScaledValue(t *testing.T) {
	tests := []struct {
		from, to Scale
		want     int64
	}{
		{Nano, Nano, 1},
		{Nano, Micro, 1},
		{Nano, Milli, 1},
		{Nano, 0, 1},
		{Micro, Nano, 1000},
		{Micro, Micro, 1},
		{Micro, Milli, 1},
		{Micro, 0, 1},
		{Milli, Nano, 1000 * 1000},
		{Milli, Micro, 1000},
		{Milli, Milli, 1},
		{Milli, 0, 1},
		{0, Nano, 1000 * 1000 * 1000},
		{0, Micro, 1000 * 1000},
		{0, Milli, 1000},
		{0, 0, 1},
		{2, -2, 100 * 100},
		{Exa, Nano, math.MaxInt64},
	}
	for _, tc := range tests {
		q := NewScaledQuantity(1, tc.from)
		if got := q.ScaledValue(tc.to); got != tc.want {
			t.Errorf("1e%d.ScaledValue(%d) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
	if got := MustParse("1.5G").ScaledValue(Mega); got != 1500 {
		t.Errorf("1.5G in M = %d, want 1500", got)
	}
	big := MustParse("123456789012345678901234")
	if got := big.ScaledValue(Mega); got != 123456789012345679 {
		t.Errorf("123456789012345678901234 in M = %d, want 123456789012345679", got)
	}
}

func TestRoundUp(t *testing.T) {
	tests := []struct {
		in    string
		scale Scale
		want  string
		exact bool
	}{
		{"9.01", -3, "9010m", true},
		{"9.01", -2, "9010m", true},
		{"9.01", -1, "9100m", false},
		{"9.01", 0, "10", false},
		{"9.01", 1, "10", false},
		{"9.01", 2, "100", false},
		{"-9.01", -3, "-9010m", true},
		{"-9.01", -1, "-9100m", false},
		{"-9.01", 0, "-10", false},
		{"-9.01", 2, "-100", false},
		{"123456789012345678901.001", 0, "123456789012345678902", false},
		{"123456789012345678901.000", 0, "123456789012345678901", true},
	}
	for _, tc := range tests {
		q := MustParse(tc.in)
		exact := q.RoundUp(tc.scale)
		if got := q.String(); got != tc.want || exact != tc.exact {
			t.Errorf("%s.RoundUp(%d) = %s, %t; want %s, %t", tc.in, tc.scale, got, exact, tc.want, tc.exact)
		}
	}
}

func TestAsInt64(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1Ki", 1024, true},
		{"100m", 0, false},
		{"1000m", 1, true},
		{"1e18", 1e18, true},
		{"1e19", 0, false},
		{"9223372036854775807", math.MaxInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775808", math.MinInt64, true},
		{"0", 0, true},
	}
	for _, tc := range tests {
		q := MustParse(tc.in)
		got, ok := q.AsInt64()
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s.AsInt64() = %d, %t; want %d, %t", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAsApproximateFloat64(t *testing.T) {
	tests := []struct {
		q    Quantity
		want float64
	}{
		{MustParse("0"), 0},
		{MustParse("1"), 1},
		{MustParse("2Ki"), 2048},
		{MustParse("1.1Ki"), 1126.4},
		{MustParse("1Mi"), 1.048576e+06},
		{MustParse("2Gi"), 2.147483648e+09},
		{MustParse("100m"), 0.1},
		{MustParse("12E"), 1.2e19},
		{MustParse("9Ei"), math.MaxInt64},
		{Quantity{i: 7 * 1024 * 1024, scale: -8}, (7 * 1024 * 1024) / float64(100000000)},
		{Quantity{i: 12, scale: 500}, math.Inf(1)},
		{Quantity{i: -12, scale: 500}, math.Inf(-1)},
		{MustParse("123456789012345678901234"), 1.2345678901234568e23},
		{MustParse("123456789012345678901.234"), 1.2345678901234568e20},
	}
	for _, tc := range tests {
		if got := tc.q.AsApproximateFloat64(); got != tc.want {
			t.Errorf("%s.AsApproximateFloat64() = %v, want %v", tc.q.String(), got, tc.want)
		}
	}
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		name string
		q    *Quantity
		want string
	}{
		{"NewQuantity 1", NewQuantity(1, DecimalSI), "1"},
		{"NewQuantity 1000", NewQuantity(1000, DecimalSI), "1k"},
		{"NewQuantity 1234000", NewQuantity(1234000, DecimalSI), "1234k"},
		{"NewQuantity 1024 binary", NewQuantity(1024, BinarySI), "1Ki"},
		{"NewQuantity unknown format", NewQuantity(1000000, "invalidFormatDefaultsToExponent"), "1e6"},
		{"NewQuantity 1Mi", NewQuantity(1024*1024, BinarySI), "1Mi"},
		{"NewMilliQuantity 1", NewMilliQuantity(1, DecimalSI), "1m"},
		{"NewMilliQuantity 1000", NewMilliQuantity(1000, DecimalSI), "1"},
		{"NewMilliQuantity 1234000", NewMilliQuantity(1234000, DecimalSI), "1234"},
		{"NewMilliQuantity binary", NewMilliQuantity(1024, BinarySI), "1024m"},
		{"NewMilliQuantity unknown", NewMilliQuantity(1000000, "invalid"), "1e3"},
		{"NewMilliQuantity 1Mi", NewMilliQuantity(1024*1024, BinarySI), "1048576m"},
		{"NewScaledQuantity nano", NewScaledQuantity(1, Nano), "1n"},
		{"NewScaledQuantity 1000n", NewScaledQuantity(1000, Nano), "1u"},
		{"NewScaledQuantity micro", NewScaledQuantity(1, Micro), "1u"},
		{"NewScaledQuantity 1000u", NewScaledQuantity(1000, Micro), "1m"},
		{"NewScaledQuantity milli", NewScaledQuantity(1, Milli), "1m"},
		{"NewScaledQuantity 1000m", NewScaledQuantity(1000, Milli), "1"},
		{"NewScaledQuantity 0", NewScaledQuantity(0, Nano), "0"},
		{"NewScaledQuantity below nano rounds up", NewScaledQuantity(1, -12), "1n"},
		{"NewScaledQuantity 1500 pico", NewScaledQuantity(1500, -12), "2n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.q.String(); got != tc.want {
				t.Errorf("String() = %s, want %s", got, tc.want)
			}
		})
	}

	q := NewQuantity(0, BinarySI)
	q.Set(2048)
	if got := q.String(); got != "2Ki" {
		t.Errorf("Set(2048) on binary = %s, want 2Ki", got)
	}
	q.SetMilli(1500)
	if got := q.String(); got != "1500m" {
		t.Errorf("SetMilli(1500) = %s, want 1500m", got)
	}
	q.SetScaled(3, Giga)
	if got := q.Value(); got != 3e9 {
		t.Errorf("SetScaled(3, Giga).Value() = %d", got)
	}
}

func TestStringCache(t *testing.T) {
	q := MustParse("1Gi")
	if q.s != "1Gi" {
		t.Errorf("canonical input not cached: %q", q.s)
	}
	q.Format = DecimalSI
	if got := q.String(); got != "1073741824" {
		t.Errorf("after changing the format, String() = %s, want 1073741824", got)
	}
	nc := MustParse("1024Mi")
	if nc.s != "" {
		t.Errorf("non-canonical input cached as %q", nc.s)
	}
	added := MustParse("1Gi")
	added.Add(MustParse("1Gi"))
	if got := added.String(); got != "2Gi" {
		t.Errorf("Add left a stale cache: %s", got)
	}
}

func TestZeroValue(t *testing.T) {
	var q Quantity
	if q.String() != "0" || q.Value() != 0 || q.MilliValue() != 0 || !q.IsZero() || q.Sign() != 0 {
		t.Errorf("zero Quantity: %s %d %d %t %d", q.String(), q.Value(), q.MilliValue(), q.IsZero(), q.Sign())
	}
	data, err := q.MarshalJSON()
	if err != nil || string(data) != `"0"` {
		t.Errorf("zero MarshalJSON = %s, %v", data, err)
	}
}

func TestDeepCopy(t *testing.T) {
	orig := MustParse("123456789012345678901234")
	cp := orig.DeepCopy()
	if cp.b == orig.b {
		t.Fatal("DeepCopy shares the big value")
	}
	cp.Add(MustParse("1"))
	cp.Neg()
	if got := orig.String(); got != "123456789012345678901234" {
		t.Errorf("mutating the copy changed the original to %s", got)
	}
	var into Quantity
	orig.DeepCopyInto(&into)
	if !into.Equal(orig) || into.Format != orig.Format {
		t.Errorf("DeepCopyInto = %s %s", into.String(), into.Format)
	}

	// Plain copies are independent too: methods never mutate a shared big value.
	shared := orig
	shared.Sub(MustParse("4"))
	if got := orig.String(); got != "123456789012345678901234" {
		t.Errorf("Sub on an assigned copy changed the original to %s", got)
	}
}

func TestGoCmpUsesEqual(t *testing.T) {
	type pod struct{ CPU Quantity }
	a := pod{MustParse("1")}
	b := pod{MustParse("1000m")}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("1 and 1000m differ under go-cmp:\n%s", diff)
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		format Format
	}{
		{"string", `"100m"`, "100m", DecimalSI},
		{"string binary", `"1.5Gi"`, "1536Mi", BinarySI},
		{"number", `1`, "1", DecimalSI},
		{"fraction number", `0.5`, "500m", DecimalSI},
		{"exponent number", `1e3`, "1e3", DecimalExponent},
		{"negative number", ` -1`, "-1", DecimalSI},
		{"space inside string", `" 1"`, "1", DecimalSI},
		{"space after", `"1 "`, "1", DecimalSI},
		{"space around number", ` 10 `, "10", DecimalSI},
		{"escaped", `"1\u004bi"`, "1Ki", BinarySI},
		{"null", `null`, "0", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := MustParse("5")
			if err := json.Unmarshal([]byte(tc.in), &q); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tc.in, err)
			}
			if got := q.String(); got != tc.want {
				t.Errorf("Unmarshal(%s) = %s, want %s", tc.in, got, tc.want)
			}
			if q.Format != tc.format {
				t.Errorf("Unmarshal(%s) format = %s, want %s", tc.in, q.Format, tc.format)
			}
		})
	}

	bad := []struct {
		in   string
		want error
	}{
		{`"1.1.M"`, ErrFormatWrong},
		{`""`, ErrFormatWrong},
		{`true`, ErrFormatWrong},
		{`"1KiB"`, ErrFormatWrong},
		{`"1Kb"`, ErrFormatWrong},
		{`"1ki"`, ErrSuffix},
		{`{}`, ErrFormatWrong},
	}
	for _, tc := range bad {
		var q Quantity
		err := json.Unmarshal([]byte(tc.in), &q)
		if !errors.Is(err, tc.want) {
			t.Errorf("Unmarshal(%s) = %v, want %v", tc.in, err, tc.want)
		}
	}

	type spec struct {
		Requests map[string]Quantity `json:"requests"`
		Limit    *Quantity           `json:"limit,omitempty"`
	}
	in := spec{Requests: map[string]Quantity{"cpu": MustParse("0.5"), "memory": MustParse("1024Mi")}}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"requests":{"cpu":"500m","memory":"1Gi"}}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	var out spec
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// quantityRat returns the exact value of q.
func quantityRat(q Quantity) *big.Rat {
	r := new(big.Rat).SetInt(q.unscaledBig())
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(absInt64(int64(q.scale)))), nil))
	if q.scale >= 0 {
		return r.Mul(r, p)
	}
	return r.Quo(r, p)
}

// oracleValue computes, with big.Rat and independently of the parser, the value Kubernetes
// gives a well-formed quantity: the exact number rounded away from zero to nano, binary SI capped
// at MaxInt64. ok is false for texts it does not handle (malformed, or exponents too large to
// compute quickly).
func oracleValue(s string) (v *big.Rat, binary bool, ok bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	j := i
	for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
		j++
	}
	num := s[i:j]
	if strings.Count(num, ".") > 1 || strings.Trim(num, ".") == "" || len(num) > 200 {
		return nil, false, false
	}
	text := "0" + num
	if strings.HasSuffix(text, ".") {
		text += "0"
	}
	r, rok := new(big.Rat).SetString(text)
	if !rok {
		return nil, false, false
	}
	mult := new(big.Rat).SetInt64(1)
	switch suf := s[j:]; suf {
	case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei":
		binary = true
		mult.SetInt(new(big.Int).Lsh(big.NewInt(1), uint(10*(1+strings.Index("KMGTPE", suf[:1])))))
	case "n", "u", "m", "", "k", "M", "G", "T", "P", "E":
		exp := map[string]int64{"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}[suf]
		mult = pow10Rat(exp)
	default:
		if len(suf) < 2 || (suf[0] != 'e' && suf[0] != 'E') {
			return nil, false, false
		}
		for k := 1; k < len(suf); k++ {
			if !isDigit(suf[k]) && !(k == 1 && (suf[k] == '+' || suf[k] == '-')) {
				return nil, false, false
			}
		}
		var n big.Int
		if _, nok := n.SetString(suf[1:], 10); !nok || !n.IsInt64() || n.Int64() > 300 || n.Int64() < -300 {
			return nil, false, false
		}
		mult = pow10Rat(n.Int64())
	}
	r.Mul(r, mult)
	// Round away from zero to nano.
	nano := new(big.Rat).Mul(r, pow10Rat(9))
	if !nano.IsInt() {
		q := new(big.Int).Quo(nano.Num(), nano.Denom())
		q.Add(q, big.NewInt(1))
		r.SetFrac(q, big.NewInt(1e9))
	}
	if binary && r.Cmp(new(big.Rat).SetInt64(math.MaxInt64)) > 0 {
		r.SetInt64(math.MaxInt64)
	}
	if neg {
		r.Neg(r)
	}
	return r, binary, true
}

func pow10Rat(n int64) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(absInt64(n)), nil)
	if n >= 0 {
		return new(big.Rat).SetInt(p)
	}
	return new(big.Rat).SetFrac(big.NewInt(1), p)
}

func TestParseMatchesOracle(t *testing.T) {
	for _, tc := range parseCases {
		want, _, ok := oracleValue(tc.in)
		if !ok {
			continue
		}
		q := MustParse(tc.in)
		if got := quantityRat(q); got.Cmp(want) != 0 {
			t.Errorf("%s = %s, oracle says %s", tc.in, got.FloatString(12), want.FloatString(12))
		}
	}
}

func FuzzParseQuantity(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.in)
	}
	for _, s := range []string{"", "1.1.M", "-3.01e-", "1e99999999999999999999", "0.000000000001Ki", "-0", "1e-1000", "8Ei"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuantity(s)
		if err != nil {
			if !errors.Is(err, ErrFormatWrong) && !errors.Is(err, ErrSuffix) && !errors.Is(err, ErrNumeric) {
				t.Fatalf("ParseQuantity(%q) error %v wraps no sentinel", s, err)
			}
			return
		}
		if want, _, ok := oracleValue(s); ok {
			if got := quantityRat(q); got.Cmp(want) != 0 {
				t.Fatalf("ParseQuantity(%q) = %s, oracle says %s", s, got.FloatString(12), want.FloatString(12))
			}
		}
		text := q.String()
		fresh := q
		fresh.s = ""
		if computed := fresh.String(); computed != text {
			t.Fatalf("ParseQuantity(%q) cached %q, canonical is %q", s, text, computed)
		}
		back, err := ParseQuantity(text)
		if err != nil {
			t.Fatalf("ParseQuantity(%q).String() = %q does not parse: %v", s, text, err)
		}
		if !back.Equal(q) {
			t.Fatalf("ParseQuantity(%q) = %s reads back as %s", s, text, back.String())
		}
		if again := back.String(); again != text {
			t.Fatalf("canonical text of %q is not stable: %q then %q", s, text, again)
		}
		data, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		var fromJSON Quantity
		if err := json.Unmarshal(data, &fromJSON); err != nil {
			t.Fatalf("Unmarshal(%s): %v", data, err)
		}
		if !fromJSON.Equal(q) {
			t.Fatalf("JSON round trip of %q: %s", s, fromJSON.String())
		}
		// Arithmetic identities on whatever was parsed.
		sum := q.DeepCopy()
		sum.Add(q)
		sum.Sub(q)
		if !sum.Equal(q) {
			t.Fatalf("%s + x - x = %s", text, sum.String())
		}
		neg := q.DeepCopy()
		neg.Neg()
		if q.Sign() != -neg.Sign() || neg.Cmp(q) != -q.Sign() {
			t.Fatalf("Neg of %s = %s", text, neg.String())
		}
	})
}

func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`"100m"`, `"1.5Gi"`, `0.5`, `1e3`, `null`, `" 1 "`, `"1\u004bi"`, `"\"`, `{}`, `[]`, `"1KiB"`, `-1`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var q Quantity
		if err := q.UnmarshalJSON(data); err != nil {
			return
		}
		out, err := q.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON of %s: %v", data, err)
		}
		var back Quantity
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decoding our own %s (from %q): %v", out, data, err)
		}
		if !back.Equal(q) {
			t.Fatalf("%q decodes to %s, which round-trips to %s", data, q.String(), back.String())
		}
		// A well-formed JSON string decodes to what its text parses to.
		var text string
		if strings.HasPrefix(strings.TrimSpace(string(data)), `"`) && json.Unmarshal(data, &text) == nil {
			want, err := ParseQuantity(strings.TrimSpace(text))
			if err != nil || !want.Equal(q) {
				t.Fatalf("%q decodes to %s, but its text parses to %s, %v", data, q.String(), want.String(), err)
			}
		}
	})
}
