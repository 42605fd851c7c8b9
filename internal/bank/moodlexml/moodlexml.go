// Package moodlexml reads question banks exported from Moodle as Moodle XML
// (<quiz><question type="...">), the format instructors most often already
// have their questions in.
//
// Multiple choice (one answer or several), true/false and numerical
// questions are imported; every other question type is skipped with a
// warning naming it, never dropped in silence. What rhitprep cannot hold is
// converted with a warning that says what changed: HTML is stripped to plain
// text, images and embedded files are removed, per-answer feedback is folded
// into the rationale as lines "A: …", and partial credit or penalties that
// rhitprep scores differently are dropped. Weightings rhitprep cannot score
// faithfully (unequal credit for the keys of a multiple-answer item, positive
// weights not adding up to 100%) are problems.
//
// Topic and domain come from the category the question sits in
// ($course$/top/RHIT/coding/domain-4: a part that is a topic id gives the
// topic, a part "domain-N" the RHIT domain) and from the question's tags (a
// tag that is a topic id or domain-N), a tag winning over the category. Each
// <question type="category"> sets them for the questions after it, until the
// next one.
//
// The file is read with encoding/xml: no DTD is processed and no external
// entity is ever fetched, and a DOCTYPE declaring entities is refused.
// Problems are reported at the line of their <question> element, with a
// Path such as quiz/question[3]/answer[2].
package moodlexml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Format is the format id uploads name this format by (format=moodlexml),
// and the Format of every set Parse returns.
const Format = "moodlexml"

// maxDepth bounds element nesting inside one question; Moodle needs five.
const maxDepth = 64

// eps absorbs Moodle's rounding of weights to five decimals (3 x 33.33333).
const eps = 0.01

// unsupported names the question types rhitprep skips, with why.
var unsupported = map[string]string{
	"essay":            "essay questions are not supported",
	"matching":         "matching questions are not supported",
	"randomsamatch":    "random short-answer matching questions are not supported",
	"shortanswer":      "short-answer questions are not supported",
	"ddwtos":           "drag-and-drop into text questions are not supported",
	"ddimageortext":    "drag-and-drop onto image questions are not supported",
	"ddmarker":         "drag-and-drop marker questions are not supported",
	"gapselect":        "select missing words questions are not supported",
	"cloze":            "cloze (embedded answers) questions are not supported",
	"multianswer":      "cloze (embedded answers) questions are not supported",
	"calculated":       "calculated questions are not supported",
	"calculatedsimple": "calculated questions are not supported",
	"calculatedmulti":  "calculated multichoice questions are not supported",
	"description":      "description items are text only, not questions",
	"ordering":         "ordering questions are not supported",
	"random":           "random questions are not supported (import the questions they draw from)",
}

// Parse reads a Moodle XML export and checks the result with bank.Check, so
// a Moodle upload obeys the same rules as a native one. The set is nil only
// when nothing could be read: the file is not Moodle XML, or it declares
// entities.
func Parse(data []byte, opt bank.Options) (*bank.Set, bank.Report) {
	var rep bank.Report
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity // &nbsp; and friends outside CDATA; still no DTD
	p := &parser{d: d, rep: &rep, set: &bank.Set{Format: Format}, ids: map[string]int{}}
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		r, err := charsetReader(label, input)
		p.charsetErr = err
		return r, err
	}
	if !p.run() {
		return nil, rep
	}
	bank.Check(p.set, opt, &rep)
	return p.set, rep
}

type parser struct {
	d    *xml.Decoder
	rep  *bank.Report
	set  *bank.Set
	ids  map[string]int // ids given so far, to the item that has each
	next map[string]int // per base id, the next suffix to try

	// The current category's topic and domain, and where it says so.
	topic              string
	topicLine, domainN int
	catLine            int
	sawRoot, stopped   bool
	charsetErr         error // the declared encoding cannot be read
}

// node is one element of a question, kept only while the question is read.
type node struct {
	name     string
	attr     []xml.Attr
	line     int
	children []*node
	text     strings.Builder
}

