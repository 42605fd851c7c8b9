// Package auth manages accounts and sessions: argon2id password hashes,
// random bearer tokens stored only as hashes, expiry, logout, and login
// rate limits per account and per client address.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/argon2"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Store keeps accounts and sessions; internal/store implements it.
type Store interface {
	CreateUser(ctx context.Context, u quiz.User, passwordHash string) error
	UserByName(ctx context.Context, username string) (quiz.User, string, error)
	CreateSession(ctx context.Context, tokenHash, userID, csrf string, expires time.Time) error
	SessionByHash(ctx context.Context, tokenHash string, now time.Time) (quiz.User, string, time.Time, error)
	DeleteSession(ctx context.Context, tokenHash string) error
}

// Service signs people in and out.
type Service struct {
	store   Store
	now     func() time.Time
	ttl     time.Duration
	limiter *Limiter
	dummy   string // a real hash, checked for unknown users so both paths take as long

	// cache holds recently checked sessions when only this process can end
	// them (SQLite); nil otherwise, so a logout on one of several servers
	// takes effect on all at once.
	cacheMu  sync.Mutex
	cache    map[string]cachedSession
	cacheFor time.Duration
}

type cachedSession struct {
	user    quiz.User
	csrf    string
	expires time.Time
	until   time.Time
}

// maxCached bounds the session cache; past it the cache starts over.
const maxCached = 100_000

// CacheSessions keeps checked sessions in memory for up to d, saving a
// database read on every request. Use it only when this process is the
// only one that can end sessions: logout here removes the entry at once.
func (s *Service) CacheSessions(d time.Duration) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	s.cacheFor, s.cache = d, map[string]cachedSession{}
}

// DefaultTTL is how long a session lasts: long enough for weeks of daily
// practice without signing in again, short enough that a lost token dies.
const DefaultTTL = 7 * 24 * time.Hour

// NewService returns an account service. now is the clock.
func NewService(store Store, now func() time.Time, limiter *Limiter) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now, ttl: DefaultTTL, limiter: limiter, dummy: HashPassword("not a password of anyone")}
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{3,64}$`)

// Roles lists the valid roles.
var Roles = []string{quiz.RoleLearner, quiz.RoleInstructor, quiz.RoleAdmin}

// maxPassword bounds the work one login can make the server do.
const maxPassword = 1024

// CheckCredentials applies the contract's rules to a new account's name and
// password.
func CheckCredentials(username, password string) error {
	var details []quiz.Detail
	if !usernamePattern.MatchString(username) {
		details = append(details, quiz.Detail{Field: "username", Message: "use 3 to 64 letters, digits, '.', '_' or '-'"})
	}
	if n := len([]rune(password)); n < 8 {
		details = append(details, quiz.Detail{Field: "password", Message: "use at least 8 characters"})
	} else if len(password) > maxPassword {
		details = append(details, quiz.Detail{Field: "password", Message: "use at most 1024 bytes"})
	}
	if len(details) > 0 {
		return &quiz.Error{Code: quiz.EINVALID, Message: "The username or password does not meet the rules.", Details: details}
	}
	return nil
}

// CreateUser makes an account with the given role.
func (s *Service) CreateUser(ctx context.Context, username, password, role string) (quiz.User, error) {
	if err := CheckCredentials(username, password); err != nil {
		return quiz.User{}, err
	}
	switch role {
	case quiz.RoleLearner, quiz.RoleInstructor, quiz.RoleAdmin:
	default:
		return quiz.User{}, &quiz.Error{Code: quiz.EINVALID, Message: "role must be learner, instructor or admin.",
			Details: []quiz.Detail{{Field: "role", Message: "unknown role"}}}
	}
	u := quiz.User{ID: uuid.NewString(), Username: username, Role: role, CreatedAt: s.now().UTC()}
	if err := s.store.CreateUser(ctx, u, HashPassword(password)); err != nil {
		return quiz.User{}, err
	}
	return u, nil
}

// Session is a signed-in session as handed to the client.
type Session struct {
	Token     string
	CSRFToken string
	ExpiresAt time.Time
	User      quiz.User
}

func badLogin() error {
	return quiz.Errorf(quiz.EUNAUTHORIZED, "The username or password is wrong.")
}

// Login checks a username and password and opens a session. Every bad
// credential gets the same answer, after the same work, whether or not the
// user exists. Repeated failures from one account or one address are
// refused for a while with ERATELIMITED.
func (s *Service) Login(ctx context.Context, username, password, client string) (Session, error) {
	now := s.now()
	account := "u:" + strings.ToLower(username)
	addr := "a:" + client
	if s.limiter != nil {
		if err := s.limiter.Check(now, account, addr); err != nil {
			return Session{}, err
		}
	}
	if len(password) > maxPassword {
		password = password[:maxPassword]
	}
	u, hash, err := s.store.UserByName(ctx, username)
	if quiz.ErrorCode(err) == quiz.ENOTFOUND {
		VerifyPassword(s.dummy, password)
		s.fail(now, account, addr)
		return Session{}, badLogin()
	} else if err != nil {
		return Session{}, err
	}
	if !VerifyPassword(hash, password) {
		s.fail(now, account, addr)
		return Session{}, badLogin()
	}
	if s.limiter != nil {
		s.limiter.Reset(account)
	}
	token, csrf := randomToken(), randomToken()
	exp := now.Add(s.ttl).UTC()
	if err := s.store.CreateSession(ctx, HashToken(token), u.ID, csrf, exp); err != nil {
		return Session{}, err
	}
	return Session{Token: token, CSRFToken: csrf, ExpiresAt: exp, User: u}, nil
}

func (s *Service) fail(now time.Time, keys ...string) {
	if s.limiter != nil {
		s.limiter.Fail(now, keys...)
	}
}

// Authenticate returns the user of a live session and its CSRF token.
func (s *Service) Authenticate(ctx context.Context, token string) (quiz.User, string, error) {
	if token == "" || len(token) > 200 {
		return quiz.User{}, "", quiz.Errorf(quiz.EUNAUTHORIZED, "Sign in to continue.")
	}
	hash, now := HashToken(token), s.now()
	s.cacheMu.Lock()
	if c, ok := s.cache[hash]; ok && now.Before(c.until) && now.Before(c.expires) {
		s.cacheMu.Unlock()
		return c.user, c.csrf, nil
	}
	s.cacheMu.Unlock()
	u, csrf, expires, err := s.store.SessionByHash(ctx, hash, now)
	if err != nil {
		return quiz.User{}, "", err
	}
	s.cacheMu.Lock()
	if s.cache != nil {
		if len(s.cache) >= maxCached {
			s.cache = map[string]cachedSession{}
		}
		s.cache[hash] = cachedSession{user: u, csrf: csrf, expires: expires, until: now.Add(s.cacheFor)}
	}
	s.cacheMu.Unlock()
	return u, csrf, nil
}

// Logout ends the session at once.
func (s *Service) Logout(ctx context.Context, token string) error {
	hash := HashToken(token)
	s.cacheMu.Lock()
	delete(s.cache, hash)
	s.cacheMu.Unlock()
	return s.store.DeleteSession(ctx, hash)
}

// randomToken returns 256 random bits, URL-safe.
func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // the OS is broken; no safe token exists
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken is how tokens are stored: a database leak hands out no
// working token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// argon2id parameters: OWASP's minimum recommendation (19 MiB, 2 passes,
// 1 lane), about 25 ms on the 2-core machines rhitprep targets.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// VerifyPassword reports whether password matches a PHC argon2id hash.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
