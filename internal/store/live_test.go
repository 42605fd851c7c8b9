package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/rhitprep/rhitprep/internal/fixture"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// savedItem is what the test expects an item to hold.
type savedItem struct {
	choice  string
	flagged bool
	spent   time.Duration
}

// TestSavesReadWhatWasStored drives random saves into several attempts at
// once (from several goroutines, so they share commits), through a mirror
// too small to hold them all, with refused and failing saves mixed in and
// the store reopened between rounds. Every save must see exactly what the
// previous successful save of its item stored, and the database must end
// up holding the same.
func TestSavesReadWhatWasStored(t *testing.T) {
	ctx := context.Background()
	dsn := fixture.DSN(t)
	open := func() *Store {
		st, err := Open(ctx, dsn, Options{LiveAttempts: 2})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return st
	}
	st := open()
	const learners, items = 5, 12
	qs := importBig(t, st, learners*items)
	var ids []string
	for u := 0; u < learners; u++ {
		ids = append(ids, startAttempt(t, st, fmt.Sprintf("live%02d", u), qs[u*items:(u+1)*items]).ID)
	}

	want := make([][]savedItem, learners)
	for u := range want {
		want[u] = make([]savedItem, items+1)
	}
	refused := quiz.Errorf(quiz.ECONFLICT, "refused")
	broken := errors.New("broken")
	for round := 0; round < 4; round++ {
		var wg sync.WaitGroup
		for u := 0; u < learners; u++ {
			wg.Add(1)
			go func(u int, rng *rand.Rand) {
				defer wg.Done()
				for step := 0; step < 60; step++ {
					pos := rng.IntN(items) + 1
					choice := string(rune('A' + rng.IntN(4)))
					fail := []error{nil, nil, nil, refused, broken}[rng.IntN(5)]
					var seen savedItem
					_, err := st.UpdateItem(ctx, ids[u], pos, func(s *quiz.ItemState) error {
						if len(s.Response.Choices) == 1 {
							seen.choice = s.Response.Choices[0]
						}
						seen.flagged, seen.spent = s.Flagged, s.TimeSpent
						s.Response = quiz.Response{Choices: []string{choice}}
						s.Flagged = !s.Flagged
						s.TimeSpent += time.Second
						return fail
					})
					if seen != want[u][pos] {
						t.Errorf("round %d learner %d item %d: save read %+v, want %+v", round, u, pos, seen, want[u][pos])
						return
					}
					if !errors.Is(err, fail) {
						t.Errorf("UpdateItem = %v, want %v", err, fail)
						return
					}
					if fail == nil {
						want[u][pos] = savedItem{choice: choice, flagged: !seen.flagged, spent: seen.spent + time.Second}
					}
				}
			}(u, rand.New(rand.NewPCG(uint64(round), uint64(u))))
		}
		wg.Wait()
		if t.Failed() {
			break
		}
		st.Close()
		st = open()
	}
	defer st.Close()

	for u, id := range ids {
		a, err := st.Attempt(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range a.Items {
			var got savedItem
			if len(it.Response.Choices) == 1 {
				got.choice = it.Response.Choices[0]
			}
			got.flagged, got.spent = it.Flagged, it.TimeSpent
			if got != want[u][it.Position] {
				t.Errorf("learner %d item %d stored %+v, want %+v", u, it.Position, got, want[u][it.Position])
			}
		}
	}
}

// TestSaveAfterFinishIsRefused checks that finishing an attempt reaches the
// next save, which must see the attempt closed.
func TestSaveAfterFinishIsRefused(t *testing.T) {
	ctx := context.Background()
	st := mustOpen(t)
	qs := importBig(t, st, 3)
	a := startAttempt(t, st, "finisher", qs)
	status := func() string {
		var got string
		if _, err := st.UpdateItem(ctx, a.ID, 1, func(s *quiz.ItemState) error {
			got = s.Status
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := status(); got != quiz.InProgress {
		t.Fatalf("status before finishing = %q", got)
	}
	if _, err := st.FinishAttempt(ctx, a.ID, func(a *quiz.Attempt) error {
		a.Status = quiz.Submitted
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := status(); got != quiz.Submitted {
		t.Errorf("a save after the attempt was finished read status %q, want %q", got, quiz.Submitted)
	}
	if _, err := st.UpdateItem(ctx, a.ID, len(qs)+1, func(*quiz.ItemState) error { return nil }); quiz.ErrorCode(err) != quiz.ENOTFOUND {
		t.Errorf("a save past the last item = %v, want not found", err)
	}
}

// TestFailedCommitIsForgotten makes a whole batch fail at COMMIT (a foreign
// key checked only then) with an answer save in it: the save must be
// reported as failed and the next one must read the answer from before it.
func TestFailedCommitIsForgotten(t *testing.T) {
	if fixture.Postgres() {
		t.Skip("the failure is provoked with a SQLite pragma")
	}
	ctx := context.Background()
	st := mustOpen(t)
	a := startAttempt(t, st, "committer", importBig(t, st, 1))
	answer := func(choice string) error {
		_, err := st.UpdateItem(ctx, a.ID, 1, func(s *quiz.ItemState) error {
			s.Response = quiz.Response{Choices: []string{choice}}
			return nil
		})
		return err
	}
	if err := answer("A"); err != nil {
		t.Fatal(err)
	}

	// Hold the writer so that the save and the poisoned write are queued
	// behind it and committed together.
	started, release := make(chan struct{}), make(chan struct{})
	go st.Write(ctx, func(tx *gorm.DB) error {
		close(started)
		<-release
		return nil
	})
	<-started
	errs := make(chan error, 2)
	go func() { errs <- answer("B") }()
	waitQueued(t, st, 1)
	go func() {
		errs <- st.Write(ctx, func(tx *gorm.DB) error {
			if err := tx.Exec("PRAGMA defer_foreign_keys = ON").Error; err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
				VALUES ('t', 'nobody', 'c', ?, ?)`, time.Now(), time.Now()).Error
		})
	}()
	waitQueued(t, st, 2)
	close(release)
	for i := 0; i < 2; i++ {
		if err := <-errs; err == nil {
			t.Errorf("a write in a batch whose commit failed succeeded")
		}
	}
	var got []string
	if _, err := st.UpdateItem(ctx, a.ID, 1, func(s *quiz.ItemState) error {
		got = s.Response.Choices
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "A" {
		t.Errorf("after the failed commit the save read %v, want [A]", got)
	}
}

// waitQueued waits until n writes are waiting for the writer.
func waitQueued(t *testing.T, st *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); len(st.queues[0]) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", len(st.queues[0]), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestFullMirrorLetsIdleAttemptsGoFirst fills a mirror and checks whom it
// drops for a newcomer: the attempts idle past idleAfter when there are
// any, otherwise a sixteenth of it at random, never the newcomer.
func TestFullMirrorLetsIdleAttemptsGoFirst(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	attempt := func(id string, last time.Time) *quiz.Attempt {
		return &quiz.Attempt{ID: id, UserID: "u", Status: quiz.InProgress, LastActive: last,
			Items: []*quiz.Item{{Position: 1, Question: &quiz.Question{ID: "q"}}}}
	}
	l := newLiveAttempts(32)
	for i := 0; i < 32; i++ {
		last := now.Add(-time.Minute)
		if i%8 == 0 {
			last = now.Add(-idleAfter - time.Minute) // 4 candidates have left
		}
		l.put(attempt(fmt.Sprint(i), last), now)
	}
	l.put(attempt("new", now), now)
	if len(l.m) != 29 {
		t.Errorf("after making room the mirror holds %d, want 28 active and the newcomer", len(l.m))
	}
	for id, la := range l.m {
		if la.lastActive.Before(now.Add(-idleAfter)) {
			t.Errorf("idle attempt %s kept", id)
		}
	}

	for len(l.m) < 32 {
		l.put(attempt(fmt.Sprint("more", len(l.m)), now), now)
	}
	l.put(attempt("last", now), now)
	if _, ok := l.m["last"]; !ok || len(l.m) != 32-2+1 {
		t.Errorf("with nobody idle the mirror holds %d (newcomer kept: %v), want a sixteenth let go", len(l.m), ok)
	}
}

// importBig stores bigSet(n) as a set and returns its stored questions.
func importBig(tb testing.TB, st *Store, n int) []*quiz.Question {
	tb.Helper()
	ctx := context.Background()
	res, err := st.ImportSet(ctx, SetImport{Name: "big", Source: "upload", Format: "yaml", Hash: "h", Questions: bigSet(n)})
	if err != nil {
		tb.Fatal(err)
	}
	qs, err := st.SetQuestions(ctx, res.Set.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return qs
}

// startAttempt registers a learner and stores a deferred-feedback quiz in
// progress for them, one scored item per question of qs, in order.
func startAttempt(tb testing.TB, st *Store, name string, qs []*quiz.Question) *quiz.Attempt {
	tb.Helper()
	ctx := context.Background()
	user := quiz.User{ID: uuid.NewString(), Username: name, Role: quiz.RoleLearner, CreatedAt: time.Now()}
	if err := st.CreateUser(ctx, user, "h"); err != nil {
		tb.Fatal(err)
	}
	a := &quiz.Attempt{ID: uuid.NewString(), UserID: user.ID, Mode: quiz.ModeQuiz, Feedback: quiz.Deferred,
		Status: quiz.InProgress, StartedAt: time.Now(), LastActive: time.Now()}
	for i, q := range qs {
		a.Items = append(a.Items, &quiz.Item{Position: i + 1, Question: q, Scored: true})
	}
	if err := st.CreateAttempt(ctx, a); err != nil {
		tb.Fatal(err)
	}
	return a
}
