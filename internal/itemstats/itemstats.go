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

// Analyze computes item and test statistics over responses. items lists
// the set's item ids (and their option ids, for the distractor table) in
// the order to report them; responses to other items are ignored.
func Analyze(items []string, options map[string][]string, responses []Response, minResponses int) ([]Item, Test) {
	known := map[string]bool{}
	for _, id := range items {
		known[id] = true
	}
	// attempt -> item -> credit
	byAttempt := map[string]map[string]float64{}
	byItem := map[string][]Response{}
	for _, r := range responses {
		if !known[r.Item] {
			continue
		}
		if byAttempt[r.Attempt] == nil {
			byAttempt[r.Attempt] = map[string]float64{}
		}
		byAttempt[r.Attempt][r.Item] = r.Credit
		byItem[r.Item] = append(byItem[r.Item], r)
	}
	total := map[string]float64{}
	for a, credits := range byAttempt {
		for _, c := range credits {
			total[a] += c
		}
	}

	out := make([]Item, 0, len(items))
	for _, id := range items {
		rs := byItem[id]
		it := Item{ID: id, Responses: len(rs), Distractors: map[string]int{"blank": 0}}
		for _, o := range options[id] {
			it.Distractors[o] = 0
		}
		for _, r := range rs {
			if r.Blank {
				it.Distractors["blank"]++
			}
			for _, c := range r.Choices {
				it.Distractors[c]++
			}
		}
		if len(rs) >= max(minResponses, 2) {
			x := make([]float64, len(rs))
			y := make([]float64, len(rs))
			for i, r := range rs {
				x[i] = r.Credit
				y[i] = total[r.Attempt] - r.Credit
			}
			f := mean(x)
			sd := math.Sqrt(variance(x))
			it.Facility, it.SD = &f, &sd
			if d, ok := correlation(x, y); ok {
				it.Discrimination = &d
			}
			if e, ok := efficiency(x, y); ok {
				it.Efficiency = &e
			}
			it.Flags = flags(it)
		}
		out = append(out, it)
	}
	return out, reliability(items, byAttempt)
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

// reliability computes Cronbach's alpha over the attempts that include
// every item: alpha = k/(k−1) × (1 − Σ var(item) / var(total)).
func reliability(items []string, byAttempt map[string]map[string]float64) Test {
	var complete []map[string]float64
	for _, credits := range byAttempt {
		if len(credits) == len(items) {
			complete = append(complete, credits)
		}
	}
	t := Test{Attempts: len(complete)}
	k := len(items)
	if len(complete) < 2 || k < 2 {
		return t
	}
	totals := make([]float64, len(complete))
	sumItemVar := 0.0
	for _, id := range items {
		col := make([]float64, len(complete))
		for j, c := range complete {
			col[j] = c[id]
			totals[j] += c[id]
		}
		sumItemVar += variance(col)
	}
	m, sd := mean(totals), math.Sqrt(variance(totals))
	t.MeanScore, t.SD = &m, &sd
	vt := variance(totals)
	if vt == 0 {
		return t
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

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// variance is the sample variance (divisor n−1).
func variance(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	m := mean(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

func covariance(x, y []float64) float64 {
	mx, my := mean(x), mean(y)
	s := 0.0
	for i := range x {
		s += (x[i] - mx) * (y[i] - my)
	}
	return s / float64(len(x)-1)
}

// correlation is Pearson's r; false when either side has no spread.
func correlation(x, y []float64) (float64, bool) {
	vx, vy := variance(x), variance(y)
	if vx == 0 || vy == 0 {
		return 0, false
	}
	return covariance(x, y) / math.Sqrt(vx*vy), true
}

// efficiency is cov(item, rest) divided by the largest covariance the same
// values could have, reached when both are sorted in the same order.
func efficiency(x, y []float64) (float64, bool) {
	sx, sy := append([]float64(nil), x...), append([]float64(nil), y...)
	sort.Float64s(sx)
	sort.Float64s(sy)
	maxCov := covariance(sx, sy)
	if maxCov <= 0 {
		return 0, false
	}
	return covariance(x, y) / maxCov, true
}
