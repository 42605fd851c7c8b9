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
// it. It shuffles only as far as it needs: a mock exam takes ~30 questions
// from domains of thousands.
func preferUnseen(qs []*Question, n int, seen map[Key]Seen, rng *rand.Rand) []*Question {
	n = min(n, len(qs))
	unseen := make([]*Question, 0, len(qs))
	var repeat []*Question
	for _, q := range qs {
		if _, ok := seen[KeyOf(q)]; ok {
			repeat = append(repeat, q)
		} else {
			unseen = append(unseen, q)
		}
	}
	out := partialShuffle(unseen, n, rng)
	return append(out, partialShuffle(repeat, n-len(out), rng)...)
}

// partialShuffle moves k random elements of qs to its front (the first k
// steps of a Fisher–Yates shuffle) and returns them.
func partialShuffle(qs []*Question, k int, rng *rand.Rand) []*Question {
	k = min(k, len(qs))
	for i := 0; i < k; i++ {
		j := i + rng.IntN(len(qs)-i)
		qs[i], qs[j] = qs[j], qs[i]
	}
	return qs[:k]
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
	used := map[*Question]bool{}
	for _, d := range bp.Domains {
		for _, q := range preferUnseen(ix.byDomain[d.ID], alloc[d.ID], seen, rng) {
			scored = append(scored, q)
			used[q] = true
		}
	}
	var rest []*Question
	for _, d := range bp.Domains {
		for _, q := range ix.byDomain[d.ID] {
			if !used[q] {
				rest = append(rest, q)
			}
		}
	}
	if len(rest) < bp.Pretest {
		return nil, nil, Errorf(EINVALID, "The question bank is too small for a mock exam: %d questions are left for the %d pretest items.", len(rest), bp.Pretest)
	}
	pretest = preferUnseen(rest, bp.Pretest, seen, rng)
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
