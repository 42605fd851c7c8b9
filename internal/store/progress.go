package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/rhitprep/rhitprep/internal/fsrs"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

type masteryRow struct {
	Kind     string
	Key      string
	Answered int
	Correct  int
	WTotal   float64
	WCorrect float64
	TimeMs   int64
	Timed    int
	LastAt   time.Time
}

func (r masteryRow) aggregate() quiz.Aggregate {
	return quiz.Aggregate{Answered: r.Answered, Correct: r.Correct, WTotal: r.WTotal, WCorrect: r.WCorrect,
		TimeMs: r.TimeMs, Timed: r.Timed, LastAt: r.LastAt.UTC()}
}

type cardRow struct {
	Answered   int
	Correct    int
	Stability  float64
	Difficulty float64
	Reps       int
	Lapses     int
	LastReview *time.Time
	Due        *time.Time
}

func (r cardRow) card() fsrs.Card {
	c := fsrs.Card{Stability: r.Stability, Difficulty: r.Difficulty, Reps: r.Reps, Lapses: r.Lapses}
	if r.LastReview != nil {
		c.LastReview = r.LastReview.UTC()
	}
	if r.Due != nil {
		c.Due = r.Due.UTC()
	}
	return c
}

// recordAnswer counts one scored answer: the learner's card for the
// question (FSRS), the tallies of its topic and domain, and the day's
// count, all inside the transaction that scores it.
func recordAnswer(tx *gorm.DB, userID string, q *quiz.Question, credit float64, unsure bool, spent time.Duration, at time.Time) error {
	at = at.UTC()
	var rec quiz.AnswerRecord
	var cards []cardRow
	if err := tx.Raw(`SELECT answered, correct, stability, difficulty, reps, lapses, last_review, due
		FROM user_questions WHERE user_id = ? AND set_id = ? AND qid = ?`, userID, q.SetID, q.ID).Scan(&cards).Error; err != nil {
		return err
	}
	if len(cards) > 0 {
		rec.Card = cards[0].card()
	}
	domain := strconv.Itoa(q.Domain)
	var ms []masteryRow
	if err := tx.Raw(`SELECT kind, key, answered, correct, w_total, w_correct, time_ms, timed, last_at FROM user_mastery
		WHERE user_id = ? AND ((kind = 'topic' AND key = ?) OR (kind = 'domain' AND key = ?))`, userID, q.Topic, domain).Scan(&ms).Error; err != nil {
		return err
	}
	for _, m := range ms {
		if m.Kind == "topic" {
			rec.Topic = m.aggregate()
		} else {
			rec.Domain = m.aggregate()
		}
	}
	quiz.Record(&rec, credit, unsure, spent, at)
	correct := 0
	if credit >= 1 {
		correct = 1
	}
	c := rec.Card
	if err := tx.Exec(`INSERT INTO user_questions (user_id, set_id, qid, topic, domain, answered, correct, last_correct, last_at,
			stability, difficulty, reps, lapses, last_review, due)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, set_id, qid) DO UPDATE SET
			answered = user_questions.answered + 1,
			correct = user_questions.correct + excluded.correct,
			last_correct = excluded.last_correct,
			last_at = excluded.last_at,
			topic = excluded.topic,
			domain = excluded.domain,
			stability = excluded.stability,
			difficulty = excluded.difficulty,
			reps = excluded.reps,
			lapses = excluded.lapses,
			last_review = excluded.last_review,
			due = excluded.due`,
		userID, q.SetID, q.ID, q.Topic, q.Domain, correct, correct == 1, at,
		c.Stability, c.Difficulty, c.Reps, c.Lapses, c.LastReview.UTC(), c.Due.UTC()).Error; err != nil {
		return err
	}
	upsert := func(kind, key string, a quiz.Aggregate) error {
		return tx.Exec(`INSERT INTO user_mastery (user_id, kind, key, answered, correct, w_total, w_correct, time_ms, timed, last_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (user_id, kind, key) DO UPDATE SET answered = excluded.answered, correct = excluded.correct,
				w_total = excluded.w_total, w_correct = excluded.w_correct, time_ms = excluded.time_ms,
				timed = excluded.timed, last_at = excluded.last_at`,
			userID, kind, key, a.Answered, a.Correct, a.WTotal, a.WCorrect, a.TimeMs, a.Timed, a.LastAt.UTC()).Error
	}
	if err := upsert("topic", q.Topic, rec.Topic); err != nil {
		return err
	}
	if q.Domain > 0 {
		if err := upsert("domain", domain, rec.Domain); err != nil {
			return err
		}
	}
	return tx.Exec(`INSERT INTO user_days (user_id, day, topic, answered, correct) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (user_id, day, topic) DO UPDATE SET answered = user_days.answered + 1,
			correct = user_days.correct + excluded.correct`,
		userID, at.Format(time.DateOnly), q.Topic, correct).Error
}