func (n *node) attrValue(name string) string {
	for _, a := range n.attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// child returns the first child element called name.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// all returns the children called name.
func (n *node) all(name string) []*node {
	var out []*node
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// inner returns all the character data under n, CDATA included.
func (n *node) inner() string {
	if n == nil {
		return ""
	}
	if len(n.children) == 0 {
		return n.text.String()
	}
	var b strings.Builder
	n.innerTo(&b)
	return b.String()
}

func (n *node) innerTo(b *strings.Builder) {
	b.WriteString(n.text.String())
	for _, c := range n.children {
		c.innerTo(b)
	}
}

// textOf returns the <text> of a Moodle text field (name, questiontext,
// feedback), trimmed.
func (n *node) textOf() string {
	if n == nil {
		return ""
	}
	if t := n.child("text"); t != nil {
		return strings.TrimSpace(t.inner())
	}
	return strings.TrimSpace(n.text.String())
}

// pos returns the line the decoder has reached: before a Token call, the
// line where the next token starts.
func (p *parser) pos() int {
	line, _ := p.d.InputPos()
	return line
}

// run reads the document; false when nothing usable was found.
func (p *parser) run() bool {
	for {
		line := p.pos()
		tok, err := p.d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			p.syntax(err, line)
			break
		}
		switch t := tok.(type) {
		case xml.Directive:
			if !p.directive(t, line) {
				return false
			}
		case xml.StartElement:
			if p.sawRoot {
				p.problem(line, 0, "", "", "the file has a second root element <%s> after </quiz>", t.Name.Local)
				return true
			}
			p.sawRoot = true
			if t.Name.Local != "quiz" {
				p.problem(line, 0, "", "", "the root element is <%s>, not <quiz>: this is not a Moodle XML question file", t.Name.Local)
				return false
			}
			p.quiz()
			if p.stopped {
				return true
			}
		}
	}
	if !p.sawRoot && p.rep.OK() {
		p.problem(1, 0, "", "", "no <quiz> element: this is not a Moodle XML question file")
		return false
	}
	return p.sawRoot
}

// directive refuses a DOCTYPE that declares entities: rhitprep never
// expands them, so the file could not mean what it says.
func (p *parser) directive(t xml.Directive, line int) bool {
	s := string(t)
	if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "DOCTYPE") {
		return true
	}
	if indexFold(s, "<!ENTITY") >= 0 {
		p.problem(line, 0, "", "", "the file's DOCTYPE declares entities; rhitprep does not process DTDs or expand entities, so remove the DOCTYPE (Moodle exports have none)")
		return false
	}
	p.warn(line, 0, "", "", "the DOCTYPE was ignored: rhitprep does not read DTDs")
	return true
}

// syntax reports a document that is not well-formed XML.
func (p *parser) syntax(err error, line int) {
	p.stopped = true
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		p.problem(se.Line, 0, "", "", "the file is not well-formed XML: %s", se.Msg)
		return
	}
	if p.charsetErr != nil {
		err = p.charsetErr
	}
	p.problem(line, 0, "", "", "the file could not be read as XML: %v", err)
}

// quiz reads the children of <quiz>, one question at a time, so memory is
// bounded by the largest question.
func (p *parser) quiz() {
	n := 0
	for {
		line := p.pos()
		tok, err := p.d.Token()
		if err != nil {
			if err == io.EOF {
				err = &xml.SyntaxError{Msg: "unexpected end of file: </quiz> is missing", Line: line}
			}
			p.syntax(err, line)
			return
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return
		case xml.StartElement:
			if t.Name.Local != "question" {
				if err := p.d.Skip(); err != nil {
					p.syntax(err, p.pos())
					return
				}
				continue
			}
			n++
			q, ok := p.tree(t, line, fmt.Sprintf("quiz/question[%d]", n))
			if !ok {
				return
			}
			p.question(q, n)
		}
	}
}

