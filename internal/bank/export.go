package bank

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

type nativeOption struct {
	ID     string `yaml:"id"`
	Text   string `yaml:"text"`
	Pinned bool   `yaml:"pinned,omitempty"`
}

type nativeReview struct {
	Status string `yaml:"status"`
	By     string `yaml:"by,omitempty"`
	Date   string `yaml:"date,omitempty"`
	Note   string `yaml:"note,omitempty"`
}

type nativeQuestion struct {
	ID            string         `yaml:"id"`
	Topic         string         `yaml:"topic"`
	Domain        int            `yaml:"domain,omitempty"`
	Subtopic      string         `yaml:"subtopic,omitempty"`
	Difficulty    string         `yaml:"difficulty"`
	Cognitive     string         `yaml:"cognitive"`
	Type          string         `yaml:"type"`
	Scenario      string         `yaml:"scenario,omitempty"`
	Stem          string         `yaml:"stem"`
	Options       []nativeOption `yaml:"options,omitempty"`
	Answer        any            `yaml:"answer"`
	Tolerance     float64        `yaml:"tolerance,omitempty"`
	PartialCredit bool           `yaml:"partial_credit,omitempty"`
	Rationale     string         `yaml:"rationale,omitempty"`
	References    []string       `yaml:"references,omitempty"`
	Review        *nativeReview  `yaml:"review,omitempty"`
}

type nativeScenario struct {
	ID   string `yaml:"id"`
	Text string `yaml:"text"`
}

type nativeSet struct {
	Set         string           `yaml:"set"`
	Description string           `yaml:"description,omitempty"`
	Scenarios   []nativeScenario `yaml:"scenarios,omitempty"`
	Questions   []nativeQuestion `yaml:"questions"`
}

// WriteNative renders a set in the native YAML format. Reading the result
// back with ParseNative gives the same questions.
func WriteNative(set *Set) ([]byte, error) {
	out := nativeSet{Set: set.Name, Description: set.Description, Questions: []nativeQuestion{}}
	scenarios := map[string]bool{}
	for _, q := range set.Questions {
		nq := nativeQuestion{ID: q.ID, Topic: q.Topic, Domain: q.Domain, Subtopic: q.Subtopic,
			Difficulty: q.Difficulty, Cognitive: q.Cognitive, Type: q.Type, Stem: q.Stem,
			Tolerance: q.Tolerance, PartialCredit: q.PartialCredit, Rationale: q.Rationale,
			References: q.References}
		if q.ScenarioID != "" {
			nq.Scenario = q.ScenarioID
			if !scenarios[q.ScenarioID] {
				scenarios[q.ScenarioID] = true
				out.Scenarios = append(out.Scenarios, nativeScenario{ID: q.ScenarioID, Text: q.Scenario})
			}
		}
		for _, o := range q.Options {
			nq.Options = append(nq.Options, nativeOption(o))
		}
		switch q.Type {
		case quiz.Numeric:
			nq.Answer = q.Value
		case quiz.Single:
			if len(q.Answer) == 1 {
				nq.Answer = q.Answer[0]
			} else {
				nq.Answer = q.Answer
			}
		default:
			nq.Answer = q.Answer
		}
		if q.Review.Status != "" {
			r := nativeReview(q.Review)
			nq.Review = &r
		}
		out.Questions = append(out.Questions, nq)
	}
	b, err := yaml.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("write native: %w", err)
	}
	return b, nil
}
