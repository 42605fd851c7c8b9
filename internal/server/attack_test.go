package server_test

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/auth"
	"github.com/rhitprep/rhitprep/internal/server"
)

// TestForwardedForDoesNotEvadeTheAddressLimit: with no trusted proxy, a
// client that invents a new X-Forwarded-For for every try is still one
// address, and is stopped after 30 failures across any accounts.
func TestForwardedForDoesNotEvadeTheAddressLimit(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 30; i++ {
		r := h.request("POST", "/api/v1/auth/login", "", map[string]string{"username": fmt.Sprintf("guess%02d", i), "password": "wrong-password"},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		if r.status != 401 {
			t.Fatalf("try %d = %d, want 401", i, r.status)
		}
	}
	r := h.request("POST", "/api/v1/auth/login", "", map[string]string{"username": "guess99", "password": "wrong-password"},
		"X-Forwarded-For", "198.51.100.7")
	if r.status != 429 {
		t.Errorf("31st failure from one peer with a fresh X-Forwarded-For = %d, want 429", r.status)
	}
}

// TestSlowClientIsCutOff opens a connection that never finishes its
// request; the server must drop it at the read timeout and keep serving.
func TestSlowClientIsCutOff(t *testing.T) {
	h := newHarness(t)
	app := server.New(server.Deps{Quiz: h.svc, Auth: auth.NewService(h.store, h.clock.Now, nil), Sets: h.sets,
		DB: h.store, Log: quietLog(), ReadTimeout: 300 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.Shutdown() })

	slow, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprint(slow, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	start := time.Now()
	slow.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 512)
	for {
		if _, err := slow.Read(buf); err != nil {
			break
		}
	}
	if waited := time.Since(start); waited > 3*time.Second {
		t.Errorf("a half-sent request held its connection for %s", waited)
	}
	ok, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer ok.Close()
	fmt.Fprint(ok, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	line, err := bufio.NewReader(ok).ReadString('\n')
	if err != nil || !strings.Contains(line, "200") {
		t.Errorf("a normal request after the slow one = %q, %v", line, err)
	}
}

// TestOptionOrderGivesNoHint: over many attempts the key lands in every
// displayed position about equally often, so the order carries no clue,
// and no view of an attempt in progress carries a key in any mode.
func TestOptionOrderGivesNoHint(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("lara", "learner")
	counts := make([]int, 4)
	total := 0
	for round := 0; round < 30; round++ {
		view := h.start(token, map[string]any{"mode": "quiz", "count": 40, "feedback": "deferred"})
		for _, it := range items(t, view) {
			if it["type"] != "single" {
				continue
			}
			q := h.key("", it["question_id"].(string))
			for pos, raw := range it["options"].([]any) {
				if raw.(map[string]any)["id"] == q.Answer[0] {
					counts[pos]++
					total++
				}
			}
		}
	}
	for pos, n := range counts {
		if share := float64(n) / float64(total); share < 0.18 || share > 0.32 {
			t.Errorf("the key was shown in position %d in %.1f%% of %d items; want about 25%%", pos+1, 100*share, total)
		}
	}
	for _, mode := range []map[string]any{{"mode": "mock"}, {"mode": "quiz", "count": 10, "feedback": "immediate"}, {"mode": "quiz", "generated": true, "count": 3}} {
		view := h.request("POST", "/api/v1/exams", token, mode)
		for _, f := range keyFields {
			if strings.Contains(string(view.body), f) {
				t.Errorf("a new %v attempt's view carries %s", mode, f)
			}
		}
	}
}
