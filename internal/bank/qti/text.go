package qti

import (
	"encoding/xml"
	"html"
	"strings"
)

// voidTags are the HTML elements that never have content or an end tag.
var voidTags = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true,
}

// parseHTML reads an HTML fragment (Canvas stores question text as escaped
// HTML inside mattext) into the same tree the XML reader makes. It is
// lenient like a browser: unknown end tags are ignored, unclosed elements end
// with their parent, and entities are decoded. Lines are those of the
// mattext element: HTML inside XML has no lines of its own.
func parseHTML(s string, line int) *node {
	root := &node{name: "#html", raw: "#html", line: line}
	stack := []*node{root}
	text := func(t string) {
		if t == "" {
			return
		}
		cur := stack[len(stack)-1]
		cur.kids = append(cur.kids, &node{isText: true, text: html.UnescapeString(t), line: line, parent: cur})
	}
	i := 0
	for i < len(s) {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			text(s[i:])
			break
		}
		text(s[i : i+lt])
		i += lt
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				i = len(s)
			} else {
				i += 4 + end + 3
			}
		case strings.HasPrefix(rest, "</"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				i = len(s)
				continue
			}
			name := strings.ToLower(strings.TrimSpace(rest[2:end]))
			i += end + 1
			for j := len(stack) - 1; j > 0; j-- {
				if stack[j].name == name {
					stack = stack[:j]
					break
				}
			}
		case len(rest) > 1 && isASCIILetter(rest[1]):
			n, size, self := parseTag(rest)
			i += size
			cur := stack[len(stack)-1]
			n.line, n.parent = line, cur
			cur.kids = append(cur.kids, n)
			if n.name == "script" || n.name == "style" {
				end := indexEndTag(s[i:], n.name)
				if end < 0 {
					i = len(s)
				} else {
					i += end
				}
				continue
			}
			if !self && !voidTags[n.name] && len(stack) < maxDepth {
				stack = append(stack, n)
			}
		case strings.HasPrefix(rest, "<!") || strings.HasPrefix(rest, "<?"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				i = len(s)
			} else {
				i += end + 1
			}
		default:
			text("<")
			i++
		}
	}
	return root
}

// indexEndTag finds "</name" in s, in any case, without copying s.
func indexEndTag(s, name string) int {
	for off := 0; ; {
		j := strings.Index(s[off:], "</")
		if j < 0 {
			return -1
		}
		at := off + j
		if end := at + 2 + len(name); end <= len(s) && strings.EqualFold(s[at+2:end], name) {
			return at
		}
		off = at + 2
	}
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// parseTag reads a start tag at the beginning of s and returns the element,
// the bytes it took and whether it closed itself.
func parseTag(s string) (*node, int, bool) {
	i := 1
	for i < len(s) && !isSpace(s[i]) && s[i] != '>' && s[i] != '/' {
		i++
	}
	name := strings.ToLower(s[1:i])
	n := &node{name: name, raw: name, nth: 1}
	self := false
	for i < len(s) {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			break
		}
		if s[i] == '>' {
			return n, i + 1, self
		}
		if s[i] == '/' {
			self = true
			i++
			continue
		}
		self = false
		start := i
		for i < len(s) && !isSpace(s[i]) && s[i] != '>' && s[i] != '=' && s[i] != '/' {
			i++
		}
		if i == start {
			i++
			continue
		}
		key := strings.ToLower(s[start:i])
		val := ""
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				end := strings.IndexByte(s[i+1:], q)
				if end < 0 {
					val, i = s[i+1:], len(s)
				} else {
					val, i = s[i+1:i+1+end], i+1+end+1
				}
			} else {
				start := i
				for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
					i++
				}
				val = s[start:i]
			}
		}
		n.attrs = appendAttr(n.attrs, key, html.UnescapeString(val))
	}
	return n, len(s), self
}

func appendAttr(attrs []xml.Attr, key, val string) []xml.Attr {
	return append(attrs, xml.Attr{Name: xml.Name{Local: key}, Value: val})
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// blockTags start and end a line of text.
var blockTags = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "table": true, "tr": true, "thead": true, "tbody": true, "tfoot": true,
	"blockquote": true, "pre": true, "hr": true, "dl": true, "dt": true, "dd": true, "section": true,
	"article": true, "header": true, "footer": true, "figure": true, "figcaption": true, "address": true,
	"caption": true, "center": true,
}

