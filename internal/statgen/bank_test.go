package statgen_test

// This file is an external test package so that the bank package may one
// day import statgen (to serve generated items) without an import cycle.

import (
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/statgen"
)

// checkShipped runs the shipped-bank rules over a set of questions.
func checkShipped(t *testing.T, qs []*quiz.Question) {
	t.Helper()
	var rep bank.Report
	bank.Check(&bank.Set{Name: "generated statistics", Questions: qs}, bank.Options{Topic: quiz.TopicStatistics, Shipped: true}, &rep)
	for _, p := range rep.Problems {
		q := "(set)"
		if p.Item > 0 {
			q = qs[p.Item-1].ID
		}
		t.Errorf("%s: %s: %s", q, p.Field, p.Message)
	}
	for _, w := range rep.Warnings {
		t.Logf("warning: %s: %s", w.Field, w.Message)
	}
}

// TestShippedRulesTogether builds one set from several questions of every
// family, one per distinct wording, as a mixed practice session would, and
// checks it under the full rules of the shipped banks, near-duplicate stems
// included.
func TestShippedRulesTogether(t *testing.T) {
	var qs []*quiz.Question
	for _, f := range statgen.Families() {
		var firsts []string
		for seed := uint64(0); seed < 200 && len(firsts) < 3; seed++ {
			q, err := statgen.Generate(f.ID, seed)
			if err != nil {
				t.Fatal(err)
			}
			// One question per opening, so two draws of one wording do not
			// meet (the near-duplicate rule ignores numbers, and names and
			// periods may repeat between draws of one template).
			open := opening(q.Stem)
			dup := false
			for _, o := range firsts {
				dup = dup || o == open
			}
			if !dup {
				firsts = append(firsts, open)
				qs = append(qs, q)
			}
		}
	}
	if len(qs) < 2*len(statgen.Families()) {
		t.Fatalf("only %d questions", len(qs))
	}
	checkShipped(t, qs)
}

// opening is the first four words of a stem, enough to tell its wordings
// apart.
func opening(stem string) string {
	n, words := 0, 0
	for i, r := range stem {
		if r == ' ' {
			words++
			if words == 4 {
				return stem[:i]
			}
		}
		n = i
	}
	return stem[:n]
}

// TestShippedRulesEachQuestion checks every question of many seeds alone
// under the shipped rules, so wording rules (a lower-case negative in the
// question sentence, for example) hold in every phrasing and every draw.
func TestShippedRulesEachQuestion(t *testing.T) {
	for _, f := range statgen.Families() {
		for seed := uint64(0); seed < 300; seed++ {
			q, err := statgen.Generate(f.ID, seed*7919)
			if err != nil {
				t.Fatal(err)
			}
			var rep bank.Report
			bank.Check(&bank.Set{Questions: []*quiz.Question{q}}, bank.Options{Topic: quiz.TopicStatistics, Shipped: true}, &rep)
			for _, p := range rep.Problems {
				t.Fatalf("%s: %s: %s\n%s", q.ID, p.Field, p.Message, q.Stem)
			}
		}
	}
}
