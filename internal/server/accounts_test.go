package server_test

import (
	"strings"
	"testing"
)

func TestHealthAndReady(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		m := h.must(200, "GET", path, "", nil)
		if m["status"] != "ok" {
			t.Errorf("GET %s = %v, want status ok", path, m)
		}
	}
}

func TestRegister(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name     string
		body     any
		status   int
		wantCode string
	}{
		{"ok", map[string]string{"username": "ann.lee", "password": "longenough"}, 201, ""},
		{"taken in another case", map[string]string{"username": "ANN.LEE", "password": "longenough"}, 409, "conflict"},
		{"short password", map[string]string{"username": "bob", "password": "short"}, 422, "validation_failed"},
		{"short name", map[string]string{"username": "bo", "password": "longenough"}, 422, "validation_failed"},
		{"bad characters", map[string]string{"username": "bob smith", "password": "longenough"}, 422, "validation_failed"},
		{"wrong type", `{"username": 5, "password": "longenough"}`, 422, "validation_failed"},
		{"malformed", `{"username": "bob"`, 400, "bad_request"},
		{"empty", "", 400, "bad_request"},
		{"not an object", `[1,2]`, 400, "bad_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.request("POST", "/api/v1/auth/register", "", tt.body)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.wantCode != "" {
				if got := r.errorCode(t); got != tt.wantCode {
					t.Errorf("code = %q, want %q", got, tt.wantCode)
				}
				return
			}
			user := r.json(t)["user"].(map[string]any)
			if user["role"] != "learner" || user["username"] != "ann.lee" || user["id"] == "" {
				t.Errorf("user = %v", user)
			}
		})
	}
}

func TestLoginSessionAndLogout(t *testing.T) {
	h := newHarness(t)
	h.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": "carla", "password": "password1"})

	r := h.request("POST", "/api/v1/auth/login", "", map[string]string{"username": "carla", "password": "password1"})
	if r.status != 200 {
		t.Fatalf("login = %d: %s", r.status, r.body)
	}
	m := r.json(t)
	token, _ := m["token"].(string)
	if len(token) < 40 || m["expires_at"] == nil || m["csrf_token"] == nil {
		t.Fatalf("login body = %v", m)
	}
	cookie := strings.Join(r.header.Values("Set-Cookie"), "\n")
	if !strings.Contains(cookie, "rhitprep_session="+token) || !strings.Contains(strings.ToLower(cookie), "httponly") ||
		!strings.Contains(strings.ToLower(cookie), "samesite=lax") {
		t.Errorf("session cookie = %q, want HttpOnly SameSite=Lax with the token", cookie)
	}

	me := h.must(200, "GET", "/api/v1/me", token, nil)
	if me["username"] != "carla" || me["role"] != "learner" {
		t.Errorf("me = %v", me)
	}
	h.must(204, "POST", "/api/v1/auth/logout", token, nil)
	if r := h.request("GET", "/api/v1/me", token, nil); r.status != 401 || r.errorCode(t) != "unauthorized" {
		t.Errorf("me after logout = %d %s, want 401", r.status, r.body)
	}

	// The session expires: a week later the token no longer works.
	r = h.request("POST", "/api/v1/auth/login", "", map[string]string{"username": "carla", "password": "password1"})
	token = r.json(t)["token"].(string)
	h.clock.Advance(8 * 24 * 60 * 60 * 1e9)
	if r := h.request("GET", "/api/v1/me", token, nil); r.status != 401 {
		t.Errorf("me with an expired token = %d, want 401", r.status)
	}
}

func TestLoginFailuresLookAlikeAndAreLimited(t *testing.T) {
	h := newHarness(t)
	h.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": "dana", "password": "password1"})
	wrong := h.request("POST", "/api/v1/auth/login", "", map[string]string{"username": "dana", "password": "nope-nope"})
	unknown := h.request("POST", "/api/v1/auth/login", "", map[string]string{"username": "nobody", "password": "nope-nope"})
	if wrong.status != 401 || unknown.status != 401 || string(wrong.body) != string(unknown.body) {
		t.Fatalf("wrong password = %d %s; unknown user = %d %s; want identical 401s", wrong.status, wrong.body, unknown.status, unknown.body)
	}
	for i := 0; i < 4; i++ {
		h.request("POST", "/api/v1/auth/login", "", map[string]string{"username": "dana", "password": "nope-nope"})
	}
	r := h.request("POST", "/api/v1/auth/login", "", map[string]string{"username": "dana", "password": "password1"})
	if r.status != 429 || r.errorCode(t) != "rate_limited" {
		t.Fatalf("login after 5 failures = %d %s, want 429", r.status, r.body)
	}
	h.clock.Advance(16 * 60 * 1e9)
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "dana", "password": "password1"})
}

