package quiz

import (
	"math"
	"time"

	"github.com/rhitprep/rhitprep/internal/fsrs"
)

// Recency is how much each answer's weight shrinks with every newer answer
// in the same topic: with 0.97, an answer 23 answers back counts half as
// much as the latest, so the estimate follows a learner who is improving.
const Recency = 0.97

// PassLevel is the share of right answers a candidate needs, the same cut
// the blueprint's scaled-score estimate assumes.
const PassLevel = 0.70

// Aggregate is a learner's running tally in one topic or domain, kept up to
// date as answers are scored so progress never scans history.
type Aggregate struct {
	Answered int
	Correct  int
	// WTotal and WCorrect are the recency-weighted counts.
	WTotal   float64
	WCorrect float64
	// TimeMs and Timed are the time spent on answers that had a time, for
	// pacing.
	TimeMs int64
	Timed  int
	LastAt time.Time
}

// Add counts one scored answer.
func (a *Aggregate) Add(credit float64, spent time.Duration, at time.Time) {
	a.Answered++
	if credit >= 1 {
		a.Correct++
	}
	a.WTotal = a.WTotal*Recency + 1
	a.WCorrect = a.WCorrect*Recency + credit
	if spent > 0 {
		a.TimeMs += spent.Milliseconds()
		a.Timed++
	}
	a.LastAt = at
}

// Mastery is an estimate of the share of questions a learner would get
// right in an area, with a confidence band.
type Mastery struct {
	Estimate float64 // recency-weighted accuracy, pulled towards 50 % when evidence is thin
	Low      float64 // the 90 % band around it
	High     float64
	// Weak means clearly below the pass level: even the top of the band is
	// under it. A handful of answers never makes an area weak or strong.
	Weak bool
	// Strong means clearly above the pass level.
	Strong bool
}

// Mastery turns the tally into an estimate. The estimate is the weighted
// accuracy with one right and one wrong pseudo-answer added (a Beta(1,1)
// prior), and the band is the 90 % Wilson score interval over the weighted
// number of answers, so three lucky answers give a wide band.
func (a Aggregate) Mastery() Mastery {
	m := Mastery{Estimate: (a.WCorrect + 1) / (a.WTotal + 2), Low: 0, High: 1}
	if a.WTotal > 0 {
		m.Low, m.High = wilson(a.WCorrect/a.WTotal, a.WTotal, 1.645)
	}
	m.Weak = a.Answered > 0 && m.High < PassLevel
	m.Strong = m.Low > PassLevel
	return m
}

// wilson is the Wilson score interval for a proportion p over n trials.
func wilson(p, n, z float64) (float64, float64) {
	z2 := z * z
	centre := (p + z2/(2*n)) / (1 + z2/n)
	margin := z * math.Sqrt(p*(1-p)/n+z2/(4*n*n)) / (1 + z2/n)
	return math.Max(0, centre-margin), math.Min(1, centre+margin)
}

// AnswerRecord is what scoring one answer updates for its learner: the
// question's spaced-repetition card and the tallies of its topic and
// domain. The store loads it, Record changes it, the store saves it, all
// in the transaction that scores the answer.
type AnswerRecord struct {
	Card   fsrs.Card
	Topic  Aggregate
	Domain Aggregate
}

// scheduler is FSRS with its defaults; it holds no state.
var scheduler = fsrs.NewScheduler()

// Rating maps an answer to an FSRS rating: wrong is Again, right is Good,
// right but unsure is Hard.
func Rating(credit float64, unsure bool) fsrs.Rating {
	switch {
	case credit < 1:
		return fsrs.Again
	case unsure:
		return fsrs.Hard
	}
	return fsrs.Good
}

// Record counts one scored answer in rec.
func Record(rec *AnswerRecord, credit float64, unsure bool, spent time.Duration, at time.Time) {
	rec.Card = scheduler.Review(rec.Card, Rating(credit, unsure), at)
	rec.Topic.Add(credit, spent, at)
	rec.Domain.Add(credit, spent, at)
}
