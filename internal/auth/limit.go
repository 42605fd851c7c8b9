package auth

import (
	"sync"
	"time"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Limiter counts failed logins per key (an account or a client address) in
// a fixed window and refuses further tries once a key reaches its limit,
// until the window ends. It lives in memory: a restart forgets, which only
// ever lets a legitimate user back in sooner.
type Limiter struct {
	mu         sync.Mutex
	window     time.Duration
	perAccount int
	perAddress int
	counts     map[string]*window
}

type window struct {
	start time.Time
	fails int
}

// NewLimiter allows perAccount failures per account and perAddress per
// client address within each window.
func NewLimiter(win time.Duration, perAccount, perAddress int) *Limiter {
	return &Limiter{window: win, perAccount: perAccount, perAddress: perAddress, counts: map[string]*window{}}
}

// DefaultLimiter allows 5 failures per account and 30 per address in 15
// minutes: enough for typos, far too few for guessing.
func DefaultLimiter() *Limiter { return NewLimiter(15*time.Minute, 5, 30) }

func (l *Limiter) limit(key string) int {
	if len(key) > 2 && key[:2] == "u:" {
		return l.perAccount
	}
	return l.perAddress
}

// Check returns ERATELIMITED if any key is over its limit.
func (l *Limiter) Check(now time.Time, keys ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if w, ok := l.counts[k]; ok && now.Sub(w.start) < l.window && w.fails >= l.limit(k) {
			return quiz.Errorf(quiz.ERATELIMITED, "Too many failed sign-ins. Wait %d minutes and try again.", int(l.window.Minutes()))
		}
	}
	return nil
}

// Fail counts a failure against every key.
func (l *Limiter) Fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.counts) > 100_000 {
		for k, w := range l.counts {
			if now.Sub(w.start) >= l.window {
				delete(l.counts, k)
			}
		}
	}
	for _, k := range keys {
		w, ok := l.counts[k]
		if !ok || now.Sub(w.start) >= l.window {
			w = &window{start: now}
			l.counts[k] = w
		}
		w.fails++
	}
}

// Reset forgets a key's failures, after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.counts, key)
}