// tree reads the element just started into nodes, up to maxDepth levels.
func (p *parser) tree(start xml.StartElement, line int, path string) (*node, bool) {
	root := &node{name: start.Name.Local, attr: start.Attr, line: line}
	stack := []*node{root}
	depth := 1
	tooDeep := false
	for depth > 0 {
		line := p.pos()
		tok, err := p.d.Token()
		if err != nil {
			if err == io.EOF {
				err = &xml.SyntaxError{Msg: fmt.Sprintf("unexpected end of file inside the <question> at line %d", root.line), Line: line}
			}
			p.syntax(err, line)
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				tooDeep = true
				continue
			}
			n := &node{name: t.Name.Local, attr: t.Attr, line: line}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			if depth <= maxDepth {
				stack = stack[:len(stack)-1]
			}
			depth--
		case xml.CharData:
			if depth <= maxDepth {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if tooDeep {
		p.warn(root.line, 0, path, "", "elements nested deeper than %d levels were ignored", maxDepth)
	}
	return root, true
}

// question dispatches on the question's type.
func (p *parser) question(n *node, index int) {
	path := fmt.Sprintf("quiz/question[%d]", index)
	typ := strings.TrimSpace(n.attrValue("type"))
	name := n.child("name").textOf()
	label := ""
	if name != "" {
		label = fmt.Sprintf(" (%q)", clip(name, 60))
	}
	switch typ {
	case "category":
		p.category(n, path)
	case "multichoice", "truefalse", "numerical":
		p.item(n, typ, path)
	case "":
		p.warn(n.line, 0, path, "type", "skipped: a question without a type attribute%s", label)
	default:
		why, ok := unsupported[typ]
		if !ok {
			why = fmt.Sprintf("%q questions are not supported", clip(typ, 40))
		}
		p.warn(n.line, 0, path, "type", "skipped: %s%s", why, label)
	}
}

var domainPart = regexp.MustCompile(`^domain[\s_-]*(\d+)$`)

// category sets the topic and domain of the questions that follow it.
func (p *parser) category(n *node, path string) {
	p.topic, p.topicLine, p.domainN, p.catLine = "", 0, 0, n.line
	text := n.child("category").textOf()
	for _, part := range splitCategory(text) {
		if t, ok := topicOf(part); ok {
			p.topic, p.topicLine = t, n.line
			continue
		}
		if d, ok := domainOf(part); ok {
			if d >= 1 && d <= 6 {
				p.domainN = d
			} else {
				p.warn(n.line, 0, path, "domain", "the category part %q is not an RHIT domain (1-6) and was ignored", part)
			}
		}
	}
}

// splitCategory splits a category path on "/", where Moodle writes a
// slash inside a name as "//".
func splitCategory(s string) []string {
	const placeholder = "\x00"
	s = strings.ReplaceAll(s, "//", placeholder)
	parts := strings.Split(s, "/")
	for i, part := range parts {
		parts[i] = strings.TrimSpace(strings.ReplaceAll(part, placeholder, "/"))
	}
	return parts
}

// topicOf recognises a topic id, leniently about case and separators.
func topicOf(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	id := strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "-")
	return id, quiz.IsTopic(id)
}

// domainOf recognises "domain-4" or "Domain 4"; the number may be out of
// range, which the caller reports.
func domainOf(s string) (int, bool) {
	m := domainPart.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return 0, false
	}
	d, err := strconv.Atoi(m[1])
	if err != nil {
		return 99, true
	}
	return d, true
}

// answer is one <answer> of a question, converted.
type answer struct {
	n        *node
	path     string
	weight   float64
	text     string
	feedback string
	ok       bool // the weight could be read
}

// notes collects what one item lost, so each loss is warned about once.
type notes struct {
	fields []string // fields whose markup was stripped
	tags   map[string]bool
	images []string // "name" from the field, for the warning
	shown  map[string]bool
	files  [][2]string // embedded files: name, field
}

func (nt *notes) add(field string, pl plain) {
	if len(pl.Tags) > 0 {
		nt.fields = append(nt.fields, field)
		for _, t := range pl.Tags {
			nt.tags[t] = true
		}
	}
	for _, img := range pl.Images {
		nt.images = append(nt.images, fmt.Sprintf("%q from the %s", img, field))
		nt.shown[img] = true
	}
}

// addFiles records the files embedded in a text field (images, mostly);
// they are never decoded.
func (nt *notes) addFiles(n *node, field string) {
	for _, f := range n.all("file") {
		name := strings.TrimSpace(f.attrValue("name"))
		if name == "" {
			name = "unnamed"
		}
		nt.files = append(nt.files, [2]string{clip(name, 80), field})
	}
}

