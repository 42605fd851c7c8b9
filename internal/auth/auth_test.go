package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h := HashPassword("correct horse battery")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want a PHC argon2id string", h)
	}
	if h == HashPassword("correct horse battery") {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		hash, password string
		want           bool
	}{
		{h, "correct horse battery", true},
		{h, "correct horse batterY", false},
		{h, "", false},
		{"$argon2id$v=19$m=19456,t=2,p=1$bad$bad", "x", false},
		{"plain", "plain", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := VerifyPassword(tt.hash, tt.password); got != tt.want {
			t.Errorf("VerifyPassword(%.20q, %q) = %v, want %v", tt.hash, tt.password, got, tt.want)
		}
	}
}

func TestTokensAreRandomAndStoredHashed(t *testing.T) {
	a, b := randomToken(), randomToken()
	if a == b || len(a) != 43 {
		t.Errorf("tokens %q and %q: want two different 256-bit tokens", a, b)
	}
	if HashToken(a) == a || len(HashToken(a)) != 64 || HashToken(a) != HashToken(a) {
		t.Errorf("HashToken(%q) = %q", a, HashToken(a))
	}
}

func TestCheckCredentials(t *testing.T) {
	tests := []struct {
		user, pass string
		ok         bool
	}{
		{"ann", "12345678", true},
		{"a.b_c-D9", "12345678", true},
		{"an", "12345678", false},
		{strings.Repeat("a", 65), "12345678", false},
		{"ann smith", "12345678", false},
		{"ann", "1234567", false},
		{"ann", "ünïcödé!", true},
		{"ann", strings.Repeat("x", 1025), false},
	}
	for _, tt := range tests {
		if err := CheckCredentials(tt.user, tt.pass); (err == nil) != tt.ok {
			t.Errorf("CheckCredentials(%q, %d chars) = %v, want ok=%v", tt.user, len(tt.pass), err, tt.ok)
		}
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(time.Minute, 2, 3)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	acct, addr := "u:ann", "a:10.0.0.1"
	if err := l.Check(now, acct, addr); err != nil {
		t.Fatal(err)
	}
	l.Fail(now, acct, addr)
	if err := l.Check(now, acct, addr); err != nil {
		t.Fatalf("after one failure: %v", err)
	}
	l.Fail(now, acct, addr)
	if err := l.Check(now, acct, addr); err == nil {
		t.Fatalf("after two failures the account is not limited")
	}
	// Another account from the same address still gets through, once.
	if err := l.Check(now, "u:bob", addr); err != nil {
		t.Fatalf("another account: %v", err)
	}
	l.Fail(now, "u:bob", addr)
	if err := l.Check(now, "u:cat", addr); err == nil {
		t.Fatalf("after three failures the address is not limited")
	}
	if err := l.Check(now.Add(61*time.Second), acct, addr); err != nil {
		t.Errorf("after the window: %v", err)
	}
	l.Reset(acct)
	if err := l.Check(now, acct); err != nil {
		t.Errorf("after reset: %v", err)
	}
}
