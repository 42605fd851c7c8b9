// Package gift reads and writes Moodle's GIFT format, so instructors can
// bring question banks they already keep in Moodle (or write by hand in a
// text editor) and take rhitprep's sets back to Moodle.
//
// What GIFT can say and rhitprep cannot is never dropped silently: essay,
// short-answer, matching, description and Cloze items are skipped with a
// warning; HTML is stripped to text, per-answer feedback is folded into the
// rationale and partial-credit schemes rhitprep scores differently are
// imported with a warning saying what changed; weights that cannot be
// represented (unequal keys, two fully right options) are problems.
//
// GIFT has no fields for references, difficulty, cognitive level, subtopic,
// pinned options or all-or-nothing scoring. Write keeps them anyway, in
// ways Moodle also accepts: references go into the general feedback under a
// final "References:" heading, one "- " line each, which Parse reads back
// into References; the others become Moodle tags in a comment above the
// item ("// [tag:difficulty-hard] [tag:pinned-D]"), which Parse reads too.
// Topic and domain travel in "$CATEGORY: <topic>/domain-<N>" lines. A
// scenario is written at the head of the stem (GIFT has no shared case
// text) with a tag saying where it ends, and the
// review status and the set's name and description are lost on the way
// back in (the name and description are written as comments).
package gift

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

var (
	idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)
	// weightPattern is a GIFT answer weight: %50%, %-33.33333%, %100%.
	weightPattern = regexp.MustCompile(`^%(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))%`)
	// badWeight is something between percent signs that is not a weight.
	badWeight     = regexp.MustCompile(`^%[^%\s]{0,16}%`)
	numberPattern = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)
	// clozePattern is the start of a Moodle embedded-answers (Cloze)
	// subquestion, {1:MULTICHOICE:...}, which GIFT does not define.
	clozePattern  = regexp.MustCompile(`^[0-9]*:(?:MC|MCV|MCH|MCS|MCVS|MCHS|MULTICHOICE\w*|SA|SHORTANSWER\w*|MW|NM|NUMERICAL|MR|MRS|MULTIRESPONSE\w*):`)
	tagPattern    = regexp.MustCompile(`\[tag:((?:\\\]|[^\]])*)\]`)
	idTagPattern  = regexp.MustCompile(`\[id:((?:\\\]|[^\]])*)\]`)
	domainPattern = regexp.MustCompile(`^domain[-_ ]?([0-9]+)(?:$|[^0-9])`)
	itemRef       = regexp.MustCompile(`\bitem ([0-9]+)\b`)
)

// block is the lines of one item, from its first line to the blank line
// that ends it. Comment lines are kept as empty lines so offsets in the
// joined text still map to file lines.
type block struct {
	start    int
	lines    []string
	comments []comment
}

type comment struct {
	line int
	text string
}

type parser struct {
	rep     *bank.Report
	set     *bank.Set
	items   []int          // file item number of each question in set
	ids     map[string]int // id to the item that took it
	item    int            // items seen so far, skipped ones included
	topic   string
	domain  int
	catLine int
}

// Parse is the importer for uploads with format=gift: it reads a GIFT file
// into rhitprep's question model and checks it with bank.Check. Items are
// numbered in file order, skipped ones included, in every problem and
// warning (bank.Check's numbers are translated), so a report points at the
// item the author counts in the file.
func Parse(data []byte, opt bank.Options) (*bank.Set, bank.Report) {
	var rep bank.Report
	p := &parser{rep: &rep, set: &bank.Set{Format: "gift"}, ids: map[string]int{}}
	text := p.decode(data)
	var blk *block
	flush := func() {
		if blk != nil {
			p.parseBlock(blk)
			blk = nil
		}
	}
	for i, l := range strings.Split(text, "\n") {
		n := i + 1
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "//"):
			if blk == nil {
				blk = &block{start: n}
			}
			blk.lines = append(blk.lines, "")
			blk.comments = append(blk.comments, comment{n, t})
		case strings.HasPrefix(t, "$CATEGORY:"):
			flush()
			p.category(n, t[len("$CATEGORY:"):])
		default:
			if blk == nil {
				blk = &block{start: n}
			}
			blk.lines = append(blk.lines, l)
		}
	}
	flush()
	if len(p.set.Questions) == 0 {
		if p.item == 0 {
			rep.Problems = append(rep.Problems, quiz.Detail{Message: "The file holds no GIFT questions."})
		} else {
			rep.Problems = append(rep.Problems, quiz.Detail{Message: "No question in the file could be imported; the other problems and warnings say why."})
		}
	}
	np, nw := len(rep.Problems), len(rep.Warnings)
	bank.Check(p.set, opt, &rep)
	p.renumber(rep.Problems[np:])
	p.renumber(rep.Warnings[nw:])
	return p.set, rep
}

