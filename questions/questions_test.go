package questions

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/blueprint"
	"github.com/rhitprep/rhitprep/internal/fixture"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/sets"
	"github.com/rhitprep/rhitprep/internal/store"
)

// TestShippedQuestions holds the embedded banks to the full rules of
// content.md, so a bad item cannot land.
func TestShippedQuestions(t *testing.T) {
	banks, problems, err := bank.LoadShipped(FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	if len(banks) == 0 {
		t.Fatal("no shipped banks")
	}
	ids := map[string]string{}
	for _, b := range banks {
		for _, q := range b.Set.Questions {
			if prev, ok := ids[q.ID]; ok {
				t.Errorf("id %s is in both %s and %s", q.ID, prev, b.File)
			}
			ids[q.ID] = b.File
		}
	}
}

// TestBlueprintFitsTheShippedBanks checks that the banks can fill the mock
// exam's every domain range.
func TestBlueprintFitsTheShippedBanks(t *testing.T) {
	data, err := fs.ReadFile(FS, "blueprint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bp, err := blueprint.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	banks, _, err := bank.LoadShipped(FS)
	if err != nil {
		t.Fatal(err)
	}
	var all []*quiz.Question
	for _, b := range banks {
		all = append(all, b.Set.Questions...)
	}
	avail := map[int]int{}
	for _, q := range all {
		avail[q.Domain]++
	}
	if _, err := bp.AllocateWithin(avail); err != nil {
		t.Errorf("the shipped banks cannot fill a mock exam: %v (have %v)", err, avail)
	}
}

// TestThreeMockExamsWithoutReuse draws three full mock exams in a row for
// one learner from the shipped banks: every domain range met each time and
// no question repeated across the three, as a candidate preparing over
// several weeks would take them.
func TestThreeMockExamsWithoutReuse(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, fixture.DSN(t), store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	data, err := fs.ReadFile(FS, "blueprint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bp, err := blueprint.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	svc := quiz.NewService(st, bp, time.Now, nil)
	if _, err := sets.NewManager(st, svc).LoadShipped(ctx, FS); err != nil {
		t.Fatal(err)
	}
	u := quiz.User{ID: uuid.NewString(), Username: "candidate", Role: quiz.RoleLearner, CreatedAt: time.Now()}
	if err := st.CreateUser(ctx, u, "h"); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for exam := 1; exam <= 3; exam++ {
		a, err := svc.Start(ctx, u, quiz.StartRequest{Mode: quiz.ModeMock})
		if err != nil {
			t.Fatalf("mock exam %d: %v", exam, err)
		}
		perDomain := map[int]int{}
		pretest := 0
		for _, it := range a.Items {
			if prev, ok := seen[it.Question.ID]; ok {
				t.Errorf("mock exam %d repeats %s from exam %d", exam, it.Question.ID, prev)
			}
			seen[it.Question.ID] = exam
			if it.Scored {
				perDomain[it.Question.Domain]++
			} else {
				pretest++
			}
		}
		if len(a.Items) != bp.Items || pretest != bp.Pretest {
			t.Errorf("mock exam %d: %d items, %d pretest", exam, len(a.Items), pretest)
		}
		for _, d := range bp.Domains {
			pct := 100 * float64(perDomain[d.ID]) / float64(bp.Scored())
			if pct < d.MinPercent || pct > d.MaxPercent {
				t.Errorf("mock exam %d: domain %d has %.1f%%, outside %g-%g%%", exam, d.ID, pct, d.MinPercent, d.MaxPercent)
			}
		}
		if _, err := svc.Submit(ctx, u, a.ID); err != nil {
			t.Fatal(err)
		}
	}
}
