package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/rhitprep/rhitprep/internal/auth"
	"github.com/rhitprep/rhitprep/internal/blueprint"
	"github.com/rhitprep/rhitprep/internal/fixture"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/reports"
	"github.com/rhitprep/rhitprep/internal/server"
	"github.com/rhitprep/rhitprep/internal/sets"
	"github.com/rhitprep/rhitprep/internal/statgen"
	"github.com/rhitprep/rhitprep/internal/store"
)

// clock is a settable clock shared by the service, the store and the
// server, so deadline tests move time instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is the real app over a real SQLite file with the fixture banks.
type harness struct {
	t     *testing.T
	app   *fiber.App
	store *store.Store
	svc   *quiz.Service
	auth  *auth.Service
	clock *clock
	dsn   string
	sets  *sets.Manager
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, clock: &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}, dsn: fixture.DSN(t)}
	h.open()
	return h
}

// open (re)opens the store and builds the app, as a server start does.
func (h *harness) open() {
	t := h.t
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, h.dsn, store.Options{Now: h.clock.Now, Logger: quietLog()})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	data, err := fs.ReadFile(fixture.Questions(), "blueprint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bp, err := blueprint.Parse(data)
	if err != nil {
		t.Fatalf("blueprint: %v", err)
	}
	svc := quiz.NewService(st, bp, h.clock.Now, quietLog())
	svc.SetGenerator(statgen.Pick)
	mgr := sets.NewManager(st, svc)
	if _, err := mgr.LoadShipped(ctx, fixture.Questions()); err != nil {
		t.Fatalf("LoadShipped: %v", err)
	}
	h.store, h.svc, h.sets = st, svc, mgr
	h.auth = auth.NewService(st, h.clock.Now, auth.NewLimiter(15*time.Minute, 5, 30))
	if !fixture.Postgres() {
		h.auth.CacheSessions(5 * time.Minute) // as serve does on SQLite
	}
	h.app = server.New(server.Deps{Quiz: svc, Auth: h.auth, Sets: mgr, Reports: reports.New(st, svc), DB: st,
		Log: quietLog(), Now: h.clock.Now})
}

// reply is a response with its body read.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// errorCode returns the contract error code of an error body.
func (r reply) errorCode(t *testing.T) string {
	t.Helper()
	m := r.json(t)
	e, ok := m["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %s", r.body)
	}
	if msg, _ := e["message"].(string); msg == "" {
		t.Errorf("error without a message: %s", r.body)
	}
	code, _ := e["code"].(string)
	return code
}

// request sends a request through the real app. body may be a string (sent
// as is), []byte, or anything else (sent as JSON).
func (h *harness) request(method, path, token string, body any, headers ...string) reply {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := h.app.Test(req, -1)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

// must sends a request and fails the test unless the status is want.
func (h *harness) must(want int, method, path, token string, body any) map[string]any {
	h.t.Helper()
	r := h.request(method, path, token, body)
	if r.status != want {
		h.t.Fatalf("%s %s = %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	return r.json(h.t)
}

// signUp creates an account with role and returns a bearer token for it.
func (h *harness) signUp(name, role string) string {
	h.t.Helper()
	if _, err := h.auth.CreateUser(context.Background(), name, "password-"+name, role); err != nil {
		h.t.Fatalf("CreateUser: %v", err)
	}
	m := h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": name, "password": "password-" + name})
	return m["token"].(string)
}

// mustUserID looks up an account's id by name.
func (h *harness) mustUserID(name string) string {
	h.t.Helper()
	u, _, err := h.store.UserByName(context.Background(), name)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.ID
}

// start begins an exam and returns its view.
func (h *harness) start(token string, req map[string]any) map[string]any {
	h.t.Helper()
	return h.must(201, "POST", "/api/v1/exams", token, req)
}

// items returns an attempt view's items.
func items(t *testing.T, view map[string]any) []map[string]any {
	t.Helper()
	raw, ok := view["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", view)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

// key looks up the stored key of a question, as the test's oracle.
func (h *harness) key(setTopic, qid string) *quiz.Question {
	h.t.Helper()
	for _, q := range h.activeQuestions() {
		if q.ID == qid && (setTopic == "" || q.Topic == setTopic) {
			return q
		}
	}
	h.t.Fatalf("no question %s", qid)
	return nil
}

func (h *harness) activeQuestions() []*quiz.Question {
	qs, err := h.store.ActiveQuestions(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return qs
}

// wrongResponse returns a response that is wrong for q.
func wrongResponse(q *quiz.Question) any {
	if q.Type == quiz.Numeric {
		return q.Value + 1000
	}
	for _, o := range q.Options {
		if o.ID != q.Answer[0] {
			return []string{o.ID}
		}
	}
	return nil
}

// rightResponse returns the key of q as a response.
func rightResponse(q *quiz.Question) any {
	if q.Type == quiz.Numeric {
		return q.Value
	}
	return q.Answer
}
