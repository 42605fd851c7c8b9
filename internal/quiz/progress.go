package quiz

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/rhitprep/rhitprep/internal/fsrs"
)

// TargetPace is the real exam's pace: 210 minutes for 150 items.
const TargetPace = 84 * time.Second

// AreaProgress is a learner's standing in one topic or domain.
type AreaProgress struct {
	Key            string
	Name           string
	Answered       int
	Correct        int
	Accuracy       float64
	Mastery        Mastery
	SecondsPerItem *float64
}

// Suggestion is one thing that would raise the readiness estimate most.
type Suggestion struct {
	Domain  string
	Name    string
	Topic   string
	From    float64
	To      float64
	Points  int
	Message string
}

// Readiness is the predicted outcome of a mock exam taken now.
type Readiness struct {
	ExpectedPercent float64 // of scored items
	PredictedScaled int
	Low, High       int // scaled scores one standard deviation either side
	PassProbability float64
	Suggestions     []Suggestion
}

// LeechItem is a question the learner keeps forgetting, with what to read.
type LeechItem struct {
	Question *Question
	Lapses   int
}

// Pacing compares the learner's time per item with the real exam's.
type Pacing struct {
	SecondsPerItem *float64
	SlowestTopics  []string
}

// PlanStatus is the learner's plan with today's count against its budget.
type PlanStatus struct {
	Plan
	AnsweredToday int
	DaysLeft      int
}

// HistoryEntry is one finished attempt in a learner's history.
type HistoryEntry struct {
	ExamID     string
	Mode       string
	FinishedAt time.Time
	Percent    float64
}

// Progress is a learner's overview.
type Progress struct {
	Topics     []AreaProgress
	Domains    []AreaProgress
	WeakTopics []string
	DueReviews int
	Leeches    []LeechItem
	Readiness  *Readiness
	Pacing     Pacing
	Trend      []Day
	History    []HistoryEntry
	Plan       *PlanStatus
}

func area(key, name string, a Aggregate) AreaProgress {
	p := AreaProgress{Key: key, Name: name, Answered: a.Answered, Correct: a.Correct, Mastery: a.Mastery()}
	if a.Answered > 0 {
		p.Accuracy = float64(a.Correct) / float64(a.Answered)
	}
	if a.Timed > 0 {
		s := float64(a.TimeMs) / 1000 / float64(a.Timed)
		p.SecondsPerItem = &s
	}
	return p
}

// HistoryLength is how many recent finished attempts progress charts.
const HistoryLength = 200