// renumber turns bank.Check's item numbers (positions among the imported
// questions) into file item numbers, so they agree with the parser's own
// reports when items were skipped.
func (p *parser) renumber(ds []quiz.Detail) {
	to := func(n int) int {
		if n >= 1 && n <= len(p.items) {
			return p.items[n-1]
		}
		return n
	}
	for i := range ds {
		ds[i].Item = to(ds[i].Item)
		ds[i].Message = itemRef.ReplaceAllStringFunc(ds[i].Message, func(m string) string {
			n, err := strconv.Atoi(m[len("item "):])
			if err != nil {
				return m
			}
			return "item " + strconv.Itoa(to(n))
		})
	}
}

func (p *parser) problem(line, item int, field, format string, args ...any) {
	p.rep.Problems = append(p.rep.Problems, quiz.Detail{Line: line, Item: item, Field: field, Message: bank.Sentence(fmt.Sprintf(format, args...))})
}

func (p *parser) warn(line, item int, field, format string, args ...any) {
	p.rep.Warnings = append(p.rep.Warnings, quiz.Detail{Line: line, Item: item, Field: field, Message: bank.Sentence(fmt.Sprintf(format, args...))})
}

// decode drops a byte-order mark, unifies line ends and reports text that
// is not UTF-8 (which Moodle also requires).
func (p *parser) decode(data []byte) string {
	s, bad := bank.DecodeText(data)
	if bad > 0 {
		p.problem(bad, 0, "", "line %d is not valid UTF-8: save the file as UTF-8 text", bad)
	}
	return s
}

// category applies a $CATEGORY line: the path's parts may name a topic and
// an RHIT domain, which hold for the items that follow until the next one.
func (p *parser) category(line int, path string) {
	p.topic, p.domain, p.catLine = "", 0, line
	path = unescape(escape(strings.TrimSpace(path)))
	// Moodle writes a "/" inside a category name as "//".
	path = strings.ReplaceAll(path, "//", "\x00")
	for _, part := range strings.Split(path, "/") {
		part = strings.ReplaceAll(part, "\x00", "/")
		if t := topicOf(part); t != "" {
			p.topic = t
		}
		if d, ok, bad := domainOf(part); ok {
			p.domain = d
		} else if bad != "" {
			p.warn(line, 0, "domain", "the category part %q is not an RHIT domain (1-6), so it is ignored", bad)
		}
	}
}

// norm lower-cases a category part or tag and turns spaces and underscores
// into hyphens, so "Release of Information" names release-of-information.
func norm(s string) string {
	f := strings.FieldsFunc(strings.ToLower(strings.TrimSpace(s)), func(r rune) bool {
		return unicode.IsSpace(r) || r == '_' || r == '-'
	})
	return strings.Join(f, "-")
}

// topicOf returns the topic id a category part or tag names, by id or by
// the topic's name, else "".
func topicOf(part string) string {
	n := norm(part)
	for _, t := range quiz.Topics() {
		if n == t.ID || n == norm(t.Name) {
			return t.ID
		}
	}
	return ""
}

// domainOf reads "domain-N", "domain N" or "Domain N - name".
func domainOf(part string) (int, bool, string) {
	m := domainPattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(part)))
	if m == nil {
		return 0, false, ""
	}
	d, err := strconv.Atoi(m[1])
	if err != nil || d < 1 || d > 6 {
		return 0, false, strings.TrimSpace(part)
	}
	return d, true, ""
}

// index maps offsets in a block's text to file lines.
type index struct {
	start int
	nl    []int
}

func newIndex(s string, start int) *index {
	ix := &index{start: start}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			ix.nl = append(ix.nl, i)
		}
	}
	return ix
}

func (ix *index) line(off int) int {
	return ix.start + sort.SearchInts(ix.nl, off)
}

// item is one question being built, with what must be reported about it.
type item struct {
	p      *parser
	n      int
	line   int
	ix     *index
	q      *quiz.Question
	lines  map[string]int
	format string // the question text's format, which answers inherit
	fixes  map[string][]string
	order  []string
	// fb holds per-answer feedback, as rationale lines, and fbFrom what
	// it came from, for the warning.
	fb     []string
	fbFrom []string
	fbOff  int
	// marks and weights are a choice block's answers, kept to compare
	// the file's penalties with rhitprep's scoring once tags are read.
	marks         []mark
	weights       []float64
	scoringTagged bool
}

