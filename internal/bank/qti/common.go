package qti

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// optionID is the rhitprep id of the i-th choice (from 0): A, B, ... Z, AA, ...
func optionID(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	if i < 26*27 {
		return string(rune('A'+i/26-1)) + string(rune('A'+i%26))
	}
	return "O" + strconv.Itoa(i+1)
}

// choice is one answer choice as the package gives it.
type choice struct {
	ident string
	text  string
	fixed bool
	at    *node
}

// itemCtx gathers one item's question, where its fields came from and the
// helpers that report on it.
type itemCtx struct {
	p     *parser
	entry string
	item  int
	root  *node
	q     *quiz.Question
	locs  map[string]loc
	// letters maps a package choice identifier to its option id.
	letters map[string]string
	// feedback collects per-option and other feedback for the rationale.
	general    []string
	perOption  []string
	optionFB   []string
	otherFB    []string
	feedbackAt *node
	rationaleF flattener
}

func (p *parser) newItem(entry string, root *node) *itemCtx {
	c := &itemCtx{p: p, entry: entry, item: p.nextItem(), root: root, q: &quiz.Question{Line: root.line}, locs: map[string]loc{}, letters: map[string]string{}}
	c.at("id", root)
	return c
}

func (c *itemCtx) at(field string, n *node) {
	if n != nil {
		c.locs[field] = loc{c.entry, n}
	}
}

func (c *itemCtx) problem(n *node, field, format string, args ...any) {
	c.p.problem(c.entry, n, c.item, field, format, args...)
}

func (c *itemCtx) warn(n *node, field, format string, args ...any) {
	c.p.warn(c.entry, n, c.item, field, format, args...)
}

// skip reports an item rhitprep cannot take; the item is not imported.
func (c *itemCtx) skip(n *node, what string) {
	if n == nil {
		n = c.root
	}
	c.warn(n, "type", "Skipped: %s are not supported.", what)
}

// lossy warns about what flattening removed from a field.
func (c *itemCtx) lossy(n *node, field, name string, f *flattener) {
	if msg := f.loss(name); msg != "" {
		c.warn(n, field, "%s", msg)
	}
}

// setID gives the question an id from the package's identifier, else its
// title, else its place, saying so when the id had to change.
func (c *itemCtx) setID(ident, title string) {
	raw := strings.TrimSpace(ident)
	if raw == "" {
		raw = strings.TrimSpace(title)
	}
	id := slug(raw)
	if id == "" {
		id = "q" + strconv.Itoa(c.item)
		if raw != "" {
			c.warn(c.root, "id", "The identifier %q has no letters or digits to make an id from; the item is %s.", raw, id)
		}
	} else if id != raw {
		c.warn(c.root, "id", "The identifier %q was made into the id %q (ids use letters, digits, '.', '_', ':' and '-', at most 64).", raw, id)
	}
	c.q.ID = id
}

// setOptions makes the choices rhitprep options. rhitprep pins only a
// trailing run of options (bank.Check requires pinned options after all
// unpinned ones), so a fixed choice elsewhere is unpinned with a warning.
func (c *itemCtx) setOptions(choices []choice, at *node) {
	c.at("options", at)
	trail := len(choices)
	for trail > 0 && choices[trail-1].fixed {
		trail--
	}
	for i, ch := range choices {
		id := optionID(i)
		if _, dup := c.letters[ch.ident]; dup {
			c.problem(ch.at, "options.id", "The choice identifier %q is used twice.", ch.ident)
		} else {
			c.letters[ch.ident] = id
		}
		pinned := ch.fixed && i >= trail
		if ch.fixed && !pinned {
			c.warn(ch.at, "options.pinned", "Option %s is fixed in place in the package, but rhitprep keeps only the last options in place; it will be shuffled with the others.", id)
		}
		c.q.Options = append(c.q.Options, quiz.Option{ID: id, Text: ch.text, Pinned: pinned})
	}
}

// letter maps a choice identifier to its option id, reporting an unknown one.
func (c *itemCtx) letter(ident string, n *node, what string) (string, bool) {
	if id, ok := c.letters[ident]; ok {
		return id, true
	}
	c.problem(n, "answer", "The %s %q is not one of the item's choices.", what, ident)
	return "", false
}

// weights settles a multiple-answer key from per-option credit. Equal
// positive weights are rhitprep's partial credit; unequal ones cannot be
// represented and are a problem.
func (c *itemCtx) weights(key []string, credit map[string]float64, n *node) {
	c.q.Answer = key
	var vals []float64
	for _, k := range key {
		vals = append(vals, credit[k])
	}
	if len(vals) == 0 {
		return
	}
	for _, v := range vals[1:] {
		if !near(v, vals[0]) {
			var parts []string
			for i, k := range key {
				parts = append(parts, k+" "+num(vals[i]))
			}
			c.problem(n, "answer", "The correct options carry unequal credit (%s); rhitprep gives every key the same share, so this item cannot be imported faithfully.", list(parts))
			return
		}
	}
	if vals[0] > 0 {
		c.q.PartialCredit = true
	}
}