// item reads a multichoice, truefalse or numerical question.
func (p *parser) item(n *node, typ, path string) {
	itemNo := len(p.set.Questions) + 1
	q := &quiz.Question{Line: n.line, Topic: p.topic, Domain: p.domainN}
	lines := map[string]int{"type": n.line}
	if p.topic != "" {
		lines["topic"] = p.topicLine
	}
	if p.domainN != 0 {
		lines["domain"] = p.catLine
	}
	nt := &notes{tags: map[string]bool{}, shown: map[string]bool{}}
	problem := func(path, field, format string, args ...any) {
		p.problem(n.line, itemNo, path, field, format, args...)
	}
	warn := func(path, field, format string, args ...any) {
		p.warn(n.line, itemNo, path, field, format, args...)
	}

	// Id from the name.
	nameNode := n.child("name")
	name := nameNode.textOf()
	q.ID = p.uniqueID(slugify(name), itemNo, name, warn, path)
	if nameNode != nil {
		lines["id"] = nameNode.line
	}

	// Stem and rationale.
	if qt := n.child("questiontext"); qt != nil {
		pl := toPlain(qt.textOf(), qt.attrValue("format"))
		q.Stem = pl.Text
		nt.add("stem", pl)
		lines["stem"] = qt.line
		nt.addFiles(qt, "stem")
	}
	if gf := n.child("generalfeedback"); gf != nil {
		pl := toPlain(gf.textOf(), gf.attrValue("format"))
		q.Rationale = pl.Text
		nt.add("rationale", pl)
		lines["rationale"] = gf.line
		nt.addFiles(gf, "rationale")
	}
	p.tags(n, q, lines, path, problem)

	// Answers.
	var answers []answer
	for j, a := range n.all("answer") {
		ap := fmt.Sprintf("%s/answer[%d]", path, j+1)
		an := answer{n: a, path: ap, ok: true}
		if f := strings.TrimSpace(a.attrValue("fraction")); f != "" {
			w, err := strconv.ParseFloat(f, 64)
			switch {
			case err != nil || math.IsNaN(w) || math.IsInf(w, 0):
				problem(ap, "answer", "answer %d has the weight %q, which is not a number", j+1, clip(f, 20))
				an.ok = false
			case w < -100-eps || w > 100+eps:
				problem(ap, "answer", "answer %d has the weight %s%%, outside -100%% to 100%%", j+1, clip(f, 20))
				an.ok = false
			default:
				an.weight = w
			}
		}
		if typ == "numerical" {
			an.text = strings.TrimSpace(a.textOf())
		} else {
			label := "option " + optionID(j)
			if typ == "truefalse" {
				label = fmt.Sprintf("answer %d", j+1)
			}
			pl := toPlain(a.textOf(), a.attrValue("format"))
			an.text = pl.Text
			nt.add(label, pl)
			nt.addFiles(a, label)
		}
		if fb := a.child("feedback"); fb != nil {
			pl := toPlain(fb.textOf(), fb.attrValue("format"))
			an.feedback = pl.Text
			nt.add(fmt.Sprintf("feedback of answer %d", j+1), pl)
			nt.addFiles(fb, fmt.Sprintf("feedback of answer %d", j+1))
		}
		answers = append(answers, an)
	}

	var feedback []string // "A: ..." lines for the rationale
	switch typ {
	case "multichoice":
		p.multichoice(n, q, answers, lines, path, problem, warn)
		for j, a := range answers {
			if a.feedback != "" {
				feedback = append(feedback, optionID(j)+": "+a.feedback)
			}
		}
	case "truefalse":
		feedback = p.truefalse(q, answers, lines, path, problem)
	case "numerical":
		feedback = p.numerical(n, q, answers, lines, path, problem, warn)
	}
	if len(feedback) > 0 {
		if q.Rationale != "" {
			q.Rationale += "\n\n"
		}
		q.Rationale += strings.Join(feedback, "\n")
		warn(path, "rationale", "per-answer feedback was added to the rationale as lines \"%s\", since rhitprep shows one rationale after the answer", strings.SplitN(feedback[0], ":", 2)[0]+": …")
	}
	p.lossy(n, path, warn)

	if len(nt.fields) > 0 {
		tags := make([]string, 0, len(nt.tags))
		for t := range nt.tags {
			tags = append(tags, "<"+t+">")
		}
		sort.Strings(tags)
		field := "stem"
		if nt.fields[0] != "stem" {
			field = ""
		}
		warn(path, field, "HTML markup (%s) was stripped from the %s; the text is kept as plain text", listSome(tags), listSome(nt.fields))
	}
	if len(nt.images) == 1 {
		warn(path, "", "the image %s was removed: rhitprep items are text only", nt.images[0])
	} else if len(nt.images) > 1 {
		warn(path, "", "%d images were removed (%s): rhitprep items are text only", len(nt.images), listSome(nt.images))
	}
	var files []string
	for _, f := range nt.files {
		if !nt.shown[f[0]] {
			files = append(files, fmt.Sprintf("%q from the %s", f[0], f[1]))
		}
	}
	if len(files) == 1 {
		warn(path, "", "the embedded file %s was removed: rhitprep items are text only", files[0])
	} else if len(files) > 1 {
		warn(path, "", "%d embedded files were removed (%s): rhitprep items are text only", len(files), listSome(files))
	}
	p.set.Questions = append(p.set.Questions, q)
	p.set.Lines = append(p.set.Lines, lines)
}

