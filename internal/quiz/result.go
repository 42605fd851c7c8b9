package quiz

import (
	"context"
	"sort"
	"strconv"
	"time"
)

// Group is a score over a part of an attempt: a topic or a domain.
type Group struct {
	Key     string
	Name    string
	Correct float64
	Total   int
	Percent float64
}

// Breakdown splits a finished attempt's scored items by topic and by RHIT
// domain. Pretest items count in neither.
func Breakdown(a *Attempt) (byTopic, byDomain []Group) {
	topics := map[string]*Group{}
	domains := map[string]*Group{}
	add := func(m map[string]*Group, key, name string, credit float64) {
		g := m[key]
		if g == nil {
			g = &Group{Key: key, Name: name}
			m[key] = g
		}
		g.Correct += credit
		g.Total++
	}
	names := map[string]string{}
	for _, t := range Topics() {
		names[t.ID] = t.Name
	}
	for _, it := range a.Items {
		if !it.Scored {
			continue
		}
		c := 0.0
		if it.Credit != nil {
			c = *it.Credit
		}
		add(topics, it.Question.Topic, names[it.Question.Topic], c)
		if d := it.Question.Domain; d > 0 {
			add(domains, strconv.Itoa(d), DomainName(d), c)
		}
	}
	return sorted(topics), sorted(domains)
}

func sorted(m map[string]*Group) []Group {
	out := make([]Group, 0, len(m))
	for _, g := range m {
		g.Percent = percent(g.Correct, g.Total)
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// TopicProgress is a learner's standing in one topic.
type TopicProgress struct {
	Topic    string
	Answered int
	Correct  int
	Accuracy float64
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
	Topics  []TopicProgress
	History []HistoryEntry
}

// Progress returns user's tallies per topic (every topic, practised or not)
// and their finished attempts, oldest first so a chart reads left to right.
func (s *Service) Progress(ctx context.Context, user User) (*Progress, error) {
	counts, err := s.store.TopicProgress(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	byTopic := map[string]TopicCount{}
	for _, c := range counts {
		byTopic[c.Topic] = c
	}
	p := &Progress{}
	for _, t := range Topics() {
		c := byTopic[t.ID]
		tp := TopicProgress{Topic: t.ID, Answered: c.Answered, Correct: c.Correct}
		if c.Answered > 0 {
			tp.Accuracy = float64(c.Correct) / float64(c.Answered)
		}
		p.Topics = append(p.Topics, tp)
	}
	attempts, err := s.store.Attempts(ctx, user.ID)
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
