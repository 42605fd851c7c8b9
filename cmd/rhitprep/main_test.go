package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/fixture"
	"github.com/rhitprep/rhitprep/internal/store"
)

// fixtureQuestions is the small valid questions folder the tests serve.
const fixtureQuestions = "../../internal/fixture/questions"

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// syncBuffer is a goroutine-safe buffer for a running server's output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitForURL waits until the server prints where it listens.
func waitForURL(t *testing.T, out *syncBuffer, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if i := strings.Index(out.String(), "listening on "); i >= 0 {
			rest := out.String()[i+len("listening on "):]
			if j := strings.IndexByte(rest, '\n'); j >= 0 {
				return rest[:j]
			}
		}
		select {
		case err := <-done:
			t.Fatalf("server stopped: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("server did not start:\n%s", out.String())
	return ""
}

// client talks JSON to a running server.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var m map[string]any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 {
		if err := json.Unmarshal(data, &m); err != nil {
			c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
	}
	return resp.StatusCode, m
}

func (c *client) must(want int, method, path string, body any) map[string]any {
	c.t.Helper()
	status, m := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s = %d, want %d: %v", method, path, status, want, m)
	}
	return m
}

func (c *client) signIn(name string) {
	c.t.Helper()
	c.must(201, "POST", "/api/v1/auth/register", map[string]string{"username": name, "password": "password-" + name})
	c.token = c.must(200, "POST", "/api/v1/auth/login", map[string]string{"username": name, "password": "password-" + name})["token"].(string)
}

func TestServeRunsAQuizAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	db := filepath.Join(dir, "nested", "r.db")
	if fixture.Postgres() {
		db = fixture.DSN(t)
	}
	getenv := env("RHITPREP_DB", db, "RHITPREP_QUESTIONS", fixtureQuestions)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, getenv, nil, out, out) }()
	c := &client{t: t, base: waitForURL(t, out, done)}

	c.must(200, "GET", "/healthz", nil)
	c.signIn("yara")
	view := c.must(201, "POST", "/api/v1/exams", map[string]any{"mode": "quiz", "count": 3})
	id := view["id"].(string)
	c.must(200, "PUT", "/api/v1/exams/"+id+"/items/1", map[string]any{"flagged": true})
	res := c.must(200, "POST", "/api/v1/exams/"+id+"/submit", nil)
	if res["score"].(map[string]any)["total"].(float64) != 3 {
		t.Errorf("result = %v", res["score"])
	}

	// A body past the upload limit is refused by the server itself.
	req, _ := http.NewRequest("POST", c.base+"/api/v1/question-sets", strings.NewReader(strings.Repeat("x", 17<<20)))
	req.Header.Set("Authorization", "Bearer "+c.token)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 413 || !strings.Contains(string(body), "payload_too_large") {
			t.Errorf("17 MiB body = %d %s, want 413 payload_too_large", resp.StatusCode, body)
		}
	}

	if !fixture.Postgres() {
		// A second server on the same SQLite file stops at start; an
		// import beside the running server is fine.
		var second bytes.Buffer
		// Were it to start, it would serve until this context ends.
		ctx2, cancel2 := context.WithTimeout(ctx, 10*time.Second)
		err := run(ctx2, []string{"serve", "--addr", "127.0.0.1:0"}, getenv, nil, &second, &second)
		cancel2()
		if err == nil || !strings.Contains(err.Error(), "another rhitprep server is using") {
			t.Errorf("a second server on the same file = %v, want it refused\n%s", err, second.String())
		}
		var imp bytes.Buffer
		bank := filepath.Join(fixtureQuestions, "banks", "coding.yaml")
		if err := run(ctx, []string{"import", "--db", db, "--name", "Beside the server", bank}, env(), nil, &imp, &imp); err != nil {
			t.Errorf("import beside the running server = %v\n%s", err, imp.String())
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after the signal, want nil\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop on the signal")
	}
	if !fixture.Postgres() {
		if _, err := os.Stat(db); err != nil {
			t.Errorf("database file: %v", err)
		}
	}
}

func TestUserCreateMakesAnInstructor(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	var out bytes.Buffer
	err := run(context.Background(), []string{"user", "create", "--username", "prof", "--role", "instructor", "--db", db},
		env(), strings.NewReader("a long password\n"), &out, &out)
	if err != nil || !strings.Contains(out.String(), "created instructor prof") {
		t.Fatalf("user create = %v: %s", err, out.String())
	}
	err = run(context.Background(), []string{"user", "create", "--username", "prof", "--role", "instructor", "--db", db},
		env(), strings.NewReader("a long password\n"), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "taken") {
		t.Errorf("second user create = %v, want a taken-name error", err)
	}
	err = run(context.Background(), []string{"user", "create", "--username", "x", "--role", "boss", "--db", db},
		env(), strings.NewReader("short\n"), &out, &out)
	if err == nil {
		t.Errorf("user create with a bad name, role and password succeeded")
	}
}

