package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/rhitprep/rhitprep/internal/itemstats"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// bigSet makes n distinct, well-formed questions spread over the topics and
// domains, as a large uploaded bank would be.
func bigSet(n int) []*quiz.Question {
	topics := quiz.Topics()
	qs := make([]*quiz.Question, n)
	for i := range qs {
		qs[i] = &quiz.Question{ID: fmt.Sprintf("big-%05d", i), Topic: topics[i%5].ID, Domain: i%6 + 1,
			Difficulty: quiz.Medium, Cognitive: quiz.Application, Type: quiz.Single,
			Stem:    fmt.Sprintf("Generated question number %d about a recurring theme: which option is keyed?", i),
			Options: []quiz.Option{{ID: "A", Text: "first"}, {ID: "B", Text: "second"}, {ID: "C", Text: "third"}, {ID: "D", Text: "fourth"}},
			Answer:  []string{string(rune('A' + i%4))}, Rationale: "By construction.", References: []string{"benchmark"}}
	}
	return qs
}

// BenchmarkImport10k stores a 10,000-question set in one transaction.
func BenchmarkImport10k(b *testing.B) {
	st := mustOpen(b)
	qs := bigSet(10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.ImportSet(context.Background(), SetImport{Name: fmt.Sprintf("big %d", i), Source: "upload",
			Format: "yaml", Hash: fmt.Sprint(i), Questions: qs}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(qs)*b.N)/b.Elapsed().Seconds(), "questions/s")
}

// BenchmarkSaveAnswerParallel measures durable answer saves from many
// goroutines at once: the group-commit writer's throughput.
func BenchmarkSaveAnswerParallel(b *testing.B) {
	st := mustOpen(b)
	ctx := context.Background()
	res, err := st.ImportSet(ctx, SetImport{Name: "bench", Source: "upload", Format: "yaml", Hash: "h", Questions: bigSet(200)})
	if err != nil {
		b.Fatal(err)
	}
	qs, err := st.SetQuestions(ctx, res.Set.ID)
	if err != nil {
		b.Fatal(err)
	}
	const learners = 64
	var attempts []string
	for u := 0; u < learners; u++ {
		user := quiz.User{ID: uuid.NewString(), Username: fmt.Sprintf("bench%03d", u), Role: quiz.RoleLearner, CreatedAt: time.Now()}
		if err := st.CreateUser(ctx, user, "h"); err != nil {
			b.Fatal(err)
		}
		a := &quiz.Attempt{ID: uuid.NewString(), UserID: user.ID, Mode: quiz.ModeQuiz, Feedback: quiz.Deferred,
			Status: quiz.InProgress, StartedAt: time.Now(), LastActive: time.Now()}
		for i := 0; i < 50; i++ {
			a.Items = append(a.Items, &quiz.Item{Position: i + 1, Question: qs[(u+i)%len(qs)], Order: []string{"A", "B", "C", "D"}, Scored: true})
		}
		if err := st.CreateAttempt(ctx, a); err != nil {
			b.Fatal(err)
		}
		attempts = append(attempts, a.ID)
	}
	var n atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			id := attempts[i%learners]
			_, err := st.UpdateItem(ctx, id, int(i%50)+1, func(s *quiz.ItemState) error {
				s.Response = quiz.Response{Choices: []string{string(rune('A' + i%4))}}
				s.LastActive = time.Now()
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
}

// seedHistory gives one learner a long history straight in SQL: attempts
// attempts of items items each, all scored, with the running tallies that
// scoring maintains, as a year of heavy practice would leave them.
func seedHistory(b *testing.B, st *Store, setID string, questions, attempts, items int) string {
	b.Helper()
	ctx := context.Background()
	user := quiz.User{ID: uuid.NewString(), Username: "heavy", Role: quiz.RoleLearner, CreatedAt: time.Now()}
	if err := st.CreateUser(ctx, user, "h"); err != nil {
		b.Fatal(err)
	}
	db := quietSetup(ctx, st)
	steps := []string{
		`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
		 INSERT INTO attempts (id, user_id, mode, feedback, status, started_at, finished_at, seed, last_active,
			score_correct, score_total, percent)
		 SELECT printf('att-%08d', i), ?, 'quiz', 'deferred', 'submitted', datetime('2026-01-01', '+' || i || ' minutes'),
			datetime('2026-01-01', '+' || i || ' minutes'), i, datetime('2026-01-01'), 30, ?, 60 FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
		 INSERT INTO attempt_items (attempt_id, position, question_id, option_order, scored, response, credit)
		 SELECT printf('att-%08d', i / ?), i % ? + 1, q.id, 'A,B,C,D', TRUE, '["A"]', (i % 3 = 0)
		 FROM n JOIN questions q ON q.set_id = ? AND q.set_version = 1 AND q.qid = printf('big-%05d', (i * 7) % ?)`,
	}
	if err := db.Exec(steps[0], attempts, user.ID, items).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.Exec(steps[1], attempts*items, items, items, setID, questions).Error; err != nil {
		b.Fatal(err)
	}
	err := db.Exec(`INSERT INTO user_questions (user_id, set_id, qid, topic, domain, answered, correct, last_correct, last_at,
			stability, difficulty, reps, lapses, last_review, due)
		SELECT ?, q.set_id, q.qid, q.topic, q.domain, 100, 33, FALSE, datetime('2026-06-01'), 3.5, 6.1, 100, 9,
			datetime('2026-06-01'), datetime('2026-06-04') FROM questions q WHERE q.set_id = ?`, user.ID, setID).Error
	if err != nil {
		b.Fatal(err)
	}
	for _, t := range quiz.Topics() {
		if err := db.Exec(`INSERT INTO user_mastery VALUES (?, 'topic', ?, 200000, 66000, 33, 11, 9000000, 200000, datetime('2026-06-01'))`,
			user.ID, t.ID).Error; err != nil {
			b.Fatal(err)
		}
	}
	for d := 1; d <= 6; d++ {
		if err := db.Exec(`INSERT INTO user_mastery VALUES (?, 'domain', ?, 160000, 53000, 33, 11, 0, 0, datetime('2026-06-01'))`,
			user.ID, fmt.Sprint(d)).Error; err != nil {
			b.Fatal(err)
		}
	}
	return user.ID
}

// BenchmarkProgressMillionAnswers reads a learner's whole dashboard over a
// history of 1,000,000 scored answers in 10,000 attempts.
func BenchmarkProgressMillionAnswers(b *testing.B) {
	st := mustOpen(b)
	ctx := context.Background()
	res, err := st.ImportSet(ctx, SetImport{Name: "bench", Source: "upload", Format: "yaml", Hash: "h", Questions: bigSet(10000)})
	if err != nil {
		b.Fatal(err)
	}
	userID := seedHistory(b, st, res.Set.ID, 10000, 10000, 100)
	svc := quiz.NewService(st, shippedBlueprint(b), time.Now, nil)
	if err := svc.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	user := quiz.User{ID: userID}
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		p, err := svc.Progress(ctx, user)
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
		if len(p.History) != quiz.HistoryLength || p.Readiness == nil {
			b.Fatalf("progress: %d history entries, readiness %v", len(p.History), p.Readiness)
		}
	}
	// The target is a p99, so report the distribution, not only the mean.
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100])/1e6, "p99-ms")
}