// Mastery returns the learner's tallies per topic and per domain.
func (s *Store) Mastery(ctx context.Context, userID string) (topics, domains map[string]quiz.Aggregate, err error) {
	var rows []masteryRow
	if err := s.read.WithContext(ctx).Raw(`SELECT kind, key, answered, correct, w_total, w_correct, time_ms, timed, last_at
		FROM user_mastery WHERE user_id = ?`, userID).Scan(&rows).Error; err != nil {
		return nil, nil, internal("mastery", err)
	}
	topics, domains = map[string]quiz.Aggregate{}, map[string]quiz.Aggregate{}
	for _, r := range rows {
		if r.Kind == "topic" {
			topics[r.Key] = r.aggregate()
		} else {
			domains[r.Key] = r.aggregate()
		}
	}
	return topics, domains, nil
}

// CardCounts returns how many of the learner's cards are due at now.
func (s *Store) DueCount(ctx context.Context, userID string, now time.Time) (int, error) {
	var n int64
	err := s.read.WithContext(ctx).Raw(`SELECT COUNT(*) FROM user_questions
		WHERE user_id = ? AND reps > 0 AND due <= ?`, userID, now.UTC()).Scan(&n).Error
	return int(n), internal("due count", err)
}

// Leeches returns the learner's questions forgotten again and again.
func (s *Store) Leeches(ctx context.Context, userID string) ([]quiz.Leech, error) {
	var rows []struct {
		SetID  string
		QID    string `gorm:"column:qid"`
		Lapses int
	}
	err := s.read.WithContext(ctx).Raw(`SELECT set_id, qid, lapses FROM user_questions
		WHERE user_id = ? AND lapses >= ? ORDER BY lapses DESC, qid LIMIT 50`, userID, fsrs.LeechLapses).Scan(&rows).Error
	if err != nil {
		return nil, internal("leeches", err)
	}
	out := make([]quiz.Leech, len(rows))
	for i, r := range rows {
		out[i] = quiz.Leech{SetID: r.SetID, QuestionID: r.QID, Lapses: r.Lapses}
	}
	return out, nil
}

// Days returns the learner's answers per day and topic since a day
// (YYYY-MM-DD), oldest first.
func (s *Store) Days(ctx context.Context, userID, since string) ([]quiz.Day, error) {
	var rows []quiz.Day
	err := s.read.WithContext(ctx).Raw(`SELECT day, topic, answered, correct FROM user_days
		WHERE user_id = ? AND day >= ? ORDER BY day, topic`, userID, since).Scan(&rows).Error
	return rows, internal("days", err)
}

// Plan returns the learner's exam date and daily budget; ok is false when
// none is set.
func (s *Store) Plan(ctx context.Context, userID string) (quiz.Plan, bool, error) {
	var rows []struct {
		ExamDate    string
		DailyBudget int
	}
	if err := s.read.WithContext(ctx).Raw("SELECT exam_date, daily_budget FROM user_plans WHERE user_id = ?", userID).Scan(&rows).Error; err != nil {
		return quiz.Plan{}, false, internal("plan", err)
	}
	if len(rows) == 0 {
		return quiz.Plan{}, false, nil
	}
	d, err := time.Parse(time.DateOnly, rows[0].ExamDate)
	if err != nil {
		return quiz.Plan{}, false, internal("plan", err)
	}
	return quiz.Plan{ExamDate: d, DailyBudget: rows[0].DailyBudget}, true, nil
}

// SetPlan stores the learner's exam date and daily budget; a zero exam
// date removes the plan.
func (s *Store) SetPlan(ctx context.Context, userID string, p quiz.Plan) error {
	err := s.Write(ctx, func(tx *gorm.DB) error {
		if p.ExamDate.IsZero() {
			return tx.Exec("DELETE FROM user_plans WHERE user_id = ?", userID).Error
		}
		return tx.Exec(`INSERT INTO user_plans (user_id, exam_date, daily_budget, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET exam_date = excluded.exam_date, daily_budget = excluded.daily_budget,
				updated_at = excluded.updated_at`, userID, p.ExamDate.Format(time.DateOnly), p.DailyBudget, s.now()).Error
	})
	return internal("set plan", err)
}
