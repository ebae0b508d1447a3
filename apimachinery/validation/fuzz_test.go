package validation

import (
	"net"
	"regexp"
	"testing"
)

// The byte scanners of this package must accept exactly what Kubernetes' documented regular
// expressions accept; FuzzFormats checks each against its expression.
var formatOracles = []struct {
	name  string
	re    *regexp.Regexp
	check func(string) bool
}{
	{"dns1123 label", regexp.MustCompile("^" + dns1123LabelFmt + "$"), isDNS1123Label},
	{"dns1123 subdomain", regexp.MustCompile("^" + dns1123SubdomainFmt + "$"), isDNS1123Subdomain},
	{"qualified name part", regexp.MustCompile("^" + qualifiedNameFmt + "$"), isQualifiedNamePart},
	{"dns1035 label", regexp.MustCompile("^" + dns1035LabelFmt + "$"), func(s string) bool { return IsDNS1035Label(s) == nil }},
	{"label value", regexp.MustCompile("^" + labelValueFmt + "$"), func(s string) bool { return IsValidLabelValue(s) == nil }},
	{"c identifier", regexp.MustCompile("^" + cIdentifierFmt + "$"), func(s string) bool { return IsCIdentifier(s) == nil }},
	{"http header", regexp.MustCompile("^" + httpHeaderNameFmt + "$"), func(s string) bool { return IsHTTPHeaderName(s) == nil }},
	{"percent", regexp.MustCompile("^" + percentFmt + "$"), func(s string) bool { return IsValidPercent(s) == nil }},
	{"wildcard", regexp.MustCompile("^" + wildcardSubdomainFmt + "$"), func(s string) bool { return IsWildcardDNS1123Subdomain(s) == nil }},
}

func FuzzFormats(f *testing.F) {
	for _, s := range []string{"", "a", "a-b", "-a", "a.b", "A_b.c", "1abc", "*.a.b", "25%", "X-Y", "_x", "a..b", "a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, o := range formatOracles {
			// These checks also enforce a length limit the expression does not express, so
			// compare them only within the limit.
			if (o.name == "dns1035 label" || o.name == "label value") && len(s) > 63 {
				continue
			}
			if o.name == "wildcard" && len(s) > 253 {
				continue
			}
			if got, want := o.check(s), o.re.MatchString(s); got != want {
				t.Fatalf("%s(%q) = %v, regexp says %v", o.name, s, got, want)
			}
		}
	})
}

// FuzzParseIPSloppy checks that the lenient parser accepts everything net.ParseIP accepts, with
// the same result, and that whatever it accepts prints as an address net.ParseIP reads back.
func FuzzParseIPSloppy(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "01.02.03.004", "::1", "::ffff:01.2.3.4", "1.2.3", "1..2.3", "0256.1.1.1", "", "a:b::c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		strict := net.ParseIP(s)
		sloppy := ParseIPSloppy(s)
		if strict != nil && !strict.Equal(sloppy) {
			t.Fatalf("ParseIPSloppy(%q) = %v, net.ParseIP = %v", s, sloppy, strict)
		}
		if sloppy != nil && net.ParseIP(sloppy.String()) == nil {
			t.Fatalf("ParseIPSloppy(%q) = %v, which does not print as an address", s, sloppy)
		}
		_, _, _ = ParseCIDRSloppy(s + "/8")
	})
}
