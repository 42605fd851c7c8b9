// Package quiz is rhitprep's domain: questions, attempts, scoring and the
// service that runs exams. It knows nothing of HTTP or SQL; the store and the
// server adapt to it.
package quiz

import (
	"strings"
)

// Topic ids are fixed by the contract; question files and requests use them.
const (
	TopicTerminology = "terminology"
	TopicCoding      = "coding"
	TopicRegulations = "regulations"
	TopicROI         = "release-of-information"
	TopicStatistics  = "statistics"
)

// TopicInfo names a topic for people.
type TopicInfo struct {
	ID   string
	Name string
}

// Topics lists the five topics in the order pages show them.
func Topics() []TopicInfo {
	return []TopicInfo{
		{TopicTerminology, "Medical terminology"},
		{TopicCoding, "Classification and coding"},
		{TopicRegulations, "Healthcare regulations"},
		{TopicROI, "Release of information"},
		{TopicStatistics, "Healthcare statistics"},
	}
}

// IsTopic reports whether id is one of the five topic ids.
func IsTopic(id string) bool {
	for _, t := range Topics() {
		if t.ID == id {
			return true
		}
	}
	return false
}

// DomainNames are the six domains of the RHIT content outline, indexed by
// domain number minus one. The names agree across every published version of
// the outline; only the weights differ, and those live in the blueprint.
var domainNames = [6]string{
	"Data Content, Structure, and Information Governance",
	"Access, Disclosure, Privacy, and Security",
	"Data Analytics and Use",
	"Revenue Cycle Management",
	"Compliance",
	"Leadership",
}

// DomainName returns the name of RHIT domain d (1-6), or "" if there is none.
func DomainName(d int) string {
	if d < 1 || d > len(domainNames) {
		return ""
	}
	return domainNames[d-1]
}

// GeneratedSetID is the set that holds generated statistics questions (see
// migration 0003): drawn into attempts like any question, never into the
// exam index.
const GeneratedSetID = "0b9e6c2a-3f1d-4c5e-9a7b-6d8e2f1a4c30"

// Question types.
const (
	Single   = "single"
	Multiple = "multiple"
	Numeric  = "numeric"
)

// Difficulty and cognitive levels, as content.md defines them.
const (
	Easy   = "easy"
	Medium = "medium"
	Hard   = "hard"

	Recall      = "recall"
	Application = "application"
	Analysis    = "analysis"
)

// Option is one answer choice. Pinned options keep their place when an
// attempt shuffles the others, so "None of the above" stays last.
type Option struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Pinned bool   `json:"pinned,omitempty"`
}

// Review records the second reading of an item for correctness.
type Review struct {
	Status string `json:"status"`
	By     string `json:"by,omitempty"`
	Date   string `json:"date,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Question is one immutable question version. ID is the stable id from the
// bank file; Version is the storage key of this exact wording, which attempts
// keep so that later uploads never change a past attempt.
type Question struct {
	ID            string
	Version       int64
	SetID         string
	SetVersion    int
	Topic         string
	Domain        int
	Subtopic      string
	Difficulty    string
	Cognitive     string
	Type          string
	ScenarioID    string
	Scenario      string
	Stem          string
	Options       []Option
	Answer        []string // option ids, for single and multiple
	Value         float64  // the key, for numeric
	Tolerance     float64
	PartialCredit bool
	Rationale     string
	References    []string
	Review        Review
	// Line is the line of the item in its source file, for reports; zero
	// once stored.
	Line int
}

// Select is the number of options a learner must choose: 1 for single, the
// key's size for select-N, 0 for numeric.
func (q *Question) Select() int {
	switch q.Type {
	case Single:
		return 1
	case Multiple:
		return len(q.Answer)
	}
	return 0
}

// HasOption reports whether id names one of the question's options.
func (q *Question) HasOption(id string) bool {
	for _, o := range q.Options {
		if o.ID == id {
			return true
		}
	}
	return false
}

// normalizeID upper-cases an option id so "b" and "B" mean the same choice.
func normalizeID(id string) string {
	return strings.ToUpper(strings.TrimSpace(id))
}
