// Package itemstats computes item analysis the way Moodle's quiz statistics
// report does, so an instructor can compare numbers between the two:
// facility index, standard deviation, discrimination index (item–rest
// correlation), discriminative efficiency, distractor counts, and for the
// test Cronbach's alpha (KR-20 for right/wrong items), error ratio and
// standard error. Variances are sample variances (divisor n−1), as in Moodle.
package itemstats

import (
	"math"
	"sort"
)

// Response is one learner's first scored answer to one item within one
// attempt.
type Response struct {
	Attempt string   // the attempt the answer belongs to
	Item    string   // the question id
	Credit  float64  // 0..1
	Choices []string // option ids chosen; empty for blank or numeric
	Blank   bool
}

// Item is the analysis of one item.
type Item struct {
	ID        string
	Responses int
	// Facility is the mean credit (0–1); nil below the minimum number of
	// responses, as are the figures that follow.
	Facility *float64
	SD       *float64
	// Discrimination is the correlation between the item's credit and the
	// rest of the attempt's score (the attempt's score on the other items).
	Discrimination *float64
	// Efficiency is the discrimination achieved as a share of the most the
	// item could achieve given its facility and the rest scores.
	Efficiency  *float64
	Distractors map[string]int
	// Flags name what makes the item dubious: "low efficiency",
	// "negative discrimination", "too easy", "too hard".
	Flags []string
}

// Test is the analysis of the whole set.
type Test struct {
	// Attempts is the number of attempts that include every item, the only
	// ones a reliability figure can be computed from.
	Attempts int
	Alpha    *float64 // Cronbach's alpha; KR-20 when every item is right/wrong
	// ErrorRatio is sqrt(1 − alpha): the share of the score's spread that
	// is noise.
	ErrorRatio *float64
	// StandardError is ErrorRatio × the standard deviation of total scores,
	// in score points.
	StandardError *float64
	MeanScore     *float64
	SD            *float64
}

// Thresholds for flagging dubious items, from Moodle's guidance.
const (
	LowEfficiency = 0.15
	TooEasy       = 0.95
	TooHard       = 0.05
)

// Sums are the running sums of one item over first attempts, from which
// every figure is computed: the store keeps them up to date as attempts
// are scored, so a report never rereads the answers.
type Sums struct {
	N                     int     // responses
	SX, SXX               float64 // credit x, and x squared
	SY, SYY               float64 // rest score y, and y squared
	SXY                   float64 // x times y
	XCounts, YCounts      map[float64]int
	Options               map[string]int // option id (or "blank") -> times chosen
	CompleteN             int            // responses from attempts that held every item
	CompleteX, CompleteXX float64
}

// Add counts one response: credit x, rest score y (the attempt's score on
// the set's other items), the options chosen, and whether the attempt held
// every item of the set.
func (s *Sums) Add(x, y float64, choices []string, blank, complete bool) {
	s.N++
	s.SX += x
	s.SXX += x * x
	s.SY += y
	s.SYY += y * y
	s.SXY += x * y
	if s.XCounts == nil {
		s.XCounts, s.YCounts, s.Options = map[float64]int{}, map[float64]int{}, map[string]int{}
	}
	s.XCounts[Bucket(x)]++
	s.YCounts[Bucket(y)]++
	if blank {
		s.Options["blank"]++
	}
	for _, c := range choices {
		s.Options[c]++
	}
	if complete {
		s.CompleteN++
		s.CompleteX += x
		s.CompleteXX += x * x
	}
}

// Bucket rounds a score to the precision the distributions are kept at.
func Bucket(v float64) float64 { return math.Round(v*10000) / 10000 }

// TestSums are the running sums of total scores over first attempts that
// held every item of the set.
type TestSums struct {
	N       int
	ST, STT float64
}

// Analyze computes item and test statistics straight from responses, by
// building the sums and calling FromSums. The server keeps sums as attempts
// finish instead; Analyze is the direct computation the tests hold those
// sums to. items lists the set's item ids (and their option ids, for the
// distractor table) in the order to report them; responses to other items
// are ignored.
func Analyze(items []string, options map[string][]string, responses []Response, minResponses int) ([]Item, Test) {
	known := map[string]bool{}
	for _, id := range items {
		known[id] = true
	}
	byAttempt := map[string][]Response{}
	for _, r := range responses {
		if known[r.Item] {
			byAttempt[r.Attempt] = append(byAttempt[r.Attempt], r)
		}
	}
	sums := map[string]*Sums{}
	for _, id := range items {
		sums[id] = &Sums{}
	}
	var test TestSums
	for _, rs := range byAttempt {
		total := 0.0
		for _, r := range rs {
			total += r.Credit
		}
		complete := len(rs) == len(items)
		for _, r := range rs {
			sums[r.Item].Add(r.Credit, total-r.Credit, r.Choices, r.Blank, complete)
		}
		if complete {
			test.N++
			test.ST += total
			test.STT += total * total
		}
	}
	flat := make(map[string]Sums, len(sums))
	for id, s := range sums {
		flat[id] = *s
	}
	return FromSums(items, options, flat, test, minResponses)
}

