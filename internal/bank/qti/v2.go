package qti

import (
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// qti2Spaces are the item namespaces read as QTI 2.x or 3.0. An item with no
// namespace at all is read too: some tools leave it out.
var qti2Spaces = map[string]bool{
	"": true,
	"http://www.imsglobal.org/xsd/imsqti_v2p0":    true,
	"http://www.imsglobal.org/xsd/imsqti_v2p1":    true,
	"http://www.imsglobal.org/xsd/imsqti_v2p2":    true,
	"http://www.imsglobal.org/xsd/imsqtiasi_v3p0": true,
}

// interactionNames say in words what the unsupported interactions are.
var interactionNames = map[string]string{
	"hotspotInteraction":          "hot-spot items",
	"graphicOrderInteraction":     "graphic ordering items",
	"graphicAssociateInteraction": "graphic association items",
	"graphicGapMatchInteraction":  "graphic gap-match (drag and drop) items",
	"orderInteraction":            "ordering items",
	"matchInteraction":            "matching items",
	"associateInteraction":        "association (pairing) items",
	"gapMatchInteraction":         "gap-match (drag and drop) items",
	"inlineChoiceInteraction":     "inline-choice (drop-down) items",
	"extendedTextInteraction":     "extended-text (essay) items",
	"uploadInteraction":           "file-upload items",
	"sliderInteraction":           "slider items",
	"hottextInteraction":          "hot-text items",
	"selectPointInteraction":      "select-point items",
	"positionObjectInteraction":   "position-object items",
	"drawingInteraction":          "drawing items",
	"mediaInteraction":            "media items",
	"customInteraction":           "custom interactions",
	"portableCustomInteraction":   "portable custom interactions",
	"endAttemptInteraction":       "end-attempt interactions",
}

func boolAttr(v string) bool {
	v = strings.TrimSpace(v)
	return v == "true" || v == "1"
}

// qti2Item reads one QTI 2.x or 3.0 assessmentItem (3.0's names have been
// turned into 2.x's by the XML reader).
func (p *parser) qti2Item(entry string, root *node, md *meta) {
	c := p.newItem(entry, root)
	if !qti2Spaces[root.space] {
		c.problem(root, "", "The item's namespace %q is not QTI 2.1, 2.2 or 3.0.", root.space)
		return
	}
	c.setID(root.attr("identifier"), root.attr("title"))
	if t := root.child("templateDeclaration"); t != nil {
		c.skip(t, "items with template variables (randomised values)")
		return
	}
	body := root.child("itemBody")
	if body == nil {
		c.problem(root, "stem", "The item has no itemBody, so it has no question.")
		return
	}
	inters := body.find(func(n *node) bool { return strings.HasSuffix(n.name, "Interaction") })
	switch len(inters) {
	case 0:
		c.skip(body, "items without an interaction (text only)")
		return
	case 1:
	default:
		c.skip(inters[1], "items with more than one interaction")
		return
	}
	it := inters[0]
	if it.name != "choiceInteraction" && it.name != "textEntryInteraction" {
		what := interactionNames[it.name]
		if what == "" {
			what = it.raw + " items"
		}
		c.skip(it, what)
		return
	}
	rid := it.attr("responseIdentifier")
	var decl *node
	for _, d := range root.children("responseDeclaration") {
		if d.attr("identifier") == rid {
			decl = d
			break
		}
	}
	if decl == nil {
		c.problem(it, "answer", "No responseDeclaration has the identifier %q that the interaction uses, so the item has no key.", rid)
		return
	}
	c.at("answer", decl)
	numeric := it.name == "textEntryInteraction"
	if numeric {
		if bt := decl.attr("baseType"); bt != "float" && bt != "integer" {
			c.skip(it, "text-entry items whose answer is text (short answer)")
			return
		}
		if card := decl.attr("cardinality"); card != "" && card != "single" {
			c.skip(decl, "text-entry items with several answers")
			return
		}
	}

	// The stem: the body's text with the prompt where the interaction is.
	var feedback []*node
	stem := &flattener{}
	stem.hook = func(f *flattener, n *node) bool {
		switch n.name {
		case "choiceInteraction":
			if pr := n.child("prompt"); pr != nil {
				f.newline()
				f.kids(pr)
				f.newline()
			}
			return true
		case "textEntryInteraction":
			if inline(n) {
				f.write(" ____ ")
				c.warn(n, "stem", "The answer box inside the text is shown as ____ in the stem.")
			}
			return true
		case "feedbackBlock", "feedbackInline":
			feedback = append(feedback, n)
			return true
		case "rubricBlock":
			c.warn(n, "stem", "A rubric block (guidance for %s) was not imported.", orDefault(n.attr("view"), "a particular audience"))
			return true
		case "include":
			c.warn(n, "stem", "An included file (%s) was not imported.", n.attr("href"))
			return true
		}
		return false
	}
	stem.kids(body)
	c.q.Stem = stem.text()
	c.at("stem", body)
	c.lossy(body, "stem", "stem", stem)
	if ref := root.child("assessmentStimulusRef"); ref != nil {
		p.useStimulus(c, ref)
	}

	if numeric {
		c.q.Type = quiz.Numeric
		c.numeric2(root, decl, rid)
	} else {
		c.choice2(it, decl, &feedback)
	}
	p.apply(c.q, c.locs, md, p.defaults)

	// Feedback: modal feedback and feedback blocks, by choice or labelled.
	feedback = append(root.children("modalFeedback"), feedback...)
	general := 0
	for _, fb := range feedback {
		if _, ok := c.letters[fb.attr("identifier")]; !ok && fb.name != "feedbackInline" {
			general++
		}
	}
	for _, fb := range feedback {
		c.rationaleF.b.Reset()
		c.rationaleF.kids(fb)
		text := c.rationaleF.text()
		id := fb.attr("identifier")
		switch letter, ok := c.letters[id]; {
		case ok:
			c.feedback("option", letter, text, fb)
		case general == 1:
			c.feedback("general", "", text, fb)
		default:
			c.feedback("other", orDefault(strings.TrimSpace(fb.attr("title")), id), text, fb)
		}
	}
	c.finishRationale()
	p.add(c.q, c.item, entry, c.locs)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// inline reports whether an interaction sits inside a sentence, so the
// stem needs a mark where the answer goes.
func inline(n *node) bool {
	if n.parent == nil {
		return false
	}
	for _, k := range n.parent.kids {
		if k != n && (!k.isText || strings.TrimSpace(k.text) != "") {
			return true
		}
	}
	return false
}

// choice2 reads a choiceInteraction: its choices, its key from the
// correct response or the mapping, and partial credit from the mapping.
func (c *itemCtx) choice2(it, decl *node, feedback *[]*node) {
	var choices []choice
	opts := &flattener{}
	inlineFB := map[string][]*node{}
	for _, sc := range it.children("simpleChoice") {
		ident := sc.attr("identifier")
		opts.hook = func(f *flattener, n *node) bool {
			if n.name == "feedbackInline" {
				inlineFB[ident] = append(inlineFB[ident], n)
				return true
			}
			return false
		}
		opts.b.Reset()
		opts.kids(sc)
		choices = append(choices, choice{ident: ident, text: opts.text(), fixed: boolAttr(sc.attr("fixed")), at: sc})
	}
	c.setOptions(choices, it)
	c.lossy(it, "options", "options", opts)
	for _, ch := range choices {
		for _, fb := range inlineFB[ch.ident] {
			// Inline feedback belongs to its choice whatever its identifier.
			fb.setAttr("identifier", ch.ident)
			*feedback = append(*feedback, fb)
		}
	}

	maxChoices := 1
	if v, ok := it.lookup("maxChoices"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			c.problem(it, "type", "maxChoices %q is not a whole number.", v)
		} else {
			maxChoices = n
		}
	}
	card := decl.attr("cardinality")
	multiple := card == "multiple" || card == "ordered"
	switch {
	case card == "":
		multiple = maxChoices != 1
	case card == "single" && maxChoices != 1:
		c.warn(it, "type", "maxChoices is %d but the response has single cardinality; the item was imported as single-answer.", maxChoices)
	case multiple && maxChoices == 1:
		c.warn(it, "type", "maxChoices is 1 but the response has %s cardinality; the item was imported as multiple-answer.", card)
	}
	if bt := decl.attr("baseType"); bt != "" && bt != "identifier" {
		c.problem(decl, "answer", "A choice response has baseType identifier, not %q.", bt)
		return
	}
	c.q.Type = quiz.Single
	if multiple {
		c.q.Type = quiz.Multiple
	}

	order := map[string]int{}
	for i, o := range c.q.Options {
		order[o.ID] = i
	}
	var key []string
	cr := decl.child("correctResponse")
	if cr != nil {
		c.at("answer", cr)
		key = []string{}
		for _, v := range cr.children("value") {
			if id, ok := c.letter(strings.TrimSpace(v.textContent()), v, "correct response"); ok {
				key = append(key, id)
			}
		}
	}
	mapping := decl.child("mapping")
	value := map[string]float64{}
	if mapping != nil {
		def := 0.0
		if s, ok := mapping.lookup("defaultValue"); ok {
			if d, ok := parseNum(s); ok {
				def = d
			} else {
				c.problem(mapping, "answer", "The mapping's defaultValue %q is not a number.", s)
			}
		}
		for _, o := range c.q.Options {
			value[o.ID] = def
		}
		for _, e := range mapping.children("mapEntry") {
			v, ok := parseNum(e.attr("mappedValue"))
			if !ok {
				c.problem(e, "answer", "The mappedValue %q is not a number.", e.attr("mappedValue"))
				continue
			}
			id, ok := c.letters[e.attr("mapKey")]
			if !ok {
				c.warn(e, "answer", "The mapping gives credit to %q, which is not a choice; that entry was ignored.", e.attr("mapKey"))
				continue
			}
			value[id] = v
		}
	}
	if cr == nil && mapping != nil {
		c.at("answer", mapping)
		key = []string{}
		best := 0.0
		for _, o := range c.q.Options {
			if v := value[o.ID]; v > best {
				best = v
			}
		}
		for _, o := range c.q.Options {
			v := value[o.ID]
			if multiple && v > 0 || !multiple && best > 0 && near(v, best) {
				key = append(key, o.ID)
			}
		}
	}
	sort.SliceStable(key, func(i, j int) bool { return order[key[i]] < order[key[j]] })
	if cr == nil && mapping == nil {
		c.problem(decl, "answer", "The responseDeclaration %q has neither a correctResponse nor a mapping, so the item has no key.", decl.attr("identifier"))
		return
	}
	if key == nil {
		return // bank.Check reports the missing key.
	}
	c.q.Answer = key
	if mapping == nil {
		return
	}
	inKey := map[string]bool{}
	for _, k := range key {
		inKey[k] = true
	}
	if !multiple {
		if len(key) != 1 {
			return
		}
		partial := map[string]float64{}
		for _, o := range c.q.Options {
			if !inKey[o.ID] && value[o.ID] > 0 {
				partial[o.ID] = value[o.ID]
			}
		}
		c.partialDropped(mapping, partial, value[key[0]])
		return
	}
	bad := false
	for _, o := range c.q.Options {
		if !inKey[o.ID] && value[o.ID] > 0 {
			bad = true
			c.problem(mapping, "answer", "Option %s earns credit (%s) in the mapping but is not a correct response; rhitprep cannot give credit outside the key.", o.ID, num(value[o.ID]))
		}
	}
	if bad {
		return
	}
	c.weights(key, value, mapping)
	if !c.q.PartialCredit {
		return
	}
	w := value[key[0]]
	var differ []string
	for _, o := range c.q.Options {
		if !inKey[o.ID] && !near(value[o.ID], -w) {
			differ = append(differ, o.ID+" "+num(value[o.ID]))
		}
	}
	if len(differ) > 0 {
		c.warn(mapping, "partial_credit", "rhitprep's partial credit takes one key's share (%s) off for each wrong choice; the mapping scores wrong choices differently (%s), so scores will differ.", num(w), list(differ))
	}
}

// numeric2 reads a textEntryInteraction with a numeric response: the value
// from the correct response or the mapping, the tolerance from the
// response processing's equal or equalRounded.
func (c *itemCtx) numeric2(root, decl *node, rid string) {
	var acc []interval
	key := math.NaN()
	cr := decl.child("correctResponse")
	if cr != nil {
		c.at("answer", cr)
		for i, v := range cr.children("value") {
			f, ok := parseNum(v.textContent())
			if !ok {
				c.problem(v, "answer", "The correct response %q is not a number.", strings.TrimSpace(v.textContent()))
				continue
			}
			if i == 0 {
				key = f
			}
			acc = append(acc, interval{f, f, true, f})
		}
	}
	if mapping := decl.child("mapping"); mapping != nil {
		type entry struct {
			v, credit float64
			at        *node
		}
		var es []entry
		full := math.Inf(-1)
		for _, e := range mapping.children("mapEntry") {
			v, ok1 := parseNum(e.attr("mapKey"))
			m, ok2 := parseNum(e.attr("mappedValue"))
			if !ok1 || !ok2 {
				c.problem(e, "answer", "The mapping entry %q → %q is not a pair of numbers.", e.attr("mapKey"), e.attr("mappedValue"))
				continue
			}
			es = append(es, entry{v, m, e})
			if !math.IsNaN(key) && v == key || math.IsNaN(key) && m > full {
				full = m
			}
		}
		if cr == nil {
			c.at("answer", mapping)
		}
		if math.IsInf(full, -1) {
			full = 0
			for _, e := range es {
				full = math.Max(full, e.credit)
			}
		}
		partial := map[string]float64{}
		for _, e := range es {
			switch {
			case e.v == key:
			case e.credit > 0 && e.credit >= full:
				acc = append(acc, interval{e.v, e.v, true, e.v})
			case e.credit > 0:
				partial[num(e.v)] = e.credit
			}
		}
		for _, k := range sortedKeys(partial) {
			c.warn(mapping, "answer", "Partial credit for the answer %s (%s of %s) was dropped: rhitprep scores a numeric answer right or wrong.", k, num(partial[k]), num(full))
		}
	}
	t0, t1, at := c.tolerance(root, rid, acc)
	for i := range acc {
		acc[i].lo -= t0
		acc[i].hi += t1
	}
	if at != nil {
		c.at("tolerance", at)
	}
	if !c.settleNumeric(acc, decl) {
		return
	}
	if c.q.Tolerance == 0 && decl.attr("baseType") == "float" {
		c.warn(decl, "tolerance", "The item gives no tolerance, so only exactly %s is accepted; add one if learners may round.", num(c.q.Value))
	}
}

func sortedKeys(m map[string]float64) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// tolerance finds how response processing compares the numeric response:
// equal with an absolute or relative tolerance, or equalRounded.
func (c *itemCtx) tolerance(root *node, rid string, acc []interval) (float64, float64, *node) {
	rp := root.child("responseProcessing")
	value := 0.0
	if len(acc) > 0 {
		value = math.Abs(acc[0].v)
	}
	for _, e := range rp.find(named("equal", "equalRounded")) {
		uses := false
		for _, v := range e.find(named("variable", "correct")) {
			if v.attr("identifier") == rid {
				uses = true
			}
		}
		if !uses {
			continue
		}
		if e.name == "equalRounded" {
			figures, err := strconv.Atoi(strings.TrimSpace(e.attr("figures")))
			if err != nil || figures < 0 || figures > 15 {
				c.problem(e, "tolerance", "equalRounded needs a number of figures, not %q.", e.attr("figures"))
				return 0, 0, e
			}
			var t float64
			mode := orDefault(e.attr("roundingMode"), "significantFigures")
			if mode == "decimalPlaces" {
				t = 0.5 * math.Pow(10, -float64(figures))
			} else {
				if value == 0 || figures == 0 {
					return 0, 0, e
				}
				exp := math.Floor(math.Log10(value))
				t = 0.5 * math.Pow(10, exp-float64(figures)+1)
			}
			t = round12(t)
			c.warn(e, "tolerance", "The item accepts answers that round to the key at %d %s; this became a tolerance of ± %s.", figures, map[bool]string{true: "decimal places", false: "significant figures"}[mode == "decimalPlaces"], num(t))
			return t, t, e
		}
		mode := orDefault(e.attr("toleranceMode"), "exact")
		if mode == "exact" {
			return 0, 0, e
		}
		parts := strings.Fields(e.attr("tolerance"))
		if len(parts) == 0 || len(parts) > 2 {
			c.problem(e, "tolerance", "The tolerance %q is not one or two numbers.", e.attr("tolerance"))
			return 0, 0, e
		}
		t0, ok0 := parseNum(parts[0])
		t1, ok1 := t0, true
		if len(parts) == 2 {
			t1, ok1 = parseNum(parts[1])
		}
		if !ok0 || !ok1 || t0 < 0 || t1 < 0 {
			c.problem(e, "tolerance", "The tolerance %q is not one or two numbers of at least 0.", e.attr("tolerance"))
			return 0, 0, e
		}
		if mode == "relative" {
			r0, r1 := round12(value*t0/100), round12(value*t1/100)
			c.warn(e, "tolerance", "The relative tolerance of %s%% was turned into an absolute tolerance (± %s) around the key.", strings.Join(parts, "% / "), num(math.Max(r0, r1)))
			return r0, r1, e
		}
		return t0, t1, e
	}
	return 0, 0, nil
}

// stimulus is a shared passage (QTI 3.0 assessmentStimulus) read once.
type stimulus struct {
	id, text string
	f        *flattener
	ok       bool
}

// useStimulus makes the shared stimulus an item refers to its scenario,
// which is how rhitprep shows a passage shared by several items.
func (p *parser) useStimulus(c *itemCtx, ref *node) {
	href := ref.attr("href")
	if p.bare || href == "" {
		c.warn(ref, "stem", "The item uses the shared stimulus %q, which is not in this file; upload the whole package to import it.", orDefault(ref.attr("identifier"), href))
		return
	}
	name, ok := p.resolve(c.entry, ref, path.Dir(c.entry), href)
	if !ok {
		return
	}
	st := p.stimuli[name]
	if st == nil {
		st = &stimulus{id: slug(ref.attr("identifier")), f: &flattener{}}
		p.stimuli[name] = st
		if data, ok := p.readFile(name, c.entry, ref); ok {
			if doc := p.parseEntry(name, data); doc != nil {
				if doc.name != "assessmentStimulus" {
					p.problem(name, doc, c.item, "stem", "The stimulus file's root element is <%s>, not qti-assessment-stimulus.", doc.raw)
				} else {
					st.f.kids(doc.child("stimulusBody"))
					st.text, st.ok = st.f.text(), true
					if id := slug(doc.attr("identifier")); id != "" {
						st.id = id
					}
				}
			}
		}
	}
	if !st.ok {
		return
	}
	c.q.Scenario, c.q.ScenarioID = st.text, st.id
	c.at("scenario", ref)
	c.lossy(ref, "scenario", "shared stimulus", st.f)
}