// Progress returns everything a learner's dashboard shows, from running
// tallies: it reads a few small rows however long the history.
func (s *Service) Progress(ctx context.Context, user User) (*Progress, error) {
	now := s.now()
	topics, domains, err := s.store.Mastery(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	p := &Progress{}
	var timeMs int64
	timed := 0
	for _, t := range Topics() {
		a := topics[t.ID]
		ap := area(t.ID, t.Name, a)
		p.Topics = append(p.Topics, ap)
		timeMs += a.TimeMs
		timed += a.Timed
	}
	for d := 1; d <= 6; d++ {
		p.Domains = append(p.Domains, area(strconv.Itoa(d), DomainName(d), domains[strconv.Itoa(d)]))
	}
	weak := []AreaProgress{}
	for _, t := range p.Topics {
		if t.Mastery.Weak {
			weak = append(weak, t)
		}
	}
	sort.SliceStable(weak, func(i, j int) bool { return weak[i].Mastery.Estimate < weak[j].Mastery.Estimate })
	p.WeakTopics = []string{}
	for _, t := range weak {
		p.WeakTopics = append(p.WeakTopics, t.Key)
	}
	if timed > 0 {
		spi := float64(timeMs) / 1000 / float64(timed)
		p.Pacing.SecondsPerItem = &spi
	}
	slow := []AreaProgress{}
	for _, t := range p.Topics {
		if t.SecondsPerItem != nil && topics[t.Key].Timed >= 5 && *t.SecondsPerItem > TargetPace.Seconds() {
			slow = append(slow, t)
		}
	}
	sort.SliceStable(slow, func(i, j int) bool { return *slow[i].SecondsPerItem > *slow[j].SecondsPerItem })
	for _, t := range slow {
		p.Pacing.SlowestTopics = append(p.Pacing.SlowestTopics, t.Key)
	}
	p.Readiness = s.Readiness(domains)

	if p.DueReviews, err = s.store.DueCount(ctx, user.ID, now); err != nil {
		return nil, err
	}
	leeches, err := s.store.Leeches(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	ix := s.index.Load()
	for _, l := range leeches {
		if q := ix.byKey[Key{l.SetID, l.QuestionID}]; q != nil {
			p.Leeches = append(p.Leeches, LeechItem{Question: q, Lapses: l.Lapses})
		}
	}
	if p.Trend, err = s.store.Days(ctx, user.ID, now.AddDate(0, 0, -60).Format(time.DateOnly)); err != nil {
		return nil, err
	}
	if plan, ok, err := s.store.Plan(ctx, user.ID); err != nil {
		return nil, err
	} else if ok {
		ps := &PlanStatus{Plan: plan, DaysLeft: int(math.Ceil(plan.ExamDate.Sub(now).Hours() / 24))}
		today := now.Format(time.DateOnly)
		for _, d := range p.Trend {
			if d.Day == today {
				ps.AnsweredToday += d.Answered
			}
		}
		p.Plan = ps
	}

	attempts, err := s.store.History(ctx, user.ID, HistoryLength)
	if err != nil {
		return nil, err
	}
	for i := len(attempts) - 1; i >= 0; i-- {
		a := attempts[i]
		if a.FinishedAt == nil || a.Percent == nil {
			continue
		}
		p.History = append(p.History, HistoryEntry{ExamID: a.ID, Mode: a.Mode, FinishedAt: *a.FinishedAt, Percent: *a.Percent})
	}
	return p, nil
}

// Readiness estimates the raw percentage a mock exam would give today and
// turns it into the scaled estimate and a pass probability; nil before the
// learner has any answer.
//
// Each RHIT domain's expected accuracy is its recency-weighted mastery,
// shrunk towards the learner's overall accuracy when the domain has few
// answers; the domains are weighted as the blueprint allocates scored
// items. The uncertainty adds each domain's estimation variance (a Beta
// posterior) to the sampling noise of a 130-item exam. The pass probability
// is the normal probability of landing above the blueprint's raw cut.
func (s *Service) Readiness(domains map[string]Aggregate) *Readiness {
	var all Aggregate
	for _, a := range domains {
		all.Answered += a.Answered
		all.WTotal += a.WTotal
		all.WCorrect += a.WCorrect
	}
	if all.Answered == 0 {
		return nil
	}
	alloc, err := s.bp.Allocate()
	if err != nil {
		return nil
	}
	n := float64(s.bp.Scored())
	overall := (all.WCorrect + 1) / (all.WTotal + 2)
	const shrink = 2.0
	type est struct {
		w, m, v float64
	}
	ests := map[string]est{}
	expected, variance := 0.0, 0.0
	for _, d := range s.bp.Domains {
		key := strconv.Itoa(d.ID)
		a := domains[key]
		m := (a.WCorrect + shrink*overall) / (a.WTotal + shrink)
		v := m * (1 - m) / (a.WTotal + shrink + 1)
		w := float64(alloc[d.ID]) / n
		ests[key] = est{w, m, v}
		expected += w * m
		variance += w * w * v
	}
	variance += expected * (1 - expected) / n
	sd := math.Sqrt(variance)
	cut := s.bp.RawForScaled(s.bp.Scale.Pass) / 100
	r := &Readiness{
		ExpectedPercent: math.Round(expected*10000) / 100,
		PredictedScaled: s.bp.Scaled(100 * expected),
		Low:             s.bp.Scaled(100 * (expected - sd)),
		High:            s.bp.Scaled(100 * (expected + sd)),
		PassProbability: math.Round(normalCDF((expected-cut)/sd)*100) / 100,
	}
	ix := s.index.Load()
	for _, d := range s.bp.Domains {
		key := strconv.Itoa(d.ID)
		e := ests[key]
		to := math.Min(0.9, e.m+0.15)
		points := s.bp.Scaled(100*(expected+e.w*(to-e.m))) - r.PredictedScaled
		if points <= 0 {
			continue
		}
		topic := ix.mainTopic(d.ID)
		r.Suggestions = append(r.Suggestions, Suggestion{Domain: key, Name: DomainName(d.ID), Topic: topic,
			From: e.m, To: to, Points: points,
			Message: fmt.Sprintf("Raising %s from %.0f%% to %.0f%% (practise %s) would add about %d scaled points.",
				DomainName(d.ID), 100*e.m, 100*to, topicName(topic), points)})
	}
	sort.SliceStable(r.Suggestions, func(i, j int) bool { return r.Suggestions[i].Points > r.Suggestions[j].Points })
	if len(r.Suggestions) > 3 {
		r.Suggestions = r.Suggestions[:3]
	}
	return r
}

func topicName(id string) string {
	for _, t := range Topics() {
		if t.ID == id {
			return t.Name
		}
	}
	return id
}

func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// Limits on a learner's plan.
const (
	MaxBudget     = 500
	DefaultBudget = 30
)

// SetPlan stores a learner's exam date and daily budget; a zero date
// clears the plan.
func (s *Service) SetPlan(ctx context.Context, user User, p Plan) error {
	if !p.ExamDate.IsZero() {
		today := s.now().Truncate(24 * time.Hour)
		if p.ExamDate.Before(today) || p.ExamDate.After(today.AddDate(2, 0, 0)) {
			return Errorf(EINVALID, "exam_date must be between today and two years from now.")
		}
		if p.DailyBudget == 0 {
			p.DailyBudget = DefaultBudget
		}
		if p.DailyBudget < 1 || p.DailyBudget > MaxBudget {
			return Errorf(EINVALID, "daily_budget must be between 1 and %d.", MaxBudget)
		}
	}
	return s.store.SetPlan(ctx, user.ID, p)
}

// examGain is how much reviewing card c now raises its expected recall on
// the exam date, under FSRS: recall then, if reviewed now (right with the
// probability of recalling it now, else wrong), minus recall then without
// a review.
func examGain(c fsrs.Card, now, exam time.Time) float64 {
	if !exam.After(now) {
		return 0
	}
	without := scheduler.Recall(c, exam)
	rNow := scheduler.Recall(c, now)
	t := exam.Sub(now).Hours() / 24
	good := scheduler.Review(c, fsrs.Good, now).Stability
	again := scheduler.Review(c, fsrs.Again, now).Stability
	with := rNow*scheduler.Retrievability(t, good) + (1-rNow)*scheduler.Retrievability(t, again)
	return with - without
}