// uniqueID keeps ids unique: Moodle names need not be, and a clash is
// resolved with a suffix and a warning rather than a refused upload.
func (p *parser) uniqueID(id string, item int, name string, warn func(string, string, string, ...any), path string) string {
	if id == "" {
		id = fmt.Sprintf("q%d", item)
	}
	base := id
	if p.next == nil {
		p.next = map[string]int{}
	}
	for k := max(p.next[base], 2); p.ids[id] != 0; k++ {
		p.next[base] = k + 1 // so many items of one name stay linear
		suffix := fmt.Sprintf("-%d", k)
		b := base
		if len(b)+len(suffix) > 64 {
			b = strings.TrimRight(b[:64-len(suffix)], "-._:")
		}
		id = b + suffix
	}
	if id != base {
		warn(path, "id", "the name %q gives the id %q, which item %d already has; this item's id is %q", clip(name, 60), base, p.ids[base], id)
	}
	p.ids[id] = item
	return id
}

// tags applies tags that name a topic or an RHIT domain; they are more
// specific than the category, so they win.
func (p *parser) tags(n *node, q *quiz.Question, lines map[string]int, path string, problem func(string, string, string, ...any)) {
	var topics []string
	domains := map[int]bool{}
	for _, tags := range n.all("tags") {
		for _, tag := range tags.all("tag") {
			v := tag.textOf()
			if t, ok := topicOf(v); ok {
				if !slices.Contains(topics, t) {
					topics = append(topics, t)
				}
				q.Topic, lines["topic"] = topics[0], tag.line
			} else if d, ok := domainOf(v); ok && d >= 1 && d <= 6 {
				if len(domains) == 0 {
					q.Domain, lines["domain"] = d, tag.line
				}
				domains[d] = true
			}
		}
	}
	if len(topics) > 1 {
		problem(path+"/tags", "topic", "the tags name more than one topic (%s); keep one", listSome(topics))
	}
	if len(domains) > 1 {
		problem(path+"/tags", "domain", "the tags name more than one RHIT domain; keep one")
	}
}