// BenchmarkItemAnalysisMillionAnswers reads the item analysis of a
// 100-question set whose sums hold 1,000,000 answers in 10,000 first
// attempts. The sums are built from the seeded answers in SQL, as the
// store would have kept them while the attempts finished.
func BenchmarkItemAnalysisMillionAnswers(b *testing.B) {
	st := mustOpen(b)
	ctx := context.Background()
	res, err := st.ImportSet(ctx, SetImport{Name: "bench", Source: "upload", Format: "yaml", Hash: "h", Questions: bigSet(100)})
	if err != nil {
		b.Fatal(err)
	}
	seedHistory(b, st, res.Set.ID, 100, 10000, 100)
	db := quietSetup(ctx, st)
	for _, q := range []string{
		`CREATE TEMP TABLE totals AS SELECT attempt_id, SUM(credit) AS t FROM attempt_items GROUP BY attempt_id`,
		`INSERT INTO item_sums SELECT q.set_id, q.set_version, q.qid, COUNT(*), SUM(i.credit), SUM(i.credit * i.credit),
			SUM(t.t - i.credit), SUM((t.t - i.credit) * (t.t - i.credit)), SUM(i.credit * (t.t - i.credit)),
			COUNT(*), SUM(i.credit), SUM(i.credit * i.credit)
		 FROM attempt_items i JOIN totals t ON t.attempt_id = i.attempt_id JOIN questions q ON q.id = i.question_id
		 GROUP BY q.set_id, q.set_version, q.qid`,
		`INSERT INTO item_counts SELECT q.set_id, q.set_version, q.qid, 'x', CAST(i.credit AS TEXT), COUNT(*)
		 FROM attempt_items i JOIN questions q ON q.id = i.question_id GROUP BY 1, 2, 3, 5`,
		`INSERT INTO item_counts SELECT q.set_id, q.set_version, q.qid, 'y', CAST(t.t - i.credit AS TEXT), COUNT(*)
		 FROM attempt_items i JOIN totals t ON t.attempt_id = i.attempt_id JOIN questions q ON q.id = i.question_id GROUP BY 1, 2, 3, 5`,
		`INSERT INTO item_counts SELECT q.set_id, q.set_version, q.qid, 'o', 'A', COUNT(*)
		 FROM attempt_items i JOIN questions q ON q.id = i.question_id GROUP BY 1, 2, 3`,
		`INSERT INTO set_sums SELECT ?, 1, COUNT(*), SUM(t), SUM(t * t), COUNT(*) FROM totals`,
	} {
		args := []any{}
		if strings.Contains(q, "?") {
			args = append(args, res.Set.ID)
		}
		if err := db.Exec(q, args...).Error; err != nil {
			b.Fatal(err)
		}
	}
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("big-%05d", i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sums, test, learners, err := st.ItemSums(ctx, res.Set.ID, res.Set.Version)
		if err != nil {
			b.Fatal(err)
		}
		items, stats := itemstats.FromSums(ids, nil, sums, test, 10)
		if len(items) != 100 || items[0].Responses != 10000 || stats.Attempts != 10000 || learners != 10000 || stats.Alpha == nil {
			b.Fatalf("analysis: %d items, %d responses, %d complete attempts, %d learners", len(items), items[0].Responses, stats.Attempts, learners)
		}
	}
}

// quietSetup is the writer connection for seeding a benchmark's data in
// bulk, without the slow-query warnings those statements are expected to
// raise.
func quietSetup(ctx context.Context, st *Store) *gorm.DB {
	return st.write.Session(&gorm.Session{Logger: logger.Discard}).WithContext(ctx)
}
