package qti

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// meta is what an item's (or the package's) metadata says about rhitprep's
// fields: the topic and RHIT domain from keywords or classifications, and a
// LOM difficulty.
type meta struct {
	entry      string
	topic      string
	topicAt    *node
	domain     int
	domainAt   *node
	difficulty string
	diffAt     *node
}

var domainPattern = regexp.MustCompile(`^domain[\s_-]*([1-6])$`)

// classify reads one keyword or category path ("coding", "RHIT/coding/domain-4",
// "domain 2") into the topics and domains its parts name.
func classify(s string) (topics []string, domains []int) {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '/' || r == ',' || r == ';' || r == '|' || r == '>' || r == '\\' || r == ':'
	})
	for _, part := range parts {
		part = strings.ToLower(strings.Join(strings.Fields(part), " "))
		if t := strings.ReplaceAll(strings.ReplaceAll(part, " ", "-"), "_", "-"); quiz.IsTopic(t) {
			topics = append(topics, t)
		}
		if m := domainPattern.FindStringSubmatch(part); m != nil {
			d, _ := strconv.Atoi(m[1])
			domains = append(domains, d)
		}
	}
	return topics, domains
}

// collector gathers what several keywords say and reports a conflict.
type collector struct {
	p       *parser
	entry   string
	item    int
	m       meta
	topics  map[string]*node
	domains map[int]*node
}

func (p *parser) newCollector(entry string, item int) *collector {
	return &collector{p: p, entry: entry, item: item, m: meta{entry: entry}, topics: map[string]*node{}, domains: map[int]*node{}}
}

func (c *collector) keyword(s string, at *node) {
	ts, ds := classify(s)
	for _, t := range ts {
		if c.topics[t] == nil {
			c.topics[t] = at
		}
	}
	for _, d := range ds {
		if c.domains[d] == nil {
			c.domains[d] = at
		}
	}
}

func (c *collector) difficulty(s string, at *node) {
	var d string
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "very easy", "easy":
		d = quiz.Easy
	case "medium":
		d = quiz.Medium
	case "difficult", "very difficult", "hard":
		d = quiz.Hard
	default:
		return
	}
	c.m.difficulty, c.m.diffAt = d, at
}

// done settles the topic and domain: one each, or a problem naming them all.
func (c *collector) done() meta {
	var ts []string
	for t := range c.topics {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	switch len(ts) {
	case 0:
	case 1:
		c.m.topic, c.m.topicAt = ts[0], c.topics[ts[0]]
	default:
		c.p.problem(c.entry, c.topics[ts[0]], c.item, "topic", "The metadata names more than one topic (%s); an item has one.", strings.Join(ts, ", "))
	}
	var ds []int
	for d := range c.domains {
		ds = append(ds, d)
	}
	sort.Ints(ds)
	switch len(ds) {
	case 0:
	case 1:
		c.m.domain, c.m.domainAt = ds[0], c.domains[ds[0]]
	default:
		var names []string
		for _, d := range ds {
			names = append(names, "domain-"+strconv.Itoa(d))
		}
		c.p.problem(c.entry, c.domains[ds[0]], c.item, "domain", "The metadata names more than one RHIT domain (%s); an item has one.", strings.Join(names, ", "))
	}
	return c.m
}

// lomMeta reads LOM metadata (any binding: imsmd, lom, imscc's LOM) under md:
// keywords and classification taxon paths give the topic and domain,
// educational/difficulty the difficulty.
func (p *parser) lomMeta(entry string, md *node, item int) meta {
	c := p.newCollector(entry, item)
	for _, k := range md.find(named("keyword", "classification")) {
		leaves := k.find(func(n *node) bool { return len(n.children("")) == 0 })
		if len(leaves) == 0 {
			c.keyword(k.textContent(), k)
		}
		for _, l := range leaves {
			if l.name == "source" || l.parent != nil && l.parent.name == "source" || l.name == "purpose" || l.parent != nil && l.parent.name == "purpose" {
				continue
			}
			c.keyword(l.textContent(), l)
		}
	}
	for _, ed := range md.find(named("educational")) {
		if d := ed.child("difficulty"); d != nil {
			v := d.child("value")
			if v == nil {
				v = d
			}
			c.difficulty(tidy(v.textContent()), d)
		}
	}
	return c.done()
}

// apply gives q the topic, domain and difficulty of m, else of the
// package's defaults, recording where they came from.
func (p *parser) apply(q *quiz.Question, locs map[string]loc, ms ...*meta) {
	for _, m := range ms {
		if m == nil {
			continue
		}
		if q.Topic == "" && m.topic != "" {
			q.Topic = m.topic
			locs["topic"] = loc{m.entry, m.topicAt}
		}
		if q.Domain == 0 && m.domain != 0 {
			q.Domain = m.domain
			locs["domain"] = loc{m.entry, m.domainAt}
		}
		if q.Difficulty == "" && m.difficulty != "" {
			q.Difficulty = m.difficulty
			locs["difficulty"] = loc{m.entry, m.diffAt}
		}
	}
}
