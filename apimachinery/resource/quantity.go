package resource

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Format is the notation a Quantity was written in and is printed in again.
type Format string

// The three notations of a Quantity.
const (
	// DecimalExponent is a number with an optional exponent: "12e6", "1.5e-3".
	DecimalExponent Format = "DecimalExponent"
	// BinarySI uses the powers of 1024: "12Mi" is 12 * 2^20.
	BinarySI Format = "BinarySI"
	// DecimalSI uses the powers of 1000: "12M" is 12 * 10^6, "100m" is 0.1.
	DecimalSI Format = "DecimalSI"
)

// Scale is a power of ten, used to read a Quantity at a given precision (see ScaledValue).
type Scale int32

// The decimal SI scales.
const (
	Nano  Scale = -9
	Micro Scale = -6
	Milli Scale = -3
	Kilo  Scale = 3
	Mega  Scale = 6
	Giga  Scale = 9
	Tera  Scale = 12
	Peta  Scale = 15
	Exa   Scale = 18
)

// The errors of ParseQuantity, usable with errors.Is. Their texts are Kubernetes' own.
var (
	// ErrFormatWrong means the text is not a signed decimal number followed by a suffix.
	ErrFormatWrong = errors.New("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
	// ErrNumeric means the number is out of the range a Quantity accepts.
	ErrNumeric = errors.New("unable to parse numeric part of quantity")
	// ErrSuffix means the suffix is not one of the SI suffixes or a decimal exponent.
	ErrSuffix = errors.New("unable to parse quantity's suffix")
)

// MaxIntegerDigits bounds the size of a parsed decimal quantity: ParseQuantity rejects numbers
// of 10^MaxIntegerDigits or more with ErrNumeric, so that untrusted input cannot make arithmetic
// on quantities arbitrarily expensive. Binary SI quantities are capped at math.MaxInt64 instead,
// as Kubernetes does.
const MaxIntegerDigits = 1000

// maxExponent bounds the decimal exponent suffix ("e<n>") that ParseQuantity reads.
const maxExponent = 1 << 30

// Quantity is a fixed-point decimal number with the notation it was written in, used for
// resource amounts: "100m" CPU, "1Gi" memory, "1e3" objects.
//
// A Quantity is exactly value * 10^scale with nano precision: values
// finer than 10^-9 are rounded away from zero when parsed or built, so that a request for "some"
// of a resource never becomes zero. Most quantities are an int64 and a scale and cost no
// allocation; others fall back to math/big transparently.
//
// The zero value is 0. Quantities are values: copy them freely; the methods with pointer
// receivers (Add, Sub, Neg, Set, ...) change only the Quantity they are called on. Compare them
// with Cmp or Equal, never with ==, because the same number can be stored in several ways.
type Quantity struct {
	// i holds the unscaled value when b is nil.
	i int64
	// b holds the unscaled value when it does not fit in an int64. It is never mutated after
	// construction, so copies of a Quantity may share it.
	b *big.Int
	// scale: the value is unscaled * 10^scale.
	scale int32
	// s caches the canonical text when it is known (set by ParseQuantity when the input was
	// already canonical); sf is the code (formatCode) of the Format it was computed for, so that
	// a change of the exported Format field invalidates it.
	s  string
	sf uint8

	// Format is the notation String and MarshalJSON print the quantity in.
	Format Format
}

// formatCode numbers the known formats from 1; unknown formats are 0, which never validates a
// cached text.
func formatCode(f Format) uint8 {
	switch f {
	case DecimalSI:
		return 1
	case BinarySI:
		return 2
	case DecimalExponent:
		return 3
	}
	return 0
}

// pow10 holds the powers of ten that fit in an int64.
var pow10 = [...]int64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
	1e17, 1e18,
}

// NewQuantity returns value in the given format.
func NewQuantity(value int64, format Format) *Quantity {
	return &Quantity{i: value, Format: format}
}

