package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

type attemptRow struct {
	ID           string
	UserID       string
	Mode         string
	Feedback     string
	Status       string
	StartedAt    time.Time
	Deadline     *time.Time
	FinishedAt   *time.Time
	TimeLimitS   int
	Seed         int64
	LastActive   time.Time
	ScoreCorrect *float64
	ScoreTotal   *int
	Percent      *float64
	Scaled       *int
	Passed       *bool
}

func (attemptRow) TableName() string { return "attempts" }

type itemRow struct {
	AttemptID   string
	Position    int
	QuestionID  int64
	OptionOrder string
	Scored      bool
	Response    *string
	Flagged     bool
	Unsure      bool
	Credit      *float64
	TimeSpentMs int64
	AnsweredAt  *time.Time
}

func (itemRow) TableName() string { return "attempt_items" }

func encodeResponse(r quiz.Response) (*string, error) {
	if r.IsZero() {
		return nil, nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

func decodeResponse(s *string) (quiz.Response, error) {
	var r quiz.Response
	if s == nil {
		return r, nil
	}
	err := json.Unmarshal([]byte(*s), &r)
	return r, err
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateAttempt stores a new attempt and its items in one transaction.
func (s *Store) CreateAttempt(ctx context.Context, a *quiz.Attempt) error {
	row := attemptRow{ID: a.ID, UserID: a.UserID, Mode: a.Mode, Feedback: a.Feedback, Status: a.Status,
		StartedAt: a.StartedAt.UTC(), Deadline: utc(a.Deadline), TimeLimitS: a.TimeLimit, Seed: a.Seed,
		LastActive: a.LastActive.UTC()}
	err := s.WriteFor(ctx, a.ID, func(tx *gorm.DB) error {
		items := make([]itemRow, len(a.Items))
		for i, it := range a.Items {
			if it.Question.Version == 0 {
				// A generated question is stored as a version of the
				// generated set the first time an attempt draws it.
				if err := storeGenerated(tx, it.Question); err != nil {
					return err
				}
			}
			items[i] = itemRow{AttemptID: a.ID, Position: it.Position, QuestionID: it.Question.Version,
				OptionOrder: strings.Join(it.Order, ","), Scored: it.Scored}
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := s.insertItems(ctx, tx, items); err != nil {
			return err
		}
		if s.live != nil {
			s.live.put(a, s.now())
		}
		return nil
	})
	return internal("create attempt", err)
}

// insertItems writes an attempt's items with one multi-row INSERT per 200
// items, no reflection: a mock exam's 150 rows go through a statement
// prepared at start.
func (s *Store) insertItems(ctx context.Context, tx *gorm.DB, items []itemRow) error {
	stx, err := sqlTx(tx)
	if err != nil {
		return err
	}
	for len(items) > 0 {
		chunk := items[:min(len(items), 200)]
		items = items[len(chunk):]
		args := make([]any, 0, 5*len(chunk))
		for _, it := range chunk {
			args = append(args, it.AttemptID, it.Position, it.QuestionID, it.OptionOrder, it.Scored)
		}
		if len(chunk) == mockItems {
			_, err = stx.StmtContext(ctx, s.hot.insertMock).ExecContext(ctx, args...)
		} else {
			_, err = stx.ExecContext(ctx, s.insertItemsSQL(len(chunk)), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// storeGenerated stores a generated question as a version of the generated
// set, or finds it if the same variant is already stored, and sets its
// Version.
func storeGenerated(tx *gorm.DB, q *quiz.Question) error {
	q.SetID, q.SetVersion = quiz.GeneratedSetID, 1
	r, err := toQuestionRow(q, q.SetID, q.SetVersion)
	if err != nil {
		return err
	}
	if err := tx.Exec(`INSERT INTO questions (set_id, set_version, qid, topic, domain, subtopic, difficulty, cognitive,
			type, scenario_id, scenario, stem, options, answer, value, tolerance, partial_credit, rationale, refs, review)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (set_id, set_version, qid) DO NOTHING`,
		r.SetID, r.SetVersion, r.QID, r.Topic, r.Domain, r.Subtopic, r.Difficulty, r.Cognitive, r.Type, r.ScenarioID,
		r.Scenario, r.Stem, r.Options, r.Answer, r.Value, r.Tolerance, r.PartialCredit, r.Rationale, r.Refs, r.Review).Error; err != nil {
		return err
	}
	return tx.Raw("SELECT id FROM questions WHERE set_id = ? AND set_version = ? AND qid = ?", r.SetID, r.SetVersion, r.QID).
		Scan(&q.Version).Error
}

// Attempt returns the attempt with its items; ENOTFOUND if there is none.
func (s *Store) Attempt(ctx context.Context, id string) (*quiz.Attempt, error) {
	a, err := s.loadAttempt(s.read.WithContext(ctx), id, false)
	return a, internal("attempt", err)
}

func (s *Store) loadAttempt(db *gorm.DB, id string, lock bool) (*quiz.Attempt, error) {
	var rows []attemptRow
	q := "SELECT * FROM attempts WHERE id = ?"
	if lock {
		q += s.lockRows("attempts")
	}
	if err := db.Raw(q, id).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, gorm.ErrRecordNotFound
	}
	row := rows[0]
	var items []itemRow
	if err := db.Where("attempt_id = ?", id).Order("position").Find(&items).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.QuestionID
	}
	qs, err := s.cachedQuestions(db, ids)
	if err != nil {
		return nil, err
	}
	a := &quiz.Attempt{ID: row.ID, UserID: row.UserID, Mode: row.Mode, Feedback: row.Feedback,
		Status: row.Status, StartedAt: row.StartedAt.UTC(), Deadline: utc(row.Deadline),
		FinishedAt: utc(row.FinishedAt), TimeLimit: row.TimeLimitS, Seed: row.Seed,
		LastActive: row.LastActive.UTC(), Items: make([]*quiz.Item, len(items))}
	if row.ScoreTotal != nil {
		a.Score = &quiz.Score{Correct: *row.ScoreCorrect, Total: *row.ScoreTotal, Percent: *row.Percent,
			Scaled: row.Scaled, Passed: row.Passed}
	}
	for i, it := range items {
		resp, err := decodeResponse(it.Response)
		if err != nil {
			return nil, err
		}
		var order []string
		if it.OptionOrder != "" {
			order = strings.Split(it.OptionOrder, ",")
		}
		a.Items[i] = &quiz.Item{Position: it.Position, Question: qs[it.QuestionID], Order: order,
			Scored: it.Scored, Response: resp, Flagged: it.Flagged, Unsure: it.Unsure, Credit: it.Credit,
			TimeSpent: time.Duration(it.TimeSpentMs) * time.Millisecond, AnsweredAt: utc(it.AnsweredAt)}
	}
	return a, nil
}

// Attempts lists a user's attempts, newest first.
func (s *Store) Attempts(ctx context.Context, userID string) ([]quiz.AttemptSummary, error) {
	var rows []attemptRow
	err := s.read.WithContext(ctx).Where("user_id = ?", userID).
		Order("started_at DESC").Limit(1000).Find(&rows).Error
	if err != nil {
		return nil, internal("attempts", err)
	}
	out := make([]quiz.AttemptSummary, len(rows))
	for i, r := range rows {
		out[i] = quiz.AttemptSummary{ID: r.ID, Mode: r.Mode, Status: r.Status, StartedAt: r.StartedAt.UTC(),
			FinishedAt: utc(r.FinishedAt), Percent: r.Percent}
	}
	return out, nil
}

// History returns the user's most recent finished attempts, newest first,
// reading only what a history chart needs.
func (s *Store) History(ctx context.Context, userID string, limit int) ([]quiz.AttemptSummary, error) {
	var rows []struct {
		ID         string
		Mode       string
		Status     string
		StartedAt  time.Time
		FinishedAt *time.Time
		Percent    *float64
	}
	err := s.read.WithContext(ctx).Raw(`SELECT id, mode, status, started_at, finished_at, percent FROM attempts
		WHERE user_id = ? AND status <> 'in_progress' ORDER BY started_at DESC LIMIT ?`, userID, limit).Scan(&rows).Error
	if err != nil {
		return nil, internal("history", err)
	}
	out := make([]quiz.AttemptSummary, len(rows))
	for i, r := range rows {
		out[i] = quiz.AttemptSummary{ID: r.ID, Mode: r.Mode, Status: r.Status, StartedAt: r.StartedAt.UTC(),
			FinishedAt: utc(r.FinishedAt), Percent: r.Percent}
	}
	return out, nil
}

type itemStateRow struct {
	UserID      string
	Status      string
	Feedback    string
	Deadline    *time.Time
	LastActive  time.Time
	QuestionID  int64
	Scored      bool
	Response    *string
	Flagged     bool
	Unsure      bool
	Credit      *float64
	TimeSpentMs int64
	AnsweredAt  *time.Time
}

// lockRows is the clause that locks the rows a write transaction read, so
// two PostgreSQL servers saving into one attempt, or one saving while
// another submits it, take turns. SQLite has one writer and needs none.
func (s *Store) lockRows(tables string) string {
	if s.dialect == "postgres" {
		return " FOR UPDATE OF " + tables
	}
	return ""
}

// UpdateItem runs fn on the item's state inside a durable write and stores
// what fn changed. An item whose credit goes from nil to a value is counted
// in the learner's progress in the same transaction.
func (s *Store) UpdateItem(ctx context.Context, attemptID string, position int, fn func(*quiz.ItemState) error) (*quiz.ItemState, error) {
	var out *quiz.ItemState
	err := s.WriteFor(ctx, attemptID, func(tx *gorm.DB) error {
		stx, err := sqlTx(tx)
		if err != nil {
			return err
		}
		var st *quiz.ItemState
		mirrored := false
		if s.live != nil {
			st, mirrored = s.live.item(attemptID, position)
		}
		if !mirrored {
			if st, err = s.selectItemState(ctx, tx, stx, attemptID, position); err != nil {
				return err
			}
		}
		if st == nil {
			return quiz.Errorf(quiz.ENOTFOUND, "No such exam item.")
		}
		wasScored := st.Credit != nil
		if err := fn(st); err != nil {
			return err
		}
		enc, err := encodeResponse(st.Response)
		if err != nil {
			return err
		}
		if _, err := stx.StmtContext(ctx, s.hot.updateItem).ExecContext(ctx, enc, st.Flagged, st.Unsure, st.Credit,
			st.TimeSpent.Milliseconds(), utc(st.AnsweredAt), attemptID, position); err != nil {
			return err
		}
		if _, err := stx.StmtContext(ctx, s.hot.touchAttempt).ExecContext(ctx, st.LastActive.UTC(), attemptID); err != nil {
			return err
		}
		if !wasScored && st.Credit != nil && st.Scored {
			a := []answer{{q: st.Question, credit: *st.Credit, unsure: st.Unsure, spent: st.TimeSpent}}
			if err := s.recordAnswers(tx, st.UserID, a, st.LastActive); err != nil {
				return err
			}
		}
		if s.live != nil {
			s.live.set(attemptID, position, st)
		}
		out = st
		return nil
	})
	if err == nil && out == nil {
		err = errors.New("update item: write finished without running")
	}
	return out, internal("update item", err)
}

// selectItemState reads an item's state from the database inside the
// writer's transaction; nil if there is no such item. An attempt still in
// progress is then mirrored whole, so its next saves read no rows.
func (s *Store) selectItemState(ctx context.Context, tx *gorm.DB, stx *sql.Tx, attemptID string, position int) (*quiz.ItemState, error) {
	var r itemStateRow
	err := stx.StmtContext(ctx, s.hot.itemState).QueryRowContext(ctx, attemptID, position).Scan(&r.UserID, &r.Status,
		&r.Feedback, &r.Deadline, &r.LastActive, &r.QuestionID, &r.Scored, &r.Response, &r.Flagged, &r.Unsure,
		&r.Credit, &r.TimeSpentMs, &r.AnsweredAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	qs, err := s.cachedQuestions(tx, []int64{r.QuestionID})
	if err != nil {
		return nil, err
	}
	resp, err := decodeResponse(r.Response)
	if err != nil {
		return nil, err
	}
	if s.live != nil && r.Status == quiz.InProgress {
		a, err := s.loadAttempt(tx, attemptID, false)
		if err != nil {
			return nil, err
		}
		s.live.put(a, s.now())
	}
	return &quiz.ItemState{UserID: r.UserID, Status: r.Status, Feedback: r.Feedback,
		Deadline: utc(r.Deadline), LastActive: r.LastActive.UTC(), Question: qs[r.QuestionID],
		Scored: r.Scored, Response: resp, Flagged: r.Flagged, Unsure: r.Unsure, Credit: r.Credit,
		TimeSpent: time.Duration(r.TimeSpentMs) * time.Millisecond, AnsweredAt: utc(r.AnsweredAt)}, nil
}

// FinishAttempt loads the attempt inside a durable write and runs fn; if fn
// returns nil, the attempt's status, score and item credits are stored and
// newly scored items are counted in progress.
func (s *Store) FinishAttempt(ctx context.Context, id string, fn func(*quiz.Attempt) error) (*quiz.Attempt, error) {
	var out *quiz.Attempt
	err := s.WriteFor(ctx, id, func(tx *gorm.DB) error {
		if s.live != nil {
			// Whatever the outcome, the next save reads the database.
			s.live.forget(id)
		}
		a, err := s.loadAttempt(tx, id, true)
		if err != nil {
			return err
		}
		before := make([]bool, len(a.Items))
		for i, it := range a.Items {
			before[i] = it.Credit != nil
		}
		if err := fn(a); err != nil {
			return err
		}
		upd := map[string]any{"status": a.Status, "finished_at": utc(a.FinishedAt)}
		if a.Score != nil {
			upd["score_correct"] = a.Score.Correct
			upd["score_total"] = a.Score.Total
			upd["percent"] = a.Score.Percent
			upd["scaled"] = a.Score.Scaled
			upd["passed"] = a.Score.Passed
		}
		if err := tx.Model(&attemptRow{}).Where("id = ?", id).Updates(upd).Error; err != nil {
			return err
		}
		at := s.now()
		if a.FinishedAt != nil {
			at = *a.FinishedAt
		}
		var graded []*quiz.Item
		var answers []answer
		var shown []*quiz.Question
		for i, it := range a.Items {
			if before[i] || it.Credit == nil {
				continue
			}
			graded = append(graded, it)
			if it.Scored {
				answers = append(answers, answer{q: it.Question, credit: *it.Credit, unsure: it.Unsure, spent: it.TimeSpent})
			} else {
				shown = append(shown, it.Question)
			}
		}
		if err := s.setCredits(tx, id, graded); err != nil {
			return err
		}
		if err := s.recordAnswers(tx, a.UserID, answers, at); err != nil {
			return err
		}
		if err := s.recordSeen(tx, a.UserID, shown, at); err != nil {
			return err
		}
		if err := s.recordFirstAttempts(tx, a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, internal("finish attempt", err)
}

// setCredits stores the credit of each of an attempt's items in one
// statement per 500 items.
func (s *Store) setCredits(tx *gorm.DB, attemptID string, items []*quiz.Item) error {
	stx, err := sqlTx(tx)
	if err != nil {
		return err
	}
	for len(items) > 0 {
		chunk := items[:min(len(items), maxRowsPerInsert)]
		items = items[len(chunk):]
		var b strings.Builder
		b.WriteString("UPDATE attempt_items SET credit = CASE position")
		args := make([]any, 0, 3*len(chunk)+1)
		for _, it := range chunk {
			// The cast tells PostgreSQL the parameter's type.
			b.WriteString(" WHEN ? THEN CAST(? AS DOUBLE PRECISION)")
			args = append(args, it.Position, *it.Credit)
		}
		b.WriteString(" END WHERE attempt_id = ? AND position IN (" + marks(len(chunk)) + ")")
		args = append(args, attemptID)
		for _, it := range chunk {
			args = append(args, it.Position)
		}
		if _, err := stx.Exec(s.rebind(b.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// OverdueAttempts lists attempts still in progress past their deadline.
func (s *Store) OverdueAttempts(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var ids []string
	err := s.read.WithContext(ctx).Raw(`SELECT id FROM attempts WHERE status = 'in_progress'
		AND deadline IS NOT NULL AND deadline <= ? ORDER BY deadline LIMIT ?`, now.UTC(), limit).Scan(&ids).Error
	return ids, internal("overdue attempts", err)
}

// SeenQuestions returns the learner's record of every question they have
// been shown in a finished attempt or answered, with its FSRS card.
func (s *Store) SeenQuestions(ctx context.Context, userID string) (map[quiz.Key]quiz.Seen, error) {
	// The card fields are spelled out: GORM does not fill embedded
	// structs from raw queries.
	var rows []struct {
		SetID       string
		QID         string `gorm:"column:qid"`
		LastCorrect bool
		Answered    int
		Correct     int
		Stability   float64
		Difficulty  float64
		Reps        int
		Lapses      int
		LastReview  *time.Time
		Due         *time.Time
	}
	err := s.read.WithContext(ctx).Raw(`SELECT set_id, qid, last_correct, answered, correct, stability, difficulty, reps,
		lapses, last_review, due FROM user_questions WHERE user_id = ?`, userID).Scan(&rows).Error
	if err != nil {
		return nil, internal("seen questions", err)
	}
	out := make(map[quiz.Key]quiz.Seen, len(rows))
	for _, r := range rows {
		card := cardRow{Answered: r.Answered, Correct: r.Correct, Stability: r.Stability, Difficulty: r.Difficulty,
			Reps: r.Reps, Lapses: r.Lapses, LastReview: r.LastReview, Due: r.Due}.card()
		out[quiz.Key{SetID: r.SetID, ID: r.QID}] = quiz.Seen{Answered: r.Answered, LastCorrect: r.LastCorrect, Card: card}
	}
	return out, nil
}
