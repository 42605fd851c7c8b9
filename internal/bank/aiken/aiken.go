// Package aiken reads Moodle's Aiken format, the simplest way instructors
// keep single-answer questions in a text file:
//
//	Which code set reports inpatient procedures?
//	A. ICD-10-CM
//	B) ICD-10-PCS
//	ANSWER: B
//
// The question text may run over several lines; each option is one line,
// lettered A, B, C ... in order with "." or ")"; the ANSWER line ends the
// item. Aiken carries no ids, topics, domains, rationales or references:
// ids are q1, q2 ... in file order, topic and domain come from the upload's
// options, and bank.Check warns that rationale and references are missing.
// Text is plain, as in Moodle, which shows markup as typed.
//
// Every malformed item is reported with its line: no ANSWER line, an
// answer that is not one option letter, options out of order or before any
// question, an ANSWER line with no question. A key that is not among the
// options and fewer than two options are reported by bank.Check.
package aiken

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

var (
	// optionLine is "A. text" or "A) text" (or a bare "A." with no text).
	optionLine = regexp.MustCompile(`^([A-Z])[.)](?:[ \t]+(.*))?$`)
	// crampedOption is "A.text", which Moodle reads as an option too.
	crampedOption = regexp.MustCompile(`^([A-Z])[.)](\S.*)$`)
	answerLine    = regexp.MustCompile(`^(?i:answer)[ \t]*:[ \t]*(.*)$`)
	answerLetter  = regexp.MustCompile(`^([A-Za-z])[.)]?$`)
	severalKeys   = regexp.MustCompile(`^[A-Za-z](?:[ \t]*[,;/&+ ][ \t]*(?:and[ \t]+)?[A-Za-z])+$|^[A-Za-z]{2,4}$`)
	markup        = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>`)
)

// item is a question being read.
type item struct {
	q        *quiz.Question
	lines    map[string]int
	stem     []string
	blank    bool // a blank line after stem text, kept if more stem follows
	answered bool
}

type parser struct {
	rep   *bank.Report
	set   *bank.Set
	cur   *item
	items []*item
	// keyReported lists the items whose missing or unreadable ANSWER was
	// reported here, so bank.Check's "no key" is not said twice.
	keyReported map[int]bool
}

// Parse is the importer for uploads with format=aiken: it reads an Aiken
// file into single-answer questions and checks them with bank.Check, so
// that every malformed item is reported at once with its line, not just
// the first.
func Parse(data []byte, opt bank.Options) (*bank.Set, bank.Report) {
	var rep bank.Report
	p := &parser{rep: &rep, set: &bank.Set{Format: "aiken"}, keyReported: map[int]bool{}}
	for i, raw := range strings.Split(p.decode(data), "\n") {
		p.line(i+1, strings.TrimSpace(raw))
	}
	p.end(0)
	for _, it := range p.items {
		it.q.Stem = strings.Join(it.stem, "\n")
		p.set.Questions = append(p.set.Questions, it.q)
		p.set.Lines = append(p.set.Lines, it.lines)
	}
	if len(p.set.Questions) == 0 {
		p.problem(0, 0, "", "the file holds no Aiken questions")
	}
	p.markup()
	np := len(rep.Problems)
	bank.Check(p.set, opt, &rep)
	kept := rep.Problems[:np]
	for _, d := range rep.Problems[np:] {
		if p.keyReported[d.Item] && d.Field == "answer" && strings.HasPrefix(d.Message, "no key") {
			continue
		}
		kept = append(kept, d)
	}
	rep.Problems = kept
	return p.set, rep
}

func (p *parser) problem(line, item int, field, format string, args ...any) {
	p.rep.Problems = append(p.rep.Problems, quiz.Detail{Line: line, Item: item, Field: field, Message: bank.Sentence(fmt.Sprintf(format, args...))})
}

func (p *parser) warn(line, item int, field, format string, args ...any) {
	p.rep.Warnings = append(p.rep.Warnings, quiz.Detail{Line: line, Item: item, Field: field, Message: bank.Sentence(fmt.Sprintf(format, args...))})
}

// decode drops a byte-order mark, unifies line ends (Moodle splits on CR
// too) and reports text that is not UTF-8.
func (p *parser) decode(data []byte) string {
	s, bad := bank.DecodeText(data)
	if bad > 0 {
		p.problem(bad, 0, "", "line %d is not valid UTF-8: save the file as UTF-8 text", bad)
	}
	return s
}

// n is the 1-based number of the current item.
func (p *parser) n() int { return len(p.items) }

// line reads one trimmed line.
func (p *parser) line(n int, t string) {
	it := p.cur
	if t == "" {
		if it != nil && len(it.q.Options) == 0 {
			it.blank = true
		}
		return
	}
	if m := answerLine.FindStringSubmatch(t); m != nil {
		p.answer(n, strings.TrimSpace(m[1]))
		return
	}
	m := optionLine.FindStringSubmatch(t)
	if m == nil && it != nil && len(it.q.Options) > 0 {
		if c := crampedOption.FindStringSubmatch(t); c != nil {
			p.warn(n, p.n(), "options", "option %s has no space after %q; it was read as option %s, %q", c[1], t[:2], c[1], c[2])
			m = []string{t, c[1], c[2]}
		}
	}
	if m != nil {
		if it == nil {
			p.problem(n, 0, "options", "the option %q has no question before it: an item starts with its question text", t)
			return
		}
		p.option(n, m[1], strings.TrimSpace(m[2]))
		return
	}
	if it != nil && len(it.q.Options) > 0 {
		// Options were read and no ANSWER came: this line starts the
		// next question, and the current one is incomplete.
		p.end(n)
		it = nil
	}
	if it == nil {
		p.cur = &item{q: &quiz.Question{Type: quiz.Single, Line: n}, lines: map[string]int{"stem": n}}
		p.items = append(p.items, p.cur)
		p.cur.q.ID = fmt.Sprintf("q%d", p.n())
		it = p.cur
	}
	if it.blank && len(it.stem) > 0 {
		it.stem = append(it.stem, "")
	}
	it.blank = false
	it.stem = append(it.stem, t)
}

// option adds one option, which must carry the next letter.
func (p *parser) option(n int, letter, text string) {
	it := p.cur
	switch k := len(it.q.Options); {
	case k == 0 && letter != "A":
		p.problem(n, p.n(), "options", "the options start at %s, not A: letter them A, B, C … in order", letter)
	case k > 0:
		prev := it.q.Options[k-1].ID
		if want := string(rune(prev[0] + 1)); letter != want {
			p.problem(n, p.n(), "options", "option %s is out of order: after %s comes %s", letter, prev, want)
		}
	}
	if len(it.q.Options) == 0 {
		it.lines["options"] = n
	}
	it.q.Options = append(it.q.Options, quiz.Option{ID: letter, Text: text})
}

// answer reads "ANSWER: X", which ends the item.
func (p *parser) answer(n int, v string) {
	it := p.cur
	if it == nil {
		p.problem(n, 0, "answer", "the line %q has no question before it", "ANSWER: "+v)
		return
	}
	it.lines["answer"] = n
	switch m := answerLetter.FindStringSubmatch(v); {
	case m != nil:
		it.q.Answer = []string{strings.ToUpper(m[1])}
	case v == "":
		p.keyReported[p.n()] = true
		p.problem(n, p.n(), "answer", "the ANSWER line names no option: write the letter of the right option, as in \"ANSWER: B\"")
	case severalKeys.MatchString(v):
		p.keyReported[p.n()] = true
		p.problem(n, p.n(), "answer", "ANSWER: %s names more than one option, but an Aiken item has exactly one right answer", v)
	default:
		p.keyReported[p.n()] = true
		p.problem(n, p.n(), "answer", "ANSWER: %s is not an option letter: write the letter of the right option, as in \"ANSWER: B\"", v)
	}
	it.answered = true
	p.cur = nil
}

// end closes the current item at line n (0 at the end of the file); an
// item still open has no ANSWER line.
func (p *parser) end(n int) {
	it := p.cur
	p.cur = nil
	if it == nil || it.answered {
		return
	}
	p.keyReported[p.n()] = true
	where := "the end of the file"
	if n > 0 {
		where = fmt.Sprintf("line %d", n)
	}
	if len(it.q.Options) == 0 {
		p.problem(it.q.Line, p.n(), "answer", "the question has no options and no ANSWER line before %s", where)
		return
	}
	p.problem(it.q.Line, p.n(), "answer", "no ANSWER line: the options are followed by %s instead of \"ANSWER: \" and the right letter", where)
}

// markup warns about text that looks like HTML: Aiken text is plain, so
// Moodle and rhitprep show it as typed.
func (p *parser) markup() {
	for i, q := range p.set.Questions {
		var places []string
		if markup.MatchString(q.Stem) {
			places = append(places, "the stem")
		}
		for _, o := range q.Options {
			if markup.MatchString(o.Text) {
				places = append(places, "option "+o.ID)
			}
		}
		if len(places) > 0 {
			field := "options"
			if places[0] == "the stem" {
				field = "stem"
			}
			p.warn(q.Line, i+1, field, "%s: what looks like HTML markup is shown as typed, because Aiken text is plain", bank.JoinAnd(places))
		}
	}
}
