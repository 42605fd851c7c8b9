package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/rhitprep/rhitprep/internal/auth"
	"github.com/rhitprep/rhitprep/internal/blueprint"
	"github.com/rhitprep/rhitprep/internal/fixture"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/reports"
	"github.com/rhitprep/rhitprep/internal/server"
	"github.com/rhitprep/rhitprep/internal/sets"
	"github.com/rhitprep/rhitprep/internal/store"
	"github.com/rhitprep/rhitprep/web"
)

const chromium = "/usr/bin/chromium"

// site is the real app over a real SQLite file with the fixture banks,
// built as internal/server's harness builds it, with the pages, served on
// a real listener.
type site struct {
	url   string
	store *store.Store
	auth  *auth.Service
	quiz  *quiz.Service
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	// fixture.DSN is a SQLite file in t.TempDir(), or a fresh PostgreSQL
	// database under RHITPREP_TEST_POSTGRES, as for every API test.
	st, err := store.Open(ctx, fixture.DSN(t), store.Options{Now: time.Now, Logger: quietLog()})
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
	svc := quiz.NewService(st, bp, time.Now, quietLog())
	mgr := sets.NewManager(st, svc)
	if _, err := mgr.LoadShipped(ctx, fixture.Questions()); err != nil {
		t.Fatalf("LoadShipped: %v", err)
	}
	au := auth.NewService(st, time.Now, auth.NewLimiter(15*time.Minute, 5, 30))
	app := server.New(server.Deps{Quiz: svc, Auth: au, Sets: mgr, Reports: reports.New(st, svc), DB: st,
		Log: quietLog(), Now: time.Now, Web: web.Static()})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return &site{url: "http://" + ln.Addr().String(), store: st, auth: au, quiz: svc}
}

// seedCoding has six learners of rising ability take the whole coding
// bank, so the item analysis has figures: codi-fx-010 is answered right
// only by the weakest (negative discrimination) and codi-fx-001 by all
// (too easy).
func (s *site) seedCoding(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for i := range 6 {
		u, err := s.auth.CreateUser(ctx, fmt.Sprintf("learner%d", i), "password-learner", quiz.RoleLearner)
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		a, err := s.quiz.Start(ctx, u, quiz.StartRequest{Mode: quiz.ModeQuiz, Topics: []string{"coding"}, Count: 10, Feedback: quiz.Deferred})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		for _, it := range a.Items {
			q := it.Question
			n, _ := strconv.Atoi(q.ID[len(q.ID)-3:])
			right := n <= i+3
			switch q.ID {
			case "codi-fx-001":
				right = true
			case "codi-fx-010":
				right = i < 2
			}
			var choice []string
			if q.Type == quiz.Multiple {
				choice = q.Answer
				if !right {
					choice = nil
					for _, o := range q.Options {
						if !contains(q.Answer, o.ID) && len(choice) < len(q.Answer) {
							choice = append(choice, o.ID)
						}
					}
				}
			} else {
				choice = []string{q.Answer[0]}
				if !right {
					for _, o := range q.Options {
						if o.ID != q.Answer[0] {
							choice = []string{o.ID}
							break
						}
					}
				}
			}
			if _, err := s.quiz.SaveItem(ctx, u, a.ID, it.Position, quiz.SaveRequest{Response: &quiz.Response{Choices: choice}}); err != nil {
				t.Fatalf("SaveItem: %v", err)
			}
		}
		if _, err := s.quiz.Submit(ctx, u, a.ID); err != nil {
			t.Fatalf("Submit: %v", err)
		}
	}
}

// keyOf returns the stored question, the test's oracle for right answers.
func (s *site) keyOf(t *testing.T, qid string) *quiz.Question {
	t.Helper()
	qs, err := s.store.ActiveQuestions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.ID == qid {
			return q
		}
	}
	t.Fatalf("no active question %s", qid)
	return nil
}

