package validation

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type stringCase struct {
	name  string
	value string
	want  []string
}

func runStringCases(t *testing.T, fn func(string) []string, cases []stringCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, fn(tt.value)); diff != "" {
				t.Errorf("(%q) (-want +got):\n%s", tt.value, diff)
			}
		})
	}
}

const (
	labelMsg     = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
	subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
	dns1035Msg   = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
	namePartMsg  = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
	valueMsg     = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)

func TestIsDNS1123Label(t *testing.T) {
	runStringCases(t, IsDNS1123Label, []stringCase{
		{"simple", "a", nil},
		{"digits", "0", nil},
		{"dash inside", "my-name", nil},
		{"starts with digit", "123-abc", nil},
		{"max length", strings.Repeat("a", 63), nil},
		{"empty", "", []string{labelMsg}},
		{"too long", strings.Repeat("a", 64), []string{"must be no more than 63 characters"}},
		{"too long and bad", strings.Repeat("A", 64), []string{"must be no more than 63 characters", labelMsg}},
		{"upper", "Abc", []string{labelMsg}},
		{"leading dash", "-abc", []string{labelMsg}},
		{"trailing dash", "abc-", []string{labelMsg}},
		{"dots", "a.b", []string{"must not contain dots"}},
		{"underscore", "a_b", []string{labelMsg}},
		{"unicode", "caf\u00e9", []string{labelMsg}},
	})
}

func TestIsDNS1123Subdomain(t *testing.T) {
	runStringCases(t, IsDNS1123Subdomain, []stringCase{
		{"simple", "example.com", nil},
		{"single", "a", nil},
		{"many labels", "a.b-c.d0", nil},
		{"max length", strings.Repeat("a", 253), nil},
		{"empty", "", []string{subdomainMsg}},
		{"too long", strings.Repeat("a", 254), []string{"must be no more than 253 characters"}},
		{"double dot", "a..b", []string{subdomainMsg}},
		{"leading dot", ".a", []string{subdomainMsg}},
		{"trailing dot", "a.", []string{subdomainMsg}},
		{"dash before dot", "a-.b", []string{subdomainMsg}},
		{"upper", "Example.com", []string{subdomainMsg}},
	})
}

func TestIsDNS1035Label(t *testing.T) {
	runStringCases(t, IsDNS1035Label, []stringCase{
		{"simple", "abc-123", nil},
		{"single letter", "a", nil},
		{"starts with digit", "1abc", []string{dns1035Msg}},
		{"empty", "", []string{dns1035Msg}},
		{"too long", "a" + strings.Repeat("1", 63), []string{"must be no more than 63 characters"}},
		{"dot", "a.b", []string{dns1035Msg}},
	})
}

func TestIsQualifiedName(t *testing.T) {
	runStringCases(t, IsQualifiedName, []stringCase{
		{"simple", "app", nil},
		{"mixed", "My_Name.x-1", nil},
		{"prefixed", "example.com/MyName", nil},
		{"kubernetes prefix", "app.kubernetes.io/name", nil},
		{"max name", strings.Repeat("a", 63), nil},
		{"max prefix", strings.Repeat("a", 253) + "/a", nil},
		{"empty", "", []string{"name part must be non-empty", namePartMsg}},
		{"empty name", "example.com/", []string{"name part must be non-empty", namePartMsg}},
		{"empty prefix", "/a", []string{"prefix part must be non-empty"}},
		{"bad prefix", "Example.com/a", []string{"prefix part " + subdomainMsg}},
		{"long prefix", strings.Repeat("a", 254) + "/a", []string{"prefix part must be no more than 253 characters"}},
		{"long name", strings.Repeat("a", 64), []string{"name part must be no more than 63 characters"}},
		{"bad name", "a b", []string{namePartMsg}},
		{"trailing dash", "a-", []string{namePartMsg}},
		{"two slashes", "a/b/c", []string{"a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"}},
	})
}

func TestIsValidLabelValue(t *testing.T) {
	runStringCases(t, IsValidLabelValue, []stringCase{
		{"empty", "", nil},
		{"simple", "MyValue", nil},
		{"underscore", "my_value", nil},
		{"digits", "12345", nil},
		{"max", strings.Repeat("v", 63), nil},
		{"too long", strings.Repeat("v", 64), []string{"must be no more than 63 characters"}},
		{"slash", "a/b", []string{valueMsg}},
		{"leading dot", ".a", []string{valueMsg}},
		{"space", "a b", []string{valueMsg}},
	})
}

