package store

import (
	"context"
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/fixture"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// mustOpen opens a fresh store on a real SQLite file in a temporary folder.
func mustOpen(tb testing.TB) *Store {
	tb.Helper()
	st, err := Open(context.Background(), fixture.DSN(tb), Options{})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

func TestSessionByHashReturnsTheUser(t *testing.T) {
	st := mustOpen(t)
	ctx := context.Background()
	now := time.Now().UTC()
	u := quiz.User{ID: "0b0e5d5e-8f7c-4c43-9a39-0f6a3c7e2f11", Username: "Ann", Role: quiz.RoleLearner, CreatedAt: now}
	if err := st.CreateUser(ctx, u, "hash"); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if err := st.CreateSession(ctx, "h1", u.ID, "csrf1", now.Add(time.Hour)); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	got, csrf, _, err := st.SessionByHash(ctx, "h1", now)
	if err != nil {
		t.Fatalf("SessionByHash: %v", err)
	}
	if got.ID != u.ID || got.Username != "Ann" || got.Role != quiz.RoleLearner || csrf != "csrf1" {
		t.Errorf("SessionByHash = %+v, %q; want %+v, csrf1", got, csrf, u)
	}
}

func TestMigrationsApplyOnceAndRecordThemselves(t *testing.T) {
	path := fixture.DSN(t)
	for i := 0; i < 2; i++ {
		st, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var names []string
		if err := st.read.Raw("SELECT name FROM schema_migrations ORDER BY name").Scan(&names).Error; err != nil {
			t.Fatal(err)
		}
		files, _ := fs.Glob(migrations, "migrations/"+st.Dialect()+"/*.sql")
		if len(names) != len(files) || len(names) < 4 || names[0] != "0001_init.sql" {
			t.Errorf("open %d: migrations recorded = %v", i, names)
		}
		st.Close()
	}
}

// TestGroupCommitKeepsEveryWrite sends many concurrent writes, one of which
// fails, and checks that the others all land and the failed one left
// nothing behind.
func TestGroupCommitKeepsEveryWrite(t *testing.T) {
	st := mustOpen(t)
	ctx := context.Background()
	const n = 400
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			u := quiz.User{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Username: fmt.Sprintf("user%03d", i),
				Role: quiz.RoleLearner, CreatedAt: time.Now()}
			if i == 7 {
				u.Username = "user008" // collides with user 8: exactly one of the two fails
			}
			errs <- st.CreateUser(ctx, u, "hash")
		}(i)
	}
	failed := 0
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			if quiz.ErrorCode(err) != quiz.ECONFLICT {
				t.Errorf("CreateUser: %v, want a conflict", err)
			}
			failed++
		}
	}
	var stored int64
	if err := st.read.Raw("SELECT COUNT(*) FROM users").Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if failed != 1 || stored != n-1 {
		t.Errorf("%d writes failed and %d users stored; want 1 and %d", failed, stored, n-1)
	}
}

func TestWriteAfterCloseFails(t *testing.T) {
	st, err := Open(context.Background(), fixture.DSN(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	err = st.CreateUser(context.Background(), quiz.User{ID: "x", Username: "xyz", Role: quiz.RoleLearner}, "h")
	if err == nil {
		t.Errorf("a write after Close succeeded")
	}
	if st.Close() != nil {
		t.Errorf("a second Close failed")
	}
}

// TestCheckpointsRunOutsideTheWriter checks that on SQLite the WAL is
// copied back into the database by the store's own checkpointer, well
// before the writer's fallback threshold: commits never have to do it.
func TestCheckpointsRunOutsideTheWriter(t *testing.T) {
	if fixture.Postgres() {
		t.Skip("PostgreSQL has no WAL file to checkpoint")
	}
	st := mustOpen(t)
	ctx := context.Background()
	for i := 0; i < 50; i++ {
		u := quiz.User{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Username: fmt.Sprintf("cp%03d", i),
			Role: quiz.RoleLearner, CreatedAt: time.Now()}
		if err := st.CreateUser(ctx, u, "hash"); err != nil {
			t.Fatal(err)
		}
	}
	var pages int
	if err := st.write.Raw("PRAGMA wal_autocheckpoint").Scan(&pages).Error; err != nil {
		t.Fatal(err)
	}
	if pages != walFallbackPages {
		t.Errorf("the writer checkpoints itself at %d pages, want the fallback %d", pages, walFallbackPages)
	}
	for deadline := time.Now().Add(10 * time.Second); st.checkpointed.Load() == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no WAL frame was checkpointed within 10 s of 50 commits")
		}
	}
}
