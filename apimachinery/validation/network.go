package validation

import (
	"net"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

const (
	percentFmt              = "[0-9]+%"
	percentErrMsg           = "a valid percent string must be a numeric string followed by an ending '%'"
	wildcardSubdomainFmt    = "\\*\\." + dns1123SubdomainFmt
	wildcardSubdomainErrMsg = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"
	cidrErrMsg              = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
	maxUnixID               = 0xffffffff // Unix user and group IDs are uint32
)

// IsValidPercent checks that value is a percentage such as "25%" ([0-9]+%).
func IsValidPercent(value string) []string {
	ok := len(value) >= 2 && value[len(value)-1] == '%'
	for i := 0; ok && i < len(value)-1; i++ {
		ok = isDigit(value[i])
	}
	if ok {
		return nil
	}
	return []string{RegexError(percentErrMsg, percentFmt, "1%", "93%")}
}

// IsWildcardDNS1123Subdomain checks that value is "*." followed by a DNS-1123 subdomain, at
// most 253 characters in all.
func IsWildcardDNS1123Subdomain(value string) []string {
	var errs []string
	if len(value) > DNS1123SubdomainMaxLength {
		errs = append(errs, MaxLenError(DNS1123SubdomainMaxLength))
	}
	if !strings.HasPrefix(value, "*.") || !isDNS1123Subdomain(value[2:]) {
		errs = append(errs, RegexError(wildcardSubdomainErrMsg, wildcardSubdomainFmt, "*.example.com"))
	}
	return errs
}

// IsFullyQualifiedDomainName checks that name is a DNS-1123 subdomain of at least two labels;
// one trailing dot is allowed. Errors are reported at path.
func IsFullyQualifiedDomainName(path *field.Path, name string) field.ErrorList {
	if name == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	name = strings.TrimSuffix(name, ".")
	if msgs := IsDNS1123Subdomain(name); len(msgs) > 0 {
		return field.ErrorList{field.Invalid(path, name, strings.Join(msgs, ","))}
	}
	if !strings.Contains(name, ".") {
		return field.ErrorList{field.Invalid(path, name, "should be a domain with at least two segments separated by dots")}
	}
	return nil
}

// IsValidIPv4Address checks that value is an IPv4 address (leading zeros tolerated, see
// IsValidIP).
func IsValidIPv4Address(value string) []string {
	if ip := ParseIPSloppy(value); ip != nil && ip.To4() != nil {
		return nil
	}
	return []string{"must be a valid IPv4 address"}
}

// IsValidIPv6Address checks that value is an IPv6 address that is not an IPv4 address.
func IsValidIPv6Address(value string) []string {
	if ip := ParseIPSloppy(value); ip != nil && ip.To4() == nil {
		return nil
	}
	return []string{"must be a valid IPv6 address"}
}

// IsValidCIDR checks that value is an address and prefix length such as "10.9.8.0/24" or
// "2001:db8::/64" (leading zeros in IPv4 octets tolerated, see IsValidIP).
func IsValidCIDR(value string) []string {
	if _, _, err := ParseCIDRSloppy(value); err == nil {
		return nil
	}
	return []string{cidrErrMsg}
}

// ParseCIDRSloppy is net.ParseCIDR that tolerates IPv4 octets with leading zeros.
func ParseCIDRSloppy(value string) (net.IP, *net.IPNet, error) {
	ip, ipnet, err := net.ParseCIDR(value)
	if err == nil {
		return ip, ipnet, nil
	}
	i := strings.LastIndexByte(value, '/')
	if i < 0 {
		return nil, nil, err
	}
	addr := ParseIPSloppy(value[:i])
	if addr == nil {
		return nil, nil, err
	}
	if v4 := addr.To4(); v4 != nil && !strings.Contains(value[:i], ":") {
		addr = v4
	}
	return net.ParseCIDR(addr.String() + value[i:])
}

// IsValidUserID checks that uid is a Unix user ID (0 to 4294967295).
func IsValidUserID(uid int64) []string {
	if uid >= 0 && uid <= maxUnixID {
		return nil
	}
	return []string{InclusiveRangeError(0, maxUnixID)}
}

// IsValidGroupID checks that gid is a Unix group ID (0 to 4294967295).
func IsValidGroupID(gid int64) []string {
	if gid >= 0 && gid <= maxUnixID {
		return nil
	}
	return []string{InclusiveRangeError(0, maxUnixID)}
}
