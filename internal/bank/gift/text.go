package gift

import (
	"html"
	"strings"
	"unicode/utf8"
)

// GIFT's escapes are replaced by private-use runes before any tokenising,
// so that no split on ~ = # { } : ever sees an escaped character. A literal
// private-use rune in the file is kept by prefixing it with litMark, so the
// mapping is lossless whatever the input holds.
const (
	escColon     = '\uE000'
	escHash      = '\uE001'
	escEquals    = '\uE002'
	escOpen      = '\uE003'
	escClose     = '\uE004'
	escTilde     = '\uE005'
	escNewline   = '\uE006'
	escBackslash = '\uE007'
	litMark      = '\uE00F'
)

func isReserved(r rune) bool { return r >= '\uE000' && r <= '\uE00F' }

// escape turns every GIFT escape sequence into its placeholder. It never adds
// or removes a real newline, so offsets still map to the same lines.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\\' && i+1 < len(s) {
			var p rune
			switch s[i+1] {
			case ':':
				p = escColon
			case '#':
				p = escHash
			case '=':
				p = escEquals
			case '{':
				p = escOpen
			case '}':
				p = escClose
			case '~':
				p = escTilde
			case 'n':
				p = escNewline
			case '\\':
				p = escBackslash
			}
			if p != 0 {
				b.WriteRune(p)
				i += 2
				continue
			}
		}
		if isReserved(r) {
			b.WriteRune(litMark)
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// unescape turns placeholders back into the characters they stand for.
func unescape(s string) string {
	if !strings.ContainsFunc(s, isReserved) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	lit := false
	for _, r := range s {
		if lit {
			b.WriteRune(r)
			lit = false
			continue
		}
		switch r {
		case escColon:
			b.WriteByte(':')
		case escHash:
			b.WriteByte('#')
		case escEquals:
			b.WriteByte('=')
		case escOpen:
			b.WriteByte('{')
		case escClose:
			b.WriteByte('}')
		case escTilde:
			b.WriteByte('~')
		case escNewline:
			b.WriteByte('\n')
		case escBackslash:
			b.WriteByte('\\')
		case litMark:
			lit = true
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Text formats a GIFT text may declare with a [name] marker.
const (
	fmtMoodle   = "moodle"
	fmtHTML     = "html"
	fmtPlain    = "plain"
	fmtMarkdown = "markdown"
)

// splitFormat takes a leading [moodle], [html], [plain] or [markdown] off t,
// as Moodle does; any other bracket is text.
func splitFormat(t string) (string, string) {
	if !strings.HasPrefix(t, "[") {
		return "", t
	}
	k := strings.IndexByte(t, ']')
	if k < 0 {
		return "", t
	}
	switch name := t[1:k]; name {
	case fmtMoodle, fmtHTML, fmtPlain, fmtMarkdown:
		return name, t[k+1:]
	}
	return "", t
}

// changes records what turning a GIFT text into plain text changed.
type changes struct {
	markup   bool // HTML tags removed
	media    bool // an image or other embedded media removed
	markdown bool // Markdown source kept as plain text
}

// convert turns one escaped GIFT text into plain text. def is the format
// the text inherits (the question text's) when it declares none; the
// format used is returned so answers can inherit it.
func convert(raw, def string) (string, string, changes) {
	format, body := splitFormat(strings.TrimSpace(raw))
	if format == "" {
		format = def
	}
	body = unescape(body)
	var c changes
	switch format {
	case fmtPlain:
		return strings.TrimSpace(body), format, c
	case fmtHTML:
		text, markup, media := htmlToText(body, false)
		c.markup, c.media = markup, media
		return text, format, c
	}
	// Moodle auto-format and Markdown both let HTML through; Moodle
	// auto-format also keeps line breaks.
	c.markdown = format == fmtMarkdown
	if hasTag(body) {
		text, markup, media := htmlToText(body, true)
		c.markup, c.media = markup, media
		return text, format, c
	}
	return strings.TrimSpace(html.UnescapeString(body)), format, c
}

// tagScanner finds HTML tags in a text. nextGT caches the position of the
// next '>' so that a long run of unclosed '<' stays linear.
type tagScanner struct {
	s      string
	nextGT int // a '>' at or after the last query; -1 for none left, -2 before the first
}

func newTagScanner(s string) *tagScanner { return &tagScanner{s: s, nextGT: -2} }

func (t *tagScanner) gt(from int) int {
	if t.nextGT == -1 {
		return -1
	}
	if t.nextGT >= from {
		return t.nextGT
	}
	k := strings.IndexByte(t.s[from:], '>')
	if k < 0 {
		t.nextGT = -1
		return -1
	}
	t.nextGT = from + k
	return t.nextGT
}

// tag reads the HTML tag, comment or declaration that starts at s[i] ('<'):
// the lower-case tag name ("!" for comments and declarations), whether it
// closes an element, and the index just past it.
func (t *tagScanner) tag(i int) (name string, closing bool, end int, ok bool) {
	s := t.s
	if strings.HasPrefix(s[i:], "<!--") {
		k := strings.Index(s[i+4:], "-->")
		if k < 0 {
			return "!", false, len(s), true
		}
		return "!", false, i + 4 + k + 3, true
	}
	j := i + 1
	if j < len(s) && (s[j] == '!' || s[j] == '?') {
		g := t.gt(j)
		if g < 0 {
			return "", false, 0, false
		}
		return "!", false, g + 1, true
	}
	if j < len(s) && s[j] == '/' {
		closing = true
		j++
	}
	k := j
	for k < len(s) && (isASCIILetter(s[k]) || (k > j && s[k] >= '0' && s[k] <= '9')) {
		k++
	}
	if k == j || k >= len(s) {
		return "", false, 0, false
	}
	switch s[k] {
	case '>', '/', ' ', '\t', '\n', '\r', '\f':
	default:
		return "", false, 0, false
	}
	g := t.gt(k)
	if g < 0 {
		return "", false, 0, false
	}
	return asciiLower(s[j:k]), closing, g + 1, true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// asciiLower lowers ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// hasTag reports whether s holds any HTML tag or comment.
func hasTag(s string) bool {
	t := newTagScanner(s)
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		if _, _, _, ok := t.tag(i); ok {
			return true
		}
	}
	return false
}

var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "tr": true,
	"table": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "hr": true, "dt": true, "dd": true, "dl": true,
	"section": true, "article": true, "header": true, "footer": true, "figure": true,
	"figcaption": true, "caption": true,
}

var mediaTags = map[string]bool{
	"img": true, "video": true, "audio": true, "iframe": true, "object": true,
	"embed": true, "svg": true, "picture": true, "source": true, "canvas": true,
}

// skipContent are elements whose content is not text for a reader.
var skipContent = map[string]bool{"script": true, "style": true, "svg": true, "head": true, "title": true}

// htmlToText strips tags, decodes entities and tidies whitespace, keeping
// block boundaries (and, for Moodle auto-format, the source's line breaks)
// as line breaks. It reports whether markup and media were removed.
func htmlToText(s string, keepNewlines bool) (string, bool, bool) {
	var b strings.Builder
	b.Grow(len(s))
	lower := asciiLower(s)
	t := newTagScanner(s)
	markup, media := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c == '<' {
			if name, closing, end, ok := t.tag(i); ok {
				markup = true
				switch {
				case mediaTags[name]:
					media = true
				case blockTags[name]:
					b.WriteByte('\n')
				case name == "td" || name == "th":
					b.WriteByte(' ')
				}
				i = end
				if skipContent[name] && !closing {
					k := strings.Index(lower[i:], "</"+name)
					if k < 0 {
						i = len(s)
					} else {
						i += k
					}
				}
				continue
			}
		}
		if !keepNewlines && (c == '\n' || c == '\r' || c == '\t') {
			c = ' '
		}
		b.WriteByte(c)
		i++
	}
	return tidy(html.UnescapeString(b.String())), markup, media
}

// tidy collapses runs of spaces, trims each line and keeps at most one
// empty line between paragraphs.
func tidy(s string) string {
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
