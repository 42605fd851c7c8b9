package quiz

import (
	"sort"
	"strconv"
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
