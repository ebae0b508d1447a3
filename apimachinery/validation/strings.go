package validation

import (
	"net"
	"strings"
)

// The length limits Kubernetes enforces.
const (
	// DNS1123LabelMaxLength is the longest DNS-1123 label.
	DNS1123LabelMaxLength = 63
	// DNS1123SubdomainMaxLength is the longest DNS-1123 subdomain.
	DNS1123SubdomainMaxLength = 253
	// DNS1035LabelMaxLength is the longest DNS-1035 label.
	DNS1035LabelMaxLength = 63
	// QualifiedNameMaxLength is the longest name part of a qualified name (label key).
	QualifiedNameMaxLength = 63
	// LabelValueMaxLength is the longest label value.
	LabelValueMaxLength = 63
	// PortNameMaxLength is the longest port name (IANA service name).
	PortNameMaxLength = 15
)

// The regular expressions Kubernetes documents for each format. The checks below do not use
// regexp (they scan bytes, which is much faster); the expressions appear in messages only.
const (
	dns1123LabelFmt     = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
	dns1123SubdomainFmt = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
	dns1035LabelFmt     = "[a-z]([-a-z0-9]*[a-z0-9])?"
	qualifiedNameFmt    = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
	labelValueFmt       = "(" + qualifiedNameFmt + ")?"
	cIdentifierFmt      = "[A-Za-z_][A-Za-z0-9_]*"
	httpHeaderNameFmt   = "[-A-Za-z0-9]+"
	envVarNameFmt       = "[-._a-zA-Z][-._a-zA-Z0-9]*"
	configMapKeyFmt     = "[-._a-zA-Z0-9]+"

	dns1123LabelErrMsg     = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
	dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
	dns1035LabelErrMsg     = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
	qualifiedNameErrMsg    = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	labelValueErrMsg       = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
	cIdentifierErrMsg      = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'"
	httpHeaderNameErrMsg   = "a valid HTTP header must consist of alphanumeric characters or '-'"
	envVarNameErrMsg       = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"
	configMapKeyErrMsg     = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
	ipErrMsg               = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
)

func isLowerAlnum(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') }
func isAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}
func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isDNS1123Label reports whether s matches dns1123LabelFmt (ignoring length).
func isDNS1123Label(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// isDNS1123Subdomain reports whether s matches dns1123SubdomainFmt (ignoring length).
func isDNS1123Subdomain(s string) bool {
	for {
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return isDNS1123Label(s)
		}
		if !isDNS1123Label(s[:i]) {
			return false
		}
		s = s[i+1:]
	}
}

// isQualifiedNamePart reports whether s matches qualifiedNameFmt (ignoring length).
func isQualifiedNamePart(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// IsDNS1123Label checks that value is a lowercase RFC 1123 label: at most 63 characters of
// [a-z0-9-], starting and ending with an alphanumeric character. It returns the reasons it is
// not, with Kubernetes' messages, or nil.
func IsDNS1123Label(value string) []string {
	var errs []string
	if len(value) > DNS1123LabelMaxLength {
		errs = append(errs, MaxLenError(DNS1123LabelMaxLength))
	}
	if !isDNS1123Label(value) {
		if isDNS1123Subdomain(value) {
			errs = append(errs, "must not contain dots")
		} else {
			errs = append(errs, RegexError(dns1123LabelErrMsg, dns1123LabelFmt, "my-name", "123-abc"))
		}
	}
	return errs
}

// IsDNS1123Subdomain checks that value is a lowercase RFC 1123 subdomain: at most 253
// characters, dot-separated DNS-1123 labels. It returns the reasons it is not, or nil.
func IsDNS1123Subdomain(value string) []string {
	var errs []string
	if len(value) > DNS1123SubdomainMaxLength {
		errs = append(errs, MaxLenError(DNS1123SubdomainMaxLength))
	}
	if !isDNS1123Subdomain(value) {
		errs = append(errs, RegexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, "example.com"))
	}
	return errs
}