// multichoice maps Moodle's weights onto a single or select-N key.
func (p *parser) multichoice(n *node, q *quiz.Question, answers []answer, lines map[string]int, path string,
	problem, warn func(string, string, string, ...any)) {
	single := true
	if s := n.child("single"); s != nil {
		switch strings.ToLower(strings.TrimSpace(s.inner())) {
		case "false", "0":
			single = false
		}
	}
	pinned := false
	if s := n.child("shuffleanswers"); s != nil {
		switch strings.ToLower(strings.TrimSpace(s.inner())) {
		case "false", "0":
			pinned = true // keep the file's order: every option stays put
		}
	}
	for j, a := range answers {
		q.Options = append(q.Options, quiz.Option{ID: optionID(j), Text: a.text, Pinned: pinned})
	}
	if len(answers) > 0 {
		lines["options"] = answers[0].n.line
	}
	var full, pos, rest []int
	best := -1
	for j, a := range answers {
		if !a.ok {
			continue
		}
		if best < 0 || a.weight > answers[best].weight {
			best = j
		}
		if a.weight >= 100-eps {
			full = append(full, j)
		}
		if a.weight > eps {
			pos = append(pos, j)
		} else {
			rest = append(rest, j)
		}
	}
	if single {
		q.Type = quiz.Single
		switch {
		case len(answers) == 0:
			return // Check reports the missing options and key
		case len(full) == 0:
			if best >= 0 {
				q.Answer = []string{optionID(best)} // so Check does not add a second "no key"
				lines["answer"] = answers[best].n.line
			}
			problem(path, "answer", "no answer is worth 100%%, so the item has no key")
			return
		case len(full) > 1:
			q.Answer = []string{optionID(full[0])}
			lines["answer"] = answers[full[0]].n.line
			problem(path, "answer", "options %s are each worth 100%%; a one-answer item has exactly one key (use \"multiple answers allowed\" for select-N)", listSome(ids(full)))
			return
		}
		key := full[0]
		q.Answer = []string{optionID(key)}
		lines["answer"] = answers[key].n.line
		var dropped []string
		for j, a := range answers {
			if j == key || !a.ok || math.Abs(a.weight) <= eps {
				continue
			}
			if a.weight > 0 {
				dropped = append(dropped, fmt.Sprintf("partial credit of %s%% for option %s", weight(a.weight), optionID(j)))
			} else {
				dropped = append(dropped, fmt.Sprintf("the penalty of %s%% for option %s", weight(a.weight), optionID(j)))
			}
		}
		if len(dropped) > 0 {
			warn(path, "answer", "%s %s dropped: a one-answer item scores all or nothing, with %s as the key", listSome(dropped), wasWere(len(dropped)), optionID(key))
		}
		return
	}

	if len(pos) == 1 && answers[pos[0]].weight >= 100-eps {
		// One right option among checkboxes is a one-answer item: with the
		// key worth 100%, nothing in Moodle's scoring is lost.
		q.Type = quiz.Single
		q.Answer = []string{optionID(pos[0])}
		lines["answer"] = answers[pos[0]].n.line
		return
	}
	q.Type = quiz.Multiple
	if len(pos) == 0 {
		if len(answers) > 0 {
			q.Answer = []string{optionID(0)} // so Check does not add a second "no key"
			problem(path, "answer", "no answer has a positive weight, so the item has no key")
		}
		return
	}
	for _, j := range pos {
		q.Answer = append(q.Answer, optionID(j))
	}
	lines["answer"] = answers[pos[0]].n.line
	q.PartialCredit = len(pos) > 1
	sum, lo, hi := 0.0, answers[pos[0]].weight, answers[pos[0]].weight
	for _, j := range pos {
		w := answers[j].weight
		sum += w
		lo, hi = math.Min(lo, w), math.Max(hi, w)
	}
	representable := true
	if hi-lo > eps {
		representable = false
		var ws []string
		for _, j := range pos {
			ws = append(ws, fmt.Sprintf("%s %s%%", optionID(j), weight(answers[j].weight)))
		}
		problem(path, "answer", "the correct options carry unequal weights (%s); rhitprep gives every key the same credit, so this weighting cannot be represented", listSome(ws))
	}
	if math.Abs(sum-100) > eps*float64(len(pos)) {
		representable = false
		problem(path, "answer", "the positive weights add up to %s%%, not 100%%; rhitprep cannot score that", weight(sum))
	}
	if !representable {
		return
	}
	// rhitprep takes 1/N off for each wrong choice, as Moodle does when
	// every wrong option weighs -100/N.
	penalty := -100 / float64(len(pos))
	var differ []string
	for _, j := range rest {
		if w := answers[j].weight; math.Abs(w-penalty) > eps {
			differ = append(differ, fmt.Sprintf("%s %s%%", optionID(j), weight(w)))
		}
	}
	if len(differ) > 0 {
		warn(path, "answer", "each wrong choice now costs %s%% (1/%d of the item, as rhitprep scores select-N); the file's weights for %s were replaced", weight(-penalty), len(pos), listSome(differ))
	}
}

