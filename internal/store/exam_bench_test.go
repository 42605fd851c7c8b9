package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/rhitprep/rhitprep/internal/blueprint"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/questions"
)

// mockService is the exam service over a fresh store holding a
// 10,000-question bank, with the shipped blueprint.
func mockService(b *testing.B) (*Store, *quiz.Service) {
	b.Helper()
	ctx := context.Background()
	st := mustOpen(b)
	if _, err := st.ImportSet(ctx, SetImport{Name: "bench", Source: "upload", Format: "yaml", Hash: "h", Questions: bigSet(10000)}); err != nil {
		b.Fatal(err)
	}
	svc := quiz.NewService(st, shippedBlueprint(b), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := svc.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	return st, svc
}

// shippedBlueprint is the mock exam's shape as the binary ships it.
func shippedBlueprint(tb testing.TB) *blueprint.Blueprint {
	tb.Helper()
	data, err := questions.FS.ReadFile("blueprint.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	bp, err := blueprint.Parse(data)
	if err != nil {
		tb.Fatal(err)
	}
	return bp
}

func benchUser(b *testing.B, st *Store, name string) quiz.User {
	b.Helper()
	u := quiz.User{ID: uuid.NewString(), Username: name, Role: quiz.RoleLearner, CreatedAt: time.Now()}
	if err := st.CreateUser(context.Background(), u, "h"); err != nil {
		b.Fatal(err)
	}
	return u
}

// BenchmarkStartMock starts 150-item mock exams from a 10,000-question bank
// for 16 learners at once: the draw by the blueprint, option shuffles and
// the durable insert of the attempt and its items.
func BenchmarkStartMock(b *testing.B) {
	st, svc := mockService(b)
	users := make([]quiz.User, 16)
	for i := range users {
		users[i] = benchUser(b, st, fmt.Sprintf("start%02d", i))
	}
	var n atomic.Int64
	b.SetParallelism(8) // 16 goroutines on two cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			u := users[n.Add(1)%int64(len(users))]
			a, err := svc.Start(context.Background(), u, quiz.StartRequest{Mode: quiz.ModeMock})
			if err != nil {
				b.Fatal(err)
			}
			if len(a.Items) != 150 {
				b.Fatalf("a mock exam of %d items", len(a.Items))
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "starts/s")
}

// BenchmarkSubmitMock scores and closes a fully answered mock exam, each a
// learner's first, so it also counts every answer in progress and in the
// item-analysis sums: the heaviest single write there is.
func BenchmarkSubmitMock(b *testing.B) {
	st, svc := mockService(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		u := benchUser(b, st, fmt.Sprintf("submit%06d", i))
		a, err := svc.Start(ctx, u, quiz.StartRequest{Mode: quiz.ModeMock})
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range a.Items {
			choice := it.Question.Options[i%len(it.Question.Options)].ID
			if _, err := svc.SaveItem(ctx, u, a.ID, it.Position, quiz.SaveRequest{Response: &quiz.Response{Choices: []string{choice}}}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		done, err := svc.Submit(ctx, u, a.ID)
		if err != nil {
			b.Fatal(err)
		}
		if done.Score == nil || done.Score.Total != 130 {
			b.Fatalf("submitted score %+v", done.Score)
		}
	}
}