// browser drives one headless chromium tab.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
	n     int
	axeJS string

	mu   sync.Mutex
	errs []string
	done bool
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTime()
		cancelCtx()
		cancelAlloc()
	})
	axe, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	dir := os.Getenv("RHITPREP_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, ctx: ctx, shots: dir, axeJS: string(axe)}
	// Uncaught errors in the pages fail the test; console errors are shown.
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	console := chromedp.Events(ctx, runtime.ConsoleAPICalled)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg = d.Exception.Description
			}
			b.pageError(fmt.Sprintf("uncaught in the page: %s (%s:%d)", msg, d.URL, d.LineNumber+1))
		}
	}()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			// The pages open no dialog of their own; a beforeunload prompt
			// means a save was still on its way when the page went.
			b.pageError(fmt.Sprintf("unexpected %s dialog %q", ev.Type, ev.Message))
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	go func() {
		for ev, err := range console {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range ev.Args {
					if a.Description != "" {
						parts = append(parts, a.Description)
					} else {
						parts = append(parts, string(a.Value))
					}
				}
				b.logf("console.%s: %s", ev.Type, strings.Join(parts, " "))
			}
		}
	}()
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, e := range b.errs {
			t.Error(e)
		}
		b.done = true
	})
	// The first run starts the browser and binds it to ctx, which has no
	// per-step timeout; later steps get one each.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return b
}

func (b *browser) pageError(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		b.errs = append(b.errs, msg)
	}
}

func (b *browser) logf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		b.t.Logf(format, args...)
	}
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

func evalAs[T any](b *browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %q: %v", js, err)
	}
	return v
}

// wait polls a JavaScript condition until it is true.
func (b *browser) wait(what, cond string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(25*time.Millisecond)))
	if err != nil {
		text := evalAs[string](b, `document.querySelector('main') ? document.querySelector('main').innerText.slice(0, 600) : ''`)
		b.t.Fatalf("waiting for %s (%s): %v\npage: %s", what, cond, err, text)
	}
}

func (b *browser) text(js string) string {
	b.t.Helper()
	return evalAs[string](b, js)
}

// awaitText evaluates an expression that yields a promise of a string.
func (b *browser) awaitText(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %q: %v", js, err)
	}
	return v
}

func (b *browser) keys(k string, opts ...chromedp.KeyOption) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(k, opts...))
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

func (b *browser) typeInto(sel, text string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ''`, sel)),
		chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (b *browser) goTo(hash string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, hash)))
}

// shot writes a full-page PNG to the screenshots folder.
func (b *browser) shot(name string) {
	b.t.Helper()
	// Let charts drawn on resize and focus rings settle.
	b.do(chromedp.Sleep(60 * time.Millisecond))
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	b.n++
	path := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.slice(0, 6).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200))})))`

func (b *browser) runAxe(page string) []axeViolation {
	b.t.Helper()
	if !evalAs[bool](b, `typeof window.axe === 'object'`) {
		b.do(chromedp.Evaluate[chromedp.Void](b.axeJS))
	}
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", page, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal(raw, &vs); err != nil {
		b.t.Fatalf("axe result: %v: %s", err, raw)
	}
	return vs
}