// IsDNS1035Label checks that value is an RFC 1035 label: at most 63 characters of [a-z0-9-],
// starting with a letter and ending with an alphanumeric character. It returns the reasons it
// is not, or nil.
func IsDNS1035Label(value string) []string {
	var errs []string
	if len(value) > DNS1035LabelMaxLength {
		errs = append(errs, MaxLenError(DNS1035LabelMaxLength))
	}
	if !isDNS1123Label(value) || !(value[0] >= 'a' && value[0] <= 'z') {
		errs = append(errs, RegexError(dns1035LabelErrMsg, dns1035LabelFmt, "my-name", "abc-123"))
	}
	return errs
}

// IsQualifiedName checks that value is what Kubernetes calls a qualified name, the form of
// label keys, annotation keys and finalizers: an optional DNS-1123 subdomain prefix and a "/",
// then a name of at most 63 characters of [A-Za-z0-9-_.] that starts and ends with an
// alphanumeric character. It returns the reasons it is not, or nil.
func IsQualifiedName(value string) []string {
	var errs []string
	name := value
	if i := strings.IndexByte(value, '/'); i >= 0 {
		if strings.IndexByte(value[i+1:], '/') >= 0 {
			return []string{"a qualified name " + RegexError(qualifiedNameErrMsg, qualifiedNameFmt, "MyName", "my.name", "123-abc") +
				" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"}
		}
		prefix := value[:i]
		name = value[i+1:]
		if prefix == "" {
			errs = append(errs, "prefix part "+EmptyError())
		} else {
			for _, msg := range IsDNS1123Subdomain(prefix) {
				errs = append(errs, "prefix part "+msg)
			}
		}
	}
	if name == "" {
		errs = append(errs, "name part "+EmptyError())
	} else if len(name) > QualifiedNameMaxLength {
		errs = append(errs, "name part "+MaxLenError(QualifiedNameMaxLength))
	}
	if !isQualifiedNamePart(name) {
		errs = append(errs, "name part "+RegexError(qualifiedNameErrMsg, qualifiedNameFmt, "MyName", "my.name", "123-abc"))
	}
	return errs
}

// IsValidLabelValue checks that value is a label value: empty, or at most 63 characters of
// [A-Za-z0-9-_.] that start and end with an alphanumeric character. It returns the reasons it
// is not, or nil.
func IsValidLabelValue(value string) []string {
	var errs []string
	if len(value) > LabelValueMaxLength {
		errs = append(errs, MaxLenError(LabelValueMaxLength))
	}
	if value != "" && !isQualifiedNamePart(value) {
		errs = append(errs, RegexError(labelValueErrMsg, labelValueFmt, "MyValue", "my_value", "12345"))
	}
	return errs
}

// IsValidPortNum checks that port is a port number between 1 and 65535.
func IsValidPortNum(port int) []string {
	if port >= 1 && port <= 65535 {
		return nil
	}
	return []string{InclusiveRangeError(1, 65535)}
}

// IsInRange checks that value is between lo and hi, inclusive.
func IsInRange(value, lo, hi int) []string {
	if value >= lo && value <= hi {
		return nil
	}
	return []string{InclusiveRangeError(lo, hi)}
}

