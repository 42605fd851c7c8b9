package server_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/fixture"
)

// TestTwoServersOnePostgres runs two app servers on one PostgreSQL
// database, as behind a load balancer: they start together (importing each
// shipped bank once), share sessions, hand an exam back and forth, and
// take concurrent saves without an error.
func TestTwoServersOnePostgres(t *testing.T) {
	if !fixture.Postgres() {
		t.Skip("needs PostgreSQL: run make test-postgres")
	}
	dsn := fixture.DSN(t)
	clk := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	servers := []*harness{{t: t, clock: clk, dsn: dsn}, {t: t, clock: clk, dsn: dsn}}
	var wg sync.WaitGroup
	for _, h := range servers {
		wg.Add(1)
		go func(h *harness) { defer wg.Done(); h.open() }(h)
	}
	wg.Wait()
	one, two := servers[0], servers[1]

	teacher := one.signUp("ines", "instructor")
	if n := len(two.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any)); n != 5 {
		t.Fatalf("%d sets after two servers started together, want the 5 banks once each", n)
	}
	for _, s := range two.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any) {
		if v := s.(map[string]any)["version"].(float64); v != 1 {
			t.Errorf("set %v imported as version %v, want 1", s.(map[string]any)["name"], v)
		}
	}

	token := one.signUp("jude", "learner")
	view := one.start(token, map[string]any{"mode": "quiz", "count": 10, "feedback": "deferred"})
	id := view["id"].(string)
	for i, it := range items(t, view) {
		h := servers[i%2]
		q := h.key("", it["question_id"].(string))
		h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", id, i+1), token, map[string]any{"response": rightResponse(q)})
	}
	if got := two.must(200, "GET", "/api/v1/exams/"+id, token, nil); len(items(t, got)) != 10 {
		t.Fatalf("the second server sees %v", got)
	}
	res := one.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
	if res["score"].(map[string]any)["correct"].(float64) != 10 {
		t.Errorf("score = %v, want all 10 saved on either server", res["score"])
	}
	if again := two.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil); fmt.Sprint(again["score"]) != fmt.Sprint(res["score"]) {
		t.Errorf("submit on the other server = %v, want the same result", again["score"])
	}

	// Concurrent saves split across both servers, several learners at once.
	var failures sync.Map
	var lw sync.WaitGroup
	for l := 0; l < 6; l++ {
		tok := one.signUp(fmt.Sprintf("load%d", l), "learner")
		exam := two.start(tok, map[string]any{"mode": "quiz", "count": 20, "feedback": "deferred"})
		eid := exam["id"].(string)
		for w := 0; w < 2; w++ {
			lw.Add(1)
			go func(h *harness, w int) {
				defer lw.Done()
				for i := 0; i < 20; i++ {
					pos := (i+w*7)%20 + 1
					r := h.request("PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", eid, pos), tok, map[string]any{"flagged": i%2 == 0})
					if r.status != 200 {
						failures.Store(fmt.Sprintf("%s/%d", eid, pos), fmt.Sprintf("%d %s", r.status, r.body))
					}
				}
			}(servers[w], w)
		}
	}
	lw.Wait()
	failures.Range(func(k, v any) bool {
		t.Errorf("save %v failed: %v", k, v)
		return true
	})

	// A set uploaded on one server is drawn on the other after a sync.
	up := one.must(201, "POST", "/api/v1/question-sets?name=Shared&topic=coding&domain=4", teacher, uploadYAML)
	if changed, err := two.sets.Sync(t.Context()); err != nil || !changed {
		t.Fatalf("Sync = %v, %v; want the new set noticed", changed, err)
	}
	two.must(201, "POST", "/api/v1/exams", token, map[string]any{"mode": "quiz", "sets": []string{up["set"].(map[string]any)["id"].(string)}, "count": 3})

	// The deadline sweep may run on both servers at once.
	tok := one.signUp("kim", "learner")
	for i := 0; i < 5; i++ {
		one.start(tok, map[string]any{"mode": "quiz", "count": 2, "time_limit_s": 60})
	}
	clk.Advance(2 * time.Minute)
	counts := make([]int, 2)
	var sw sync.WaitGroup
	for i, h := range servers {
		sw.Add(1)
		go func(i int, h *harness) {
			defer sw.Done()
			n, err := h.svc.Sweep(t.Context())
			if err != nil {
				t.Errorf("sweep on server %d: %v", i+1, err)
			}
			counts[i] = n
		}(i, h)
	}
	sw.Wait()
	if counts[0]+counts[1] < 5 {
		t.Errorf("the sweeps closed %v attempts, want all 5 between them", counts)
	}
	for _, e := range one.must(200, "GET", "/api/v1/exams", tok, nil)["exams"].([]any) {
		if e.(map[string]any)["status"] != "expired" {
			t.Errorf("after both sweeps: %v", e)
		}
	}
}
