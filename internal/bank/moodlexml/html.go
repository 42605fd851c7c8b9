package moodlexml

import (
	"html"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
)

// plain is text converted from a Moodle text field, with what was lost on
// the way, so the caller can warn about exactly that.
type plain struct {
	Text   string
	Tags   []string // HTML tags removed, sorted, without duplicates
	Images []string // images removed (file name or alt text)
}

// toPlain converts a Moodle text field to plain text. Moodle stores most
// text as HTML; rhitprep shows plain text, so markup is stripped, entities
// decoded and block elements turned into line breaks. Only plain_text is
// kept as written, since Moodle itself shows it literally.
func toPlain(s, format string) plain {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if format == "plain_text" {
		return plain{Text: tidy(s)}
	}
	return htmlToText(s)
}

// blockTags end a paragraph; lineTags end a line.
var (
	blockTags = map[string]bool{"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true,
		"h5": true, "h6": true, "blockquote": true, "ul": true, "ol": true, "table": true, "section": true,
		"article": true, "header": true, "footer": true, "figure": true, "hr": true, "dl": true,
		"address": true, "pre": true, "center": true, "main": true, "aside": true, "nav": true}
	lineTags = map[string]bool{"br": true, "li": true, "tr": true, "dt": true, "dd": true, "caption": true,
		"figcaption": true}
	attrPattern = regexp.MustCompile(`(?is)\b(src|alt)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
)

type htmlText struct {
	out     strings.Builder
	pending int  // line breaks owed before the next text: 0, 1 or 2
	space   bool // a space is owed before the next text
	pre     int  // depth of <pre>, where white space is kept
	cell    bool // a table cell was written in this row
	tags    map[string]bool
	images  []string
}

// htmlToText strips HTML. Without any markup the text's own line breaks are
// kept, since such text came from a plain editor that merely labelled it
// HTML.
func htmlToText(s string) plain {
	h := &htmlText{tags: map[string]bool{}}
	markup := false
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			h.text(s[i:])
			break
		}
		h.text(s[i : i+lt])
		i += lt
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			markup = true
			if end := strings.Index(rest[4:], "-->"); end >= 0 {
				i += 4 + end + 3
			} else {
				i = len(s)
			}
			continue
		case len(rest) < 2 || !(isASCIILetter(rest[1]) || rest[1] == '/' || rest[1] == '!' || rest[1] == '?'):
			h.text("<")
			i++
			continue
		}
		end := tagEnd(rest)
		if end < 0 {
			h.text(rest)
			break
		}
		markup = true
		i += end + 1
		name, closing := tagName(rest[1:end])
		if name == "" {
			continue // <!DOCTYPE>, <?xml?> and the like carry no text
		}
		h.tags[name] = true
		h.tag(name, closing, rest[1:end])
		if !closing && (name == "script" || name == "style") {
			if j := indexFold(s[i:], "</"+name); j >= 0 {
				i += j
			} else {
				i = len(s)
			}
		}
	}
	if !markup {
		return plain{Text: tidy(html.UnescapeString(strings.ReplaceAll(s, "\u00a0", " ")))}
	}
	p := plain{Text: strings.TrimSpace(h.out.String()), Images: h.images}
	for t := range h.tags {
		if t != "img" { // reported as a removed image instead
			p.Tags = append(p.Tags, t)
		}
	}
	sort.Strings(p.Tags)
	return p
}

// tag applies one tag's effect on the text's layout.
func (h *htmlText) tag(name string, closing bool, raw string) {
	switch {
	case name == "pre":
		h.brk(2)
		if closing && h.pre > 0 {
			h.pre--
		} else if !closing {
			h.pre++
		}
	case blockTags[name]:
		h.brk(2)
	case name == "li" && !closing:
		h.brk(1)
		h.literal("-")
		h.space = true
	case name == "tr":
		h.brk(1)
		h.cell = false
	case lineTags[name]:
		h.brk(1)
	case (name == "td" || name == "th") && !closing:
		if h.cell {
			h.literal(" |")
			h.space = true
		}
		h.cell = true
	case name == "img" && !closing:
		h.images = append(h.images, imageName(raw))
	}
}

func (h *htmlText) text(s string) {
	if s == "" {
		return
	}
	s = strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " ")
	if h.pre > 0 {
		for _, r := range s {
			if r == '\n' {
				h.out.WriteByte('\n')
				continue
			}
			h.flush()
			h.out.WriteRune(r)
		}
		return
	}
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			h.space = true
			continue
		}
		h.flush()
		h.out.WriteRune(r)
	}
}

// literal writes text of the converter's own, such as a list bullet.
func (h *htmlText) literal(s string) {
	h.flush()
	h.out.WriteString(s)
}

// flush writes the breaks or space owed before the next text; none at the
// start.
func (h *htmlText) flush() {
	switch {
	case h.out.Len() == 0:
	case h.pending > 0:
		h.out.WriteString("\n\n"[:h.pending])
	case h.space:
		h.out.WriteByte(' ')
	}
	h.pending, h.space = 0, false
}

func (h *htmlText) brk(n int) {
	if n > h.pending {
		h.pending = n
	}
	h.space = false
}

// tagEnd finds the '>' closing the tag at the start of s, skipping quoted
// attribute values; -1 when there is none.
func tagEnd(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if i > 0 && s[i-1] == '=' || (i > 1 && s[i-1] == ' ' && s[i-2] == '=') {
				quote = c
			}
		case c == '>':
			return i
		}
	}
	// An unbalanced quote: fall back to the first '>'.
	return strings.IndexByte(s, '>')
}

// tagName returns the lower-case name of a tag's inside ("/p", "img src=…").
func tagName(inside string) (string, bool) {
	closing := strings.HasPrefix(inside, "/")
	inside = strings.TrimPrefix(inside, "/")
	n := 0
	for n < len(inside) && (isASCIILetter(inside[n]) || (n > 0 && inside[n] >= '0' && inside[n] <= '9')) {
		n++
	}
	return strings.ToLower(inside[:n]), closing
}

// imageName names an <img> for a warning: its file, else its alt text.
func imageName(raw string) string {
	src, alt := "", ""
	for _, m := range attrPattern.FindAllStringSubmatch(raw, -1) {
		v := strings.Trim(m[2], `"'`)
		if strings.EqualFold(m[1], "src") {
			src = v
		} else {
			alt = v
		}
	}
	name := alt
	if src != "" && !strings.HasPrefix(src, "data:") {
		src = html.UnescapeString(src)
		if u, err := url.PathUnescape(src); err == nil {
			src = u
		}
		name = path.Base(strings.TrimPrefix(src, "@@PLUGINFILE@@/"))
	}
	if name == "" || name == "." || name == "/" {
		name = "an image"
	}
	return clip(name, 80)
}

// tidy trims each line and keeps at most one blank line in a row.
func tidy(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		if strings.TrimSpace(l) == "" {
			blank++
			if blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// indexFold is strings.Index ignoring ASCII case, without copying s.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// clip shortens s for a message, at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
