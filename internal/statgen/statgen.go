// Package statgen generates healthcare-statistics practice questions for the
// RHIT examination from parameterised templates. A hand-written bank runs out
// and learners start to remember answers instead of methods; a generated
// question gives unlimited fresh practice, and because its key is computed
// from the formula in exact arithmetic, the key cannot be wrong if the formula
// is right. The formulas are therefore kept small, separate and tested
// against the worked examples of the reference texts.
//
// Generation is deterministic: the same family and seed always give the same
// question, so a question can be named by its id and rebuilt on demand.
package statgen

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Family is one kind of generated question. Mock exams and practice pages
// choose families by domain, subtopic and difficulty, so these are fixed per
// family rather than per question.
type Family struct {
	ID         string // stable, e.g. "occupancy-leap"; part of every question id
	Name       string // for people, e.g. "Percentage of occupancy in a leap year"
	Domain     int    // RHIT domain: 3 for most, 4 for case mix index
	Subtopic   string
	Difficulty string // quiz.Easy / quiz.Medium / quiz.Hard
}

// family is a Family with what generation needs: the rounding of its key,
// the range every key must fall in, and the template.
type family struct {
	Family
	places int
	lo, hi float64 // valid range of the rounded key, inclusive
	gen    func(d *draw) *item
}

// item is one drawn question before it becomes a quiz.Question.
type item struct {
	exact     *big.Rat // the exact answer; nil if the draw is unusable
	stem      string
	rationale string
	refs      []string
	// phrasing is the index of the wording template, so tests can see
	// that every family varies its wording.
	phrasing int
	// in holds the drawn figures under names the tests know, so that they
	// can recompute the key independently. Keys starting with "_" are not
	// printed in the stem; keys ending in "_w4" are weights in
	// ten-thousandths; every other value appears in the stem.
	in map[string]int64
}

// maxDraws bounds the redraws for one question. Draws are rejected only for
// near-ties and the rare figure outside a family's range, so a handful is
// usually enough; the bound turns a template bug into an error, not a hang.
const maxDraws = 1000

// Families lists every family in a stable order, so that pages and tests
// list them the same way each time.
func Families() []Family {
	out := make([]Family, len(registry))
	for i, f := range registry {
		out[i] = f.Family
	}
	return out
}

// Generate builds the question of the family for the seed. The same family
// and seed always give the identical question; an unknown family is an
// error.
func Generate(family string, seed uint64) (*quiz.Question, error) {
	q, _, err := generate(family, seed)
	return q, err
}

// lookup finds a family by id.
func lookup(id string) (*family, bool) {
	for i := range registry {
		if registry[i].ID == id {
			return &registry[i], true
		}
	}
	return nil, false
}

// generate is Generate that also returns the drawn item, for the tests.
func generate(id string, seed uint64) (*quiz.Question, *item, error) {
	f, ok := lookup(id)
	if !ok {
		return nil, nil, fmt.Errorf("statgen: unknown family %q", id)
	}
	return build(f, seed)
}

// build draws figures for f until they give a usable key: not near a
// rounding tie and inside the family's range.
func build(f *family, seed uint64) (*quiz.Question, *item, error) {
	d := &draw{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), places: f.places}
	for range maxDraws {
		it := f.gen(d)
		if it == nil || it.exact == nil || it.exact.Sign() < 0 || nearTie(it.exact, f.places) {
			continue
		}
		v, _ := new(big.Rat).SetFrac(roundHalfUp(it.exact, f.places), pow10(f.places)).Float64()
		if v < f.lo || v > f.hi {
			continue
		}
		q := &quiz.Question{
			ID:         fmt.Sprintf("gen-%s-%016x", f.ID, seed),
			Topic:      quiz.TopicStatistics,
			Domain:     f.Domain,
			Subtopic:   f.Subtopic,
			Difficulty: f.Difficulty,
			Cognitive:  quiz.Application,
			Type:       quiz.Numeric,
			Stem:       it.stem + " " + roundingRule(f.places),
			Value:      v,
			Tolerance:  tolerance(f.places),
			Rationale:  it.rationale,
			References: it.refs,
			Review: quiz.Review{
				Status: "verified",
				By:     "generator",
				Note:   "key computed from the formula; family tested against worked examples",
			},
		}
		return q, it, nil
	}
	return nil, nil, fmt.Errorf("statgen: family %q found no usable figures for seed %d", f.ID, seed)
}

// roundingRule is the sentence that ends every stem: a numeric key is only
// fair when the learner knows the rounding.
func roundingRule(places int) string {
	switch places {
	case 0:
		return "Round to the nearest whole number."
	case 1:
		return "Round to one decimal place."
	case 2:
		return "Round to two decimal places."
	case 4:
		return "Round to four decimal places."
	}
	return fmt.Sprintf("Round to %d decimal places.", places)
}

// tolerance is half a unit in the last stated place: any answer that rounds
// to the key earns credit, and nothing else does.
func tolerance(places int) float64 {
	t, _ := new(big.Rat).SetFrac(big.NewInt(5), pow10(places+1)).Float64()
	return t
}

// draw is the random source of one question together with the rounding of
// its family, so templates can write the worked answer.
type draw struct {
	r      *rand.Rand
	places int
}

// between returns a whole number from lo to hi inclusive.
func (d *draw) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + d.r.Int64N(hi-lo+1)
}

// pick returns a number from 0 to n−1: the choice of a phrasing or a case.
func (d *draw) pick(n int) int {
	return d.r.IntN(n)
}

// one returns one of the strings.
func (d *draw) one(s ...string) string {
	return s[d.r.IntN(len(s))]
}

// hospital returns a fictitious hospital name.
func (d *draw) hospital() string {
	return d.one(hospitals...)
}

// key writes the exact answer rounded to the family's places.
func (d *draw) key(x *big.Rat) string {
	return rounded(x, d.places)
}

// worked writes the last step of the calculation, "82.6666… → 82.67".
func (d *draw) worked(x *big.Rat) string {
	return worked(x, d.places)
}

// differs reports whether a wrong method's result rounds differently from
// the key, so the rationale only quotes it when it is a real trap.
func (d *draw) differs(wrong, right *big.Rat) bool {
	return wrong != nil && right != nil && !sameKey(wrong, right, d.places)
}

// lines joins the lines of a stem or rationale.
func lines(s ...string) string {
	return strings.Join(s, "\n")
}

// Pick returns the question of family i (modulo the number of families)
// for seed, so a quiz can cycle through every family.
func Pick(i int, seed uint64) (*quiz.Question, error) {
	fams := Families()
	return Generate(fams[((i%len(fams))+len(fams))%len(fams)].ID, seed)
}
