package fsrs

import (
	"math"
	"testing"
	"time"
)

// The reference values below come from an independent transcription of the
// published FSRS-6 formulas, testdata/reference.py (python3 runs it), not
// from this package.
func close(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12f, want %.12f", name, got, want)
	}
}

func TestReviewSequenceMatchesReference(t *testing.T) {
	s := NewScheduler()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	c := s.Review(Card{}, Good, t0)
	close(t, "S after first Good", c.Stability, 2.3065)
	close(t, "D after first Good", c.Difficulty, 2.118103970459015)
	if c.Reps != 1 || c.Lapses != 0 || !c.Due.Equal(t0.Add(2*day)) {
		t.Errorf("card = %+v, want 1 rep, due in round(2.3065) = 2 days", c)
	}
	steps := []struct {
		g        Rating
		at       time.Duration
		r, st, d float64
	}{
		{Good, 3 * day, 0.8809479557659419, 13.826903694354572, 2.1112142357853942},
		{Again, 20 * day, 0.8851901525920766, 1.7665255781987192, 7.392238132342694},
		{Good, 21 * day, 0.9341938560429497, 3.793636173423692, 7.38007426350719},
	}
	for _, st := range steps {
		close(t, "R before step", s.Recall(c, t0.Add(st.at)), st.r)
		c = s.Review(c, st.g, t0.Add(st.at))
		close(t, "S", c.Stability, st.st)
		close(t, "D", c.Difficulty, st.d)
	}
	if c.Reps != 4 || c.Lapses != 1 {
		t.Errorf("reps %d lapses %d, want 4 and 1", c.Reps, c.Lapses)
	}
}

func TestFormulas(t *testing.T) {
	s := NewScheduler()
	close(t, "R(S,S)", s.Retrievability(10, 10), 0.9)
	close(t, "I(10, 0.9)", s.Interval(10, 0.9), 10)
	close(t, "I(10, 0.8)", s.Interval(10, 0.8), 33.159597862309816)
	close(t, "Hard", s.recallStability(5, 10, 0.9, Hard), 23.246875110466817)
	close(t, "Easy", s.recallStability(5, 10, 0.9, Easy), 51.25386164681294)
	close(t, "short-term Again", s.shortTermStability(2.3065, Again), 0.7750839828558982)
	close(t, "short-term Good never shrinks", s.shortTermStability(2.3065, Good), 2.3065)
	c := s.Review(Card{}, Again, time.Unix(0, 0))
	close(t, "S after first Again", c.Stability, 0.212)
	close(t, "D after first Again", c.Difficulty, 6.4133)
}

func TestProperties(t *testing.T) {
	s := NewScheduler()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := s.Review(Card{}, Good, at)
	for i := 0; i < 32; i++ {
		g := Good
		if i%4 == 3 {
			g = Again
		}
		at = c.Due
		prev := c
		c = s.Review(c, g, at)
		if c.Difficulty < 1 || c.Difficulty > 10 || c.Stability <= 0 || math.IsNaN(c.Stability) {
			t.Fatalf("step %d: card out of range: %+v", i, c)
		}
		if g == Good && c.Stability < prev.Stability {
			t.Errorf("step %d: a successful review lowered stability %v -> %v", i, prev.Stability, c.Stability)
		}
		if g == Again && (c.Stability > prev.Stability || !c.Due.Equal(at.Add(24*time.Hour))) {
			t.Errorf("step %d: a lapse: %+v after %+v", i, c, prev)
		}
	}
	if !c.Leech() {
		t.Errorf("8 lapses in 32 reviews, card not a leech: %+v", c)
	}
	if s.Recall(Card{}, at) != 0 {
		t.Errorf("a new card has no recall")
	}
}