// axeCanary shows that the check can fail: a button without a name must
// be reported as a critical violation.
func (b *browser) axeCanary() {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`document.body.appendChild(Object.assign(document.createElement('button'), {id: 'axe-canary'}))`))
	vs := b.runAxe("canary")
	b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('axe-canary').remove()`))
	for _, v := range vs {
		if v.ID == "button-name" && v.Impact == "critical" {
			return
		}
	}
	b.t.Fatalf("axe-core did not report a button without a name: %+v", vs)
}

// axe runs axe-core on the page as it is now and fails the test on any
// serious or critical violation.
func (b *browser) axe(page string) {
	b.t.Helper()
	vs := b.runAxe(page)
	bad, other := 0, []string{}
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			bad++
			b.t.Errorf("axe on %s: %s (%s): %s\n  %s", page, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
		} else {
			other = append(other, v.ID+" ("+v.Impact+")")
		}
	}
	b.t.Logf("axe %-22s serious/critical: %d; minor/moderate: %v", page, bad, other)
}

// intercept pauses the page's requests matching pattern and lets handle
// answer each (fulfil or fail it); stop ends the interception.
func (b *browser) intercept(pattern string, handle func(ctx context.Context, ev *fetch.EventRequestPaused)) (stop func()) {
	b.t.Helper()
	paused := chromedp.Events(b.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}}); err != nil {
		b.t.Fatalf("fetch.Enable: %v", err)
	}
	ctx, cancel := context.WithCancel(b.ctx)
	go func() {
		for ev, err := range paused {
			if err != nil || ctx.Err() != nil {
				return
			}
			handle(ctx, &ev)
		}
	}()
	return func() {
		_, _ = chromedp.Call(b.ctx, fetch.Disable, cdp.Empty{})
		cancel()
	}
}

// reportsGone makes the report endpoints answer 404 as a server without
// them does (the contract's error for an unknown route), to see the pages'
// "not available yet" message.
func (b *browser) reportsGone() (stop func()) {
	return b.intercept("*/api/v1/reports/*", func(ctx context.Context, ev *fetch.EventRequestPaused) {
		_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
			RequestID:       ev.RequestID,
			ResponseCode:    404,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}},
			Body:            []byte(`{"error":{"code":"not_found","message":"No such page or endpoint."}}`),
		})
	})
}

// offline makes every save of an answer fail as with no network.
func (b *browser) offline() (stop func()) {
	return b.intercept("*/api/v1/exams/*/items/*", func(ctx context.Context, ev *fetch.EventRequestPaused) {
		_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
	})
}

// answerCurrent answers the question on screen by keyboard: right (from
// the stored key) or wrong. It returns the response the page should hold.
func answerCurrent(t *testing.T, b *browser, s *site, right, byDigit bool) (qid string, want []string) {
	t.Helper()
	qid = b.text(`document.querySelector('article.question').dataset.qid`)
	typ := b.text(`document.querySelector('article.question').dataset.type`)
	q := s.keyOf(t, qid)
	order := evalAs[[]string](b, `[...document.querySelectorAll('article.question [data-option]')].map(li => li.dataset.option)`)
	switch typ {
	case "numeric":
		v := q.Value
		if !right {
			v += 1000
		}
		b.keys(strconv.FormatFloat(v, 'f', -1, 64))
		b.keys(kb.Escape)
		return qid, []string{strconv.FormatFloat(v, 'f', -1, 64)}
	case "multiple":
		// Right: the key. Wrong: as many options, none of them keyed.
		var chosen, others []string
		for _, id := range order {
			if contains(q.Answer, id) == right {
				chosen = append(chosen, id)
			} else {
				others = append(others, id)
			}
		}
		chosen = chosen[:len(q.Answer)]
		for _, id := range chosen {
			b.keys(strings.ToLower(id))
		}
		// A select-N item stops at N: one more choice is refused.
		b.keys(strings.ToLower(others[0]))
		n := evalAs[int](b, `document.querySelectorAll('article.question input:checked').length`)
		if n != len(q.Answer) {
			t.Errorf("select-%d item %s holds %d choices after one too many", len(q.Answer), qid, n)
		}
		if note := b.text(`document.querySelector('.select-note').textContent`); !strings.Contains(note, "only") {
			t.Errorf("no note after a choice too many: %q", note)
		}
		return qid, displayOrder(order, chosen)
	default:
		choice := q.Answer[0]
		if !right {
			for _, id := range order {
				if id != choice {
					choice = id
					break
				}
			}
		}
		if byDigit {
			b.keys(strconv.Itoa(index(order, choice) + 1))
		} else {
			b.keys(strings.ToLower(choice))
		}
		return qid, []string{choice}
	}
}

// displayOrder lists the chosen ids in the order the page shows them.
func displayOrder(order, chosen []string) []string {
	var out []string
	for _, id := range order {
		if contains(chosen, id) {
			out = append(out, id)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

const goodSet = `set: Week 3 statistics
questions:
  - id: wk3-alos-001
    topic: statistics
    domain: 3
    type: single
    stem: "A hospital had 1,200 discharges and 6,000 discharge days. What is the average length of stay?"
    options:
      - {id: A, text: "4 days"}
      - {id: B, text: "5 days"}
      - {id: C, text: "6 days"}
      - {id: D, text: "7 days"}
    answer: B
    rationale: "ALOS = discharge days / discharges = 6,000 / 1,200 = 5 days."
    references: ["Average length of stay formula"]
  - id: wk3-term-002
    topic: terminology
    domain: 1
    type: single
    stem: "What does the suffix -ectomy mean? <img src=x onerror=alert(1)>"
    options:
      - {id: A, text: "Surgical removal"}
      - {id: B, text: "Inflammation"}
      - {id: C, text: "Visual examination"}
      - {id: D, text: "Surgical repair"}
    answer: A
`

const badSet = `set: Broken set
questions:
  - id: bad-001
    topic: statistics
    domain: 3
    type: single
    stem: "This item has no key."
    options:
      - {id: A, text: "one"}
      - {id: B, text: "two"}
      - {id: C, text: "three"}
      - {id: D, text: "four"}
  - id: bad-002
    topic: astrology
    domain: 9
    type: single
    stem: "This item has an unknown topic and domain."
    options:
      - {id: A, text: "one"}
      - {id: B, text: "two"}
      - {id: C, text: "three"}
      - {id: D, text: "four"}
    answer: E
