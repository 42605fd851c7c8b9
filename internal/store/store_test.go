package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// mustOpen opens a fresh store on a real SQLite file in a temporary folder.
func mustOpen(tb testing.TB) *Store {
	tb.Helper()
	st, err := Open(context.Background(), filepath.Join(tb.TempDir(), "test.db"), Options{})
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
	got, csrf, err := st.SessionByHash(ctx, "h1", now)
	if err != nil {
		t.Fatalf("SessionByHash: %v", err)
	}
	if got.ID != u.ID || got.Username != "Ann" || got.Role != quiz.RoleLearner || csrf != "csrf1" {
		t.Errorf("SessionByHash = %+v, %q; want %+v, csrf1", got, csrf, u)
	}
}
