package store

import (
	"context"
	"time"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// LearnerSummary is one account's activity, for the instructors' report.
type LearnerSummary struct {
	User     quiz.User
	Exams    int
	LastExam *time.Time
	Topics   map[string]quiz.Aggregate
	Domains  map[string]quiz.Aggregate
}

// LearnerSummaries returns every account with its finished exams and
// running tallies, in username order.
func (s *Store) LearnerSummaries(ctx context.Context) ([]LearnerSummary, error) {
	db := s.read.WithContext(ctx)
	var users []userRow
	if err := db.Order("username_key").Find(&users).Error; err != nil {
		return nil, internal("learners", err)
	}
	var exams []struct {
		UserID string
		N      int
		Last   *string
	}
	if err := db.Raw(`SELECT user_id, COUNT(*) AS n, MAX(finished_at) AS last FROM attempts
		WHERE status <> 'in_progress' GROUP BY user_id`).Scan(&exams).Error; err != nil {
		return nil, internal("learners", err)
	}
	var ms []struct {
		UserID string
		masteryRow
	}
	rows, err := db.Raw(`SELECT user_id, kind, key, answered, correct, w_total, w_correct, time_ms, timed, last_at
		FROM user_mastery`).Rows()
	if err != nil {
		return nil, internal("learners", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r struct {
			UserID string
			masteryRow
		}
		if err := rows.Scan(&r.UserID, &r.Kind, &r.Key, &r.Answered, &r.Correct, &r.WTotal, &r.WCorrect,
			&r.TimeMs, &r.Timed, &r.LastAt); err != nil {
			return nil, internal("learners", err)
		}
		ms = append(ms, r)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("learners", err)
	}
	byUser := map[string]*LearnerSummary{}
	out := make([]LearnerSummary, len(users))
	for i, u := range users {
		out[i] = LearnerSummary{User: u.user(), Topics: map[string]quiz.Aggregate{}, Domains: map[string]quiz.Aggregate{}}
		byUser[u.ID] = &out[i]
	}
	for _, e := range exams {
		if l := byUser[e.UserID]; l != nil {
			l.Exams = e.N
			if e.Last != nil {
				if t, err := parseTime(*e.Last); err == nil {
					l.LastExam = &t
				}
			}
		}
	}
	for _, m := range ms {
		if l := byUser[m.UserID]; l != nil {
			if m.Kind == "topic" {
				l.Topics[m.Key] = m.aggregate()
			} else {
				l.Domains[m.Key] = m.aggregate()
			}
		}
	}
	return out, nil
}

// parseTime reads a timestamp that came back from an aggregate as text.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Parse(time.RFC3339, s)
}
