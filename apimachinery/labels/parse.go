package labels

import (
	"fmt"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// ParseError is the error Parse returns: where in the selector the problem is and what was
// expected there. When a key or value is invalid, Err holds the field errors and Unwrap
// returns them.
type ParseError struct {
	// Selector is the text that failed to parse.
	Selector string
	// Offset is the byte offset of the offending token (len(Selector) at the end of input).
	Offset int
	// Msg says what was found and what was expected, in Kubernetes' words.
	Msg string
	// Err is the validation failure of a key or value, if that is the problem.
	Err error
}

// Error returns `labels: parse selector "<text>" at offset <n>: <msg>`, the text shortened if
// it is long.
func (e *ParseError) Error() string {
	sel := e.Selector
	if len(sel) > 80 {
		sel = sel[:77] + "..."
	}
	msg := e.Msg
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return fmt.Sprintf("labels: parse selector %q at offset %d: %s", sel, e.Offset, msg)
}

// Unwrap returns the validation error, if any.
func (e *ParseError) Unwrap() error { return e.Err }

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tokEnd   tokKind = iota // end of input
	tokIdent                // a word: key, value, or the keywords in and notin
	tokOpen                 // (
	tokClose                // )
	tokComma                // ,
	tokNot                  // !
	tokEq                   // =
	tokEqEq                 // ==
	tokNotEq                // !=
	tokGt                   // >
	tokLt                   // <
)