// partialDropped warns that a single item's partial credit was dropped.
func (c *itemCtx) partialDropped(n *node, opts map[string]float64, full float64) {
	var ids []string
	for id := range opts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c.warn(n, "answer", "Partial credit for option %s (%s of %s) was dropped: a single-answer item scores only its key.", id, num(opts[id]), num(full))
	}
}

// feedback adds feedback to the rationale: general feedback as it is, feedback
// on one option as "A: ...", other feedback with its label.
func (c *itemCtx) feedback(kind, label, text string, at *node) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	if c.feedbackAt == nil {
		c.feedbackAt = at
	}
	switch kind {
	case "general":
		c.general = append(c.general, text)
	case "option":
		c.optionFB = append(c.optionFB, label)
		c.perOption = append(c.perOption, label+": "+text)
	default:
		c.otherFB = append(c.otherFB, label)
		c.perOption = append(c.perOption, label+": "+text)
	}
}

// finishRationale joins the feedback into the rationale and warns about what
// was folded into it.
func (c *itemCtx) finishRationale() {
	parts := append(append([]string{}, c.general...), c.perOption...)
	c.q.Rationale = strings.Join(parts, "\n")
	if c.feedbackAt == nil {
		return
	}
	c.at("rationale", c.feedbackAt)
	if len(c.optionFB) > 0 {
		c.warn(c.feedbackAt, "rationale", "Feedback on option(s) %s was added to the rationale as lines \"%s: …\"; rhitprep shows one rationale for the whole item.", list(uniq(c.optionFB)), c.optionFB[0])
	}
	if len(c.otherFB) > 0 {
		c.warn(c.feedbackAt, "rationale", "Conditional feedback (%s) was added to the rationale with its label; rhitprep shows the whole rationale after every answer.", list(uniq(c.otherFB)))
	}
	c.lossy(c.feedbackAt, "rationale", "rationale", &c.rationaleF)
}

// cut keeps the first max items of a list shown in a message.
func cut(items []string, max int) []string {
	if len(items) <= max {
		return items
	}
	return append(append([]string{}, items[:max]...), "… "+strconv.Itoa(len(items)-max)+" more")
}

// list joins items for a message, at most ten of them.
func list(items []string) string { return strings.Join(cut(items, 10), ", ") }

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// near compares credits, which packages write with a few decimals.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// num prints a number as a person wrote it.
func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// round12 removes the float noise of subtracting decimal bounds.
func round12(f float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if err != nil {
		return f
	}
	return r
}

// parseNum reads a number written in a package.
func parseNum(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// interval is a range of accepted numeric answers; point marks an exact
// value (varequal, correctResponse) inside it.
type interval struct {
	lo, hi float64
	point  bool
	v      float64
}

// settleNumeric turns the accepted ranges of a numeric item into rhitprep's
// value and tolerance. Ranges inside one another are one answer (Canvas
// writes "5 or between 4.9 and 5.1"); separate ranges are several answers,
// which rhitprep cannot hold.
func (c *itemCtx) settleNumeric(acc []interval, n *node) bool {
	if len(acc) == 0 {
		c.problem(n, "answer", "The item gives no correct numeric answer.")
		return false
	}
	// The range holding all the others reaches from the lowest bound to
	// the highest, so it is the one with both, if there is one.
	lo, hi := acc[0].lo, acc[0].hi
	for _, a := range acc {
		lo, hi = math.Min(lo, a.lo), math.Max(hi, a.hi)
	}
	outer := -1
	for i, a := range acc {
		if a.lo == lo && a.hi == hi {
			outer = i
			break
		}
	}
	if outer < 0 {
		var parts []string
		for _, a := range acc {
			parts = append(parts, describe(a))
		}
		c.problem(n, "answer", "The item accepts several separate answers (%s); rhitprep keeps one value with a tolerance, so it cannot be imported faithfully.", strings.Join(cut(uniq(parts), 5), "; "))
		return false
	}
	o := acc[outer]
	if math.IsInf(o.lo, 0) || math.IsInf(o.hi, 0) {
		c.problem(n, "answer", "The item accepts an open-ended range (%s); rhitprep needs a value and a tolerance.", describe(o))
		return false
	}
	value := (o.lo + o.hi) / 2
	for _, a := range acc {
		if a.point {
			value = a.v
			break
		}
	}
	c.q.Value = round12(value)
	c.q.Tolerance = round12(math.Max(value-o.lo, o.hi-value))
	if c.q.Tolerance > 0 && !near(value-o.lo, o.hi-value) {
		c.warn(n, "tolerance", "The accepted range %s is not centred on %s; rhitprep accepts %s ± %s, a slightly wider range.", describe(o), num(c.q.Value), num(c.q.Value), num(c.q.Tolerance))
	}
	return true
}

func describe(a interval) string {
	switch {
	case a.lo == a.hi:
		return num(a.lo)
	case math.IsInf(a.lo, -1) && math.IsInf(a.hi, 1):
		return "any number"
	case math.IsInf(a.lo, -1):
		return "at most " + num(a.hi)
	case math.IsInf(a.hi, 1):
		return "at least " + num(a.lo)
	}
	return "from " + num(a.lo) + " to " + num(a.hi)
}
