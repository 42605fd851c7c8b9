package gift

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Write renders a set as GIFT, so a set can go to Moodle and come back:
// Parse reads the result to the same questions. Ids become ::titles::,
// topic and domain "$CATEGORY: <topic>/domain-<N>" lines, the rationale
// the general feedback, and what GIFT has no place for travels as the
// package comment describes (references under "References:" in the general
// feedback, the rest as Moodle tags). A question Write cannot express (an
// unknown type, a key that is not an option) is an error, never a
// silently different question.
func Write(set *bank.Set) ([]byte, error) {
	var b bytes.Buffer
	if set.Name != "" {
		writeComment(&b, set.Name)
	}
	if set.Description != "" {
		writeComment(&b, set.Description)
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	cat := ""
	for i, q := range set.Questions {
		if err := writable(q); err != nil {
			return nil, fmt.Errorf("write gift: question %d (%q): %w", i+1, q.ID, err)
		}
		if c := categoryOf(q); i == 0 || c != cat {
			b.WriteString("$CATEGORY: " + c + "\n\n")
			cat = c
		}
		writeQuestion(&b, q)
		b.WriteString("\n")
	}
	return b.Bytes(), nil
}

func writeComment(b *bytes.Buffer, s string) {
	for _, l := range strings.Split(strings.TrimSpace(strings.ReplaceAll(s, "\r", "")), "\n") {
		b.WriteString(strings.TrimRight("// "+l, " ") + "\n")
	}
}

// writable rejects what GIFT (or rhitprep) cannot say.
func writable(q *quiz.Question) error {
	switch q.Type {
	case quiz.Numeric:
		if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) || math.IsNaN(q.Tolerance) || math.IsInf(q.Tolerance, 0) {
			return fmt.Errorf("the value and tolerance must be finite numbers")
		}
		return nil
	case quiz.Single, quiz.Multiple:
	default:
		return fmt.Errorf("type %q cannot be written", q.Type)
	}
	if len(q.Options) < 2 {
		return fmt.Errorf("a choice question needs at least two options")
	}
	if q.Type == quiz.Single && len(q.Answer) != 1 {
		return fmt.Errorf("a single question needs exactly one key")
	}
	if len(q.Answer) == 0 {
		return fmt.Errorf("the question has no key")
	}
	for _, a := range q.Answer {
		if !q.HasOption(a) {
			return fmt.Errorf("the key %q is not an option", a)
		}
	}
	return nil
}

// categoryOf is the category path that carries the topic and domain.
func categoryOf(q *quiz.Question) string {
	var parts []string
	if q.Topic != "" {
		parts = append(parts, escText(q.Topic))
	}
	if q.Domain != 0 {
		parts = append(parts, fmt.Sprintf("domain-%d", q.Domain))
	}
	if len(parts) == 0 {
		return "$course$/top"
	}
	return strings.Join(parts, "/")
}