func (it *item) problem(off int, field, format string, args ...any) {
	it.p.problem(it.ix.line(off), it.n, field, format, args...)
}

func (it *item) warn(off int, field, format string, args ...any) {
	it.p.warn(it.ix.line(off), it.n, field, format, args...)
}

// text converts one piece of the item and records what was changed in it.
func (it *item) text(raw, place string) string {
	s, _, c := convert(raw, it.format)
	if c.markup {
		it.fix("HTML markup was removed from %s; the text is kept", place)
	}
	if c.media {
		it.fix("an image or other embedded media was removed from %s", place)
	}
	if c.markdown {
		it.fix("Markdown in %s is shown as plain text", place)
	}
	return s
}

func (it *item) fix(format, place string) {
	if it.fixes == nil {
		it.fixes = map[string][]string{}
	}
	if len(it.fixes[format]) == 0 {
		it.order = append(it.order, format)
	}
	it.fixes[format] = append(it.fixes[format], place)
}

// skip reports an item of a kind rhitprep cannot take.
func (it *item) skip(off int, kind string) {
	it.warn(off, "type", "skipped: %s are not supported", kind)
}

// parseBlock reads one item: title, question text, answer block.
func (p *parser) parseBlock(b *block) {
	text := escape(strings.Join(b.lines, "\n"))
	s := len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
	e := len(strings.TrimRightFunc(text, unicode.IsSpace))
	if s >= e {
		return // comments only
	}
	p.item++
	ix := newIndex(text, b.start)
	it := &item{p: p, n: p.item, line: ix.line(s), ix: ix, lines: map[string]int{}, format: fmtMoodle}
	it.q = &quiz.Question{Line: it.line}

	title, hasTitle := "", false
	body := s
	if strings.HasPrefix(text[s:e], "::") {
		k := strings.Index(text[s+2:e], "::")
		if k < 0 {
			it.problem(s, "id", "the title that starts with :: is never closed with ::")
			return
		}
		title = strings.TrimSpace(unescape(text[s+2 : s+2+k]))
		hasTitle = title != ""
		body = s + 2 + k + 2
		body += len(text[body:e]) - len(strings.TrimLeftFunc(text[body:e], unicode.IsSpace))
	}

	a := strings.IndexByte(text[body:e], '{')
	c := strings.IndexByte(text[body:e], '}')
	switch {
	case a < 0 && c < 0:
		it.skip(s, "description (text-only) items")
		return
	case a < 0:
		it.problem(body+c, "options", "a } closes an answer block that was never opened with {")
		return
	case c < 0:
		it.problem(body+a, "options", "the answer block opened with { is never closed with }")
		return
	case c < a:
		it.problem(body+c, "options", "a } comes before the answer block's {")
		return
	}
	a, c = body+a, body+c
	after := text[c+1 : e]
	if k := strings.IndexAny(after, "{}"); k >= 0 {
		if strings.Contains(after[:k], "\n") {
			it.problem(c+1+k, "options", "a second answer block starts here: separate questions with a blank line")
		} else {
			it.skip(c+1+k, "questions with several answer blocks (Cloze-style gaps)")
		}
		return
	}
	stemRaw := text[body:a]
	if strings.TrimSpace(after) != "" {
		// Moodle's missing-word form: the gap is where the block was.
		stemRaw += "_____" + after
	}
	q := it.q
	answer := text[a+1 : c]
	gf, gfOff := "", -1
	if k := strings.LastIndex(answer, "####"); k >= 0 {
		gf, gfOff = answer[k+4:], a+1+k
		answer = answer[:k]
	}
	aoff := a + 1 + len(answer) - len(strings.TrimLeftFunc(answer, unicode.IsSpace))
	ans := strings.TrimSpace(answer)

	// The question text fixes the format that answers and feedback inherit.
	q.Stem, it.format, _ = convert(stemRaw, fmtMoodle)
	q.Stem = it.text(stemRaw, "the stem")

	switch {
	case clozePattern.MatchString(ans):
		it.skip(aoff, "embedded-answers (Cloze) questions")
		return
	case ans == "":
		it.skip(a, "essay questions")
		return
	case ans[0] == '#':
		if !it.numeric(ans[1:], aoff+1) {
			return
		}
	case strings.Contains(ans, "~"):
		if !it.choice(ans, aoff) {
			return
		}
	case strings.Contains(ans, "=") && strings.Contains(ans, "->"):
		it.skip(aoff, "matching questions")
		return
	default:
		tf := ans
		if k := strings.IndexByte(ans, '#'); k > 0 {
			tf = ans[:k]
		}
		switch strings.ToUpper(strings.TrimSpace(tf)) {
		case "T", "TRUE", "F", "FALSE":
			it.trueFalse(ans, aoff)
		default:
			it.skip(aoff, "short-answer questions")
			return
		}
	}

	it.lines["stem"] = ix.line(body)
	it.lines["type"] = ix.line(a)
	if gfOff >= 0 {
		it.lines["rationale"] = ix.line(gfOff)
		text := it.text(gf, "the general feedback")
		q.Rationale, q.References = splitReferences(text)
	}
	if fb := it.feedback(); fb != "" {
		if q.Rationale != "" {
			q.Rationale += "\n"
		}
		q.Rationale += fb
	}
	q.Topic, q.Domain = p.topic, p.domain
	if p.topic != "" {
		it.lines["topic"] = p.catLine
	}
	if p.domain != 0 {
		it.lines["domain"] = p.catLine
	}
	it.tags(b.comments)
	it.penalties(it.marks, it.weights)
	it.setID(title, hasTitle, b.comments)
	for _, f := range it.order {
		it.warn(s, fieldOf(it.fixes[f][0]), f, bank.JoinAnd(it.fixes[f]))
	}
	p.set.Questions = append(p.set.Questions, q)
	p.set.Lines = append(p.set.Lines, it.lines)
	p.items = append(p.items, it.n)
}