type token struct {
	kind tokKind
	lit  string
	pos  int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isSymbol(c byte) bool {
	switch c {
	case '=', '!', '(', ')', ',', '>', '<':
		return true
	}
	return false
}

// lexer splits a selector into tokens. Words are substrings of the input (no copies).
type lexer struct {
	s   string
	pos int
}

func (l *lexer) next() token {
	for l.pos < len(l.s) && isSpace(l.s[l.pos]) {
		l.pos++
	}
	start := l.pos
	if start >= len(l.s) {
		return token{kind: tokEnd, pos: start}
	}
	c := l.s[start]
	if isSymbol(c) {
		if start+1 < len(l.s) && l.s[start+1] == '=' && (c == '=' || c == '!') {
			l.pos += 2
			if c == '=' {
				return token{kind: tokEqEq, lit: "==", pos: start}
			}
			return token{kind: tokNotEq, lit: "!=", pos: start}
		}
		l.pos++
		var k tokKind
		switch c {
		case '(':
			k = tokOpen
		case ')':
			k = tokClose
		case ',':
			k = tokComma
		case '!':
			k = tokNot
		case '=':
			k = tokEq
		case '>':
			k = tokGt
		case '<':
			k = tokLt
		}
		return token{kind: k, lit: l.s[start:l.pos], pos: start}
	}
	for l.pos < len(l.s) && !isSpace(l.s[l.pos]) && !isSymbol(l.s[l.pos]) {
		l.pos++
	}
	return token{kind: tokIdent, lit: l.s[start:l.pos], pos: start}
}

// parser is a recursive-descent parser over the lexer with one token of lookahead.
type parser struct {
	lex  lexer
	peek token
	vals []string // backing store shared by the values of all requirements of one parse
}

// takeVals returns p.vals[start:] as a slice of its own (capacity-limited, so appends to
// p.vals never write into it).
func (p *parser) takeVals(start int) []string {
	return p.vals[start:len(p.vals):len(p.vals)]
}

func (p *parser) lookahead() token { return p.peek }

func (p *parser) consume() token {
	t := p.peek
	p.peek = p.lex.next()
	return t
}

func (p *parser) errorf(t token, format string, args ...any) *ParseError {
	return &ParseError{Selector: p.lex.s, Offset: t.pos, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads a label selector in Kubernetes' syntax: requirements separated by commas, all of
// which must hold. Each requirement is one of
//
//	key=value   key==value   key!=value
//	key in (v1,v2)   key notin (v1,v2)
//	key   !key
//	key>n   key<n      (n an integer; the label must hold an integer)
//
// Whitespace (space, tab, CR, LF) may surround tokens. Values may be empty: "key=", "key in ()"
// and "key in (a,)" all include the empty value. Keys must be qualified names and values label
// values; "in" and "notin" are keywords only where an operator is expected. The empty string
// parses to Everything().
//
// The result is in canonical order (see Selector.String). Errors are *ParseError values naming
// the offset and what was expected there.
func Parse(selector string) (Selector, error) {
	p := &parser{lex: lexer{s: selector}}
	p.consume()
	if len(selector) == 0 {
		return internalSelector(nil), nil
	}
	n := strings.Count(selector, ",") + 1
	rs := make(internalSelector, 0, n)
	p.vals = make([]string, 0, n)
	for {
		t := p.lookahead()
		switch t.kind {
		case tokEnd:
			rs.sort()
			return rs, nil
		case tokIdent, tokNot:
		default:
			return nil, p.errorf(t, "found '%s', expected: !, identifier, or 'end of string'", t.lit)
		}
		r, err := p.parseRequirement()
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
		t = p.consume()
		switch t.kind {
		case tokEnd:
			rs.sort()
			return rs, nil
		case tokComma:
			if n := p.lookahead(); n.kind != tokIdent && n.kind != tokNot {
				return nil, p.errorf(n, "found '%s', expected: identifier after ','", n.lit)
			}
		default:
			return nil, p.errorf(t, "found '%s', expected: ',' or 'end of string'", t.lit)
		}
	}
}

// MustParse is Parse for selectors fixed in the program text; it panics on an error.
func MustParse(selector string) Selector {
	s, err := Parse(selector)
	if err != nil {
		panic(err)
	}
	return s
}

func (p *parser) parseRequirement() (Requirement, error) {
	var op Operator
	t := p.consume()
	if t.kind == tokNot {
		op = DoesNotExist
		t = p.consume()
	}
	if t.kind != tokIdent {
		return Requirement{}, p.errorf(t, "found '%s', expected: identifier", t.lit)
	}
	keyTok := t
	if msgs := validation.IsQualifiedName(t.lit); len(msgs) > 0 {
		e := p.errorf(t, "invalid key")
		e.Err = field.Invalid(field.NewPath("key"), t.lit, strings.Join(msgs, "; "))
		return Requirement{}, e
	}
	if n := p.lookahead(); op == DoesNotExist || n.kind == tokEnd || n.kind == tokComma {
		if op == "" {
			op = Exists
		}
		return p.finish(keyTok, keyTok, op, nil)
	}
	opTok := p.consume()
	switch {
	case opTok.kind == tokIdent && opTok.lit == "in":
		op = In
	case opTok.kind == tokIdent && opTok.lit == "notin":
		op = NotIn
	case opTok.kind == tokEq:
		op = Equals
	case opTok.kind == tokEqEq:
		op = DoubleEquals
	case opTok.kind == tokNotEq:
		op = NotEquals
	case opTok.kind == tokGt:
		op = GreaterThan
	case opTok.kind == tokLt:
		op = LessThan
	default:
		return Requirement{}, p.errorf(opTok, "found '%s', expected: in, notin, =, ==, !=, gt, lt", opTok.lit)
	}
	var values []string
	var err error
	if op == In || op == NotIn {
		values, err = p.parseValues()
	} else {
		values, err = p.parseExactValue()
	}
	if err != nil {
		return Requirement{}, err
	}
	return p.finish(keyTok, opTok, op, values)
}

// finish validates the operator and values of a parsed requirement whose key is already
// checked; errors point at the operator.
func (p *parser) finish(keyTok, at token, op Operator, values []string) (Requirement, error) {
	if errs := requirementErrors(keyTok.lit, op, values, false); len(errs) > 0 {
		e := p.errorf(at, "invalid requirement")
		e.Err = errs.ToAggregate()
		return Requirement{}, e
	}
	return newRequirement(keyTok.lit, op, values), nil
}

// parseValues reads "(v1,v2,...)". Empty entries stand for the empty value.
func (p *parser) parseValues() ([]string, error) {
	t := p.consume()
	if t.kind != tokOpen {
		return nil, p.errorf(t, "found '%s', expected: '('", t.lit)
	}
	start := len(p.vals)
	switch n := p.lookahead(); n.kind {
	case tokClose:
		p.consume()
		p.vals = append(p.vals, "")
		return p.takeVals(start), nil
	case tokIdent, tokComma:
	default:
		return nil, p.errorf(n, "found '%s', expected: ',', ')' or identifier", n.lit)
	}
	// A list of entries separated by commas; each entry is an identifier or nothing.
	for {
		t := p.lookahead()
		if t.kind == tokIdent {
			p.vals = append(p.vals, p.consume().lit)
		} else {
			p.vals = append(p.vals, "")
		}
		t = p.consume()
		switch t.kind {
		case tokComma:
			if p.lookahead().kind == tokClose {
				p.vals = append(p.vals, "")
				p.consume()
				return p.takeVals(start), nil
			}
		case tokClose:
			return p.takeVals(start), nil
		default:
			return nil, p.errorf(t, "found '%s', expected: ',' or ')'", t.lit)
		}
	}
}

// parseExactValue reads the one value after =, ==, !=, > or <; it may be empty.
func (p *parser) parseExactValue() ([]string, error) {
	start := len(p.vals)
	switch t := p.lookahead(); t.kind {
	case tokEnd, tokComma:
		p.vals = append(p.vals, "")
		return p.takeVals(start), nil
	case tokIdent:
		p.consume()
		p.vals = append(p.vals, t.lit)
		return p.takeVals(start), nil
	default:
		return nil, p.errorf(t, "found '%s', expected: identifier", t.lit)
	}
}