// truefalse makes a single with options A "True" and B "False", in that
// order, as Moodle shows them.
func (p *parser) truefalse(q *quiz.Question, answers []answer, lines map[string]int, path string,
	problem func(string, string, string, ...any)) []string {
	q.Type = quiz.Single
	q.Options = []quiz.Option{{ID: "A", Text: "True", Pinned: true}, {ID: "B", Text: "False", Pinned: true}}
	var feedback [2]string
	var keys []string
	for j, a := range answers {
		id := ""
		switch strings.ToLower(strings.TrimSpace(a.text)) {
		case "true":
			id = "A"
		case "false":
			id = "B"
		default:
			problem(a.path, "answer", "answer %d of a true/false question reads %q, not true or false", j+1, clip(a.text, 40))
			continue
		}
		if _, ok := lines["options"]; !ok {
			lines["options"] = a.n.line
		}
		if a.feedback != "" {
			feedback[id[0]-'A'] = id + ": " + a.feedback
		}
		if a.ok && a.weight >= 100-eps {
			keys = append(keys, id)
			lines["answer"] = a.n.line
		}
	}
	switch len(keys) {
	case 1:
		q.Answer = keys
	case 0:
		if len(answers) > 0 {
			q.Answer = []string{"A"} // so Check does not add a second "no key"
			problem(path, "answer", "neither true nor false is worth 100%%, so the item has no key")
		}
	default:
		q.Answer = keys[:1]
		problem(path, "answer", "both true and false are worth 100%%; a true/false item has one key")
	}
	var out []string
	for _, f := range feedback {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// numerical takes the answer worth 100% as the value; rhitprep has one
// value per item, so any other answer is dropped with a warning.
func (p *parser) numerical(n *node, q *quiz.Question, answers []answer, lines map[string]int, path string,
	problem, warn func(string, string, string, ...any)) []string {
	q.Type = quiz.Numeric
	key := -1
	for j, a := range answers {
		if a.ok && a.weight >= 100-eps {
			key = j
			break
		}
	}
	var feedback, dropped []string
	for j, a := range answers {
		if a.feedback != "" {
			feedback = append(feedback, clip(a.text, 40)+": "+a.feedback)
		}
		if j != key {
			dropped = append(dropped, fmt.Sprintf("answer %d (%s, worth %s%%)", j+1, clip(a.text, 40), weight(a.weight)))
		}
	}
	if key < 0 {
		problem(path, "answer", "no answer is worth 100%%, so the item has no value to compare with")
		return feedback
	}
	a := answers[key]
	lines["answer"] = a.n.line
	if a.text == "*" {
		problem(a.path, "answer", "the answer worth 100%% is \"*\", which accepts anything; give the value")
	} else if v, err := strconv.ParseFloat(strings.TrimSpace(a.text), 64); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		problem(a.path, "answer", "the answer worth 100%% must be a number, not %q", clip(a.text, 40))
	} else {
		q.Value = v
	}
	if t := a.n.child("tolerance"); t != nil {
		lines["tolerance"] = t.line
		s := strings.TrimSpace(t.inner())
		if s != "" {
			if v, err := strconv.ParseFloat(s, 64); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				problem(a.path+"/tolerance", "tolerance", "the tolerance must be a number, not %q", clip(s, 40))
			} else {
				q.Tolerance = math.Abs(v)
			}
		}
	}
	if len(dropped) > 0 {
		warn(path, "answer", "rhitprep numeric items have one value, so %s %s dropped; the key is %s", listSome(dropped), wasWere(len(dropped)), clip(a.text, 40))
	}
	var units []string
	for _, u := range n.child("units").all("unit") {
		if name := strings.TrimSpace(u.child("unit_name").inner()); name != "" {
			units = append(units, name)
		}
	}
	if len(units) > 0 {
		warn(path+"/units", "answer", "the units (%s) were dropped: learners enter the number only", clip(strings.Join(units, ", "), 80))
	}
	return feedback
}

// defaultFeedback is Moodle's own combined feedback, dropped without a word.
var defaultFeedback = map[string]bool{
	"":                                  true,
	"your answer is correct.":           true,
	"your answer is partially correct.": true,
	"your answer is incorrect.":         true,
}