// addFeedback keeps one answer's feedback for the rationale.
func (it *item) addFeedback(off int, label, from, raw string) {
	text := it.text(raw, "the feedback for "+from)
	if text == "" {
		return
	}
	if len(it.fb) == 0 {
		it.fbOff = off
	}
	it.fb = append(it.fb, label+": "+text)
	it.fbFrom = append(it.fbFrom, from)
}

// feedback returns the per-answer feedback folded into rationale lines and
// warns that it was folded.
func (it *item) feedback() string {
	if len(it.fb) == 0 {
		return ""
	}
	from := bank.JoinAnd(it.fbFrom)
	if it.q.Type != quiz.Numeric && len(it.fbFrom) > 1 {
		ids := make([]string, len(it.fbFrom))
		for i, f := range it.fbFrom {
			ids[i] = strings.TrimPrefix(f, "option ")
		}
		from = "options " + bank.JoinAnd(ids)
	}
	label, _, _ := strings.Cut(it.fb[0], ": ")
	it.warn(it.fbOff, "rationale", "The feedback for %s was added to the rationale as lines \"%s: …\", because rhitprep shows one rationale per question.", from, label)
	return strings.Join(it.fb, "\n")
}

// optionID names the j-th option: A-Z, then AA, AB, ...
func optionID(j int) string {
	if j < 26 {
		return string(rune('A' + j))
	}
	return optionID(j/26-1) + string(rune('A'+j%26))
}

// weight reads a leading %w% from an answer. bad is set when something
// between percent signs is not a number, which Moodle would silently take
// as answer text.
func weight(t string) (w float64, rest string, ok bool, bad string) {
	if m := weightPattern.FindStringSubmatch(t); m != nil {
		w, err := strconv.ParseFloat(m[1], 64)
		if err == nil {
			return w, t[len(m[0]):], true, ""
		}
	}
	if m := badWeight.FindString(t); m != "" {
		return 0, t, false, m
	}
	return 0, t, false, ""
}

// mark is one answer of a choice block: its marker, where it starts, and
// its text up to the next marker.
type mark struct {
	marker byte
	off    int
	raw    string
}

// splitAnswers cuts a choice block at every ~ and =, as Moodle does; "~="
// counts as one "=".
func splitAnswers(s string, base int) (string, []mark) {
	var out []mark
	pre := -1
	start := -1
	var m byte
	flushAt := func(end int) {
		if start >= 0 {
			out = append(out, mark{m, base + start, s[start+1 : end]})
		} else {
			pre = end
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '~', '=':
			flushAt(i)
			m, start = s[i], i
			if s[i] == '~' && i+1 < len(s) && s[i+1] == '=' {
				m = '='
				i++
				start = i
			}
		}
	}
	flushAt(len(s))
	if pre >= 0 {
		return s[:pre], out
	}
	return "", out
}

const eps = 1e-9