// IsValidPortName checks that port is an IANA service name as Kubernetes restricts it: at most
// 15 characters of [-a-z0-9], at least one letter, no leading, trailing or doubled hyphen. It
// returns every rule broken, or nil.
func IsValidPortName(port string) []string {
	var errs []string
	if len(port) > PortNameMaxLength {
		errs = append(errs, MaxLenError(PortNameMaxLength))
	}
	charsetOK := port != ""
	hasLetter := false
	for i := 0; i < len(port); i++ {
		c := port[i]
		switch {
		case c >= 'a' && c <= 'z':
			hasLetter = true
		case isDigit(c) || c == '-':
		default:
			charsetOK = false
		}
	}
	if !charsetOK {
		errs = append(errs, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
	}
	if !hasLetter {
		errs = append(errs, "must contain at least one letter (a-z)")
	}
	if strings.Contains(port, "--") {
		errs = append(errs, "must not contain consecutive hyphens")
	}
	if port != "" && (port[0] == '-' || port[len(port)-1] == '-') {
		errs = append(errs, "must not begin or end with a hyphen")
	}
	return errs
}

// IsCIdentifier checks that value is a C identifier ([A-Za-z_][A-Za-z0-9_]*). It does not
// check the length.
func IsCIdentifier(value string) []string {
	ok := value != "" && (isAlpha(value[0]) || value[0] == '_')
	for i := 1; ok && i < len(value); i++ {
		ok = isAlnum(value[i]) || value[i] == '_'
	}
	if ok {
		return nil
	}
	return []string{RegexError(cIdentifierErrMsg, cIdentifierFmt, "my_name", "MY_NAME", "MyName")}
}

// IsHTTPHeaderName checks that value is an HTTP header name as Go's HTTP library accepts it
// ([-A-Za-z0-9]+).
func IsHTTPHeaderName(value string) []string {
	ok := value != ""
	for i := 0; ok && i < len(value); i++ {
		ok = isAlnum(value[i]) || value[i] == '-'
	}
	if ok {
		return nil
	}
	return []string{RegexError(httpHeaderNameErrMsg, httpHeaderNameFmt, "X-Header-Name")}
}

// IsEnvVarName checks that value is an environment variable name: [-._a-zA-Z][-._a-zA-Z0-9]*,
// and not ".", ".." or starting with "..".
func IsEnvVarName(value string) []string {
	var errs []string
	ok := value != "" && !isDigit(value[0])
	for i := 0; ok && i < len(value); i++ {
		c := value[i]
		ok = isAlnum(c) || c == '-' || c == '.' || c == '_'
	}
	if !ok {
		errs = append(errs, RegexError(envVarNameErrMsg, envVarNameFmt, "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
	}
	return append(errs, chdirPrefixErrors(value)...)
}

// IsConfigMapKey checks that value is a key of a ConfigMap or Secret: at most 253 characters
// of [-._a-zA-Z0-9], and not ".", ".." or starting with "..".
func IsConfigMapKey(value string) []string {
	var errs []string
	if len(value) > DNS1123SubdomainMaxLength {
		errs = append(errs, MaxLenError(DNS1123SubdomainMaxLength))
	}
	ok := value != ""
	for i := 0; ok && i < len(value); i++ {
		c := value[i]
		ok = isAlnum(c) || c == '-' || c == '.' || c == '_'
	}
	if !ok {
		errs = append(errs, RegexError(configMapKeyErrMsg, configMapKeyFmt, "key.name", "KEY_NAME", "key-name"))
	}
	return append(errs, chdirPrefixErrors(value)...)
}

func chdirPrefixErrors(value string) []string {
	switch {
	case value == ".":
		return []string{"must not be '.'"}
	case value == "..":
		return []string{"must not be '..'"}
	case strings.HasPrefix(value, ".."):
		return []string{"must not start with '..'"}
	}
	return nil
}

// IsValidIP checks that value is an IPv4 or IPv6 address. Like Kubernetes it is lenient about
// IPv4 octets with leading zeros ("010.0.0.1" is read as 10.0.0.1), which older releases
// accepted and stored objects may still contain.
func IsValidIP(value string) []string {
	if ParseIPSloppy(value) != nil {
		return nil
	}
	return []string{ipErrMsg}
}

// ParseIPSloppy parses an IPv4 or IPv6 address, accepting IPv4 octets with leading zeros (as
// decimal), including in the IPv4 tail of an IPv6 address. It returns nil if value is not an
// address.
func ParseIPSloppy(value string) net.IP {
	if ip := net.ParseIP(value); ip != nil {
		return ip
	}
	// Strip leading zeros from the dotted-quad part, if any, and try again.
	start := strings.LastIndexByte(value, ':') + 1
	quad := value[start:]
	if strings.Count(quad, ".") != 3 {
		return nil
	}
	var b strings.Builder
	b.Grow(len(value))
	b.WriteString(value[:start])
	for i, oct := range strings.Split(quad, ".") {
		if i > 0 {
			b.WriteByte('.')
		}
		if oct == "" {
			return nil
		}
		trimmed := strings.TrimLeft(oct, "0")
		if trimmed == "" {
			trimmed = "0"
		}
		b.WriteString(trimmed)
	}
	return net.ParseIP(b.String())
}