// plainTags carry no meaning beyond the line breaks the text keeps, so
// dropping them loses nothing and earns no warning.
var plainTags = map[string]bool{
	"p": true, "div": true, "br": true, "span": true, "#html": true, "body": true, "html": true,
	// QTI's own wrappers around content.
	"contentBody": true, "prompt": true, "stimulusBody": true, "itemBody": true,
}

// flattener turns a tree of XHTML (QTI 2/3 item bodies) or HTML (Canvas)
// into plain text, remembering what it dropped so the warning can say so.
type flattener struct {
	b       strings.Builder
	dropped []string
	seen    map[string]bool
	images  []string
	// prev is the element before the one being walked, among its siblings.
	prev *node
	// hook sees each element first; true means it took care of it.
	hook func(f *flattener, n *node) bool
}

func (f *flattener) drop(tag string) {
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if !f.seen[tag] {
		f.seen[tag] = true
		f.dropped = append(f.dropped, tag)
	}
}

// write adds text; its line breaks are white space, as in HTML, and only
// block elements start lines.
func (f *flattener) write(s string) {
	f.b.WriteString(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' || r == '\f' {
			return ' '
		}
		return r
	}, s))
}

func (f *flattener) newline() { f.b.WriteByte('\n') }

// kids flattens the children of n.
func (f *flattener) kids(n *node) {
	var prev *node
	for _, k := range n.kids {
		f.prev = prev
		f.walk(k)
		if !k.isText {
			prev = k
		}
	}
}

// walk flattens n.
func (f *flattener) walk(n *node) {
	if n.isText {
		f.write(n.text)
		return
	}
	prev := f.prev
	if f.hook != nil && f.hook(f, n) {
		return
	}
	name := n.name
	switch name {
	case "script", "style", "head", "title":
		f.drop(name)
		return
	case "br":
		f.newline()
		return
	case "img":
		src := n.attr("src")
		if src == "" {
			src = "an image without a source"
		}
		f.images = append(f.images, src)
		if alt := strings.TrimSpace(n.attr("alt")); alt != "" {
			f.write(" [image: " + alt + "] ")
		}
		return
	case "object", "embed", "video", "audio", "iframe":
		src := n.attr("data")
		if src == "" {
			src = n.attr("src")
		}
		if src == "" {
			src = "embedded " + name
		}
		f.images = append(f.images, src)
		return
	case "td", "th":
		if prev != nil && (prev.name == "td" || prev.name == "th") {
			f.write(" | ")
		}
	case "li":
		f.drop(name)
		f.newline()
		f.write("- ")
		f.kids(n)
		f.newline()
		return
	}
	if !plainTags[name] {
		f.drop(name)
	}
	block := blockTags[name]
	if block {
		f.newline()
	}
	f.kids(n)
	if block {
		f.newline()
	}
}

// text returns the flattened text: white space collapsed within lines,
// empty lines dropped, paragraphs one per line.
func (f *flattener) text() string {
	return tidy(f.b.String())
}

// tidy collapses white space within lines and drops empty lines.
func tidy(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if l := strings.Join(strings.Fields(line), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// loss says what flattening removed from field, or "" when nothing was.
func (f *flattener) loss(field string) string {
	var parts []string
	if len(f.dropped) > 0 {
		tags := f.dropped
		more := ""
		if len(tags) > 8 {
			tags, more = tags[:8], ", …"
		}
		parts = append(parts, "HTML markup was removed from the "+field+" and only its text kept (<"+strings.Join(tags, ">, <")+">"+more+").")
	}
	if len(f.images) > 0 {
		imgs := f.images
		more := ""
		if len(imgs) > 5 {
			imgs, more = imgs[:5], ", …"
		}
		word := "An image or embedded object was"
		if len(f.images) > 1 {
			word = "Images or embedded objects were"
		}
		parts = append(parts, word+" removed from the "+field+" ("+strings.Join(imgs, ", ")+more+"); any alt text was kept in brackets.")
	}
	return strings.Join(parts, " ")
}

// flattenHTML turns an HTML string into text with its loss record.
func flattenHTML(s string, line int) (string, *flattener) {
	f := &flattener{}
	f.kids(parseHTML(s, line))
	return f.text(), f
}

// slug makes an id rhitprep accepts (^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$)
// from an identifier or title.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(s) {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == ':' || r == '-'
		if !ok {
			dash = true
			continue
		}
		if b.Len() == 0 && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	out := b.String()
	if len(out) > 64 {
		out = strings.TrimRight(out[:64], "-._:")
	}
	return out
}
