package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

type userRow struct {
	ID           string
	Username     string
	UsernameKey  string
	PasswordHash string
	Role         string
	CreatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) user() quiz.User {
	return quiz.User{ID: r.ID, Username: r.Username, Role: r.Role, CreatedAt: r.CreatedAt.UTC()}
}

// CreateUser stores a new account; ECONFLICT if the name is taken in any
// letter case.
func (s *Store) CreateUser(ctx context.Context, u quiz.User, passwordHash string) error {
	row := userRow{ID: u.ID, Username: u.Username, UsernameKey: strings.ToLower(u.Username),
		PasswordHash: passwordHash, Role: u.Role, CreatedAt: u.CreatedAt.UTC()}
	err := s.Write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error })
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return quiz.Errorf(quiz.ECONFLICT, "The username %q is taken.", u.Username)
	}
	return internal("create user", err)
}

// UserByName returns an account and its password hash; ENOTFOUND if none.
func (s *Store) UserByName(ctx context.Context, username string) (quiz.User, string, error) {
	var row userRow
	err := s.read.WithContext(ctx).Where("username_key = ?", strings.ToLower(username)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return quiz.User{}, "", quiz.Errorf(quiz.ENOTFOUND, "No such user.")
	}
	if err != nil {
		return quiz.User{}, "", internal("user by name", err)
	}
	return row.user(), row.PasswordHash, nil
}

// CreateSession stores a session under the hash of its token.
func (s *Store) CreateSession(ctx context.Context, tokenHash, userID, csrf string, expires time.Time) error {
	err := s.Write(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?)`, tokenHash, userID, csrf, s.now(), expires.UTC()).Error
	})
	return internal("create session", err)
}

// SessionByHash returns the user of the live session with that token hash,
// the session's CSRF token and its expiry; EUNAUTHORIZED if there is none
// or it has expired.
func (s *Store) SessionByHash(ctx context.Context, tokenHash string, now time.Time) (quiz.User, string, time.Time, error) {
	var rows []struct {
		ID        string
		Username  string
		Role      string
		CreatedAt time.Time
		CSRFToken string `gorm:"column:csrf_token"`
		ExpiresAt time.Time
	}
	err := s.read.WithContext(ctx).Raw(`SELECT u.id, u.username, u.role, u.created_at, s.csrf_token, s.expires_at FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`, tokenHash, now.UTC()).Scan(&rows).Error
	if err != nil {
		return quiz.User{}, "", time.Time{}, internal("session", err)
	}
	if len(rows) == 0 {
		return quiz.User{}, "", time.Time{}, quiz.Errorf(quiz.EUNAUTHORIZED, "Sign in to continue: the session is missing, expired or signed out.")
	}
	r := rows[0]
	return quiz.User{ID: r.ID, Username: r.Username, Role: r.Role, CreatedAt: r.CreatedAt.UTC()}, r.CSRFToken, r.ExpiresAt.UTC(), nil
}

// DeleteSession ends a session at once.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	err := s.Write(ctx, func(tx *gorm.DB) error {
		return tx.Exec("DELETE FROM sessions WHERE token_hash = ?", tokenHash).Error
	})
	return internal("delete session", err)
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	err := s.Write(ctx, func(tx *gorm.DB) error {
		return tx.Exec("DELETE FROM sessions WHERE expires_at <= ?", now.UTC()).Error
	})
	return internal("delete expired sessions", err)
}
