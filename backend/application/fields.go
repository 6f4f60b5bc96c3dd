package application

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxNesting bounds the depth of a JSON or XML document: each level costs
// a path (a.b[0].c, a/b) built from the levels above it, so a deeply
// nested file would cost the square of its size (1.8 MB of brackets took
// 6 GB).
const maxNesting = 256

// errEnough stops a preview walk that has all the values it shows.
var errEnough = errors.New("enough values")

// jsonFields checks that r holds one JSON value and reports its scalar
// values by path (a.b[0].c), in document order, until keep says stop
// (errEnough).
func jsonFields(r io.Reader, keep func(Field) bool) error {
	d := json.NewDecoder(r)
	d.UseNumber()
	var walk func(p string, depth int) error
	walk = func(p string, depth int) error {
		if depth > maxNesting {
			return ErrJSON
		}
		t, err := d.Token()
		if err != nil {
			return ErrJSON
		}
		switch t := t.(type) {
		case json.Delim:
			switch t {
			case '{':
				for d.More() {
					k, err := d.Token()
					if err != nil {
						return ErrJSON
					}
					child := k.(string)
					if p != "" {
						child = p + "." + child
					}
					if err := walk(child, depth+1); err != nil {
						return err
					}
				}
			case '[':
				for i := 0; d.More(); i++ {
					if err := walk(fmt.Sprintf("%s[%d]", p, i), depth+1); err != nil {
						return err
					}
				}
			}
			if _, err := d.Token(); err != nil {
				return ErrJSON
			}
		default:
			if keep != nil && !keep(Field{Path: p, Value: fmt.Sprint(t)}) {
				return errEnough
			}
		}
		return nil
	}
	if err := walk("", 0); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return ErrJSON
	}
	return nil
}

// xmlFields checks that r holds one well-formed XML document (all of it)
// and reports attribute values and element text by path (a/b/@c, a/b), in
// order, while keep wants them.
func xmlFields(r io.Reader, keep func(Field) bool) error {
	d := xml.NewDecoder(r)
	var stack []string
	var text strings.Builder
	roots := 0
	for {
		t, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ErrXML
		}
		switch t := t.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				roots++
			}
			stack = append(stack, t.Name.Local)
			if len(stack) > maxNesting {
				return ErrXML
			}
			text.Reset()
			for _, a := range t.Attr {
				if keep != nil && a.Name.Space != "xmlns" && a.Name.Local != "xmlns" && !keep(Field{Path: strings.Join(stack, "/") + "/@" + a.Name.Local, Value: a.Value}) {
					keep = nil
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if s := strings.TrimSpace(text.String()); s != "" && keep != nil && !keep(Field{Path: strings.Join(stack, "/"), Value: s}) {
				keep = nil
			}
			text.Reset()
			stack = stack[:len(stack)-1]
		}
	}
	if roots != 1 {
		return ErrXML
	}
	return nil
}