// choice reads a multiple-choice block: with an "=" answer it is a single
// item (Moodle's "one answer only"), without one a multiple-answer item
// whose keys are the options with positive weight.
func (it *item) choice(ans string, base int) bool {
	pre, marks := splitAnswers(ans, base)
	if strings.TrimSpace(pre) != "" {
		it.problem(base, "options", "the text %q comes before the first answer: start every answer with = (right) or ~ (wrong)", strings.TrimSpace(unescape(pre)))
		return false
	}
	q := it.q
	single := false
	ok := true
	weights := make([]float64, len(marks))
	for j, m := range marks {
		id := optionID(j)
		t := strings.TrimLeftFunc(m.raw, unicode.IsSpace)
		w, rest, has, bad := weight(t)
		switch {
		case bad != "":
			it.problem(m.off, "options", "option %s: %s is not a weight; write it like %%50%% or %%-33.33333%%", id, unescape(bad))
			ok = false
		case has && (w < -100-eps || w > 100+eps):
			it.problem(m.off, "options", "option %s: the weight %s%% is outside -100%% to 100%%", id, fmtNum(w))
			ok = false
		case !has && m.marker == '=':
			w = 100
		}
		if m.marker == '=' {
			single = true
		}
		weights[j] = w
		body, fb, hasFb := strings.Cut(rest, "#")
		q.Options = append(q.Options, quiz.Option{ID: id, Text: it.text(body, "option "+id)})
		if hasFb {
			it.addFeedback(m.off, id, "option "+id, fb)
		}
	}
	if len(marks) > 0 {
		it.lines["options"] = it.ix.line(marks[0].off)
	}
	if !ok {
		return false
	}
	it.marks, it.weights = marks, weights
	if single {
		return it.singleKey(marks, weights)
	}
	return it.multipleKeys(marks, weights)
}

func (it *item) singleKey(marks []mark, weights []float64) bool {
	q := it.q
	q.Type = quiz.Single
	var keys []int
	for j, w := range weights {
		if math.Abs(w-100) < eps {
			keys = append(keys, j)
		}
	}
	switch {
	case len(keys) == 0:
		it.problem(marks[0].off, "answer", "no option has 100%% weight: mark the right answer with =")
		return false
	case len(keys) > 1:
		both := "all"
		if len(keys) == 2 {
			both = "both"
		}
		it.problem(marks[keys[1]].off, "answer", "options %s are %s fully right, but a single item has exactly one key", bank.JoinAnd(ids(keys)), both)
		return false
	}
	k := keys[0]
	q.Answer = []string{optionID(k)}
	it.lines["answer"] = it.ix.line(marks[k].off)
	for j, w := range weights {
		switch {
		case j == k || math.Abs(w) < eps:
		case w > 0:
			it.warn(marks[j].off, "answer", "Partial credit for option %s (%s%%) was dropped: only the key %s scores.", optionID(j), fmtNum(w), optionID(k))
		default:
			it.warn(marks[j].off, "answer", "The penalty for option %s (%s%%) was dropped: a wrong choice scores 0.", optionID(j), fmtNum(w))
		}
	}
	return true
}

func (it *item) multipleKeys(marks []mark, weights []float64) bool {
	q := it.q
	q.Type = quiz.Multiple
	var keys []int
	sum := 0.0
	for j, w := range weights {
		if w > eps {
			keys = append(keys, j)
			sum += w
		}
	}
	if len(keys) == 0 {
		it.problem(marks[0].off, "answer", "no option is right: give the right options a positive weight such as ~%%50%%, or mark the single right answer with =")
		return false
	}
	ok := true
	for _, j := range keys[1:] {
		if math.Abs(weights[j]-weights[keys[0]]) > 0.5 {
			it.problem(marks[j].off, "answer", "options %s (%s%%) and %s (%s%%) carry unequal weights; rhitprep scores every key alike, so this item cannot be imported faithfully",
				optionID(keys[0]), fmtNum(weights[keys[0]]), optionID(j), fmtNum(weights[j]))
			ok = false
			break
		}
	}
	if math.Abs(sum-100) > 1 {
		it.problem(marks[keys[0]].off, "answer", "the positive weights add up to %s%%, not 100%%", fmtNum(sum))
		ok = false
	}
	if !ok {
		return false
	}
	for _, j := range keys {
		q.Answer = append(q.Answer, optionID(j))
	}
	it.lines["answer"] = it.ix.line(marks[keys[0]].off)
	it.lines["partial_credit"] = it.lines["answer"]
	q.PartialCredit = len(keys) > 1
	return true
}

