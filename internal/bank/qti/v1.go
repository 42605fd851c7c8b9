package qti

import (
	"math"
	"regexp"
	"strings"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// canvasSkips names the Canvas question types rhitprep cannot take.
var canvasSkips = map[string]string{
	"essay_question":                   "essay questions",
	"matching_question":                "matching questions",
	"short_answer_question":            "short-answer (fill in the blank) questions",
	"fill_in_multiple_blanks_question": "fill-in-multiple-blanks questions",
	"multiple_dropdowns_question":      "multiple-dropdown questions",
	"file_upload_question":             "file-upload questions",
	"text_only_question":               "text-only items (they ask no question)",
	"calculated_question":              "formula (calculated) questions",
	"missing_word_question":            "missing-word questions",
}

// ccProfiles maps Common Cartridge's item profiles (Canvas's course
// exports) to the Canvas question types they are.
var ccProfiles = map[string]string{
	"cc.multiple_choice.v0p1":   "multiple_choice_question",
	"cc.multiple_response.v0p1": "multiple_answers_question",
	"cc.true_false.v0p1":        "true_false_question",
	"cc.fib.v0p1":               "short_answer_question",
	"cc.pattern_match.v0p1":     "short_answer_question",
	"cc.essay.v0p1":             "essay_question",
}

// metaLabels are the qtimetadata fields whose entries may name a topic or
// an RHIT domain.
var metaLabels = map[string]bool{
	"topic": true, "domain": true, "keyword": true, "keywords": true, "qmd_keywords": true,
	"qmd_topic": true, "category": true, "qmd_category": true,
}

// qti1 reads a QTI 1.2 questestinterop file: Canvas's quiz exports, and
// question banks, in document order.
func (p *parser) qti1(entry string, root *node, md *meta) {
	var walk func(n *node, inherited *meta)
	walk = func(n *node, inherited *meta) {
		for _, k := range n.children("") {
			switch k.name {
			case "assessment", "section", "objectbank":
				if k.name == "assessment" {
					if t := strings.TrimSpace(k.attr("title")); t != "" {
						p.titles = append(p.titles, t)
					}
				}
				m := inherited
				if qm := k.child("qtimetadata"); qm != nil {
					if mm := p.fieldMeta(entry, qm.children("qtimetadatafield"), p.items+1); !mm.empty() {
						m = &mm
					}
				}
				walk(k, m)
			case "item":
				p.qti1Item(entry, k, inherited, md)
			case "selection_ordering":
				// Canvas question groups: drawn from a bank elsewhere, or N
				// at random from the items in the group.
				refs := k.find(named("sourcebank_ref"))
				for _, r := range refs {
					p.warn(entry, r, 0, "", "A question group draws its questions from a question bank (%s) that is not in this file; those questions were not imported.", tidy(r.textContent()))
				}
				if sn := k.find(named("selection_number")); len(refs) == 0 && len(sn) > 0 {
					p.warn(entry, sn[0], 0, "", "A question group draws %s of its questions at random; rhitprep imported all of them as ordinary questions.", tidy(sn[0].textContent()))
				}
			case "itemref", "sectionref":
				p.warn(entry, k, 0, "", "The %s to %q was not followed: only items written out in this file are imported.", k.raw, k.attr("linkrefid"))
			}
		}
	}
	walk(root, nil)
}

func (m *meta) empty() bool { return m.topic == "" && m.domain == 0 && m.difficulty == "" }

// fieldMeta reads topic and domain keywords from qtimetadata fields.
func (p *parser) fieldMeta(entry string, fields []*node, item int) meta {
	c := p.newCollector(entry, item)
	for _, f := range fields {
		label := strings.ToLower(tidy(f.child("fieldlabel").textContent()))
		if e := f.child("fieldentry"); e != nil && metaLabels[label] {
			c.keyword(e.textContent(), e)
		}
	}
	return c.done()
}

var htmlish = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9]*(\s[^>]*)?/?>`)

// matHook flattens QTI 1.2 material: mattext as HTML or plain text by its
// texttype, images reported, response elements left out of the stem.
func matHook(f *flattener, n *node) bool {
	switch n.name {
	case "mattext", "matemtext":
		s := n.textContent()
		tt := strings.ToLower(strings.TrimSpace(n.attr("texttype")))
		if tt == "text/html" || tt == "" && htmlish.MatchString(s) {
			f.kids(parseHTML(s, n.line))
			return true
		}
		for i, line := range strings.Split(s, "\n") {
			if i > 0 {
				f.newline()
			}
			f.write(line)
		}
		return true
	case "matbreak":
		f.newline()
		return true
	case "matimage", "mataudio", "matvideo", "matapplet", "matapplication":
		f.images = append(f.images, orDefault(n.attr("uri"), n.raw))
		if l := strings.TrimSpace(n.attr("label")); l != "" {
			f.write(" [image: " + l + "] ")
		}
		return true
	case "altmaterial", "qticomment", "itemmetadata", "duration", "objectives", "rubric":
		return true
	case "mat_extension":
		f.drop("mat_extension")
		return true
	case "material", "solutionmaterial", "hintmaterial", "presentation", "itemfeedback", "solution", "hint":
		f.kids(n)
		return true
	case "flow", "flow_mat", "flow_label":
		f.newline()
		f.kids(n)
		f.newline()
		return true
	}
	return strings.HasPrefix(n.name, "response_") || strings.HasPrefix(n.name, "render_")
}

// qti1Item reads one QTI 1.2 item.
func (p *parser) qti1Item(entry string, it *node, section, resource *meta) {
	c := p.newItem(entry, it)
	c.setID(it.attr("ident"), it.attr("title"))
	var fields []*node
	labels := map[string]*node{}
	for _, f := range it.child("itemmetadata").find(named("qtimetadatafield")) {
		fields = append(fields, f)
		label := strings.ToLower(tidy(f.child("fieldlabel").textContent()))
		if e := f.child("fieldentry"); e != nil && labels[label] == nil {
			labels[label] = e
		}
	}
	qtype := strings.TrimSpace(labels["question_type"].textContent())
	c.at("type", labels["question_type"])
	if qtype == "" {
		if pr := strings.TrimSpace(labels["cc_profile"].textContent()); pr != "" {
			qtype = ccProfiles[pr]
			if qtype == "" {
				qtype = pr
			}
			c.at("type", labels["cc_profile"])
		}
	}
	pres := it.child("presentation")
	if pres == nil {
		if qtype == "text_only_question" {
			c.skip(it, canvasSkips[qtype])
			return
		}
		c.problem(it, "stem", "The item has no presentation, so it has no question.")
		return
	}
	responses := pres.find(func(n *node) bool { return strings.HasPrefix(n.name, "response_") && n.name != "response_label" })
	if qtype == "" {
		switch {
		case len(responses) == 0:
			c.skip(pres, "items without a response (text only)")
			return
		case len(responses) > 1:
			c.skip(responses[1], "items with more than one response")
			return
		}
		r := responses[0]
		switch r.name {
		case "response_lid":
			qtype = "multiple_choice_question"
			if strings.EqualFold(r.attr("rcardinality"), "Multiple") {
				qtype = "multiple_answers_question"
			}
		case "response_num":
			qtype = "numerical_question"
		case "response_str":
			fib := r.find(named("render_fib"))
			if len(fib) > 0 && (strings.EqualFold(fib[0].attr("fibtype"), "Decimal") || strings.EqualFold(fib[0].attr("fibtype"), "Integer") || strings.EqualFold(fib[0].attr("fibtype"), "Scientific")) {
				qtype = "numerical_question"
			} else {
				c.skip(r, "short-answer (fill in the blank) questions")
				return
			}
		default:
			c.skip(r, r.raw+" responses")
			return
		}
	}
	switch qtype {
	case "multiple_choice_question", "true_false_question":
		c.q.Type = quiz.Single
	case "multiple_answers_question":
		c.q.Type = quiz.Multiple
	case "numerical_question":
		c.q.Type = quiz.Numeric
	default:
		what := canvasSkips[qtype]
		if what == "" {
			what = "questions of type " + qtype
		}
		c.skip(labels["question_type"], what)
		return
	}
	var resp *node
	for _, r := range responses {
		if c.q.Type == quiz.Numeric && (r.name == "response_str" || r.name == "response_num") || c.q.Type != quiz.Numeric && r.name == "response_lid" {
			if resp != nil {
				c.skip(r, "items with more than one response")
				return
			}
			resp = r
		}
	}
	if resp == nil {
		want := "response_lid"
		if c.q.Type == quiz.Numeric {
			want = "response_str"
		}
		c.problem(pres, "options", "A %s has no <%s> to answer in.", qtype, want)
		return
	}

	stem := &flattener{hook: matHook}
	stem.kids(pres)
	c.q.Stem = stem.text()
	c.at("stem", pres)
	c.lossy(pres, "stem", "stem", stem)

	ok := true
	if c.q.Type == quiz.Numeric {
		ok = c.numeric1(it, resp)
	} else {
		ok = c.choice1(it, resp)
	}
	if !ok {
		return
	}
	item := p.fieldMeta(entry, fields, c.item)
	p.apply(c.q, c.locs, &item, section, resource, p.defaults)

	// Canvas names its feedback: general_fb, correct_fb,
	// general_incorrect_fb and <answer id>_fb.
	fbs := it.children("itemfeedback")
	for _, fb := range fbs {
		c.rationaleF.b.Reset()
		c.rationaleF.hook = matHook
		c.rationaleF.kids(fb)
		text := c.rationaleF.text()
		ident := fb.attr("ident")
		letter, isOption := c.letters[strings.TrimSuffix(ident, "_fb")]
		switch {
		case ident == "general_fb" || len(fbs) == 1 && !isOption:
			c.feedback("general", "", text, fb)
		case ident == "correct_fb":
			c.feedback("other", "Correct", text, fb)
		case ident == "general_incorrect_fb":
			c.feedback("other", "Incorrect", text, fb)
		case isOption && c.q.Type != quiz.Numeric:
			c.feedback("option", letter, text, fb)
		default:
			c.feedback("other", ident, text, fb)
		}
	}
	c.finishRationale()
	p.add(c.q, c.item, entry, c.locs)
}

// scoring is one respcondition that sets the score.
type scoring struct {
	cond   *node
	action string
	value  float64
	at     *node
}

// scorings reads the respconditions that change the item's score, and the
// score that is full credit (decvar maxvalue, else the best one found).
func (c *itemCtx) scorings(it *node) ([]scoring, float64, *node, bool) {
	var out []scoring
	varname, full := "SCORE", 0.0
	var rpAt *node
	for _, rp := range it.children("resprocessing") {
		if rpAt == nil {
			rpAt = rp
		}
		if dv := rp.child("outcomes").child("decvar"); dv != nil {
			if v := strings.TrimSpace(dv.attr("varname")); v != "" {
				varname = v
			}
			if s, ok := dv.lookup("maxvalue"); ok {
				if m, ok := parseNum(s); ok && m > 0 {
					full = m
				}
			}
		}
		for _, rc := range rp.children("respcondition") {
			cv := rc.child("conditionvar")
			for _, sv := range rc.children("setvar") {
				if v := strings.TrimSpace(sv.attr("varname")); v != "" && v != varname {
					continue
				}
				value, ok := parseNum(sv.textContent())
				if !ok {
					c.problem(sv, "answer", "The score %q is not a number.", strings.TrimSpace(sv.textContent()))
					return nil, 0, rpAt, false
				}
				action := strings.ToLower(orDefault(strings.TrimSpace(sv.attr("action")), "Set"))
				switch action {
				case "set", "add":
				case "subtract":
					action, value = "add", -value
				default:
					c.problem(sv, "answer", "The score is changed with action %q, which rhitprep cannot follow.", sv.attr("action"))
					return nil, 0, rpAt, false
				}
				if cv != nil {
					out = append(out, scoring{cv, action, value, rc})
				}
			}
		}
	}
	if rpAt == nil {
		c.problem(it, "answer", "The item has no resprocessing, so it has no key.")
		return nil, 0, nil, false
	}
	c.at("answer", rpAt)
	return out, full, rpAt, true
}

// alt is one way a choice condition is met: these chosen, those not.
type alt struct{ pos, neg []string }

const maxAlts = 256

// dnf reads a condition on a choice response into the ways it can be met.
// other is true for <other/>, the "otherwise" branch; bad is an element
// rhitprep cannot read.
func dnf(n *node, single bool) (alts []alt, other bool, bad *node) {
	switch n.name {
	case "varequal":
		return []alt{{pos: []string{strings.TrimSpace(n.textContent())}}}, false, nil
	case "not":
		kids := n.children("")
		if len(kids) == 1 && kids[0].name == "varequal" {
			return []alt{{neg: []string{strings.TrimSpace(kids[0].textContent())}}}, false, nil
		}
		return nil, false, n
	case "other", "unanswered":
		return nil, true, nil
	case "or":
		for _, k := range n.children("") {
			a, o, b := dnf(k, single)
			if b != nil {
				return nil, false, b
			}
			alts, other = append(alts, a...), other || o
			if len(alts) > maxAlts {
				return nil, false, n
			}
		}
		return alts, other, nil
	case "and", "conditionvar":
		kids := n.children("")
		if n.name == "conditionvar" && single && len(kids) > 1 {
			all := true
			for _, k := range kids {
				all = all && k.name == "varequal"
			}
			if all { // a single response cannot equal two choices: Canvas means "or"
				return dnf(&node{name: "or", kids: kids}, single)
			}
		}
		result := []alt{{}}
		used := false
		for _, k := range kids {
			a, o, b := dnf(k, single)
			if b != nil {
				return nil, false, b
			}
			if o {
				other = true
				continue
			}
			used = true
			if len(a) == 1 {
				// One way through: extend every alternative in place
				// (each owns its slices), so a long <and> stays linear.
				for i := range result {
					result[i].pos = append(result[i].pos, a[0].pos...)
					result[i].neg = append(result[i].neg, a[0].neg...)
				}
				continue
			}
			if len(result)*len(a) > maxAlts {
				return nil, false, n
			}
			var next []alt
			for _, r := range result {
				for _, x := range a {
					next = append(next, alt{append(append([]string{}, r.pos...), x.pos...), append(append([]string{}, r.neg...), x.neg...)})
				}
			}
			result = next
		}
		if !used {
			return nil, other, nil
		}
		return result, other, nil
	}
	return nil, false, n
}

// choice1 reads a response_lid: its labels as options, and the key from the
// respconditions that set the score.
func (c *itemCtx) choice1(it, resp *node) bool {
	shuffle := false
	for _, rc := range resp.find(named("render_choice")) {
		shuffle = shuffle || strings.EqualFold(rc.attr("shuffle"), "Yes")
	}
	opts := &flattener{hook: matHook}
	var choices []choice
	for _, l := range resp.find(named("response_label")) {
		opts.b.Reset()
		opts.kids(l)
		choices = append(choices, choice{ident: l.attr("ident"), text: opts.text(), fixed: shuffle && strings.EqualFold(l.attr("rshuffle"), "No"), at: l})
	}
	c.setOptions(choices, resp)
	c.lossy(resp, "options", "options", opts)

	scs, full, rpAt, ok := c.scorings(it)
	if !ok {
		return false
	}
	single := c.q.Type == quiz.Single
	credit := map[string]float64{}
	type combo struct {
		key   []string
		value float64
		at    *node
	}
	var combos []combo
	best, adds := 0.0, 0.0
	var keyAt *node
	for _, s := range scs {
		alts, _, bad := dnf(s.cond, single)
		if bad != nil {
			c.problem(bad, "answer", "The response processing uses <%s> in a way rhitprep cannot read, so the key cannot be found.", bad.raw)
			return false
		}
		for _, a := range alts {
			var pos []string
			for _, ident := range a.pos {
				if id, ok := c.letter(ident, s.at, "scored choice"); ok {
					pos = append(pos, id)
				}
			}
			for _, ident := range a.neg {
				if _, ok := c.letter(ident, s.at, "scored choice"); !ok {
					return false
				}
			}
			if len(pos) != len(a.pos) {
				return false
			}
			simple := len(pos) == 1 && (single || len(a.neg) == 0)
			switch {
			case s.action == "add" && simple:
				credit[pos[0]] += s.value
				adds += math.Max(s.value, 0)
			case s.action == "add":
				c.problem(s.at, "answer", "The score is added for a combination of choices, which rhitprep cannot represent.")
				return false
			case s.value <= 0:
			case simple:
				if keyAt == nil || s.value > best {
					keyAt = s.at
				}
				credit[pos[0]] = math.Max(credit[pos[0]], s.value)
				best = math.Max(best, s.value)
			case single:
				c.problem(s.at, "answer", "A single-answer item gives credit for choosing several options together.")
				return false
			default:
				combos = append(combos, combo{pos, s.value, s.at})
				best = math.Max(best, s.value)
			}
		}
	}
	if best == 0 && adds == 0 {
		full = 0
	} else if full == 0 {
		full = math.Max(best, adds)
	}
	if full == 0 {
		c.problem(rpAt, "answer", "No respcondition gives credit for a choice, so the item has no key.")
		return true
	}
	order := map[string]int{}
	for i, o := range c.q.Options {
		order[o.ID] = i
	}
	inOrder := func(ids []string) []string {
		in := map[string]bool{}
		for _, id := range ids {
			in[id] = true
		}
		var out []string
		for _, o := range c.q.Options {
			if in[o.ID] {
				out = append(out, o.ID)
			}
		}
		return out
	}
	if single {
		var key []string
		partial := map[string]float64{}
		for _, o := range c.q.Options {
			switch v := credit[o.ID]; {
			case v >= full || near(v, full):
				key = append(key, o.ID)
			case v > 0:
				partial[o.ID] = v
			}
		}
		if len(key) == 0 {
			c.problem(rpAt, "answer", "No choice earns full credit (%s); the best earns %s.", num(full), num(best))
			return false
		}
		if keyAt != nil {
			c.at("answer", keyAt)
		}
		c.q.Answer = key
		c.partialDropped(rpAt, partial, full)
		return true
	}
	var fulls []combo
	for _, cb := range combos {
		if cb.value >= full || near(cb.value, full) {
			fulls = append(fulls, cb)
		} else {
			c.warn(cb.at, "answer", "Partial credit (%s of %s) for choosing %s together was dropped: the item is scored on its one key.", num(cb.value), num(full), list(inOrder(cb.key)))
		}
	}
	switch {
	case len(fulls) > 1:
		c.problem(fulls[1].at, "answer", "Several different combinations of choices earn full credit; rhitprep has one key.")
		return false
	case len(fulls) == 1:
		c.at("answer", fulls[0].at)
		c.q.Answer = inOrder(fulls[0].key)
		if len(credit) > 0 {
			c.warn(rpAt, "answer", "Credit given for single choices beside the full-credit combination was dropped: the item is scored all or nothing.")
		}
		return true
	}
	var key []string
	for _, o := range c.q.Options {
		if credit[o.ID] > 0 {
			key = append(key, o.ID)
		}
	}
	c.weights(key, credit, rpAt)
	if c.q.PartialCredit {
		w := credit[key[0]]
		var differ []string
		inKey := map[string]bool{}
		for _, k := range key {
			inKey[k] = true
		}
		for _, o := range c.q.Options {
			if !inKey[o.ID] && !near(credit[o.ID], -w) {
				differ = append(differ, o.ID+" "+num(credit[o.ID]))
			}
		}
		if len(differ) > 0 {
			c.warn(rpAt, "partial_credit", "rhitprep's partial credit takes one key's share (%s) off for each wrong choice; the package scores wrong choices differently (%s), so scores will differ.", num(w), list(differ))
		}
	}
	return true
}

// ranges reads a numeric condition into the ranges it accepts.
func ranges(n *node) (acc []interval, other bool, bad *node) {
	val := func() (float64, bool) { return parseNum(n.textContent()) }
	switch n.name {
	case "varequal", "vargte", "vargt", "varlte", "varlt":
		v, ok := val()
		if !ok {
			return nil, false, n
		}
		switch n.name {
		case "varequal":
			return []interval{{v, v, true, v}}, false, nil
		case "vargte", "vargt":
			return []interval{{v, math.Inf(1), false, 0}}, false, nil
		}
		return []interval{{math.Inf(-1), v, false, 0}}, false, nil
	case "other", "unanswered":
		return nil, true, nil
	case "or":
		for _, k := range n.children("") {
			a, o, b := ranges(k)
			if b != nil {
				return nil, false, b
			}
			acc, other = append(acc, a...), other || o
			if len(acc) > maxAlts {
				return nil, false, n
			}
		}
		return acc, other, nil
	case "and", "conditionvar":
		kids := n.children("")
		if n.name == "conditionvar" && len(kids) > 1 {
			all := true
			for _, k := range kids {
				all = all && k.name == "varequal"
			}
			if all {
				return ranges(&node{name: "or", kids: kids})
			}
		}
		result := []interval{{math.Inf(-1), math.Inf(1), false, 0}}
		used := false
		for _, k := range kids {
			a, o, b := ranges(k)
			if b != nil {
				return nil, false, b
			}
			if o {
				other = true
				continue
			}
			used = true
			if len(result)*len(a) > maxAlts*maxAlts {
				return nil, false, n
			}
			var next []interval
			for _, r := range result {
				for _, x := range a {
					lo, hi := math.Max(r.lo, x.lo), math.Min(r.hi, x.hi)
					if lo > hi {
						continue
					}
					in := interval{lo: lo, hi: hi}
					if r.point || x.point {
						in.point, in.v = true, lo
					}
					next = append(next, in)
				}
			}
			if len(next) > maxAlts {
				return nil, false, n
			}
			result = next
		}
		if !used {
			return nil, other, nil
		}
		return result, other, nil
	}
	return nil, false, n
}

// numeric1 reads a numerical question: the accepted values and ranges of
// the respconditions that give full credit.
func (c *itemCtx) numeric1(it, resp *node) bool {
	c.at("options", resp)
	scs, full, rpAt, ok := c.scorings(it)
	if !ok {
		return false
	}
	if full == 0 {
		for _, s := range scs {
			full = math.Max(full, s.value)
		}
	}
	var acc []interval
	var keyAt *node
	for _, s := range scs {
		rs, _, bad := ranges(s.cond)
		if bad != nil {
			c.problem(bad, "answer", "The response processing uses <%s> in a way rhitprep cannot read, so the numeric answer cannot be found.", bad.raw)
			return false
		}
		switch {
		case len(rs) == 0 || s.value <= 0:
		case s.value >= full || near(s.value, full):
			acc = append(acc, rs...)
			if keyAt == nil {
				keyAt = s.at
			}
		default:
			var parts []string
			for _, r := range rs {
				parts = append(parts, describe(r))
			}
			c.warn(s.at, "answer", "Partial credit (%s of %s) for the answer %s was dropped: rhitprep scores a numeric answer right or wrong.", num(s.value), num(full), list(parts))
		}
	}
	if keyAt != nil {
		c.at("answer", keyAt)
		c.at("tolerance", keyAt)
	}
	if !c.settleNumeric(acc, orNode(keyAt, rpAt)) {
		return false
	}
	integer := false
	for _, f := range resp.find(named("render_fib")) {
		integer = strings.EqualFold(f.attr("fibtype"), "Integer")
	}
	if c.q.Tolerance == 0 && !integer {
		c.warn(orNode(keyAt, rpAt), "tolerance", "The item gives no margin, so only exactly %s is accepted; add a tolerance if learners may round.", num(c.q.Value))
	}
	return true
}

func orNode(a, b *node) *node {
	if a != nil {
		return a
	}
	return b
}