func writeQuestion(b *bytes.Buffer, q *quiz.Question) {
	var tags []string
	if q.Difficulty != "" && q.Difficulty != quiz.Medium {
		tags = append(tags, "difficulty-"+q.Difficulty)
	}
	if q.Cognitive != "" && q.Cognitive != quiz.Application {
		tags = append(tags, "cognitive-"+q.Cognitive)
	}
	if s := strings.Join(strings.Fields(q.Subtopic), " "); s != "" {
		tags = append(tags, "subtopic:"+s)
	}
	for _, o := range q.Options {
		if o.Pinned {
			tags = append(tags, "pinned-"+o.ID)
		}
	}
	if q.Type == quiz.Multiple && q.PartialCredit != (len(q.Answer) > 1) {
		if q.PartialCredit {
			tags = append(tags, "partial-credit")
		} else {
			tags = append(tags, "all-or-nothing")
		}
	}
	if q.Scenario != "" && q.ScenarioID != "" {
		// GIFT has no shared case text: the scenario opens the stem, and
		// this tag tells Parse where it ends.
		tags = append(tags, fmt.Sprintf("scenario:%s:%d", q.ScenarioID, utf8.RuneCountInString(strings.TrimSpace(q.Scenario))))
	}
	if len(tags) > 0 {
		b.WriteString("//")
		for _, t := range tags {
			b.WriteString(" [tag:" + strings.ReplaceAll(t, "]", `\]`) + "]")
		}
		b.WriteString("\n")
	}

	stem := q.Stem
	if q.Scenario != "" {
		stem = strings.TrimSpace(q.Scenario) + "\n\n" + stem
	}
	gf := q.Rationale
	if len(q.References) > 0 {
		if gf != "" {
			gf += "\n"
		}
		gf += "References:"
		for _, r := range q.References {
			gf += "\n- " + strings.Join(strings.Fields(r), " ")
		}
	}
	texts := []string{stem, gf}
	for _, o := range q.Options {
		texts = append(texts, o.Text)
	}
	// Moodle's default format is HTML; [plain] keeps < and & as typed,
	// and answers and feedback inherit it from the question text.
	format := fmtMoodle
	for _, t := range texts {
		if strings.ContainsAny(t, "<&") {
			format = fmtPlain
		}
	}
	text := func(s string) string {
		if strings.HasPrefix(s, "[") {
			return "[" + format + "]" + escText(s)
		}
		return escText(s)
	}

	if q.ID != "" {
		b.WriteString("::" + escText(q.ID) + "::")
	}
	if format == fmtPlain {
		b.WriteString("[plain]" + escText(stem))
	} else {
		b.WriteString(text(stem))
	}
	b.WriteString(" {")
	feedback := ""
	if gf != "" {
		feedback = "####" + text(gf)
	}
	switch {
	case q.Type == quiz.Numeric:
		b.WriteString("#" + fmtNum(q.Value) + ":" + fmtNum(q.Tolerance) + feedback + "}\n")
		return
	case isTrueFalse(q):
		if q.Answer[0] == "A" {
			b.WriteString("TRUE")
		} else {
			b.WriteString("FALSE")
		}
		b.WriteString(feedback + "}\n")
		return
	}
	b.WriteString("\n")
	keys := map[string]bool{}
	for _, a := range q.Answer {
		keys[a] = true
	}
	w := fmtWeight(100 / float64(len(q.Answer)))
	for _, o := range q.Options {
		b.WriteString("\t")
		switch {
		case q.Type == quiz.Multiple && keys[o.ID]:
			b.WriteString("~%" + w + "%")
		case q.Type == quiz.Multiple:
			b.WriteString("~%-" + w + "%")
		case keys[o.ID] && strings.HasPrefix(o.Text, "%"):
			b.WriteString("=%100%")
		case keys[o.ID]:
			b.WriteString("=")
		case strings.HasPrefix(o.Text, "%"):
			b.WriteString("~%0%")
		default:
			b.WriteString("~")
		}
		b.WriteString(text(o.Text) + "\n")
	}
	if feedback != "" {
		b.WriteString("\t" + feedback + "\n")
	}
	b.WriteString("}\n")
}

// isTrueFalse reports whether q is what Parse makes of {T} or {F}, so it is
// written back that way.
func isTrueFalse(q *quiz.Question) bool {
	return q.Type == quiz.Single && len(q.Options) == 2 &&
		q.Options[0] == quiz.Option{ID: "A", Text: "True"} &&
		q.Options[1] == quiz.Option{ID: "B", Text: "False"}
}

// fmtWeight prints a percentage with at most five decimals, as Moodle does
// (33.33333).
func fmtWeight(w float64) string {
	return strconv.FormatFloat(math.Round(w*1e5)/1e5, 'f', -1, 64)
}

// escText escapes GIFT's special characters and writes line breaks as \n,
// so every text stays on one line and no blank line can end an item early.
func escText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '\\', ':', '#', '=', '{', '}', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