// penalties warns when the file's weights for wrong options differ from
// how rhitprep scores them; called once tags have settled the scoring.
func (it *item) penalties(marks []mark, weights []float64) {
	q := it.q
	if q.Type != quiz.Multiple || it.scoringTagged {
		return
	}
	want := -100.0
	if q.PartialCredit {
		want = -100 / float64(len(q.Answer))
	}
	var differ []string
	for j, w := range weights {
		if w <= eps && math.Abs(w-want) > 0.5 {
			differ = append(differ, fmt.Sprintf("%s %s%%", optionID(j), fmtNum(w)))
		}
	}
	if len(differ) == 0 {
		return
	}
	how := "choosing any wrong option scores 0"
	if q.PartialCredit {
		how = fmt.Sprintf("each wrong choice takes 1/%d (%s%%) off", len(q.Answer), fmtNum(-want))
	}
	it.warn(marks[0].off, "answer", "Wrong options are scored rhitprep's way (%s), not with the file's weights (%s).", how, strings.Join(differ, ", "))
}

func ids(js []int) []string {
	out := make([]string, len(js))
	for i, j := range js {
		out[i] = optionID(j)
	}
	return out
}

// trueFalse reads {T}, {TRUE}, {F}, {FALSE}, with Moodle's optional
// feedback: the first # is shown for a wrong answer, the second for a right one.
func (it *item) trueFalse(ans string, base int) {
	q := it.q
	bits := strings.SplitN(ans, "#", 3)
	right := strings.ToUpper(strings.TrimSpace(bits[0]))
	q.Type = quiz.Single
	q.Options = []quiz.Option{{ID: "A", Text: "True"}, {ID: "B", Text: "False"}}
	key, other := "A", "B"
	if right == "F" || right == "FALSE" {
		key, other = "B", "A"
	}
	q.Answer = []string{key}
	it.lines["options"] = it.ix.line(base)
	it.lines["answer"] = it.ix.line(base)
	fb := map[string]string{}
	if len(bits) > 1 {
		fb[other] = bits[1]
	}
	if len(bits) > 2 {
		fb[key] = bits[2]
	}
	for _, id := range []string{"A", "B"} {
		if raw, ok := fb[id]; ok {
			it.addFeedback(base, id, "option "+id, raw)
		}
	}
}

// numAnswer is one accepted numeric answer.
type numAnswer struct {
	text     string
	value    float64
	tol      float64
	weight   float64
	off      int
	catchAll bool
}

// numeric reads {#value:tolerance}, {#min..max} and lists of "=" answers
// with weights. rhitprep keeps one value and tolerance: the 100% answer.
func (it *item) numeric(body string, base int) bool {
	q := it.q
	q.Type = quiz.Numeric
	wrong := ""
	hasWrong := false
	if k := strings.IndexByte(body, '~'); k >= 0 {
		wrong, hasWrong = body[k+1:], true
		body = body[:k]
	}
	var list []numAnswer
	ok := true
	start := 0
	for i := 0; i <= len(body); i++ {
		if i < len(body) && body[i] != '=' {
			continue
		}
		piece, off := body[start:i], base+start
		start = i + 1
		if strings.TrimSpace(piece) == "" {
			if len(list) == 0 && off == base {
				continue // the text before the first "="
			}
			it.problem(off, "answer", "an empty numeric answer")
			ok = false
			continue
		}
		t := strings.TrimLeftFunc(piece, unicode.IsSpace)
		w, rest, has, bad := weight(t)
		if bad != "" {
			it.problem(off, "answer", "%s is not a weight; write it like %%50%%", unescape(bad))
			ok = false
			continue
		}
		if !has {
			w = 100
		}
		val, fb, hasFb := strings.Cut(rest, "#")
		_, val = splitFormat(strings.TrimSpace(val))
		val = strings.TrimSpace(unescape(val))
		a := numAnswer{text: val, weight: w, off: off}
		if hasFb {
			it.addFeedback(off, "Answer "+val, "the answer "+val, fb)
		}
		if val == "*" {
			a.catchAll = true
			if w > eps {
				it.problem(off, "answer", "the answer * accepts any number; give the right value instead")
				ok = false
			}
			continue
		}
		if !it.numberAnswer(&a) {
			ok = false
			continue
		}
		list = append(list, a)
	}
	if hasWrong {
		if _, fb, has := strings.Cut(wrong, "#"); has {
			it.addFeedback(base, "Other answers", "other answers", fb)
		}
	}
	if !ok {
		return false
	}
	var keys []numAnswer
	for _, a := range list {
		if math.Abs(a.weight-100) < eps {
			keys = append(keys, a)
		}
	}
	switch {
	case len(list) == 0:
		it.problem(base, "answer", "no numeric answer: write one like {#5.5:0.5} or {#1..10}")
		return false
	case len(keys) == 0:
		it.problem(list[0].off, "answer", "no numeric answer has 100%% weight")
		return false
	}
	for _, k := range keys[1:] {
		if k.value != keys[0].value || k.tol != keys[0].tol {
			it.problem(k.off, "answer", "the answers %s and %s are both fully right, but rhitprep keeps one value and tolerance", keys[0].text, k.text)
			return false
		}
	}
	key := keys[0]
	q.Value, q.Tolerance = key.value, key.tol
	it.lines["answer"] = it.ix.line(key.off)
	it.lines["tolerance"] = it.ix.line(key.off)
	var dropped []string
	for _, a := range list {
		if math.Abs(a.weight-100) >= eps {
			dropped = append(dropped, fmt.Sprintf("%s at %s%%", a.text, fmtNum(a.weight)))
		}
	}
	if len(dropped) > 0 {
		it.warn(list[0].off, "answer", "Other accepted answers were dropped (%s): only %s scores.", strings.Join(dropped, ", "), key.text)
	}
	return true
}