func TestIsValidPortName(t *testing.T) {
	charset := "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
	letter := "must contain at least one letter (a-z)"
	runStringCases(t, IsValidPortName, []stringCase{
		{"http", "http", nil},
		{"with digits", "h2c-1", nil},
		{"max", "abcdefghijklmno", nil},
		{"too long", "abcdefghijklmnop", []string{"must be no more than 15 characters"}},
		{"empty", "", []string{charset, letter}},
		{"digits only", "123", []string{letter}},
		{"upper", "HTTP", []string{charset, letter}},
		{"double hyphen", "a--b", []string{"must not contain consecutive hyphens"}},
		{"edge hyphen", "-a", []string{"must not begin or end with a hyphen"}},
	})
}

func TestIsValidPortNum(t *testing.T) {
	for _, tt := range []struct {
		port int
		ok   bool
	}{{0, false}, {1, true}, {80, true}, {65535, true}, {65536, false}, {-1, false}} {
		got := IsValidPortNum(tt.port)
		if (got == nil) != tt.ok {
			t.Errorf("IsValidPortNum(%d) = %v, want ok=%v", tt.port, got, tt.ok)
		}
		if !tt.ok && got[0] != "must be between 1 and 65535, inclusive" {
			t.Errorf("IsValidPortNum(%d) message = %q", tt.port, got[0])
		}
	}
	if got := IsInRange(5, 1, 3); !cmp.Equal(got, []string{"must be between 1 and 3, inclusive"}) {
		t.Errorf("IsInRange = %v", got)
	}
}

func TestIsCIdentifier(t *testing.T) {
	msg := "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')"
	runStringCases(t, IsCIdentifier, []stringCase{
		{"simple", "my_name", nil},
		{"underscore first", "_x1", nil},
		{"digit first", "1x", []string{msg}},
		{"dash", "a-b", []string{msg}},
		{"empty", "", []string{msg}},
	})
}

func TestIsHTTPHeaderName(t *testing.T) {
	msg := "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"
	runStringCases(t, IsHTTPHeaderName, []stringCase{
		{"simple", "X-Header-Name", nil},
		{"empty", "", []string{msg}},
		{"underscore", "X_Y", []string{msg}},
		{"colon", "Host:", []string{msg}},
	})
}

func TestIsEnvVarName(t *testing.T) {
	msg := "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
	runStringCases(t, IsEnvVarName, []stringCase{
		{"simple", "MY_ENV.NAME", nil},
		{"dash first", "-x", nil},
		{"digit first", "1X", []string{msg}},
		{"empty", "", []string{msg}},
		{"equals", "A=B", []string{msg}},
		{"dot", ".", []string{"must not be '.'"}},
		{"dotdot", "..", []string{"must not be '..'"}},
		{"dotdot prefix", "..a", []string{"must not start with '..'"}},
	})
}

func TestIsConfigMapKey(t *testing.T) {
	msg := "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
	runStringCases(t, IsConfigMapKey, []stringCase{
		{"simple", "key.name", nil},
		{"digit first", "1key", nil},
		{"empty", "", []string{msg}},
		{"slash", "a/b", []string{msg}},
		{"too long", strings.Repeat("k", 254), []string{"must be no more than 253 characters"}},
		{"dotdot prefix", "..data", []string{"must not start with '..'"}},
	})
}

func TestIsValidIP(t *testing.T) {
	msg := []string{"must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"}
	runStringCases(t, IsValidIP, []stringCase{
		{"ipv4", "10.9.8.7", nil},
		{"ipv6", "2001:db8::ffff", nil},
		{"mapped", "::ffff:1.2.3.4", nil},
		{"leading zeros", "010.001.0.1", nil},
		{"leading zeros in v6 tail", "::ffff:01.2.3.4", nil},
		{"empty", "", msg},
		{"hostname", "example.com", msg},
		{"octet too big", "256.0.0.1", msg},
		{"zeros too big", "0256.0.0.1", msg},
		{"three octets", "1.2.3", msg},
		{"empty octet", "1..2.3", msg},
		{"cidr", "10.0.0.0/8", msg},
	})
	if got := ParseIPSloppy("010.0.0.1").String(); got != "10.0.0.1" {
		t.Errorf("ParseIPSloppy = %s, want 10.0.0.1", got)
	}
}

func TestRegexErrorWithoutExamples(t *testing.T) {
	if got, want := RegexError("bad", "[a-z]+"), "bad (regex used for validation is '[a-z]+')"; got != want {
		t.Errorf("RegexError = %q, want %q", got, want)
	}
}