// FromSums computes the analysis from running sums.
func FromSums(items []string, options map[string][]string, sums map[string]Sums, test TestSums, minResponses int) ([]Item, Test) {
	out := make([]Item, 0, len(items))
	for _, id := range items {
		s := sums[id]
		it := Item{ID: id, Responses: s.N, Distractors: map[string]int{"blank": 0}}
		for _, o := range options[id] {
			it.Distractors[o] = 0
		}
		for o, n := range s.Options {
			it.Distractors[o] += n
		}
		if s.N >= max(minResponses, 2) {
			n := float64(s.N)
			f := s.SX / n
			vx := (s.SXX - s.SX*s.SX/n) / (n - 1)
			vy := (s.SYY - s.SY*s.SY/n) / (n - 1)
			cov := (s.SXY - s.SX*s.SY/n) / (n - 1)
			sd := math.Sqrt(math.Max(0, vx))
			it.Facility, it.SD = &f, &sd
			if vx > 1e-12 && vy > 1e-12 {
				d := cov / math.Sqrt(vx*vy)
				it.Discrimination = &d
			}
			if maxCov := (pairedSum(s.XCounts, s.YCounts) - s.SX*s.SY/n) / (n - 1); maxCov > 1e-12 {
				e := cov / maxCov
				it.Efficiency = &e
			}
			it.Flags = flags(it)
		}
		out = append(out, it)
	}
	return out, reliability(items, sums, test)
}

// pairedSum is the sum of x·y when both distributions are sorted and
// paired in the same order: the largest sum the values allow, which gives
// the largest possible covariance.
func pairedSum(xs, ys map[float64]int) float64 {
	sorted := func(m map[float64]int) []float64 {
		out := make([]float64, 0, len(m))
		for v := range m {
			out = append(out, v)
		}
		sort.Float64s(out)
		return out
	}
	xv, yv := sorted(xs), sorted(ys)
	i, j := 0, 0
	xn, yn := 0, 0
	if len(xv) > 0 {
		xn = xs[xv[0]]
	}
	if len(yv) > 0 {
		yn = ys[yv[0]]
	}
	sum := 0.0
	for i < len(xv) && j < len(yv) {
		k := min(xn, yn)
		sum += float64(k) * xv[i] * yv[j]
		xn -= k
		yn -= k
		if xn == 0 {
			if i++; i < len(xv) {
				xn = xs[xv[i]]
			}
		}
		if yn == 0 {
			if j++; j < len(yv) {
				yn = ys[yv[j]]
			}
		}
	}
	return sum
}

func flags(it Item) []string {
	var f []string
	if it.Efficiency != nil && *it.Efficiency < LowEfficiency {
		f = append(f, "low efficiency")
	}
	if it.Discrimination != nil && *it.Discrimination < 0 {
		f = append(f, "negative discrimination")
	}
	if *it.Facility > TooEasy {
		f = append(f, "too easy")
	}
	if *it.Facility < TooHard {
		f = append(f, "too hard")
	}
	return f
}

// reliability computes Cronbach's alpha over the attempts that hold every
// item: alpha = k/(k−1) × (1 − Σ var(item) / var(total)).
func reliability(items []string, sums map[string]Sums, test TestSums) Test {
	t := Test{Attempts: test.N}
	k := len(items)
	if test.N < 2 || k < 2 {
		return t
	}
	n := float64(test.N)
	m := test.ST / n
	vt := (test.STT - test.ST*test.ST/n) / (n - 1)
	sd := math.Sqrt(math.Max(0, vt))
	t.MeanScore, t.SD = &m, &sd
	if vt <= 1e-12 {
		return t
	}
	sumItemVar := 0.0
	for _, id := range items {
		s := sums[id]
		if s.CompleteN != test.N {
			return t // the sums are out of step; say nothing rather than something wrong
		}
		sumItemVar += (s.CompleteXX - s.CompleteX*s.CompleteX/n) / (n - 1)
	}
	alpha := float64(k) / float64(k-1) * (1 - sumItemVar/vt)
	t.Alpha = &alpha
	if alpha <= 1 && alpha >= 0 {
		er := math.Sqrt(1 - alpha)
		se := er * sd
		t.ErrorRatio, t.StandardError = &er, &se
	}
	return t
}
