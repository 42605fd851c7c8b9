package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

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