// numberAnswer reads "v", "v:tolerance" or "min..max".
func (it *item) numberAnswer(a *numAnswer) bool {
	s := a.text
	num := func(t string) (float64, bool) {
		t = strings.TrimSpace(t)
		if !numberPattern.MatchString(t) {
			return 0, false
		}
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
	}
	if k := strings.Index(s, ".."); k > 0 {
		lo, ok1 := num(s[:k])
		hi, ok2 := num(s[k+2:])
		if !ok1 || !ok2 {
			it.problem(a.off, "answer", "the numeric answer %q is not a range of numbers like 1..10", s)
			return false
		}
		if lo > hi {
			it.problem(a.off, "answer", "the range %s starts above its end", s)
			return false
		}
		a.value, a.tol = (lo+hi)/2, (hi-lo)/2
		return true
	}
	if k := strings.IndexByte(s, ':'); k > 0 {
		v, ok1 := num(s[:k])
		t, ok2 := num(s[k+1:])
		if !ok1 || !ok2 {
			it.problem(a.off, "answer", "the numeric answer %q is not a number with a tolerance like 5.5:0.5", s)
			return false
		}
		a.value, a.tol = v, t
		return true
	}
	v, ok := num(s)
	if !ok {
		it.problem(a.off, "answer", "the numeric answer %q is not a number", s)
		return false
	}
	a.value = v
	return true
}

// fmtNum prints a weight or value the shortest way that reads back the same.
func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// splitReferences takes a final "References:" section of "- " lines off a
// general feedback; Write puts an item's references there.
func splitReferences(text string) (string, []string) {
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) != "References:" {
			continue
		}
		var refs []string
		for _, l := range lines[i+1:] {
			l = strings.TrimSpace(l)
			r, ok := strings.CutPrefix(l, "- ")
			if !ok || strings.TrimSpace(r) == "" {
				return text, nil
			}
			refs = append(refs, strings.TrimSpace(r))
		}
		if len(refs) == 0 {
			return text, nil
		}
		return strings.TrimSpace(strings.Join(lines[:i], "\n")), refs
	}
	return text, nil
}

// tags reads Moodle's "// [tag:...]" comments: topics and domains as in
// category paths, and the metadata Write keeps there.
func (it *item) tags(comments []comment) {
	var other []string
	otherLine := 0
	for _, c := range comments {
		for _, m := range tagPattern.FindAllStringSubmatch(c.text, -1) {
			raw := strings.TrimSpace(strings.ReplaceAll(m[1], `\]`, "]"))
			if raw == "" {
				continue
			}
			if !it.tag(raw, c.line) {
				other = append(other, raw)
				if otherLine == 0 {
					otherLine = c.line
				}
			}
		}
	}
	if len(other) > 0 {
		it.p.warn(otherLine, it.n, "", "The Moodle tags %s were not kept: rhitprep has no tags.", quoteAll(other))
	}
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return bank.JoinAnd(q)
}

