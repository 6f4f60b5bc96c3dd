package pdfv

import (
	"bytes"
	"errors"
	"strconv"
)

// A small, bounded reader of PDF objects (ISO 32000-1 §7.3), enough to
// compare revisions: it never follows references by itself, nests at most
// maxDepth deep and never allocates more than its input.

type (
	pname  string
	pref   struct{ num, gen int }
	pdict  map[string]any
	parray []any
	pstr   []byte
	pkw    string
	// pstream is a stream's dictionary and where its data starts in the file
	// (or in the decoded object stream).
	pstream struct {
		dict  pdict
		start int64
	}
)

const maxDepth = 64

var errSyntax = errors.New("PDF syntax error")

type lexer struct {
	b   []byte
	pos int
	// spans, when set, receives where each value of the outermost
	// dictionary starts and ends in b (for a signature's /Contents).
	spans map[string][2]int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isSpace(c) {
			l.pos++
		} else if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		} else {
			return
		}
	}
}

// token returns the next token: a delimiter ("<<", ">>", "[", "]", "(",
// "<", "/") or a regular word.
func (l *lexer) token() (string, bool) {
	l.skipSpace()
	if l.pos >= len(l.b) {
		return "", false
	}
	c := l.b[l.pos]
	switch {
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		return "<<", true
	case c == '>' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '>':
		l.pos += 2
		return ">>", true
	case isDelim(c):
		l.pos++
		return string(c), true
	}
	start := l.pos
	for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	return string(l.b[start:l.pos]), true
}

// object reads one object. Integers followed by "G R" become references.
func (l *lexer) object(depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("objects nested too deeply")
	}
	tok, ok := l.token()
	if !ok {
		return nil, errSyntax
	}
	switch tok {
	case "<<":
		d := pdict{}
		for {
			l.skipSpace()
			if l.pos+1 < len(l.b) && l.b[l.pos] == '>' && l.b[l.pos+1] == '>' {
				l.pos += 2
				return d, nil
			}
			k, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			key, ok := k.(pname)
			if !ok {
				return nil, errSyntax
			}
			l.skipSpace()
			start := l.pos
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			d[string(key)] = v
			if depth == 0 && l.spans != nil {
				l.spans[string(key)] = [2]int{start, l.pos}
			}
		}
	case "[":
		var a parray
		for {
			l.skipSpace()
			if l.pos < len(l.b) && l.b[l.pos] == ']' {
				l.pos++
				return a, nil
			}
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case "/":
		start := l.pos
		for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
			l.pos++
		}
		return pname(unescapeName(l.b[start:l.pos])), nil
	case "(":
		return l.literal()
	case "<":
		end := bytes.IndexByte(l.b[l.pos:], '>')
		if end < 0 {
			return nil, errSyntax
		}
		h := l.b[l.pos : l.pos+end]
		l.pos += end + 1
		return pstr(decodeHex(h)), nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	case "]", ">>", ")", ">", "{", "}":
		return nil, errSyntax
	}
	if n, err := strconv.ParseInt(tok, 10, 64); err == nil {
		// "num gen R"?
		save := l.pos
		if g, ok := l.token(); ok {
			if gen, err := strconv.Atoi(g); err == nil && gen >= 0 {
				if r, ok := l.token(); ok && r == "R" && n >= 0 && n < 1<<31 {
					return pref{int(n), gen}, nil
				}
			}
		}
		l.pos = save
		return n, nil
	}
	if f, err := strconv.ParseFloat(tok, 64); err == nil {
		return f, nil
	}
	return pkw(tok), nil
}

func (l *lexer) literal() (any, error) {
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '\\':
			if l.pos >= len(l.b) {
				return nil, errSyntax
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		case '(':
			depth++
			out = append(out, c)
		case ')':
			depth--
			if depth == 0 {
				return pstr(out), nil
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return nil, errSyntax
}

func unescapeName(b []byte) string {
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

func decodeHex(h []byte) []byte {
	out := make([]byte, 0, len(h)/2)
	var hi byte
	half := false
	for _, c := range h {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return out
}

// indirect parses "num gen obj <object> [stream]" at the start of b (after
// optional white space). base is b's offset in the file, for stream data.
func parseIndirect(b []byte, base int64) (num, gen int, v any, err error) {
	num, gen, v, _, err = parseIndirectSpans(b, base)
	return
}

// parseIndirectSpans is parseIndirect that also returns where the values of
// the object's dictionary lie, as file offsets.
func parseIndirectSpans(b []byte, base int64) (num, gen int, v any, spans map[string][2]int64, err error) {
	l := &lexer{b: b, spans: map[string][2]int{}}
	n, ok1 := l.token()
	g, ok2 := l.token()
	o, ok3 := l.token()
	if !ok1 || !ok2 || !ok3 || o != "obj" {
		return 0, 0, nil, nil, errors.New("no object header")
	}
	if num, err = strconv.Atoi(n); err != nil {
		return 0, 0, nil, nil, errSyntax
	}
	if gen, err = strconv.Atoi(g); err != nil {
		return 0, 0, nil, nil, errSyntax
	}
	v, err = l.object(0)
	if err != nil {
		return num, gen, nil, nil, err
	}
	spans = map[string][2]int64{}
	for k, s := range l.spans {
		spans[k] = [2]int64{base + int64(s[0]), base + int64(s[1])}
	}
	if d, ok := v.(pdict); ok {
		save := l.pos
		if t, ok := l.token(); ok && t == "stream" {
			// The data starts after CRLF or LF.
			p := l.pos
			if p < len(b) && b[p] == '\r' {
				p++
			}
			if p < len(b) && b[p] == '\n' {
				p++
			}
			return num, gen, &pstream{dict: d, start: base + int64(p)}, spans, nil
		}
		l.pos = save
	}
	return num, gen, v, spans, nil
}

// equalObj compares two parsed objects structurally.
func equalObj(a, b any) bool {
	switch x := a.(type) {
	case pdict:
		y, ok := b.(pdict)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equalObj(v, w) {
				return false
			}
		}
		return true
	case parray:
		y, ok := b.(parray)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalObj(x[i], y[i]) {
				return false
			}
		}
		return true
	case pstr:
		y, ok := b.(pstr)
		return ok && bytes.Equal(x, y)
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		switch y := b.(type) {
		case int64:
			return x == float64(y)
		case float64:
			return x == y
		}
		return false
	case *pstream:
		y, ok := b.(*pstream)
		return ok && equalObj(x.dict, y.dict)
	}
	return a == b
}