// lossy warns about content a question has and rhitprep cannot show.
func (p *parser) lossy(n *node, path string, warn func(string, string, string, ...any)) {
	var combined []string
	for _, name := range []string{"correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"} {
		if c := n.child(name); c != nil {
			t := toPlain(c.textOf(), c.attrValue("format")).Text
			if !defaultFeedback[strings.ToLower(t)] {
				combined = append(combined, name)
			}
		}
	}
	if len(combined) > 0 {
		warn(path, "rationale", "the combined feedback (%s) was dropped: rhitprep shows the rationale instead", strings.Join(combined, ", "))
	}
	if g := n.child("defaultgrade"); g != nil {
		s := strings.TrimSpace(g.inner())
		if v, err := strconv.ParseFloat(s, 64); err == nil && v != 1 {
			warn(path, "", "the question was worth %s marks in Moodle; every rhitprep item counts the same", weight(v))
		}
	}
	hints := 0
	for _, h := range n.all("hint") {
		if h.textOf() != "" {
			hints++
		}
	}
	if hints > 0 {
		warn(path, "", "%d hint(s) for interactive mode were dropped: rhitprep gives no hints", hints)
	}
}

// optionID names option j: A, B, ... Z, then AA, AB (Check limits the count).
func optionID(j int) string {
	s := ""
	for j++; j > 0; j = (j - 1) / 26 {
		s = string(rune('A'+(j-1)%26)) + s
	}
	return s
}

func ids(js []int) []string {
	out := make([]string, len(js))
	for i, j := range js {
		out[i] = optionID(j)
	}
	return out
}

// weight prints a Moodle weight as the file wrote it: 50, 33.33333, -50.
func weight(w float64) string {
	return strconv.FormatFloat(math.Round(w*1e5)/1e5, 'f', -1, 64)
}

// slugify turns a Moodle name into an id: lower case letters, digits and
// single hyphens, at most 64 characters.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if f, ok := fold[r]; ok {
			r = f
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.' || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 64 {
			break
		}
	}
	s := b.String()
	if len(s) > 64 {
		s = s[:64]
	}
	s = strings.TrimLeft(strings.TrimRight(s, "-._"), "._-")
	return s
}

// fold maps accented Latin letters to their base, so "Schéma" is "schema".
var fold = func() map[rune]rune {
	m := map[rune]rune{}
	for base, all := range map[rune]string{'a': "àáâãäåā", 'c': "çćč", 'e': "èéêëēė", 'i': "ìíîïī", 'n': "ñń",
		'o': "òóôõöøō", 'u': "ùúûüū", 'y': "ýÿ", 's': "śš", 'z': "źżž"} {
		for _, r := range all {
			m[r] = base
		}
	}
	return m
}()

// charsetReader lets files declaring Latin-1 or Windows-1252 be read;
// anything else must be UTF-8, as Moodle writes.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "us-ascii", "ascii", "utf8":
		return input, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "windows-1252", "cp1252":
		data, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(data)+len(data)/2)
		for _, c := range data {
			r := rune(c)
			if c >= 0x80 && c < 0xA0 && !strings.HasPrefix(strings.ToLower(label), "iso") && !strings.HasPrefix(strings.ToLower(label), "latin") {
				r = cp1252[c-0x80]
			}
			out = utf8.AppendRune(out, r)
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("the encoding %q is not supported; save the file as UTF-8", clip(label, 40))
}

// listSome names the first few of a list, so one warning stays short.
func listSome(s []string) string {
	const most = 5
	if len(s) <= most {
		return bank.JoinAnd(s)
	}
	return strings.Join(s[:most], ", ") + fmt.Sprintf(" and %d more", len(s)-most)
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

func (p *parser) problem(line, item int, path, field, format string, args ...any) {
	p.rep.Problems = append(p.rep.Problems, quiz.Detail{Line: line, Item: item, Path: path, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) warn(line, item int, path, field, format string, args ...any) {
	p.rep.Warnings = append(p.rep.Warnings, quiz.Detail{Line: line, Item: item, Path: path, Field: field, Message: fmt.Sprintf(format, args...)})
}

// cp1252 maps bytes 0x80-0x9F of Windows-1252; the rest is Latin-1.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}
