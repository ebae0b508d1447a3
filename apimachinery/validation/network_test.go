package validation

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

func TestIsValidPercent(t *testing.T) {
	msg := []string{"a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"}
	runStringCases(t, IsValidPercent, []stringCase{
		{"simple", "25%", nil},
		{"zero", "0%", nil},
		{"over 100 is syntax-valid", "150%", nil},
		{"no sign", "25", msg},
		{"only sign", "%", msg},
		{"fraction", "2.5%", msg},
		{"negative", "-1%", msg},
		{"empty", "", msg},
	})
}

func TestIsWildcardDNS1123Subdomain(t *testing.T) {
	msg := "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
	runStringCases(t, IsWildcardDNS1123Subdomain, []stringCase{
		{"simple", "*.example.com", nil},
		{"deep", "*.a.b.c", nil},
		{"double wildcard", "*.*.example.com", []string{msg}},
		{"no dot", "*example.com", []string{msg}},
		{"plain", "example.com", []string{msg}},
		{"lone star", "*", []string{msg}},
		{"too long", "*." + strings.Repeat("a", 252), []string{"must be no more than 253 characters"}},
	})
}

func TestIsFullyQualifiedDomainName(t *testing.T) {
	p := field.NewPath("spec", "host")
	tests := []struct {
		in   string
		want []string
	}{
		{"example.com", nil},
		{"example.com.", nil},
		{"a.b.c", nil},
		{"", []string{"spec.host: Required value"}},
		{"example", []string{`spec.host: Invalid value: "example": should be a domain with at least two segments separated by dots`}},
		{"Example.com", []string{`spec.host: Invalid value: "Example.com": ` + subdomainMsg}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, errStrings(IsFullyQualifiedDomainName(p, tt.in))); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestIPFamiliesAndCIDR(t *testing.T) {
	v4 := []string{"must be a valid IPv4 address"}
	v6 := []string{"must be a valid IPv6 address"}
	cidr := []string{"must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"}
	runStringCases(t, IsValidIPv4Address, []stringCase{
		{"v4", "1.2.3.4", nil}, {"v4 zeros", "01.2.3.4", nil}, {"v6", "::1", v4}, {"junk", "x", v4},
	})
	runStringCases(t, IsValidIPv6Address, []stringCase{
		{"v6", "2001:db8::1", nil}, {"v4", "1.2.3.4", v6}, {"junk", "", v6},
	})
	runStringCases(t, IsValidCIDR, []stringCase{
		{"v4", "10.9.8.0/24", nil},
		{"v4 host bits", "10.9.8.7/24", nil},
		{"v4 zeros", "010.9.8.0/24", nil},
		{"v6", "2001:db8::/64", nil},
		{"no prefix", "10.0.0.0", cidr},
		{"prefix too long", "10.0.0.0/33", cidr},
		{"bad ip", "10.0.0/8", cidr},
		{"empty", "", cidr},
		{"v6 too long", "::/129", cidr},
	})
	_, n, err := ParseCIDRSloppy("010.009.0.0/16")
	if err != nil || n.String() != "10.9.0.0/16" {
		t.Errorf("ParseCIDRSloppy = %v, %v", n, err)
	}
}

func TestUnixIDs(t *testing.T) {
	for _, tt := range []struct {
		id int64
		ok bool
	}{{0, true}, {1000, true}, {4294967295, true}, {4294967296, false}, {-1, false}} {
		if got := IsValidUserID(tt.id); (got == nil) != tt.ok {
			t.Errorf("IsValidUserID(%d) = %v", tt.id, got)
		}
		if got := IsValidGroupID(tt.id); (got == nil) != tt.ok {
			t.Errorf("IsValidGroupID(%d) = %v", tt.id, got)
		}
	}
	if got := IsValidUserID(-1)[0]; got != "must be between 0 and 4294967295, inclusive" {
		t.Errorf("message %q", got)
	}
}