`

func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("no chromium at %s: the browser tests need it (apt-get install chromium)", chromium)
	}
	start := time.Now()
	s := newSite(t)
	b := newBrowser(t)
	t.Logf("browser started after %s", time.Since(start).Round(time.Millisecond))
	defer func() {
		t.Logf("screenshots in %s; browser test took %s", b.shots, time.Since(start).Round(time.Millisecond))
	}()

	// ---- register, sign out, sign in ----
	b.do(chromedp.Navigate(s.url + "/"))
	b.wait("the sign-in page", `!!document.querySelector('#login-submit')`)
	b.axeCanary()
	b.axe("sign in")
	b.shot("sign-in")

	b.click("#to-register")
	b.wait("the register page", `!!document.querySelector('#reg-submit')`)
	b.typeInto("#reg-username", "ann")
	b.typeInto("#reg-password", "short")
	b.typeInto("#reg-password2", "short")
	b.click("#reg-submit")
	b.wait("the password error", `document.querySelector('[role=alert]') && document.querySelector('[role=alert]').textContent.includes('at least 8')`)
	b.axe("register (with error)")
	b.shot("register-error")
	b.typeInto("#reg-password", "correct horse")
	b.typeInto("#reg-password2", "correct horse")
	b.click("#reg-submit")
	b.wait("the start page", `!!document.querySelector('#start-quiz')`)

	b.click("#sign-out")
	b.wait("the sign-in page", `!!document.querySelector('#login-submit')`)
	b.typeInto("#login-username", "ann")
	b.typeInto("#login-password", "wrong password")
	b.click("#login-submit")
	b.wait("the login error", `document.querySelector('[role=alert]') && !document.querySelector('[role=alert]').hidden`)
	b.typeInto("#login-password", "correct horse")
	b.click("#login-submit")
	b.wait("the start page", `!!document.querySelector('#start-quiz')`)
	b.axe("start")
	b.shot("start")

	// ---- a deferred quiz, by keyboard, with a reload in the middle ----
	b.click("#topic-statistics")
	b.typeInto("#quiz-count", "10")
	b.click("#fb-deferred")
	b.typeInto("#quiz-limit", "30")
	b.click("#start-quiz")
	b.wait("question 1", `document.querySelector('#qcount') && document.querySelector('#qcount').textContent === 'Question 1 of 10'`)
	if v := b.text(`document.querySelector('#timer').textContent`); !strings.HasPrefix(v, "30:00") && !strings.HasPrefix(v, "29:5") {
		t.Errorf("timer shows %q, want about 30:00", v)
	}

	answers := map[int][]string{}
	saved := `document.querySelector('#save-state').textContent === 'All answers saved'`
	for pos := 1; pos <= 5; pos++ {
		_, want := answerCurrent(t, b, s, pos != 2, pos == 1)
		answers[pos] = want
		if pos == 3 {
			b.keys("f") // flag question 3
			b.wait("the flag", `document.querySelector('#flag-btn').getAttribute('aria-pressed') === 'true'`)
		}
		if pos == 5 {
			b.click("#unsure-toggle") // mark a guess
		}
		if pos == 4 {
			// Strike out the first option with Shift+1, then see it struck.
			if b.text(`document.querySelector('article.question').dataset.type`) != "numeric" {
				b.keys("1", chromedp.KeyModifiers(chromedp.ModifierShift))
				b.wait("a struck option", `!!document.querySelector('.option.is-struck')`)
			}
		}
		b.wait("the save", saved)
		if pos == 4 {
			b.axe("exam runner")
			b.shot("exam-question")
		}
		if pos < 5 {
			b.keys(kb.ArrowRight)
		} else {
			b.keys("n")
		}
		b.wait(fmt.Sprintf("question %d", pos+1), fmt.Sprintf(`document.querySelector('#qcount').textContent === 'Question %d of 10'`, pos+1))
	}

	// Reload in the middle: the same question is on screen and every answer
	// comes back from the server.
	b.do(chromedp.Reload())
	b.wait("question 6 after the reload", `document.querySelector('#qcount') && document.querySelector('#qcount').textContent === 'Question 6 of 10'`)
	b.keys("p")
	b.wait("question 5 still marked as a guess", `document.querySelector('#qcount').textContent === 'Question 5 of 10' && document.querySelector('#unsure-toggle').checked`)
	b.keys("n")
	b.wait("question 6 again", `document.querySelector('#qcount').textContent === 'Question 6 of 10'`)
	b.keys("r")
	b.wait("the review screen", `!!document.querySelector('#navigator')`)
	for pos := 1; pos <= 10; pos++ {
		st := b.text(fmt.Sprintf(`document.querySelector('#nav-%d').dataset.status`, pos))
		want := "unseen"
		if pos <= 5 {
			want = "answered"
		} else if pos == 6 {
			want = "unanswered"
		}
		if st != want {
			t.Errorf("after the reload, question %d is %q on the review screen, want %q", pos, st, want)
		}
	}
	if f := b.text(`document.querySelector('#nav-3').dataset.flagged`); f != "true" {
		t.Errorf("question 3 lost its flag after the reload")
	}
	b.axe("review screen")
	b.shot("review-screen")
	// The flagged filter and a jump to question 3.
	b.click("#filter-flagged")
	b.wait("the flagged filter", `document.querySelectorAll('#navigator .nav-item').length === 1`)
	b.click("#nav-3")
	b.wait("question 3", `document.querySelector('#qcount').textContent === 'Question 3 of 10'`)
	got := evalAs[[]string](b, `[...document.querySelectorAll('article.question input:checked')].map(i => i.value).concat(document.querySelector('#numeric-input') ? [document.querySelector('#numeric-input').value] : [])`)
	if strings.Join(got, ",") != strings.Join(answers[3], ",") {
		t.Errorf("question 3 shows %v after the reload, want %v", got, answers[3])
	}
	b.keys("p")
	b.wait("question 2", `document.querySelector('#qcount').textContent === 'Question 2 of 10'`)
	got = evalAs[[]string](b, `[...document.querySelectorAll('article.question input:checked')].map(i => i.value).concat(document.querySelector('#numeric-input') ? [document.querySelector('#numeric-input').value] : [])`)
	if strings.Join(got, ",") != strings.Join(answers[2], ",") {
		t.Errorf("question 2 shows %v after the reload, want %v", got, answers[2])
	}
	// Hide and show the time.
	b.keys("t")
	b.wait("the hidden timer", `document.querySelector('#timer').hidden`)
	b.keys("t")
	b.wait("the timer", `!document.querySelector('#timer').hidden`)

	// Back to question 6 by the review screen, and the rest.
	b.keys("r")
	b.wait("the review screen", `!!document.querySelector('#navigator')`)
	b.click("#nav-6")
	b.wait("question 6", `document.querySelector('#qcount').textContent === 'Question 6 of 10'`)
	for pos := 6; pos <= 10; pos++ {
		_, want := answerCurrent(t, b, s, true, false)
		answers[pos] = want
		b.wait("the save", saved)
		b.keys("n")
		if pos < 10 {
			b.wait(fmt.Sprintf("question %d", pos+1), fmt.Sprintf(`document.querySelector('#qcount').textContent === 'Question %d of 10'`, pos+1))
		}
	}
	b.wait("the review screen at the end", `!!document.querySelector('#navigator')`)
	if n := evalAs[int](b, `document.querySelectorAll('#navigator .nav-answered').length`); n != 10 {
		t.Errorf("%d answered on the review screen, want 10", n)
	}
	b.click("#submit-btn")
	b.wait("the submit dialog", `document.querySelector('#submit-dialog').open`)
	b.axe("submit dialog")
	b.shot("submit-dialog")
	b.click("#confirm-submit")
	b.wait("the result", `!!document.querySelector('#score-percent')`)
	if v := b.text(`document.querySelector('#score-count').textContent`); v != "9 / 10" {
		t.Errorf("result shows %q correct, want 9 / 10", v)
	}
	if v := b.text(`document.querySelector('#score-percent').textContent`); v != "90%" {
		t.Errorf("result shows %q, want 90%%", v)
	}
	if n := evalAs[int](b, `document.querySelectorAll('#review-list .review-item').length`); n != 10 {
		t.Errorf("item review lists %d items, want 10", n)
	}
	if n := evalAs[int](b, `document.querySelectorAll('#review-list .ri-wrong').length`); n != 1 {
		t.Errorf("item review marks %d items wrong, want 1: %s", n, b.text(`[...document.querySelectorAll('#review-list .ri-wrong')].map(li => li.innerText.replace(/\s+/g, ' ').slice(0, 300)).join(' || ')`))
		t.Logf("answers given: %v", answers)
	}
	b.axe("result")
	b.shot("result")

	// ---- immediate feedback ----
	b.goTo("#/")
	b.wait("the start page", `!!document.querySelector('#start-quiz')`)
	b.click("#topic-coding")
	b.typeInto("#quiz-count", "2")
	b.click("#start-quiz")
	b.wait("question 1", `document.querySelector('#qcount') && document.querySelector('#qcount').textContent === 'Question 1 of 2'`)
	b.wait("the check button", `!!document.querySelector('#check-btn')`)
	answerCurrent(t, b, s, true, false)
	b.keys(kb.Enter)
	b.wait("the feedback", `document.querySelector('#feedback-h') && document.querySelector('#feedback-h').textContent.includes('Correct')`)
	if r := b.text(`document.querySelector('#feedback .rationale').textContent`); r == "" {
		t.Errorf("no rationale after an immediate answer")
	}
	b.axe("immediate feedback")
	b.shot("immediate-feedback")
	immediateHash := b.text(`location.hash`)

	// ---- time warnings and submission at the deadline ----
	startQuiz := func(limit int) string {
		id := b.awaitText(fmt.Sprintf(`fetch('/api/v1/exams', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent((document.cookie.match(/rhitprep_csrf=([^;]+)/) || [])[1] || '')}, body: JSON.stringify({mode: 'quiz', topics: ['terminology'], count: 3, feedback: 'deferred', time_limit_s: %d})}).then(r => r.json()).then(j => j.id)`, limit))
		if id == "" {
			t.Fatal("could not start a timed quiz")
		}
		return id
	}
	warnID := startQuiz(302)
	b.goTo("#/exam/" + warnID)
	b.wait("the 5-minute warning", `document.querySelector('#time-warning') && !document.querySelector('#time-warning').hidden && document.querySelector('#time-warning').textContent.includes('5 minutes remaining')`)
	// A save that fails shows so, keeps the answer, and goes through later.
	stopOffline := b.offline()
	answerCurrent(t, b, s, true, false)
	b.wait("the save error", `document.querySelector('#save-state').textContent.startsWith('Not saved yet') && !document.querySelector('#retry-save').hidden`)
	b.shot("time-warning-save-error")
	stopOffline()
	b.click("#retry-save")
	b.wait("the save after the retry", saved)
	b.do(chromedp.Reload())
	b.wait("the reloaded runner", `document.querySelector('#qcount') && document.querySelector('#qcount').textContent === 'Question 1 of 3'`)
	if n := evalAs[int](b, `document.querySelectorAll('article.question input:checked').length`); n < 1 {
		t.Errorf("the answer saved after a retry is lost on reload")
	}

	deadlineID := startQuiz(3)
	b.goTo("#/exam/" + deadlineID)
	b.wait("question 1", `document.querySelector('#qcount') && document.querySelector('#qcount').textContent === 'Question 1 of 3'`)
	answerCurrent(t, b, s, true, false)
	b.wait("the save", saved)
	b.wait("the result after the deadline", `!!document.querySelector('#score-percent') && document.body.textContent.includes('submitted automatically')`)
	if v := b.text(`document.querySelector('#score-count').textContent`); v != "1 / 3" {
		t.Errorf("after the deadline the result shows %q, want 1 / 3", v)
	}
	// The weak topic's link opens the quiz form with that topic ticked.
	b.click("#practise-links a")
	b.wait("the quiz form for the weak topic", `!!document.querySelector('#topic-terminology') && document.querySelector('#topic-terminology').checked && document.activeElement && document.activeElement.id === 'start-quiz'`)
	// Missed questions: those left unanswered and the one answered wrong.
	b.click("#start-missed")
	b.wait("the missed questions", `document.querySelector('#qcount') && /^Question 1 of \d+$/.test(document.querySelector('#qcount').textContent)`)
	b.goTo("#/")
	b.wait("the start page", `!!document.querySelector('#start-mock')`)

	// A mock exam: started from its button, answered through the API, and
	// submitted from the review screen; the result has the scaled score.
	b.click("#start-mock")
	b.wait("the mock exam", `document.querySelector('#qcount') && document.querySelector('#qcount').textContent === 'Question 1 of 12'`)
	if evalAs[bool](b, `!!document.querySelector('article.question .tag')`) {
		t.Errorf("the mock exam shows the topic of its questions")
	}
	mockID := strings.TrimPrefix(b.text(`location.hash`), "#/exam/")
	raw := b.awaitText(fmt.Sprintf(`fetch('/api/v1/exams/%s').then(r => r.text())`, mockID))
	var view struct {
		Items []struct {
			Position   int    `json:"position"`
			QuestionID string `json:"question_id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(raw), &view); err != nil {
		t.Fatalf("exam view: %v", err)
	}
	var puts []string
	for _, it := range view.Items {
		q := s.keyOf(t, it.QuestionID)
		var resp any = q.Answer
		if q.Type == quiz.Numeric {
			resp = q.Value
		}
		body, _ := json.Marshal(map[string]any{"response": resp})
		puts = append(puts, fmt.Sprintf(`[%d, %q]`, it.Position, body))
	}
	b.awaitText(fmt.Sprintf(`Promise.all([%s].map(([p, body]) => fetch('/api/v1/exams/%s/items/' + p, {method: 'PUT', credentials: 'same-origin', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent((document.cookie.match(/rhitprep_csrf=([^;]+)/) || [])[1] || '')}, body}).then(r => r.status))).then(s => s.join(','))`, strings.Join(puts, ","), mockID))
	b.do(chromedp.Reload())
	b.wait("the mock exam after answers", `!!document.querySelector('#qcount')`)
	b.keys("r")
	b.wait("the review screen", `document.querySelectorAll('#navigator .nav-answered').length === 12`)
	b.click("#submit-btn")
	b.wait("the submit dialog", `document.querySelector('#submit-dialog').open`)
	b.click("#confirm-submit")
	b.wait("the mock result", `!!document.querySelector('#score-scaled')`)
	if v := b.text(`document.querySelector('#score-verdict').textContent`); !strings.Contains(v, "Pass") {
		t.Errorf("a mock exam with every answer right shows %q", v)
	}
	b.axe("mock exam result")
	b.shot("mock-result")

	// ---- progress ----
	b.goTo("#/progress")
	b.wait("the progress charts", `document.querySelectorAll('svg.chart').length >= 3 && !document.querySelector('[aria-busy]')`)
	b.axe("progress")
	b.shot("progress")
	// Setting a study plan.
	b.do(chromedp.SetValue("#plan-date", "2027-01-15"))
	b.do(chromedp.SetValue("#plan-budget", "25"))
	b.click("#plan-save")
	b.wait("the saved plan", `document.querySelector('#plan-summary').textContent.includes('Exam on 2027-01-15') && document.querySelector('#plan-summary').textContent.includes('of 25 questions')`)

	// ---- a phone ----
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.goTo(immediateHash)
	b.wait("the runner on a phone", `document.querySelector('#qcount') && document.querySelector('#qcount').textContent === 'Question 1 of 2'`)
	b.keys("n")
	b.wait("question 2", `document.querySelector('#qcount').textContent === 'Question 2 of 2'`)
	b.axe("exam runner (phone)")
	b.shot("phone-exam")
	b.goTo("#/progress")
	b.wait("the progress charts", `document.querySelectorAll('svg.chart').length >= 3 && !document.querySelector('[aria-busy]')`)
	b.shot("phone-progress")
	b.do(chromedp.EmulateViewport(1280, 900))

	// ---- an instructor uploads a set, dry run first ----
	if _, err := s.auth.CreateUser(context.Background(), "prof", "password-prof", quiz.RoleInstructor); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	b.goTo("#/")
	b.wait("the start page", `!!document.querySelector('#sign-out')`)
	b.click("#sign-out")
	b.wait("the sign-in page", `!!document.querySelector('#login-submit')`)
	b.typeInto("#login-username", "prof")
	b.typeInto("#login-password", "password-prof")
	b.click("#login-submit")
	b.wait("the start page", `!!document.querySelector('#start-quiz')`)
	b.goTo("#/instructor/upload")
	b.wait("the upload page", `!!document.querySelector('#upload-file')`)
	b.axe("upload")

	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.yaml")
	good := filepath.Join(dir, "week-3.yaml")
	if err := os.WriteFile(bad, []byte(badSet), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(goodSet), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{bad}))
	b.click("#dry-run-btn")
	b.wait("the problems", `!!document.querySelector('#problems-table')`)
	lines := evalAs[[]string](b, `[...document.querySelectorAll('#problems-table tbody tr td:first-child')].map(td => td.textContent)`)
	if len(lines) < 2 {
		t.Errorf("the dry run of a broken file lists %d problems, want at least 2", len(lines))
	}
	numbered := 0
	for _, l := range lines {
		if _, err := strconv.Atoi(l); err == nil {
			numbered++
		}
	}
	if numbered == 0 {
		t.Errorf("no problem names its line: %v", lines)
	}
	if evalAs[bool](b, `!document.querySelector('#import-btn').disabled`) {
		t.Errorf("import is enabled after a failed dry run")
	}
	b.axe("upload problems")
	b.shot("upload-problems")

	b.do(chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{good}))
	b.click("#dry-run-btn")
	b.wait("the dry run", `!!document.querySelector('#dry-summary')`)
	if v := b.text(`document.querySelector('#dry-summary').textContent`); !strings.Contains(v, "2 questions") {
		t.Errorf("dry run says %q, want 2 questions", v)
	}
	b.wait("the warnings", `!!document.querySelector('#warnings-table')`)
	b.axe("upload dry run")
	b.shot("upload-dry-run")
	b.click("#import-btn")
	b.wait("the import", `!!document.querySelector('#import-summary')`)
	sets0, err := s.store.ActiveQuestions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, q := range sets0 {
		found = found || q.ID == "wk3-alos-001"
	}
	if !found {
		t.Errorf("the imported question is not active")
	}

	// Question text is shown as text, never as markup.
	weekID := b.awaitText(`fetch('/api/v1/question-sets').then(r => r.json()).then(j => (j.sets.find(s => s.name === 'week-3') || {}).id || '')`)
	b.goTo("#/instructor/items?set=" + weekID + "&min=1")
	b.wait("the new set's items", `!!document.querySelector('#items-table') && document.querySelector('#items-table').textContent.includes('wk3-term-002')`)
	if !strings.Contains(b.text(`document.querySelector('#items-table').textContent`), "<img src=x onerror=alert(1)>") || evalAs[bool](b, `!!document.querySelector('main img')`) {
		t.Errorf("a stem with markup is not shown as plain text")
	}

	b.goTo("#/instructor/sets")
	b.wait("the sets", `!!document.querySelector('#sets-table') && document.querySelector('#sets-table').textContent.includes('week-3')`)
	b.axe("question sets")
	b.shot("question-sets")
	rowSel := `[...document.querySelectorAll('#sets-table tbody tr')].find(tr => tr.textContent.includes('week-3'))`
	retireID := b.text(rowSel + `.querySelector('button').id`)
	b.click("#" + retireID)
	b.wait("the retire dialog", `document.querySelector('#retire-dialog').open`)
	b.click("#confirm-retire")
	b.wait("the retired set", rowSel+` && `+rowSel+`.textContent.includes('Retired')`)

	// The reports, from a server without them (404), then the real ones.
	stop := b.reportsGone()
	b.goTo("#/instructor/items")
	b.wait("item analysis not available", `!!document.querySelector('#not-available')`)
	b.axe("item analysis (404)")
	b.shot("item-analysis-unavailable")
	b.goTo("#/instructor/learners")
	b.wait("learners not available", `!!document.querySelector('#not-available')`)
	b.axe("learners (404)")
	stop()

	s.seedCoding(t)
	codingID := b.awaitText(`fetch('/api/v1/question-sets').then(r => r.json()).then(j => (j.sets.find(s => s.name === 'Fixture coding') || {}).id || '')`)
	if codingID == "" {
		t.Fatal("no Fixture coding set")
	}
	b.goTo("#/instructor/items?set=" + codingID)
	b.wait("the item table", `!!document.querySelector('#items-table')`)
	b.typeInto("#items-min", "5")
	b.click("#items-show")
	b.wait("the item table for 5 responses", `document.querySelector('#items-out').dataset.min === '5' && !!document.querySelector('#items-table')`)
	if n := evalAs[int](b, `document.querySelectorAll('#items-table tbody tr').length`); n != 10 {
		t.Errorf("item analysis lists %d questions of Fixture coding, want 10", n)
	}
	dubious := evalAs[[]string](b, `[...document.querySelectorAll('#items-table tr.row-dubious th .mono')].map(e => e.textContent)`)
	if !contains(dubious, "codi-fx-010") || !contains(dubious, "codi-fx-001") {
		t.Errorf("highlighted items %v, want codi-fx-010 (negative discrimination) and codi-fx-001 (too easy) among them", dubious)
	}
	b.axe("item analysis")
	b.shot("item-analysis")
	b.goTo("#/instructor/learners")
	b.wait("the learners table", `!!document.querySelector('#learners-table') && document.querySelector('#learners-table').textContent.includes('ann')`)
	if href := b.text(`document.querySelector('#learners-csv').getAttribute('href')`); href != "/api/v1/reports/learners?format=csv" {
		t.Errorf("CSV link is %q", href)
	}
	csv := b.awaitText(`fetch(document.querySelector('#learners-csv').href).then(r => r.text())`)
	if !strings.HasPrefix(csv, "username,") || !strings.Contains(csv, "ann") {
		t.Errorf("the CSV download is not the learners CSV: %.200q", csv)
	}
	b.axe("learners")
	b.shot("learners")

	if el := time.Since(start); el > 60*time.Second {
		t.Errorf("the browser test took %s, over its 60 s budget", el)
	}
}
