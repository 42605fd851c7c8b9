package quiz

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/rhitprep/rhitprep/internal/blueprint"
)

// Index holds the active questions in memory, so starting an exam reads
// nothing from the database but the learner's history. It is rebuilt
// whenever a set is imported or retired, and never changed in place.
type Index struct {
	all      []*Question
	byDomain map[int][]*Question
	byKey    map[Key]*Question
	topics   map[string]int
	// domainTopic is, per domain, the topic that supplies most of its
	// questions: where to practise to raise that domain.
	domainTopic map[int]string
}

// NewIndex builds an index over qs.
func NewIndex(qs []*Question) *Index {
	ix := &Index{all: qs, byDomain: map[int][]*Question{}, byKey: map[Key]*Question{}, topics: map[string]int{},
		domainTopic: map[int]string{}}
	perDomain := map[int]map[string]int{}
	for _, q := range qs {
		ix.topics[q.Topic]++
		ix.byKey[KeyOf(q)] = q
		if q.Domain > 0 {
			ix.byDomain[q.Domain] = append(ix.byDomain[q.Domain], q)
			if perDomain[q.Domain] == nil {
				perDomain[q.Domain] = map[string]int{}
			}
			perDomain[q.Domain][q.Topic]++
		}
	}
	for d, counts := range perDomain {
		best := ""
		for t, n := range counts {
			if best == "" || n > counts[best] || (n == counts[best] && t < best) {
				best = t
			}
		}
		ix.domainTopic[d] = best
	}
	return ix
}

func (ix *Index) mainTopic(domain int) string { return ix.domainTopic[domain] }

// TopicCounts returns how many active questions each topic has.
func (ix *Index) TopicCounts() map[string]int { return ix.topics }

// Len is the number of active questions.
func (ix *Index) Len() int { return len(ix.all) }

// filter returns the questions that pass keep.
func (ix *Index) filter(keep func(*Question) bool) []*Question {
	var out []*Question
	for _, q := range ix.all {
		if keep(q) {
			out = append(out, q)
		}
	}
	return out
}

// preferUnseen returns n of qs in random order, the questions the learner
// has never been shown first, so practice covers the bank before repeating
// it, and never one that skip reports. qs is left as it was.
func preferUnseen(qs []*Question, n int, seen map[Key]Seen, skip map[*Question]bool, rng *rand.Rand) []*Question {
	return drawUnseen(len(qs), func(i int) *Question { return qs[i] }, n, seen, skip, rng)
}

// drawUnseen is preferUnseen over the size questions at(0), at(1), ….
// It runs the first steps of a Fisher–Yates shuffle without copying the
// list, keeping only the positions it has swapped, and stops once it has
// n unseen questions: a mock exam takes ~30 questions from domains of
// thousands, so it looks at about as many as it keeps. The steps taken
// are a uniform random draw; the unseen among them are a uniform draw of
// the unseen and, once the list is used up, the seen ones of the seen.
func drawUnseen(size int, at func(int) *Question, n int, seen map[Key]Seen, skip map[*Question]bool, rng *rand.Rand) []*Question {
	out := make([]*Question, 0, min(n, size))
	var repeat []*Question
	moved := map[int]*Question{} // position -> the question swapped there
	get := func(i int) *Question {
		if q, ok := moved[i]; ok {
			return q
		}
		return at(i)
	}
	for i := 0; i < size && len(out) < n; i++ {
		j := i + rng.IntN(size-i)
		q := get(j)
		moved[j] = get(i) // position i is never read again
		if skip[q] {
			continue
		}
		if _, ok := seen[KeyOf(q)]; ok {
			repeat = append(repeat, q)
			continue
		}
		out = append(out, q)
	}
	if len(out) < n {
		out = append(out, repeat[:min(n-len(out), len(repeat))]...)
	}
	return out
}

// sampleMock draws a mock exam by the blueprint: every domain's count inside
// its range, no question twice, unseen questions first, then the unscored
// pretest items from what is left. It fails with EINVALID, naming the
// shortfall, rather than return a short exam.
func sampleMock(ix *Index, bp *blueprint.Blueprint, seen map[Key]Seen, rng *rand.Rand) (scored, pretest []*Question, err error) {
	avail := map[int]int{}
	for d, qs := range ix.byDomain {
		avail[d] = len(qs)
	}
	alloc, err := bp.AllocateWithin(avail)
	if err != nil {
		return nil, nil, Errorf(EINVALID, "The question bank is too small for a mock exam: %v.", err)
	}
	used := make(map[*Question]bool, bp.Items)
	total := 0
	for _, d := range bp.Domains {
		total += len(ix.byDomain[d.ID])
		for _, q := range preferUnseen(ix.byDomain[d.ID], alloc[d.ID], seen, nil, rng) {
			scored = append(scored, q)
			used[q] = true
		}
	}
	if left := total - len(scored); left < bp.Pretest {
		return nil, nil, Errorf(EINVALID, "The question bank is too small for a mock exam: %d questions are left for the %d pretest items.", left, bp.Pretest)
	}
	// Pretest items come from every domain's list, read as one.
	at := func(i int) *Question {
		for _, d := range bp.Domains {
			qs := ix.byDomain[d.ID]
			if i < len(qs) {
				return qs[i]
			}
			i -= len(qs)
		}
		panic("sampleMock: position past the bank")
	}
	pretest = drawUnseen(total, at, bp.Pretest, seen, used, rng)
	return scored, pretest, nil
}

// arrange orders an attempt's questions at random while keeping the items
// of one scenario together and in file order, as an item set is read.
func arrange(qs []*Question, rng *rand.Rand) []*Question {
	var blocks [][]*Question
	byScenario := map[string]int{}
	for _, q := range qs {
		if q.ScenarioID == "" {
			blocks = append(blocks, []*Question{q})
			continue
		}
		k := q.SetID + "/" + q.ScenarioID
		if i, ok := byScenario[k]; ok {
			blocks[i] = append(blocks[i], q)
		} else {
			byScenario[k] = len(blocks)
			blocks = append(blocks, []*Question{q})
		}
	}
	rng.Shuffle(len(blocks), func(i, j int) { blocks[i], blocks[j] = blocks[j], blocks[i] })
	out := make([]*Question, 0, len(qs))
	for _, b := range blocks {
		sort.SliceStable(b, func(i, j int) bool { return b[i].Version < b[j].Version })
		out = append(out, b...)
	}
	return out
}

// shuffleOptions returns the order in which a learner sees q's options:
// shuffled, except that pinned options keep their place.
func shuffleOptions(q *Question, rng *rand.Rand) []string {
	if q.Type == Numeric {
		return nil
	}
	order := make([]string, len(q.Options))
	var free []string
	for i, o := range q.Options {
		if o.Pinned {
			order[i] = o.ID
		} else {
			free = append(free, o.ID)
		}
	}
	rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	for i := range order {
		if order[i] == "" {
			order[i], free = free[0], free[1:]
		}
	}
	return order
}

// describeFilter says in words what a quiz asked for, for the message when
// too few questions match.
func describeFilter(topics []string, difficulty string, sets []string) string {
	var parts []string
	if len(topics) > 0 {
		parts = append(parts, "topics "+strings.Join(topics, ", "))
	}
	if difficulty != "" {
		parts = append(parts, "difficulty "+difficulty)
	}
	if len(sets) > 0 {
		parts = append(parts, fmt.Sprintf("%d chosen set(s)", len(sets)))
	}
	if len(parts) == 0 {
		return "the bank"
	}
	return strings.Join(parts, ", ")
}
