package qti

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits on one XML file. A QTI item has a few hundred elements and a Canvas
// quiz a few tens of thousands; these bound the tree a hostile file can make.
const (
	maxDepth = 256
	maxNodes = 200000
)

// node is one element or text run of a parsed XML file. The importer reads
// whole files into this small tree because QTI is interpreted by looking
// ahead (a choice's key is declared before the interaction that names it)
// and problems must point at the element's line and path.
type node struct {
	name   string     // local name, QTI 3.0 kebab-case turned into the QTI 2 camelCase
	raw    string     // local name as written, for paths
	space  string     // namespace URI
	attrs  []xml.Attr // local names normalised like name
	kids   []*node
	text   string // the text of a text node
	isText bool
	line   int
	parent *node
	nth    int // position among same-named siblings, from 1
}

// attr returns the attribute with the local name, or "".
func (n *node) attr(name string) string {
	v, _ := n.lookup(name)
	return v
}

// setAttr sets an attribute, replacing the one of that local name.
func (n *node) setAttr(name, value string) {
	for i, a := range n.attrs {
		if a.Name.Local == name {
			n.attrs[i].Value = value
			return
		}
	}
	n.attrs = appendAttr(n.attrs, name, value)
}

func (n *node) lookup(name string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// child returns the first child element called name.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if !k.isText && k.name == name {
			return k
		}
	}
	return nil
}

// children returns the child elements called name ("" for all elements).
func (n *node) children(name string) []*node {
	var out []*node
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if !k.isText && (name == "" || k.name == name) {
			out = append(out, k)
		}
	}
	return out
}

// find returns the descendant elements for which match is true, in
// document order, without descending into a match.
func (n *node) find(match func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		for _, k := range m.kids {
			if k.isText {
				continue
			}
			if match(k) {
				out = append(out, k)
				continue
			}
			walk(k)
		}
	}
	if n != nil {
		walk(n)
	}
	return out
}

// named matches elements by name, for find.
func named(names ...string) func(*node) bool {
	return func(n *node) bool {
		for _, s := range names {
			if n.name == s {
				return true
			}
		}
		return false
	}
}

// textContent returns all the text under n, as written.
func (n *node) textContent() string {
	if n == nil {
		return ""
	}
	if n.isText {
		return n.text
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		for _, k := range m.kids {
			if k.isText {
				b.WriteString(k.text)
			} else {
				walk(k)
			}
		}
	}
	walk(n)
	return b.String()
}

// xpath names n by its ancestors, as problems show it: /a/b[2]/c.
func (n *node) xpath() string {
	var parts []string
	for m := n; m != nil; m = m.parent {
		if m.isText {
			continue
		}
		p := m.raw
		if m.nth > 1 {
			p += "[" + strconv.Itoa(m.nth) + "]"
		}
		parts = append(parts, p)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}

// xmlError is why a file could not be read as XML, with its line.
type xmlError struct {
	line int
	msg  string
}

// errEntities marks a DOCTYPE that declares entities.
var errEntities = errors.New("entities")

// parseXML reads data into a tree. It never processes a DTD: a DOCTYPE that
// declares entities is refused (entity expansion is how XML bombs and
// external-file reads work), and only XML's and HTML's predefined entities
// are known.
func parseXML(data []byte) (*node, *xmlError) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	var root *node
	var stack []*node
	// counts[i] counts the names of the children of stack[i] seen so far.
	var counts []map[string]int
	nodes := 0
	// Adjacent text (split by comments or CDATA) is gathered in one
	// builder and stored when the run ends, never by repeated +=.
	var text *node
	var buf strings.Builder
	flush := func() {
		if text != nil {
			text.text = buf.String()
			text, buf = nil, strings.Builder{}
		}
	}
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &xmlError{se.Line, "the XML is not well formed: " + se.Msg}
			}
			l, _ := d.InputPos()
			return nil, &xmlError{l, "the XML cannot be read: " + err.Error()}
		}
		if _, ok := tok.(xml.CharData); !ok {
			if _, ok := tok.(xml.Comment); !ok {
				flush()
			}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			nodes++
			if nodes > maxNodes {
				return nil, &xmlError{line, fmt.Sprintf("the file has more than %d elements", maxNodes)}
			}
			if len(stack) >= maxDepth {
				return nil, &xmlError{line, fmt.Sprintf("the XML is nested more than %d levels deep", maxDepth)}
			}
			if root != nil && len(stack) == 0 {
				return nil, &xmlError{line, "the XML has content after its root element"}
			}
			n := &node{raw: t.Name.Local, name: t.Name.Local, space: t.Name.Space, line: line, nth: 1}
			qti3 := strings.HasPrefix(t.Name.Local, "qti-")
			if qti3 {
				n.name = camel(t.Name.Local[4:])
			}
			for _, a := range t.Attr {
				if qti3 && a.Name.Space == "" {
					a.Name.Local = camel(a.Name.Local)
				}
				n.attrs = append(n.attrs, a)
			}
			if len(stack) == 0 {
				root = n
			} else {
				parent := stack[len(stack)-1]
				c := counts[len(counts)-1]
				c[n.raw]++
				n.nth = c[n.raw]
				n.parent = parent
				parent.kids = append(parent.kids, n)
			}
			stack = append(stack, n)
			counts = append(counts, map[string]int{})
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
				counts = counts[:len(counts)-1]
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			parent := stack[len(stack)-1]
			if text == nil || text.parent != parent {
				flush()
				nodes++
				if nodes > maxNodes {
					return nil, &xmlError{line, fmt.Sprintf("the file has more than %d elements", maxNodes)}
				}
				text = &node{isText: true, line: line, parent: parent}
				parent.kids = append(parent.kids, text)
			}
			buf.Write(t)
		case xml.Directive:
			s := string(t)
			if strings.HasPrefix(strings.TrimSpace(s), "DOCTYPE") && strings.Contains(strings.ToUpper(s), "<!ENTITY") {
				return nil, &xmlError{line, errEntities.Error()}
			}
		}
	}
	flush()
	if root == nil {
		return nil, &xmlError{1, "the file has no XML element"}
	}
	return root, nil
}

// camel turns QTI 3.0's kebab-case ("choice-interaction", "max-choices")
// into QTI 2's camelCase, so one reader serves both versions.
func camel(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	var b strings.Builder
	up := false
	for _, r := range s {
		switch {
		case r == '-':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cp1252 maps Windows-1252's bytes 0x80-0x9F; the rest agree with Latin-1.
var cp1252 = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}

// charsetReader decodes the single-byte encodings older LMS exports declare;
// encoding/xml itself reads only UTF-8.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	var windows bool
	switch strings.ToLower(label) {
	case "utf-8", "utf8":
		return input, nil
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii":
	case "windows-1252", "cp1252", "x-cp1252":
		windows = true
	default:
		return nil, fmt.Errorf("the encoding %q is not supported (use UTF-8)", label)
	}
	raw, err := io.ReadAll(input)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(len(raw))
	for _, c := range raw {
		if windows && c >= 0x80 && c < 0xA0 {
			b.WriteRune(cp1252[c-0x80])
		} else {
			b.WriteRune(rune(c))
		}
	}
	return strings.NewReader(b.String()), nil
}