func TestValidatePrintsEveryProblemWithItsLine(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "set.yaml")
	os.WriteFile(file, []byte(`questions:
  - id: a-1
    topic: coding
    stem: Which?
    options:
      - {id: A, text: one}
      - {id: B, text: two}
    answer: C
  - id: a-1
    topic: nowhere
    stem: Other?
    options:
      - {id: A, text: one}
      - {id: B, text: two}
    answer: A
`), 0o644)
	var out bytes.Buffer
	err := run(context.Background(), []string{"validate", file}, env(), nil, &out, &out)
	if !errors.Is(err, errReported) {
		t.Fatalf("validate = %v, want problems reported", err)
	}
	for _, want := range []string{file + ":8: answer:", file + ":9: id:", file + ":10: topic:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"validate", "--stats", fixtureQuestions}, env(), nil, &out, &out); err != nil {
		t.Fatalf("validate fixture folder = %v: %s", err, out.String())
	}
	if !strings.Contains(out.String(), "items: 50") {
		t.Errorf("stats = %s", out.String())
	}
}

func TestImportStoresASetAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	db := fixture.DSN(t)
	good := filepath.Join(fixtureQuestions, "banks", "coding.yaml")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "--db", db, "--name", "Week 1", good}, env(), nil, &out, &out); err != nil {
		t.Fatalf("import = %v: %s", err, out.String())
	}
	if !strings.Contains(out.String(), `"Week 1" version 1: 10 questions`) {
		t.Errorf("import output = %s", out.String())
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("questions:\n  - id: x\n    stem: s\n"), 0o644)
	out.Reset()
	if err := run(context.Background(), []string{"import", "--db", db, "--name", "Week 2", "--topic", "coding", bad}, env(), nil, &out, &out); !errors.Is(err, errReported) {
		t.Fatalf("import of a bad file = %v, want problems reported", err)
	}
	if !strings.Contains(out.String(), bad+":2:") {
		t.Errorf("output = %s", out.String())
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sets, err := st.Sets(context.Background())
	if err != nil || len(sets) != 1 || sets[0].Name != "Week 1" {
		t.Errorf("sets after a failed import = %+v, %v", sets, err)
	}
}

// TestKillNineLosesNoAcknowledgedAnswer runs the real binary, saves answers
// from several clients at once, kills the server with SIGKILL mid-stream,
// restarts it and checks every answer that got a 200 is there.
func TestKillNineLosesNoAcknowledgedAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "rhitprep")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "r.db")
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--questions", fixtureQuestions)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("server output: %v", err)
		}
		return cmd, strings.TrimSpace(strings.TrimPrefix(line, "rhitprep listening on "))
	}

	rounds, workers := 3, 8
	if n, err := strconv.Atoi(os.Getenv("RHITPREP_KILL_ROUNDS")); err == nil && n > 0 {
		rounds = n // make soak runs 20
	}
	type ack struct {
		exam string
		pos  int
		resp float64
	}
	var acked []ack
	uncertain := map[string]bool{} // a save in flight at the kill may or may not have landed
	var mu sync.Mutex
	cmd, base := start()
	c := &client{t: t, base: base}
	c.signIn("zoe")
	token := c.token
	for round := 0; round < rounds; round++ {
		// One deferred numeric-free quiz per worker: every answer is
		// ["A"] or ["B"]; a worker alternates, so each save changes the
		// stored response and the last acknowledged one must survive.
		exams := make([]string, workers)
		for w := range exams {
			exams[w] = c.must(201, "POST", "/api/v1/exams", map[string]any{"mode": "quiz", "topics": []string{"terminology", "coding", "regulations"}, "count": 30, "feedback": "deferred"})["id"].(string)
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					pos := i%30 + 1
					flag := (i/30)%2 == 0 // each pass over the items flips every flag
					body, _ := json.Marshal(map[string]any{"flagged": flag})
					req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/exams/%s/items/%d", base, exams[w], pos), bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						mu.Lock()
						uncertain[fmt.Sprintf("%s/%d", exams[w], pos)] = true
						mu.Unlock()
						return // the server is gone
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == 200 {
						v := 0.0
						if flag {
							v = 1
						}
						mu.Lock()
						acked = append(acked, ack{exams[w], pos, v})
						mu.Unlock()
					}
				}
			}(w)
		}
		time.Sleep(400 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		close(stop)
		wg.Wait()

		cmd, base = start()
		c.base = base
		last := map[string]float64{}
		for _, a := range acked {
			last[fmt.Sprintf("%s/%d", a.exam, a.pos)] = a.resp
		}
		lost := 0
		for _, exam := range exams {
			view := c.must(200, "GET", "/api/v1/exams/"+exam, nil)
			for _, raw := range view["items"].([]any) {
				it := raw.(map[string]any)
				k := fmt.Sprintf("%s/%d", exam, int(it["position"].(float64)))
				want, ok := last[k]
				if !ok || uncertain[k] {
					continue
				}
				got := it["flagged"] == true
				if got != (want == 1) {
					lost++
				}
			}
		}
		if len(acked) == 0 {
			t.Fatalf("round %d: no save was acknowledged before the kill", round)
		}
		t.Logf("round %d: %d saves acknowledged before the kill, %d items checked", round, len(acked), len(last))
		if lost > 0 {
			t.Errorf("round %d: %d of %d acknowledged saves lost", round, lost, len(last))
		}
		acked = acked[:0]
		clear(uncertain)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if res, err := st.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
}
