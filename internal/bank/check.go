package bank

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

var (
	idPattern     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)
	optionPattern = regexp.MustCompile(`^[A-Z0-9]{1,8}$`)
	// selectPattern finds "select two", "choose 3", "(select THREE)" in a stem.
	selectPattern = regexp.MustCompile(`(?i)\b(?:select|choose|pick|mark|identify)\s+(?:the\s+)?(\d+|two|three|four|five|six)\b`)
	abovePattern  = regexp.MustCompile(`(?i)\b(all|none|both|neither)\s+of\s+the\s+(above|options|answers|choices)\b`)
	// negativePattern finds a negative question written in lower case
	// ("which is not", "all of the following except", "least likely"); a
	// parenthetical "(not a suffix)" or "at least" is not a negative stem.
	negativePattern = regexp.MustCompile(`\b(is|are|does|do|would|should|could|was|were|must|can|will)\s+not\b|\bexcept\b|\bleast\s+(likely|appropriate|important|useful|accurate|correct|relevant|acceptable)\b`)
)

var numberWords = map[string]int{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

// MaxKeyShare is the largest share of a bank's single-answer keys that one
// option position may hold before the bank leans on the shuffle.
const MaxKeyShare = 0.35

// Check applies the rules that hold whatever format a set came from: each
// item well formed, keys among the options, select-N matching the stem, ids
// and stems unique, and, for the shipped banks, content.md's full rules.
// It fills in defaults (topic and domain from opt, medium, application).
func Check(set *Set, opt Options, rep *Report) {
	ids := map[string]int{}
	stems := map[string]int{}
	positions := map[int]int{}
	singles := 0
	for i, q := range set.Questions {
		item := i + 1
		line := q.Line
		at := func(field string) int { return set.line(i, field) }
		if q.Topic == "" {
			q.Topic = opt.Topic
		}
		if q.Domain == 0 {
			q.Domain = opt.Domain
		}
		if q.Difficulty == "" {
			q.Difficulty = quiz.Medium
		}
		if q.Cognitive == "" {
			q.Cognitive = quiz.Application
		}
		switch {
		case q.ID == "":
			rep.problem(line, item, "id", "every question needs an id")
		case !idPattern.MatchString(q.ID):
			rep.problem(at("id"), item, "id", "%q is not a valid id: use 1-64 letters, digits, '.', '_', ':' or '-'", q.ID)
		case ids[q.ID] != 0:
			rep.problem(at("id"), item, "id", "id %q is already used by item %d", q.ID, ids[q.ID])
		default:
			ids[q.ID] = item
		}
		if opt.Shipped && q.ID != "" && q.ID != strings.ToLower(q.ID) {
			rep.problem(at("id"), item, "id", "shipped ids are lower case")
		}
		switch {
		case q.Topic == "":
			rep.problem(line, item, "topic", "no topic: give one in the file or as the topic parameter")
		case !quiz.IsTopic(q.Topic):
			rep.problem(at("topic"), item, "topic", "unknown topic %q (use terminology, coding, regulations, release-of-information or statistics)", q.Topic)
		}
		if q.Domain == 0 {
			if opt.Shipped {
				rep.problem(line, item, "domain", "every shipped item needs its RHIT domain (1-6)")
			} else {
				rep.warn(line, item, "domain", "no RHIT domain: the item is used in quizzes but never drawn for a mock exam")
			}
		}
		switch q.Difficulty {
		case quiz.Easy, quiz.Medium, quiz.Hard:
		default:
			rep.problem(at("difficulty"), item, "difficulty", "must be easy, medium or hard, not %q", q.Difficulty)
		}
		switch q.Cognitive {
		case quiz.Recall, quiz.Application, quiz.Analysis:
		default:
			rep.problem(at("cognitive"), item, "cognitive", "must be recall, application or analysis, not %q", q.Cognitive)
		}
		if strings.TrimSpace(q.Stem) == "" {
			rep.problem(line, item, "stem", "the stem is empty")
		} else if len(q.Stem) > 20000 {
			rep.problem(at("stem"), item, "stem", "the stem is longer than 20,000 characters")
		} else {
			key := normalizeStem(q.Scenario + " " + q.Stem)
			if prev, ok := stems[key]; ok {
				rep.problem(at("stem"), item, "stem", "the same stem as item %d (after ignoring case, punctuation and numbers)", prev)
			} else {
				stems[key] = item
			}
		}
		switch q.Type {
		case quiz.Single, quiz.Multiple:
			checkChoice(q, opt, rep, item, at)
			if q.Type == quiz.Single && len(q.Answer) == 1 {
				for p, o := range q.Options {
					if o.ID == q.Answer[0] {
						positions[p]++
						singles++
					}
				}
			}
		case quiz.Numeric:
			if len(q.Options) > 0 {
				rep.problem(at("options"), item, "options", "a numeric item has no options")
			}
			if q.Tolerance < 0 {
				rep.problem(at("tolerance"), item, "tolerance", "must not be negative")
			}
			if q.PartialCredit {
				rep.problem(at("partial_credit"), item, "partial_credit", "only select-N items take partial credit")
			}
		default:
			rep.problem(at("type"), item, "type", "must be single, multiple or numeric, not %q", q.Type)
		}
		need := rep.warn
		if opt.Shipped {
			need = rep.problem
		}
		if q.Rationale == "" {
			need(line, item, "rationale", "no rationale: learners see why the key is right only when there is one")
		}
		if len(q.References) == 0 || strings.TrimSpace(strings.Join(q.References, "")) == "" {
			need(line, item, "references", "no reference to the rule or source the item rests on")
		}
		if opt.Shipped {
			if q.Review.Status != "verified" {
				rep.problem(at("review"), item, "review.status", "shipped items must be verified by a second reader (status %q)", q.Review.Status)
			}
			if q.Topic != "" && q.Topic != opt.Topic && opt.Topic != "" {
				rep.problem(at("topic"), item, "topic", "item of topic %q in the %s bank", q.Topic, opt.Topic)
			}
			if question := lastSentence(q.Stem); negativePattern.MatchString(question) {
				rep.problem(at("stem"), item, "stem", "a negative stem puts NOT (or EXCEPT, LEAST) in capitals")
			}
		}
	}
	if singles >= 20 {
		for p, n := range positions {
			if float64(n)/float64(singles) > MaxKeyShare {
				msg := "%d of %d single-answer keys (%.0f%%) sit in position %d; no position may hold more than %.0f%%"
				args := []any{n, singles, 100 * float64(n) / float64(singles), p + 1, 100 * MaxKeyShare}
				if opt.Shipped {
					rep.problem(0, 0, "answer", msg, args...)
				} else {
					rep.warn(0, 0, "answer", msg, args...)
				}
			}
		}
	}
}

func checkChoice(q *quiz.Question, opt Options, rep *Report, item int, at func(string) int) {
	line := at("options")
	min, max := 2, 10
	if q.Type == quiz.Multiple {
		min = 3
	}
	if opt.Shipped {
		if q.Type == quiz.Single {
			min, max = 4, 4
		} else {
			min, max = 4, 6
		}
	}
	if len(q.Options) < min || len(q.Options) > max {
		if min == max {
			rep.problem(line, item, "options", "a %s item has exactly %d options, not %d", q.Type, min, len(q.Options))
		} else {
			rep.problem(line, item, "options", "a %s item has %d to %d options, not %d", q.Type, min, max, len(q.Options))
		}
	}
	seen := map[string]bool{}
	for j, o := range q.Options {
		switch {
		case !optionPattern.MatchString(o.ID):
			rep.problem(line, item, "options.id", "option %d: %q is not an option id (use A, B, C …)", j+1, o.ID)
		case seen[o.ID]:
			rep.problem(line, item, "options.id", "option id %q is used twice", o.ID)
		}
		seen[o.ID] = true
		if o.Text == "" {
			rep.problem(line, item, "options.text", "option %s has no text", o.ID)
		}
		if abovePattern.MatchString(o.Text) && !o.Pinned {
			msg := "option %s says %q but is not pinned: pin it (and put it last) or rephrase it"
			if opt.Shipped {
				rep.problem(line, item, "options.text", msg, o.ID, o.Text)
			} else {
				rep.warn(line, item, "options.text", msg, o.ID, o.Text)
			}
		}
		if o.Pinned && j != len(q.Options)-1 && !q.Options[len(q.Options)-1].Pinned {
			rep.problem(line, item, "options.pinned", "a pinned option %s must come after every unpinned one", o.ID)
		}
	}
	if q.Answer == nil {
		rep.problem(q.Line, item, "answer", "no key: the answer is missing")
		return
	}
	line = at("answer")
	keys := map[string]bool{}
	for _, a := range q.Answer {
		if !seen[a] {
			rep.problem(line, item, "answer", "the key %q is not among the options", a)
		}
		if keys[a] {
			rep.problem(line, item, "answer", "the key %q is listed twice", a)
		}
		keys[a] = true
	}
	switch q.Type {
	case quiz.Single:
		if len(q.Answer) != 1 {
			rep.problem(line, item, "answer", "a single item has exactly one key; use type multiple for select-N")
		}
		if q.PartialCredit {
			rep.problem(line, item, "partial_credit", "only select-N items take partial credit")
		}
	case quiz.Multiple:
		minKeys := 1
		if opt.Shipped {
			minKeys = 2
		}
		if len(q.Answer) < minKeys || len(q.Answer) >= len(q.Options) {
			rep.problem(line, item, "answer", "a select-N item needs at least %d key(s) and fewer keys than options", minKeys)
		}
		n, stated := statedSelect(q.Stem)
		switch {
		case stated && n != len(q.Answer):
			rep.problem(line, item, "answer", "the stem says to choose %d but the key has %d option(s)", n, len(q.Answer))
		case !stated && opt.Shipped:
			rep.problem(at("stem"), item, "stem", "a select-N stem must say how many to choose (for example \"Select TWO.\")")
		case !stated:
			rep.warn(at("stem"), item, "stem", "the stem does not say how many options to choose; learners will be told \"Select %d\"", len(q.Answer))
		}
	}
}

// statedSelect finds N in "Select N" in a stem.
func statedSelect(stem string) (int, bool) {
	m := selectPattern.FindStringSubmatch(stem)
	if m == nil {
		return 0, false
	}
	if n, err := strconv.Atoi(m[1]); err == nil {
		return n, true
	}
	return numberWords[strings.ToLower(m[1])], true
}

// normalizeStem reduces a stem to its words, so stems that differ only in
// case, punctuation, spacing or numbers compare equal.
func normalizeStem(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// lastSentence returns the question a stem asks (the sentence ending in its
// last question mark, else its last sentence), where negation must be in
// capitals; scenario text before it may use "not" freely.
func lastSentence(stem string) string {
	s := strings.TrimSpace(stem)
	if q := strings.LastIndex(s, "?"); q >= 0 {
		s = s[:q]
	} else {
		s = strings.TrimRight(s, ".:! \n")
	}
	if i := strings.LastIndexAny(s, ".?!\n"); i >= 0 {
		s = s[i+1:]
	}
	return s
}