// NewMilliQuantity returns value/1000 in the given format.
func NewMilliQuantity(value int64, format Format) *Quantity {
	return &Quantity{i: value, scale: int32(Milli), Format: format}
}

// NewScaledQuantity returns value * 10^scale in DecimalSI format, rounded away from zero to
// nano precision.
func NewScaledQuantity(value int64, scale Scale) *Quantity {
	q := &Quantity{Format: DecimalSI}
	q.SetScaled(value, scale)
	return q
}

// MustParse is ParseQuantity for constants in programs and tests: it panics when str is not a
// quantity. Never call it on input from users or the network.
func MustParse(str string) Quantity {
	q, err := ParseQuantity(str)
	if err != nil {
		panic(err)
	}
	return q
}

// ParseQuantity reads a quantity in the Kubernetes grammar:
//
//	<quantity>        ::= <signedNumber><suffix>
//	<signedNumber>    ::= <number> | "+" <number> | "-" <number>
//	<number>          ::= <digits> | <digits> "." | <digits> "." <digits> | "." <digits>
//	<suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//	<binarySI>        ::= "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"
//	<decimalSI>       ::= "n" | "u" | "m" | "" | "k" | "M" | "G" | "T" | "P" | "E"
//	<decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
//
// The suffix decides the Format. Values finer than nano are rounded away from zero; binary SI
// values above math.MaxInt64 are capped there, and binary SI values between -1 and 1 become
// DecimalSI, as in Kubernetes. The error wraps ErrFormatWrong, ErrSuffix or ErrNumeric.
//
// Deliberate differences from Kubernetes, all on inputs no manifest contains: a number without
// any digit ("", ".", "-", "Ki") is ErrFormatWrong rather than zero; decimal quantities of
// 10^MaxIntegerDigits or more, and exponents beyond ±2^30, are ErrNumeric (Kubernetes accepts
// them and may then spend unbounded time on them); the text of a parsed quantity is always its
// canonical form ("+1" and "01" print "1", where Kubernetes echoes the input).
func ParseQuantity(str string) (Quantity, error) {
	q, err := parse(str)
	if err != nil {
		shown := str
		if len(shown) > 64 {
			shown = shown[:64] + "..."
		}
		return Quantity{}, fmt.Errorf("parse quantity %q: %w", shown, err)
	}
	return q, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parse is ParseQuantity without the error context.
func parse(str string) (Quantity, error) {
	pos := 0
	neg := false
	if pos < len(str) {
		switch str[0] {
		case '-':
			neg = true
			pos++
		case '+':
			pos++
		}
	}
	start := pos
	for pos < len(str) && isDigit(str[pos]) {
		pos++
	}
	intPart := str[start:pos]
	fracPart := ""
	if pos < len(str) && str[pos] == '.' {
		pos++
		start = pos
		for pos < len(str) && isDigit(str[pos]) {
			pos++
		}
		fracPart = str[start:pos]
	}
	if intPart == "" && fracPart == "" {
		return Quantity{}, ErrFormatWrong
	}
	suffix := str[pos:]
	binExp, decExp, format, err := interpretSuffix(suffix)
	if err != nil {
		// Text that is not even shaped like a suffix is a wrong format, as in Kubernetes.
		if !validSuffixShape(suffix) {
			return Quantity{}, ErrFormatWrong
		}
		return Quantity{}, err
	}

	// The digits D of the number without leading zeros are hi+lo; the value is
	// D * 2^binExp * 10^scale.
	hi := strings.TrimLeft(intPart, "0")
	lo := fracPart
	if hi == "" {
		lo = strings.TrimLeft(fracPart, "0")
	}
	if hi == "" && lo == "" {
		return Quantity{Format: format}, nil
	}
	nd := int64(len(hi) + len(lo))
	scale := decExp - int64(len(fracPart))

	if binExp == 0 {
		if nd+scale > MaxIntegerDigits {
			return Quantity{}, ErrNumeric
		}
	} else if nd+scale > 20 {
		// At least 10^19 before the binary factor: above math.MaxInt64, so capped.
		return capped(neg), nil
	}

	if nd <= 18 {
		m := int64(0)
		for i := 0; i < len(hi); i++ {
			m = m*10 + int64(hi[i]-'0')
		}
		for i := 0; i < len(lo); i++ {
			m = m*10 + int64(lo[i]-'0')
		}
		if binExp == 0 || m <= math.MaxInt64>>binExp {
			m <<= binExp
			if scale < int64(Nano) {
				m = divRoundAway(m, int64(Nano)-scale)
				scale = int64(Nano)
			}
			if neg {
				m = -m
			}
			q := Quantity{i: m, scale: int32(scale), Format: format}
			if format == BinarySI && scale < 0 && (-scale > 18 || absInt64(m) < pow10[-scale]) {
				q.Format = DecimalSI
			}
			switch {
			case fracPart != "" || pos > 0 && str[pos-1] == '.' || intPart[0] == '0' || str[0] == '+':
				// A fraction, leading zeros or a plus sign: never canonical.
			case format == DecimalSI && !strings.HasSuffix(intPart, "000"):
				// An integer before an SI suffix is canonical unless a larger suffix fits.
				q.s, q.sf = str, formatCode(format)
			case format == BinarySI && (binExp == 60 || (m>>binExp)%1024 != 0):
				q.s, q.sf = str, formatCode(format)
			case format == DecimalExponent:
				q.cacheIfCanonical(str)
			}
			return q, nil
		}
	}
	return parseBig(hi, lo, neg, binExp, scale, format), nil
}

// parseBig handles the numbers the int64 fast path cannot: more than 18 digits, or a binary
// value that overflows before it is scaled.
func parseBig(hi, lo string, neg bool, binExp uint, scale int64, format Format) Quantity {
	digits := hi + lo
	// drop is the number of decimal places below nano.
	drop := max(0, int64(Nano)-scale)
	sticky := false
	if drop > 0 {
		// Digits so far below nano that, even multiplied by 2^binExp, they cannot carry into
		// the nano place, matter only as "nonzero": cut them and remember that.
		t := drop - int64(binExp)
		if t > int64(len(digits)) {
			t = int64(len(digits))
		}
		if t > 0 {
			cut := digits[int64(len(digits))-t:]
			sticky = strings.TrimLeft(cut, "0") != ""
			digits = digits[:int64(len(digits))-t]
			scale += t
			drop -= t
		}
	}
	x := new(big.Int)
	if digits != "" {
		x.SetString(digits, 10)
	}
	x.Lsh(x, binExp)
	if drop > 0 && x.Sign() != 0 {
		var r big.Int
		x.QuoRem(x, bigPow10(drop), &r)
		if r.Sign() != 0 {
			sticky = true
		}
	}
	if drop > 0 {
		// Every digit was cut (x is 0) or x was divided: the value is now in nano units.
		scale += drop
	}
	if sticky {
		x.Add(x, bigOne)
	}
	if format == BinarySI {
		// x * 10^scale, scale <= 0 for binary quantities: cap above MaxInt64, and below 1 the
		// quantity is DecimalSI.
		unit := bigPow10(-scale)
		if x.Cmp(new(big.Int).Mul(bigMaxInt64, unit)) > 0 {
			return capped(neg)
		}
		if x.Cmp(unit) < 0 {
			format = DecimalSI
		}
	}
	if neg {
		x.Neg(x)
	}
	return fromBig(x, scale, format)
}

// capped is the largest binary SI quantity, math.MaxInt64, with the given sign.
func capped(neg bool) Quantity {
	if neg {
		return Quantity{i: -math.MaxInt64, Format: BinarySI}
	}
	return Quantity{i: math.MaxInt64, Format: BinarySI}
}

var (
	bigOne      = big.NewInt(1)
	bigTen      = big.NewInt(10)
	bigMaxInt64 = big.NewInt(math.MaxInt64)
	bigMinInt64 = big.NewInt(math.MinInt64)
)

// bigPow10 returns a new 10^n.
func bigPow10(n int64) *big.Int {
	if n >= 0 && n < int64(len(pow10)) {
		return big.NewInt(pow10[n])
	}
	return new(big.Int).Exp(bigTen, big.NewInt(n), nil)
}

// fromBig builds a Quantity of x * 10^scale, keeping x as an int64 when it fits. x is owned by
// the result afterwards.
func fromBig(x *big.Int, scale int64, format Format) Quantity {
	if x.IsInt64() {
		return Quantity{i: x.Int64(), scale: int32(scale), Format: format}
	}
	return Quantity{b: x, scale: int32(scale), Format: format}
}

// validSuffixShape reports whether s is letters of the suffix alphabet, then an optional sign,
// then digits: the shape Kubernetes accepts before it interprets the suffix.
func validSuffixShape(s string) bool {
	i := 0
	for i < len(s) && strings.IndexByte("eEinumkKMGTP", s[i]) >= 0 {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i == len(s)
}

// interpretSuffix returns the power of two, the power of ten and the format a suffix stands for.
func interpretSuffix(s string) (binExp uint, decExp int64, format Format, err error) {
	switch s {
	case "":
		return 0, 0, DecimalSI, nil
	case "n":
		return 0, -9, DecimalSI, nil
	case "u":
		return 0, -6, DecimalSI, nil
	case "m":
		return 0, -3, DecimalSI, nil
	case "k":
		return 0, 3, DecimalSI, nil
	case "M":
		return 0, 6, DecimalSI, nil
	case "G":
		return 0, 9, DecimalSI, nil
	case "T":
		return 0, 12, DecimalSI, nil
	case "P":
		return 0, 15, DecimalSI, nil
	case "E":
		return 0, 18, DecimalSI, nil
	case "Ki":
		return 10, 0, BinarySI, nil
	case "Mi":
		return 20, 0, BinarySI, nil
	case "Gi":
		return 30, 0, BinarySI, nil
	case "Ti":
		return 40, 0, BinarySI, nil
	case "Pi":
		return 50, 0, BinarySI, nil
	case "Ei":
		return 60, 0, BinarySI, nil
	}
	if len(s) > 1 && (s[0] == 'e' || s[0] == 'E') {
		n, perr := strconv.ParseInt(s[1:], 10, 64)
		if perr != nil {
			if errors.Is(perr, strconv.ErrRange) {
				return 0, 0, "", ErrNumeric
			}
			return 0, 0, "", ErrSuffix
		}
		if n > maxExponent || n < -maxExponent {
			return 0, 0, "", ErrNumeric
		}
		return 0, n, DecimalExponent, nil
	}
	return 0, 0, "", ErrSuffix
}

// divRoundAway returns m / 10^n rounded away from zero, for n > 0.
func divRoundAway(m int64, n int64) int64 {
	if m == 0 {
		return 0
	}
	if n >= int64(len(pow10)) {
		// |m| < 10^19 <= 10^n.
		if m > 0 {
			return 1
		}
		return -1
	}
	p := pow10[n]
	q := m / p
	if m%p != 0 {
		if m > 0 {
			q++
		} else {
			q--
		}
	}
	return q
}

func absInt64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// mulPow10 returns v * 10^n for n >= 0 and whether it fits in an int64.
func mulPow10(v int64, n int64) (int64, bool) {
	if v == 0 {
		return 0, true
	}
	if n >= int64(len(pow10)) {
		return 0, false
	}
	p := pow10[n]
	r := v * p
	if r/p != v || (v < 0) != (r < 0) {
		return 0, false
	}
	return r, true
}

// unscaledBig returns the unscaled value as a big.Int the caller may modify.
func (q *Quantity) unscaledBig() *big.Int {
	if q.b != nil {
		return new(big.Int).Set(q.b)
	}
	return big.NewInt(q.i)
}

// IsZero reports whether the quantity is 0.
func (q Quantity) IsZero() bool {
	if q.b != nil {
		return q.b.Sign() == 0
	}
	return q.i == 0
}

// Sign returns -1, 0 or 1 as the quantity is negative, zero or positive.
func (q Quantity) Sign() int {
	if q.b != nil {
		return q.b.Sign()
	}
	switch {
	case q.i < 0:
		return -1
	case q.i > 0:
		return 1
	}
	return 0
}

// Cmp returns -1, 0 or 1 as q is less than, equal to or greater than y, whatever their formats:
// "1Gi" equals "1073741824".
func (q Quantity) Cmp(y Quantity) int {
	if q.b == nil && y.b == nil {
		return cmpInt64(q.i, q.scale, y.i, y.scale)
	}
	x1, x2, _ := align(&q, &y)
	return x1.Cmp(x2)
}

// CmpInt64 compares q with the integer y.
func (q Quantity) CmpInt64(y int64) int {
	if q.b == nil {
		return cmpInt64(q.i, q.scale, y, 0)
	}
	return q.Cmp(Quantity{i: y})
}

// Equal reports whether q and y are the same number, whatever their formats. go-cmp uses it.
func (q Quantity) Equal(y Quantity) bool { return q.Cmp(y) == 0 }

func cmpInt64(a int64, as int32, b int64, bs int32) int {
	sa, sb := sign64(a), sign64(b)
	if sa != sb || sa == 0 {
		return cmp3(sa, sb)
	}
	if as == bs {
		return cmp3(a, b)
	}
	if as > bs {
		a2, ok := mulPow10(a, int64(as)-int64(bs))
		if !ok {
			// |a| * 10^(as-bs) does not fit: |a| is the larger.
			return sa
		}
		return cmp3(a2, b)
	}
	b2, ok := mulPow10(b, int64(bs)-int64(as))
	if !ok {
		return -sb
	}
	return cmp3(a, b2)
}

func sign64(v int64) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

func cmp3[T int | int64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// align returns the unscaled values of a and b brought to their common (smaller) scale.
func align(a, b *Quantity) (*big.Int, *big.Int, int64) {
	x, y := a.unscaledBig(), b.unscaledBig()
	as, bs := int64(a.scale), int64(b.scale)
	switch {
	case as > bs:
		x.Mul(x, bigPow10(as-bs))
		return x, y, bs
	case bs > as:
		y.Mul(y, bigPow10(bs-as))
	}
	return x, y, as
}

// Add adds y to q. When q is zero it takes y's format; otherwise it keeps its own.
func (q *Quantity) Add(y Quantity) {
	q.s = ""
	if q.IsZero() {
		q.Format = y.Format
	}
	if q.b == nil && y.b == nil {
		if v, s, ok := addInt64(q.i, q.scale, y.i, y.scale); ok {
			q.i, q.scale = v, s
			return
		}
	}
	x1, x2, s := align(q, &y)
	f := q.Format
	*q = fromBig(x1.Add(x1, x2), s, f)
}

// Sub subtracts y from q. When q is zero it takes y's format; otherwise it keeps its own.
func (q *Quantity) Sub(y Quantity) {
	y.Neg()
	q.Add(y)
}

// Neg negates q.
func (q *Quantity) Neg() {
	q.s = ""
	if q.b == nil {
		if q.i != math.MinInt64 {
			q.i = -q.i
			return
		}
	}
	x := q.unscaledBig()
	*q = fromBig(x.Neg(x), int64(q.scale), q.Format)
}

// addInt64 adds two scaled int64 values, reporting false when the result does not fit.
func addInt64(a int64, as int32, b int64, bs int32) (int64, int32, bool) {
	switch {
	case b == 0:
		return a, as, true
	case a == 0:
		return b, bs, true
	}
	s := as
	if as > bs {
		var ok bool
		if a, ok = mulPow10(a, int64(as)-int64(bs)); !ok {
			return 0, 0, false
		}
		s = bs
	} else if bs > as {
		var ok bool
		if b, ok = mulPow10(b, int64(bs)-int64(as)); !ok {
			return 0, 0, false
		}
	}
	c := a + b
	if (c > a) != (b > 0) {
		return 0, 0, false
	}
	return c, s, true
}

// Mul multiplies q by y exactly, keeping its format.
func (q *Quantity) Mul(y int64) {
	q.s = ""
	if q.b == nil {
		r := q.i * y
		if q.i == 0 || y == 0 || (r/y == q.i && !(q.i == -1 && y == math.MinInt64) && !(y == -1 && q.i == math.MinInt64)) {
			q.i = r
			return
		}
	}
	x := q.unscaledBig()
	*q = fromBig(x.Mul(x, big.NewInt(y)), int64(q.scale), q.Format)
}

// Set sets q to the integer value, keeping its format.
func (q *Quantity) Set(value int64) { q.SetScaled(value, 0) }

// SetMilli sets q to value/1000, keeping its format.
func (q *Quantity) SetMilli(value int64) { q.SetScaled(value, Milli) }

// SetScaled sets q to value * 10^scale rounded away from zero to nano precision, keeping its
// format.
func (q *Quantity) SetScaled(value int64, scale Scale) {
	if scale < Nano {
		value = divRoundAway(value, int64(Nano)-int64(scale))
		scale = Nano
	}
	*q = Quantity{i: value, scale: int32(scale), Format: q.Format}
}

// Value returns the quantity as an integer, rounded away from zero ("1.5" gives 2, "-1.5"
// gives -2), saturating at the bounds of int64.
func (q Quantity) Value() int64 { return q.ScaledValue(0) }

// MilliValue returns the quantity in thousandths ("100m" gives 100), rounded away from zero,
// saturating at the bounds of int64.
func (q Quantity) MilliValue() int64 { return q.ScaledValue(Milli) }

// ScaledValue returns the quantity divided by 10^scale, rounded away from zero, saturating at
// the bounds of int64: MustParse("1.5G").ScaledValue(resource.Mega) is 1500.
func (q Quantity) ScaledValue(scale Scale) int64 {
	if q.b == nil {
		d := int64(q.scale) - int64(scale)
		switch {
		case d == 0:
			return q.i
		case d > 0:
			v, ok := mulPow10(q.i, d)
			if !ok {
				return saturate(q.i)
			}
			return v
		default:
			return divRoundAway(q.i, -d)
		}
	}
	x, _ := q.scaledBig(scale)
	if x.IsInt64() {
		return x.Int64()
	}
	return saturate(int64(x.Sign()))
}

// scaledBig returns the quantity divided by 10^scale rounded away from zero, and whether that
// was exact.
func (q *Quantity) scaledBig(scale Scale) (*big.Int, bool) {
	x := q.unscaledBig()
	d := int64(q.scale) - int64(scale)
	if d >= 0 {
		return x.Mul(x, bigPow10(d)), true
	}
	var r big.Int
	x.QuoRem(x, bigPow10(-d), &r)
	if r.Sign() == 0 {
		return x, true
	}
	if r.Sign() > 0 {
		x.Add(x, bigOne)
	} else {
		x.Sub(x, bigOne)
	}
	return x, false
}

func saturate(sign int64) int64 {
	if sign < 0 {
		return math.MinInt64
	}
	return math.MaxInt64
}

// AsInt64 returns the quantity as an int64 when it is an integer in the range of int64.
func (q Quantity) AsInt64() (int64, bool) {
	if q.b == nil {
		if q.scale >= 0 {
			return mulPow10(q.i, int64(q.scale))
		}
		if -q.scale > 18 {
			return 0, q.i == 0
		}
		p := pow10[-q.scale]
		if q.i%p != 0 {
			return 0, false
		}
		return q.i / p, true
	}
	x, exact := q.scaledBig(0)
	if !exact || !x.IsInt64() {
		return 0, false
	}
	return x.Int64(), true
}

// RoundUp rounds q away from zero to a multiple of 10^scale and reports whether it was already
// one (no precision lost).
func (q *Quantity) RoundUp(scale Scale) bool {
	if int64(q.scale) >= int64(scale) {
		return true
	}
	f := q.Format
	if q.b == nil {
		v := divRoundAway(q.i, int64(scale)-int64(q.scale))
		exact := cmpInt64(v, int32(scale), q.i, q.scale) == 0
		*q = Quantity{i: v, scale: int32(scale), Format: f}
		return exact
	}
	x, exact := q.scaledBig(scale)
	*q = fromBig(x, int64(scale), f)
	return exact
}

// AsApproximateFloat64 returns the quantity as the nearest float64 it can compute cheaply; very
// large quantities give ±Inf.
func (q Quantity) AsApproximateFloat64() float64 {
	if q.b == nil {
		f := float64(q.i)
		switch {
		case q.scale > 0:
			return f * math.Pow10(int(q.scale))
		case q.scale < 0:
			return f / math.Pow10(int(-q.scale))
		}
		return f
	}
	f := new(big.Float).SetInt(q.b)
	p := new(big.Float).SetInt(bigPow10(int64(absInt64(int64(q.scale)))))
	if q.scale >= 0 {
		f.Mul(f, p)
	} else {
		f.Quo(f, p)
	}
	v, _ := f.Float64()
	return v
}

// String returns the canonical text of the quantity, which ParseQuantity reads back to an equal
// quantity of the same format:
//   - no precision is lost and no fraction is printed ("0.5" prints as "500m");
//   - the suffix (or exponent, a multiple of 3) is the largest that keeps the number an
//     integer ("1000Mi" stays "1000Mi", "1024Mi" prints as "1Gi", "1e4" as "10e3");
//   - a BinarySI quantity that is not an integer, or lies strictly between -1024 and 1024, is
//     printed as DecimalSI ("0.5Gi" prints as "512Mi", "0.5Ki" as "512");
//   - a DecimalSI quantity beyond the largest suffix uses an exponent ("1000E" prints as "1e21");
//   - the sign is printed only when negative, and zero is "0".
func (q Quantity) String() string {
	if q.s != "" && q.sf == formatCode(q.Format) {
		return q.s
	}
	var buf [48]byte
	return string(q.appendCanonical(buf[:0]))
}

// cacheIfCanonical remembers str as the text of q when it is exactly the canonical form, so that
// String and MarshalJSON of a parsed quantity cost nothing.
func (q *Quantity) cacheIfCanonical(str string) {
	var buf [48]byte
	if string(q.appendCanonical(buf[:0])) == str {
		q.s, q.sf = str, formatCode(q.Format)
	}
}

// binarySuffixes are the suffixes of the powers of 1024, by exponent.
var binarySuffixes = [...]string{"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}

// decimalSuffix returns the SI suffix of 10^e, if there is one.
func decimalSuffix(e int64) (string, bool) {
	switch e {
	case -9:
		return "n", true
	case -6:
		return "u", true
	case -3:
		return "m", true
	case 0:
		return "", true
	case 3:
		return "k", true
	case 6:
		return "M", true
	case 9:
		return "G", true
	case 12:
		return "T", true
	case 15:
		return "P", true
	case 18:
		return "E", true
	}
	return "", false
}

// appendCanonical appends the canonical text of q to buf.
func (q *Quantity) appendCanonical(buf []byte) []byte {
	if q.IsZero() {
		return append(buf, '0')
	}
	format := q.Format
	switch format {
	case DecimalSI, DecimalExponent:
	case BinarySI:
		if q.CmpInt64(-1024) > 0 && q.CmpInt64(1024) < 0 {
			format = DecimalSI
		} else if out, ok := q.appendBinary(buf); ok {
			return out
		} else {
			format = DecimalSI
		}
	default:
		format = DecimalExponent
	}
	return q.appendDecimal(buf, format)
}

// appendBinary appends q as an integer times the largest power of 1024 that divides it, or
// reports false when q is not an integer.
func (q *Quantity) appendBinary(buf []byte) ([]byte, bool) {
	if v, ok := q.AsInt64(); ok {
		exp := 0
		for exp < len(binarySuffixes)-1 && v%1024 == 0 {
			v /= 1024
			exp++
		}
		buf = strconv.AppendInt(buf, v, 10)
		return append(buf, binarySuffixes[exp]...), true
	}
	x, exact := q.scaledBig(0)
	if !exact {
		return buf, false
	}
	exp := 0
	neg := x.Sign() < 0
	x.Abs(x)
	for exp < len(binarySuffixes)-1 && x.TrailingZeroBits() >= 10 {
		x.Rsh(x, 10)
		exp++
	}
	if neg {
		buf = append(buf, '-')
	}
	buf = x.Append(buf, 10)
	return append(buf, binarySuffixes[exp]...), true
}

// appendDecimal appends q as an integer with a decimal SI suffix or an exponent that is a
// multiple of three, choosing the largest one that keeps the number an integer.
func (q *Quantity) appendDecimal(buf []byte, format Format) []byte {
	if q.b == nil {
		m, e := q.i, int64(q.scale)
		for m%10 == 0 {
			m /= 10
			e++
		}
		r := ((e % 3) + 3) % 3
		ok := true
		if r != 0 {
			m, ok = mulPow10(m, r)
			e -= r
		}
		if ok {
			buf = strconv.AppendInt(buf, m, 10)
			return appendDecimalSuffix(buf, e, format)
		}
	}
	// General case: work on the digits.
	x := q.unscaledBig()
	if x.Sign() < 0 {
		buf = append(buf, '-')
		x.Abs(x)
	}
	digits := x.Append(nil, 10)
	e := int64(q.scale)
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		e++
	}
	r := ((e % 3) + 3) % 3
	e -= r
	pad := r
	buf = append(buf, digits...)
	for ; pad > 0; pad-- {
		buf = append(buf, '0')
	}
	return appendDecimalSuffix(buf, e, format)
}

// appendDecimalSuffix appends the SI suffix for 10^e, or the exponent "e<e>" for the
// DecimalExponent format and for DecimalSI powers beyond the suffixes (above "E"), as Kubernetes
// does so that "1000E" is printed "1e21" rather than losing its magnitude.
func appendDecimalSuffix(buf []byte, e int64, format Format) []byte {
	if format == DecimalSI {
		if s, ok := decimalSuffix(e); ok {
			return append(buf, s...)
		}
	}
	if e == 0 {
		return buf
	}
	buf = append(buf, 'e')
	return strconv.AppendInt(buf, e, 10)
}

// MarshalJSON writes the canonical text as a JSON string.
func (q Quantity) MarshalJSON() ([]byte, error) {
	buf := make([]byte, 0, 24)
	buf = append(buf, '"')
	if q.s != "" && q.sf == formatCode(q.Format) {
		buf = append(buf, q.s...)
	} else {
		buf = q.appendCanonical(buf)
	}
	return append(buf, '"'), nil
}

// UnmarshalJSON reads a quantity from a JSON string ("100m") or, as Kubernetes does, a JSON
// number (0.5, 1e3); null leaves the zero quantity. Space around the text is ignored.
func (q *Quantity) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*q = Quantity{}
		return nil
	}
	var text string
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		inner := data[1 : len(data)-1]
		if bytes.IndexByte(inner, '\\') >= 0 {
			if err := json.Unmarshal(data, &text); err != nil {
				return fmt.Errorf("decode quantity: %w", err)
			}
		} else {
			text = string(inner)
		}
	} else {
		text = string(data)
	}
	parsed, err := ParseQuantity(strings.TrimSpace(text))
	if err != nil {
		return fmt.Errorf("decode quantity: %w", err)
	}
	*q = parsed
	return nil
}

// DeepCopy returns a copy of q that shares nothing with it.
func (q Quantity) DeepCopy() Quantity {
	if q.b != nil {
		q.b = new(big.Int).Set(q.b)
	}
	return q
}

// DeepCopyInto copies q into out.
func (q *Quantity) DeepCopyInto(out *Quantity) { *out = q.DeepCopy() }
