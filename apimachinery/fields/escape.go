package fields

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// EscapeValue escapes a value for a field selector: "\" becomes "\\", "," becomes "\," and
// "=" becomes "\=", so that the value cannot end a term or start an operator.
func EscapeValue(s string) string {
	if !strings.ContainsAny(s, `\,=`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ',', '=':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// InvalidEscapeSequence is the error for a backslash that is not followed by "\", "," or "=",
// including a backslash at the end of a value.
type InvalidEscapeSequence struct {
	// Sequence is the offending text: the backslash and the character after it, if any.
	Sequence string
}

// Error describes the sequence.
func (e InvalidEscapeSequence) Error() string {
	return fmt.Sprintf("fields: invalid escape sequence %q in value", e.Sequence)
}

// UnescapedRune is the error for a "," or "=" in a value that is not escaped with a backslash.
type UnescapedRune struct {
	// Rune is the offending character.
	Rune rune
}

// Error describes the character.
func (e UnescapedRune) Error() string {
	return fmt.Sprintf("fields: unescaped %q in value", e.Rune)
}

// UnescapeValue reverses EscapeValue. It fails with InvalidEscapeSequence on a backslash not
// followed by "\", "," or "=", and with UnescapedRune on a bare "," or "=".
func UnescapeValue(s string) (string, error) {
	if !strings.ContainsAny(s, `\,=`) {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 >= len(s) {
				return "", InvalidEscapeSequence{Sequence: `\`}
			}
			n := s[i+1]
			if n != '\\' && n != ',' && n != '=' {
				// Report the whole (possibly multi-byte) character after the backslash.
				r, _ := utf8.DecodeRuneInString(s[i+1:])
				return "", InvalidEscapeSequence{Sequence: `\` + string(r)}
			}
			b.WriteByte(n)
			i++
		case ',', '=':
			return "", UnescapedRune{Rune: rune(c)}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
