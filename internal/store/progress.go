package store

import (
	"context"
	"sort"
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

// cardRow is a learner's card for a question (set id and question id).
type cardRow struct {
	SetID      string `gorm:"column:set_id"`
	QID        string `gorm:"column:qid"`
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

// answer is one scored answer to count in a learner's progress.
type answer struct {
	q      *quiz.Question
	credit float64
	unsure bool
	spent  time.Duration
}

// recordAnswers counts a learner's scored answers, in order, inside the
// transaction that scores them: the card of each question (FSRS), the
// tallies of its topic and domain, and the day's counts. It reads in two
// queries and writes one statement per table, however many answers: a
// mock exam's 130 answers one by one were some 800 statements in the
// single writer, and every answer save waited behind them.
func (s *Store) recordAnswers(tx *gorm.DB, userID string, answers []answer, at time.Time) error {
	if len(answers) == 0 {
		return nil
	}
	at = at.UTC()
	var sets, qids []any
	seenSet, seenQID := map[string]bool{}, map[string]bool{}
	for _, a := range answers {
		if !seenSet[a.q.SetID] {
			seenSet[a.q.SetID] = true
			sets = append(sets, a.q.SetID)
		}
		if !seenQID[a.q.ID] {
			seenQID[a.q.ID] = true
			qids = append(qids, a.q.ID)
		}
	}
	// Sets and ids are matched separately, which may read a few cards of
	// other questions; only the ones answered are used.
	var cards []cardRow
	if err := tx.Raw(`SELECT set_id, qid, answered, correct, stability, difficulty, reps, lapses, last_review, due
		FROM user_questions WHERE user_id = ? AND set_id IN (`+marks(len(sets))+`) AND qid IN (`+marks(len(qids))+`)`,
		append(append([]any{userID}, sets...), qids...)...).Scan(&cards).Error; err != nil {
		return err
	}
	type key struct{ set, qid string }
	type cardDelta struct {
		q               *quiz.Question
		card            fsrs.Card
		answered, right int
		lastRight       bool
	}
	state := map[key]*cardDelta{}
	for _, c := range cards {
		state[key{c.SetID, c.QID}] = &cardDelta{card: c.card()}
	}
	var ms []masteryRow
	if err := tx.Raw(`SELECT kind, key, answered, correct, w_total, w_correct, time_ms, timed, last_at
		FROM user_mastery WHERE user_id = ?`, userID).Scan(&ms).Error; err != nil {
		return err
	}
	type aggKey struct{ kind, key string }
	aggs := map[aggKey]quiz.Aggregate{}
	for _, m := range ms {
		aggs[aggKey{m.Kind, m.Key}] = m.aggregate()
	}
	touched := map[aggKey]bool{}
	days := map[string][2]int{} // by topic: every answer here is counted on the day of at

	var order []key
	for _, a := range answers {
		k := key{a.q.SetID, a.q.ID}
		d := state[k]
		if d == nil {
			d = &cardDelta{}
			state[k] = d
		}
		if d.q == nil {
			d.q = a.q
			order = append(order, k)
		}
		tk, dk := aggKey{"topic", a.q.Topic}, aggKey{"domain", strconv.Itoa(a.q.Domain)}
		rec := quiz.AnswerRecord{Card: d.card, Topic: aggs[tk], Domain: aggs[dk]}
		quiz.Record(&rec, a.credit, a.unsure, a.spent, at)
		d.card, aggs[tk] = rec.Card, rec.Topic
		touched[tk] = true
		if a.q.Domain > 0 {
			aggs[dk] = rec.Domain
			touched[dk] = true
		}
		right := 0
		if a.credit >= 1 {
			right = 1
		}
		d.answered++
		d.right += right
		d.lastRight = right == 1
		n := days[a.q.Topic]
		days[a.q.Topic] = [2]int{n[0] + 1, n[1] + right}
	}

	// Rows are written in key order, so two PostgreSQL servers finishing
	// attempts of one learner lock them in the same order.
	sort.Slice(order, func(i, j int) bool {
		return order[i].set < order[j].set || order[i].set == order[j].set && order[i].qid < order[j].qid
	})
	cardRows := make([][]any, 0, len(order))
	for _, k := range order {
		d := state[k]
		c := d.card
		cardRows = append(cardRows, []any{userID, k.set, k.qid, d.q.Topic, d.q.Domain, d.answered, d.right, d.lastRight, at,
			c.Stability, c.Difficulty, c.Reps, c.Lapses, c.LastReview.UTC(), c.Due.UTC()})
	}
	if err := s.insertRows(tx, `INSERT INTO user_questions (user_id, set_id, qid, topic, domain, answered, correct,
			last_correct, last_at, stability, difficulty, reps, lapses, last_review, due)`, cardRows,
		`ON CONFLICT (user_id, set_id, qid) DO UPDATE SET
			answered = user_questions.answered + excluded.answered,
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
			due = excluded.due`); err != nil {
		return err
	}

	aggOrder := make([]aggKey, 0, len(touched))
	for k := range touched {
		aggOrder = append(aggOrder, k)
	}
	sort.Slice(aggOrder, func(i, j int) bool {
		return aggOrder[i].kind < aggOrder[j].kind || aggOrder[i].kind == aggOrder[j].kind && aggOrder[i].key < aggOrder[j].key
	})
	aggRows := make([][]any, 0, len(aggOrder))
	for _, k := range aggOrder {
		a := aggs[k]
		aggRows = append(aggRows, []any{userID, k.kind, k.key, a.Answered, a.Correct, a.WTotal, a.WCorrect, a.TimeMs, a.Timed, a.LastAt.UTC()})
	}
	if err := s.insertRows(tx, `INSERT INTO user_mastery (user_id, kind, key, answered, correct, w_total, w_correct, time_ms, timed, last_at)`,
		aggRows, `ON CONFLICT (user_id, kind, key) DO UPDATE SET answered = excluded.answered, correct = excluded.correct,
			w_total = excluded.w_total, w_correct = excluded.w_correct, time_ms = excluded.time_ms,
			timed = excluded.timed, last_at = excluded.last_at`); err != nil {
		return err
	}

	topics := make([]string, 0, len(days))
	for t := range days {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	day := at.Format(time.DateOnly)
	dayRows := make([][]any, 0, len(topics))
	for _, t := range topics {
		dayRows = append(dayRows, []any{userID, day, t, days[t][0], days[t][1]})
	}
	return s.insertRows(tx, `INSERT INTO user_days (user_id, day, topic, answered, correct)`, dayRows,
		`ON CONFLICT (user_id, day, topic) DO UPDATE SET answered = user_days.answered + excluded.answered,
			correct = user_days.correct + excluded.correct`)
}

// recordSeen notes that the learner was shown questions in unscored items,
// so later exams prefer others; it counts as no answer.
func (s *Store) recordSeen(tx *gorm.DB, userID string, qs []*quiz.Question, at time.Time) error {
	sort.Slice(qs, func(i, j int) bool {
		return qs[i].SetID < qs[j].SetID || qs[i].SetID == qs[j].SetID && qs[i].ID < qs[j].ID
	})
	rows := make([][]any, 0, len(qs))
	for _, q := range qs {
		rows = append(rows, []any{userID, q.SetID, q.ID, q.Topic, q.Domain, 0, 0, false, at.UTC()})
	}
	return s.insertRows(tx, `INSERT INTO user_questions (user_id, set_id, qid, topic, domain, answered, correct, last_correct, last_at)`,
		rows, `ON CONFLICT (user_id, set_id, qid) DO NOTHING`)
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
	err := s.read.WithContext(ctx).Raw(leechesSQL(), userID).Scan(&rows).Error
	if err != nil {
		return nil, internal("leeches", err)
	}
	out := make([]quiz.Leech, len(rows))
	for i, r := range rows {
		out[i] = quiz.Leech{SetID: r.SetID, QuestionID: r.QID, Lapses: r.Lapses}
	}
	return out, nil
}

// leechesSQL lists a learner's 50 worst leeches. The threshold is written
// into the SQL, not bound: only a literal lets the planner use the partial
// index of migration 0007.
func leechesSQL() string {
	return `SELECT set_id, qid, lapses FROM user_questions WHERE user_id = ? AND lapses >= ` +
		strconv.Itoa(fsrs.LeechLapses) + ` ORDER BY lapses DESC, qid LIMIT 50`
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