// tag applies one tag and reports whether it meant anything to rhitprep.
func (it *item) tag(raw string, line int) bool {
	q := it.q
	if v, ok := cutPrefixFold(raw, "scenario:"); ok {
		// Written by Write: the first n characters of the stem are the
		// shared scenario of an item set.
		id, count, _ := strings.Cut(v, ":")
		n, err := strconv.Atoi(count)
		runes := []rune(q.Stem)
		if err != nil || n <= 0 || n >= len(runes) || !idPattern.MatchString(id) {
			it.p.warn(line, it.n, "scenario", "The tag %q does not fit the question text, so the scenario stays part of the stem.", raw)
			return true
		}
		q.ScenarioID = id
		q.Scenario = strings.TrimSpace(string(runes[:n]))
		q.Stem = strings.TrimSpace(string(runes[n:]))
		it.lines["scenario"] = line
		return true
	}
	if v, ok := cutPrefixFold(raw, "subtopic:"); ok {
		q.Subtopic = strings.TrimSpace(v)
		it.lines["subtopic"] = line
		return true
	}
	n := norm(raw)
	if t := topicOf(raw); t != "" {
		q.Topic = t
		it.lines["topic"] = line
		return true
	}
	if d, ok, bad := domainOf(raw); ok {
		q.Domain = d
		it.lines["domain"] = line
		return true
	} else if bad != "" {
		it.p.warn(line, it.n, "domain", "The tag %q is not an RHIT domain (1-6), so it is ignored.", raw)
		return true
	}
	switch v, _ := strings.CutPrefix(n, "difficulty-"); v {
	case quiz.Easy, quiz.Medium, quiz.Hard:
		q.Difficulty = v
		it.lines["difficulty"] = line
		return true
	}
	switch v, _ := strings.CutPrefix(n, "cognitive-"); v {
	case quiz.Recall, quiz.Application, quiz.Analysis:
		q.Cognitive = v
		it.lines["cognitive"] = line
		return true
	}
	switch n {
	case "all-or-nothing", "partial-credit":
		if q.Type == quiz.Multiple {
			q.PartialCredit = n == "partial-credit"
			it.lines["partial_credit"] = line
			it.scoringTagged = true
		}
		return true
	}
	if v, ok := strings.CutPrefix(n, "pinned-"); ok {
		id := strings.ToUpper(v)
		for i := range q.Options {
			if q.Options[i].ID == id {
				q.Options[i].Pinned = true
				return true
			}
		}
		it.p.warn(line, it.n, "options", "The tag %q pins option %s, which the item does not have.", raw, id)
		return true
	}
	return false
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}

// setID makes the id from the title, or "qN" for item N, and keeps ids
// unique: Moodle titles need not be, rhitprep ids must.
func (it *item) setID(title string, hasTitle bool, comments []comment) {
	p := it.p
	id := ""
	if hasTitle {
		id = title
		if !idPattern.MatchString(title) {
			id = slugify(title)
			if id == "" {
				it.p.warn(it.line, it.n, "id", "The title %q has no letters or digits to make an id from; the item's id is %q.", title, fmt.Sprintf("q%d", it.n))
			} else {
				it.p.warn(it.line, it.n, "id", "The title %q is not a valid id, so the item's id is %q.", title, id)
			}
		}
		it.lines["id"] = it.line
	}
	if id == "" {
		id = fmt.Sprintf("q%d", it.n)
	}
	if prev, used := p.ids[id]; used {
		base := id
		for n := 2; ; n++ {
			suffix := "-" + strconv.Itoa(n)
			b := base
			if len(b)+len(suffix) > 64 {
				b = b[:64-len(suffix)]
			}
			if _, taken := p.ids[b+suffix]; !taken {
				id = b + suffix
				break
			}
		}
		p.warn(it.line, it.n, "id", "The id %q is already used by item %d, so this item's id is %q.", base, prev, id)
	}
	p.ids[id] = it.n
	it.q.ID = id
	for _, c := range comments {
		for _, m := range idTagPattern.FindAllStringSubmatch(c.text, 1) {
			if v := strings.TrimSpace(strings.ReplaceAll(m[1], `\]`, "]")); v != "" && v != id {
				p.warn(c.line, it.n, "id", "The Moodle ID number %q was not kept: the item's id comes from its title (%q).", v, id)
			}
		}
	}
}

// slugify makes an id from a title: lower-case ASCII letters and digits,
// with every other run of characters turned into one hyphen.
func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_'):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	s := strings.TrimLeft(b.String(), "._-")
	if len(s) > 64 {
		s = s[:64]
	}
	return strings.TrimRight(s, "-")
}

// fieldOf names the report field a changed place belongs to.
func fieldOf(place string) string {
	switch {
	case place == "the stem":
		return "stem"
	case strings.HasPrefix(place, "option "):
		return "options"
	}
	return "rationale"
}
