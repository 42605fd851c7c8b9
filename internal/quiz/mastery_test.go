package quiz

import (
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/fsrs"
)

func tally(answers ...float64) Aggregate {
	var a Aggregate
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range answers {
		a.Add(c, 60*time.Second, at)
	}
	return a
}

func repeat(c float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = c
	}
	return out
}

func TestMastery(t *testing.T) {
	tests := []struct {
		name         string
		answers      []float64
		weak, strong bool
		min, max     float64
	}{
		{"no answers", nil, false, false, 0.5, 0.5},
		{"three lucky answers are not strong", repeat(1, 3), false, false, 0.75, 0.85},
		{"three misses are weak", repeat(0, 3), true, false, 0.15, 0.25},
		{"forty right of forty is strong", repeat(1, 40), false, true, 0.9, 1},
		{"sixty percent is not clearly below the pass level", func() []float64 {
			var a []float64
			for i := 0; i < 50; i++ {
				a = append(a, float64(min(1, i%5/2)))
			}
			return a
		}(), false, false, 0.5, 0.7},
		{"recent misses after old successes are weak", append(repeat(1, 30), repeat(0, 20)...), true, false, 0.3, 0.5},
		{"half right over many answers is weak", func() []float64 {
			var a []float64
			for i := 0; i < 60; i++ {
				a = append(a, float64(i%2))
			}
			return a
		}(), true, false, 0.4, 0.6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tally(tt.answers...).Mastery()
			if m.Weak != tt.weak || m.Strong != tt.strong || m.Estimate < tt.min || m.Estimate > tt.max {
				t.Errorf("Mastery = %+v, want weak=%v strong=%v estimate in [%v, %v]", m, tt.weak, tt.strong, tt.min, tt.max)
			}
			if m.Low > m.Estimate+1e-9 && tt.answers != nil || m.High < m.Low {
				t.Errorf("band %v-%v does not hold the estimate %v", m.Low, m.High, m.Estimate)
			}
		})
	}
}

func TestMasteryFollowsRecentAnswers(t *testing.T) {
	improving := tally(append(repeat(0, 30), repeat(1, 30)...)...).Mastery()
	declining := tally(append(repeat(1, 30), repeat(0, 30)...)...).Mastery()
	if improving.Estimate <= 0.6 || declining.Estimate >= 0.4 {
		t.Errorf("same accuracy, different order: improving %.2f, declining %.2f; recent answers should dominate",
			improving.Estimate, declining.Estimate)
	}
}

func TestRecordUpdatesCardAndTallies(t *testing.T) {
	var rec AnswerRecord
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	Record(&rec, 1, false, 40*time.Second, at)
	if rec.Card.Reps != 1 || rec.Card.Stability != fsrs.DefaultWeights[2] || rec.Topic.Answered != 1 || rec.Domain.Correct != 1 {
		t.Errorf("after a right answer: %+v", rec)
	}
	Record(&rec, 0, false, 0, at.Add(72*time.Hour))
	if rec.Card.Lapses != 1 || rec.Topic.Answered != 2 || rec.Topic.Correct != 1 || rec.Topic.Timed != 1 {
		t.Errorf("after a wrong answer: %+v", rec)
	}
	if Rating(1, true) != fsrs.Hard || Rating(0.5, false) != fsrs.Again {
		t.Errorf("rating mapping is off")
	}
}

func TestExamGain(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	exam := now.AddDate(0, 0, 30)
	weakCard := scheduler.Review(fsrs.Card{}, fsrs.Again, now.AddDate(0, 0, -3))
	strongCard := scheduler.Review(scheduler.Review(fsrs.Card{}, fsrs.Good, now.AddDate(0, 0, -40)), fsrs.Good, now.AddDate(0, 0, -20))
	gw, gs := examGain(weakCard, now, exam), examGain(strongCard, now, exam)
	if gw <= 0 || gs < 0 || gw <= gs {
		t.Errorf("gain for a weak card %v, for a strong card %v: want the weak card to gain more", gw, gs)
	}
	if examGain(weakCard, now, now.Add(-time.Hour)) != 0 {
		t.Errorf("a past exam gains nothing")
	}
}
