package bank

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DecodeText prepares an uploaded text file for a line-based parser: it
// drops a byte-order mark, turns CRLF and lone CR line ends into LF (Moodle
// splits on either) and replaces bytes that are not UTF-8. badLine is the
// first line that was not valid UTF-8, or 0.
func DecodeText(data []byte) (text string, badLine int) {
	s := strings.TrimPrefix(string(data), "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if !utf8.ValidString(s) {
		for i, l := range strings.Split(s, "\n") {
			if !utf8.ValidString(l) {
				badLine = i + 1
				break
			}
		}
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s, badLine
}

// Sentence starts a message with a capital and ends it with a full stop,
// so messages built from fragments read as sentences.
func Sentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// JoinAnd lists words as people write them: "a", "a and b", "a, b and c".
func JoinAnd(ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}