func TestAuthenticationRequired(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		header string
	}{
		{"no header", ""},
		{"unknown token", "Bearer abcdefabcdefabcdefabcdefabcdefabcdef"},
		{"wrong scheme", "Basic dXNlcjpwYXNz"},
		{"empty bearer", "Bearer "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			if tt.header != "" {
				headers = []string{"Authorization", tt.header}
			}
			r := h.request("GET", "/api/v1/exams", "", nil, headers...)
			if r.status != 401 || r.errorCode(t) != "unauthorized" {
				t.Errorf("status = %d %s, want 401 unauthorized", r.status, r.body)
			}
		})
	}
}

func TestCookieSessionNeedsCSRFToken(t *testing.T) {
	h := newHarness(t)
	h.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": "erin", "password": "password1"})
	m := h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "erin", "password": "password1"})
	cookie := "rhitprep_session=" + m["token"].(string)
	csrf := m["csrf_token"].(string)

	if r := h.request("GET", "/api/v1/me", "", nil, "Cookie", cookie); r.status != 200 {
		t.Fatalf("GET with the cookie = %d, want 200", r.status)
	}
	body := map[string]any{"mode": "quiz", "count": 1}
	if r := h.request("POST", "/api/v1/exams", "", body, "Cookie", cookie); r.status != 403 || r.errorCode(t) != "forbidden" {
		t.Errorf("POST with the cookie and no CSRF token = %d %s, want 403", r.status, r.body)
	}
	if r := h.request("POST", "/api/v1/exams", "", body, "Cookie", cookie, "X-CSRF-Token", "forged"); r.status != 403 {
		t.Errorf("POST with a forged CSRF token = %d, want 403", r.status)
	}
	if r := h.request("POST", "/api/v1/exams", "", body, "Cookie", cookie, "X-CSRF-Token", csrf); r.status != 201 {
		t.Errorf("POST with the CSRF token = %d %s, want 201", r.status, r.body)
	}
}

func TestRolesGuardStaffAndAdminEndpoints(t *testing.T) {
	h := newHarness(t)
	learner := h.signUp("lena", "learner")
	teacher := h.signUp("ivan", "instructor")
	root := h.signUp("ada", "admin")
	newUser := map[string]string{"username": "newbie", "password": "password1", "role": "instructor"}
	tests := []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"learner lists sets", "GET", "/api/v1/question-sets", learner, nil, 403},
		{"learner uploads", "POST", "/api/v1/question-sets", learner, "questions: []", 403},
		{"learner creates user", "POST", "/api/v1/users", learner, newUser, 403},
		{"instructor creates user", "POST", "/api/v1/users", teacher, newUser, 403},
		{"instructor lists sets", "GET", "/api/v1/question-sets", teacher, nil, 200},
		{"admin lists sets", "GET", "/api/v1/question-sets", root, nil, 200},
		{"admin creates user", "POST", "/api/v1/users", root, newUser, 201},
		{"admin creates user again", "POST", "/api/v1/users", root, newUser, 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.request(tt.method, tt.path, tt.token, tt.body)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
		})
	}
	m := h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "newbie", "password": "password1"})
	if m["user"].(map[string]any)["role"] != "instructor" {
		t.Errorf("created user = %v, want an instructor", m["user"])
	}
}

func TestErrorsHaveTheContractShape(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("finn", "learner")
	h.app.Get("/test-panic", func(c *fiberCtx) error { panic("secret detail /etc/passwd SELECT") })
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"unknown api route", "GET", "/api/v1/nope", nil, 404, "not_found"},
		{"unknown page", "GET", "/nope", nil, 404, "not_found"},
		{"panic", "GET", "/test-panic", nil, 500, "internal"},
		{"oversized JSON", "POST", "/api/v1/exams", `{"mode":"quiz","pad":"` + strings.Repeat("x", 70<<10) + `"}`, 413, "payload_too_large"},
		{"bad exam id", "GET", "/api/v1/exams/not-a-uuid", nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.request(tt.method, tt.path, token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
			if got := r.errorCode(t); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
			for _, leak := range []string{"secret", "passwd", "SELECT", "goroutine", ".go:"} {
				if strings.Contains(string(r.body), leak) {
					t.Errorf("body leaks %q: %s", leak, r.body)
				}
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t)
	r := h.request("GET", "/api/v1/topics", "", nil)
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Cache-Control":          "no-store",
	} {
		if got := r.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy = %q", r.header.Get("Content-Security-Policy"))
	}
}
