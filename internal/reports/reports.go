// Package reports gives instructors what their learners' answers say: item
// analysis of a question set (Moodle's definitions, from first attempts)
// and a summary of every learner.
package reports

import (
	"context"
	"sort"
	"time"

	"github.com/rhitprep/rhitprep/internal/itemstats"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/store"
)

// Store is what reports read.
type Store interface {
	Set(ctx context.Context, id string) (store.SetInfo, error)
	SetQuestions(ctx context.Context, id string) ([]*quiz.Question, error)
	ItemSums(ctx context.Context, setID string, version int) (map[string]itemstats.Sums, itemstats.TestSums, int, error)
	LearnerSummaries(ctx context.Context) ([]store.LearnerSummary, error)
}

// Estimator turns a learner's domain tallies into a readiness estimate.
type Estimator interface {
	Readiness(domains map[string]quiz.Aggregate) *quiz.Readiness
}

// Reports builds the instructor reports.
type Reports struct {
	store Store
	est   Estimator
}

// New returns reports over st, with readiness from est.
func New(st Store, est Estimator) *Reports { return &Reports{store: st, est: est} }

// DefaultMinResponses is below how many responses an item's figures are
// hidden: fewer say more about chance than about the item.
const DefaultMinResponses = 10

// ItemReport is the item analysis of one set version.
type ItemReport struct {
	Set       store.SetInfo
	Questions []*quiz.Question
	Items     []itemstats.Item
	Test      itemstats.Test
	Learners  int
}

// Items analyses the newest version of a set from each learner's first
// finished attempt that included its questions, as Moodle counts first
// attempts.
func (r *Reports) Items(ctx context.Context, setID string, minResponses int) (*ItemReport, error) {
	if minResponses <= 0 {
		minResponses = DefaultMinResponses
	}
	info, err := r.store.Set(ctx, setID)
	if err != nil {
		return nil, err
	}
	qs, err := r.store.SetQuestions(ctx, setID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(qs))
	options := map[string][]string{}
	for i, q := range qs {
		ids[i] = q.ID
		for _, o := range q.Options {
			options[q.ID] = append(options[q.ID], o.ID)
		}
	}
	// The sums are kept up to date as attempts finish (from each learner's
	// first attempt at this version), so this reads a few rows per item.
	sums, test, learners, err := r.store.ItemSums(ctx, setID, info.Version)
	if err != nil {
		return nil, err
	}
	items, stats := itemstats.FromSums(ids, options, sums, test, minResponses)
	return &ItemReport{Set: info, Questions: qs, Items: items, Test: stats, Learners: learners}, nil
}

// TopicSummary is a learner's standing in one topic.
type TopicSummary struct {
	Topic    string
	Answered int
	Accuracy float64
	Mastery  quiz.Mastery
}

// LearnerReport is one learner's line in the instructors' report.
type LearnerReport struct {
	User       quiz.User
	Exams      int
	LastExam   *time.Time
	Answered   int
	Accuracy   float64
	Topics     []TopicSummary
	WeakTopics []string
	Readiness  *quiz.Readiness
}

// Learners summarises every account that has taken an exam or answered a
// question, in username order.
func (r *Reports) Learners(ctx context.Context) ([]LearnerReport, error) {
	all, err := r.store.LearnerSummaries(ctx)
	if err != nil {
		return nil, err
	}
	out := []LearnerReport{}
	for _, l := range all {
		if l.Exams == 0 && len(l.Topics) == 0 {
			continue
		}
		lr := LearnerReport{User: l.User, Exams: l.Exams, LastExam: l.LastExam, WeakTopics: []string{}}
		correct := 0
		var weak []TopicSummary
		for _, t := range quiz.Topics() {
			a := l.Topics[t.ID]
			ts := TopicSummary{Topic: t.ID, Answered: a.Answered, Mastery: a.Mastery()}
			if a.Answered > 0 {
				ts.Accuracy = float64(a.Correct) / float64(a.Answered)
			}
			lr.Answered += a.Answered
			correct += a.Correct
			lr.Topics = append(lr.Topics, ts)
			if ts.Mastery.Weak {
				weak = append(weak, ts)
			}
		}
		sort.SliceStable(weak, func(i, j int) bool { return weak[i].Mastery.Estimate < weak[j].Mastery.Estimate })
		for _, w := range weak {
			lr.WeakTopics = append(lr.WeakTopics, w.Topic)
		}
		if lr.Answered > 0 {
			lr.Accuracy = float64(correct) / float64(lr.Answered)
		}
		lr.Readiness = r.est.Readiness(l.Domains)
		out = append(out, lr)
	}
	return out, nil
}
