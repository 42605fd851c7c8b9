// Package fsrs schedules spaced-repetition reviews with FSRS-6, the model
// behind Anki's scheduler, using its published formulas and default
// parameters. No maintained Go module implements FSRS-6, so rhitprep keeps
// its own: one card per learner and question, rated Again when answered
// wrong and Good when right (Hard when right but unsure).
package fsrs

import (
	"math"
	"time"
)

// Rating is how a review went.
type Rating int

// Ratings, as FSRS numbers them.
const (
	Again Rating = 1
	Hard  Rating = 2
	Good  Rating = 3
	Easy  Rating = 4
)

// DefaultWeights are FSRS-6's default parameters w0..w20, as shipped in
// py-fsrs and ts-fsrs.
var DefaultWeights = [21]float64{
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
	0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
	0.1542,
}

// LeechLapses is when a card counts as a leech: Anki's default of 8 lapses.
const LeechLapses = 8

// Card is the memory state of one learner for one question.
type Card struct {
	Stability  float64 // days until recall probability falls to 90 %
	Difficulty float64 // 1 (easy) to 10 (hard)
	Reps       int
	Lapses     int
	LastReview time.Time
	Due        time.Time
}

// New reports whether the card has never been reviewed.
func (c Card) New() bool { return c.Reps == 0 }

// Leech reports whether the learner keeps forgetting this question.
func (c Card) Leech() bool { return c.Lapses >= LeechLapses }

// Scheduler applies FSRS with a set of weights and a desired retention.
type Scheduler struct {
	W         [21]float64
	Retention float64 // the recall probability at which a review falls due
}

// NewScheduler returns a scheduler with the default weights and Anki's
// default desired retention of 0.9.
func NewScheduler() *Scheduler { return &Scheduler{W: DefaultWeights, Retention: 0.9} }

func (s *Scheduler) factor() float64 { return math.Pow(0.9, -1/s.W[20]) - 1 }

// Retrievability is the probability of recall t days after the last review
// of a card with stability st.
func (s *Scheduler) Retrievability(t, st float64) float64 {
	if st <= 0 {
		return 0
	}
	return math.Pow(1+s.factor()*math.Max(t, 0)/st, -s.W[20])
}

// Recall is the probability that the learner recalls the card at time at.
func (s *Scheduler) Recall(c Card, at time.Time) float64 {
	if c.New() {
		return 0
	}
	return s.Retrievability(days(at.Sub(c.LastReview)), c.Stability)
}

// Interval is the number of days after which recall falls to retention r.
func (s *Scheduler) Interval(st, r float64) float64 {
	return st / s.factor() * (math.Pow(r, -1/s.W[20]) - 1)
}

func (s *Scheduler) initStability(g Rating) float64 { return math.Max(s.W[g-1], 0.001) }

func (s *Scheduler) initDifficulty(g Rating) float64 {
	return s.W[4] - math.Exp(s.W[5]*float64(g-1)) + 1
}

func clampD(d float64) float64 { return math.Min(10, math.Max(1, d)) }

// nextDifficulty moves difficulty by the rating, damped as it nears 10,
// then reverts it slightly towards the initial difficulty of Easy.
func (s *Scheduler) nextDifficulty(d float64, g Rating) float64 {
	delta := -s.W[6] * float64(g-3)
	dd := d + delta*(10-d)/9
	return clampD(s.W[7]*s.initDifficulty(Easy) + (1-s.W[7])*dd)
}

func (s *Scheduler) recallStability(d, st, r float64, g Rating) float64 {
	h, b := 1.0, 1.0
	if g == Hard {
		h = s.W[15]
	}
	if g == Easy {
		b = s.W[16]
	}
	return st * (1 + math.Exp(s.W[8])*(11-d)*math.Pow(st, -s.W[9])*(math.Exp(s.W[10]*(1-r))-1)*h*b)
}

func (s *Scheduler) forgetStability(d, st, r float64) float64 {
	next := s.W[11] * math.Pow(d, -s.W[12]) * (math.Pow(st+1, s.W[13]) - 1) * math.Exp(s.W[14]*(1-r))
	return math.Min(next, st/math.Exp(s.W[17]*s.W[18]))
}

func (s *Scheduler) shortTermStability(st float64, g Rating) float64 {
	next := st * math.Exp(s.W[17]*(float64(g)-3+s.W[18])) * math.Pow(st, -s.W[19])
	if g >= Good {
		next = math.Max(next, st)
	}
	return next
}

// Review returns the card after a review rated g at time at. Stability is
// updated with the difficulty before the review, as the reference
// implementations do; a review on the same day as the last one uses the
// short-term formula.
func (s *Scheduler) Review(c Card, g Rating, at time.Time) Card {
	next := c
	if c.New() {
		next.Stability = s.initStability(g)
		next.Difficulty = clampD(s.initDifficulty(g))
	} else {
		elapsed := days(at.Sub(c.LastReview))
		switch {
		case elapsed < 1:
			next.Stability = s.shortTermStability(c.Stability, g)
		case g == Again:
			next.Stability = s.forgetStability(c.Difficulty, c.Stability, s.Retrievability(elapsed, c.Stability))
		default:
			next.Stability = s.recallStability(c.Difficulty, c.Stability, s.Retrievability(elapsed, c.Stability), g)
		}
		next.Difficulty = s.nextDifficulty(c.Difficulty, g)
		if g == Again {
			next.Lapses++
		}
	}
	next.Reps++
	next.LastReview = at
	ivl := math.Max(1, math.Round(s.Interval(next.Stability, s.Retention)))
	if g == Again {
		// A forgotten card comes back the next day whatever its stability.
		ivl = 1
	}
	next.Due = at.Add(time.Duration(ivl * 24 * float64(time.Hour)))
	return next
}

func days(d time.Duration) float64 { return d.Hours() / 24 }
