package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// answerAll starts a quiz over topics, answers every item right or wrong
// as right(topic) says, and submits.
func (h *harness) answerAll(token string, topics []string, count int, right func(topic string) bool) {
	h.t.Helper()
	view := h.start(token, map[string]any{"mode": "quiz", "topics": topics, "count": count, "feedback": "deferred"})
	id := view["id"].(string)
	for _, it := range items(h.t, view) {
		q := h.key(it["topic"].(string), it["question_id"].(string))
		resp := wrongResponse(q)
		if right(q.Topic) {
			resp = rightResponse(q)
		}
		h.clock.Advance(30 * time.Second)
		h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", id, int(it["position"].(float64))), token, map[string]any{"response": resp})
	}
	h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
}

func TestWeakTopicsReviewAndReadiness(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("xena", "learner")
	empty := h.must(200, "GET", "/api/v1/progress", token, nil)
	if empty["readiness"] != nil || len(empty["weak_topics"].([]any)) != 0 || empty["due_reviews"].(float64) != 0 {
		t.Fatalf("progress before any answer = %v", empty)
	}

	all := []string{"terminology", "coding", "regulations", "release-of-information", "statistics"}
	h.answerAll(token, all, 50, func(topic string) bool { return topic != "statistics" })

	p := h.must(200, "GET", "/api/v1/progress", token, nil)
	weak := p["weak_topics"].([]any)
	if len(weak) != 1 || weak[0] != "statistics" {
		t.Fatalf("weak_topics = %v, want only statistics", weak)
	}
	for _, raw := range p["topics"].([]any) {
		tp := raw.(map[string]any)
		if tp["answered"].(float64) != 10 {
			t.Errorf("topic %v answered %v, want 10", tp["topic"], tp["answered"])
		}
		if m := tp["mastery"].(float64); m < tp["mastery_low"].(float64) || m > tp["mastery_high"].(float64) {
			t.Errorf("topic %v: mastery outside its band: %v", tp["topic"], tp)
		}
		if tp["seconds_per_item"].(float64) != 30 {
			t.Errorf("topic %v: %v seconds per item, want 30", tp["topic"], tp["seconds_per_item"])
		}
	}
	r := p["readiness"].(map[string]any)
	ps, prob := r["predicted_scaled"].(float64), r["pass_probability"].(float64)
	if ps < 100 || ps > 400 || prob < 0 || prob > 1 || r["low"].(float64) > ps || r["high"].(float64) < ps {
		t.Errorf("readiness out of bounds: %v", r)
	}
	if len(r["suggestions"].([]any)) == 0 {
		t.Errorf("no suggestion to raise readiness: %v", r)
	}

	// Review serves the missed statistics questions first.
	rv := h.start(token, map[string]any{"mode": "review", "count": 12})
	stats := 0
	for _, it := range items(t, rv) {
		if it["topic"] == "statistics" {
			stats++
		}
	}
	if stats < 10 {
		t.Errorf("review drew %d statistics items of 12, want the 10 missed ones", stats)
	}

	// Later, the cards fall due.
	h.clock.Advance(5 * 24 * time.Hour)
	if due := h.must(200, "GET", "/api/v1/progress", token, nil)["due_reviews"].(float64); due != 50 {
		t.Errorf("due_reviews five days later = %v, want all 50 cards", due)
	}
}

func TestReadinessRisesWithAccuracy(t *testing.T) {
	h := newHarness(t)
	weak := h.signUp("yves", "learner")
	strong := h.signUp("zack", "learner")
	all := []string{"terminology", "coding", "regulations", "release-of-information", "statistics"}
	h.answerAll(weak, all, 50, func(string) bool { return false })
	h.answerAll(strong, all, 50, func(string) bool { return true })
	rw := h.must(200, "GET", "/api/v1/progress", weak, nil)["readiness"].(map[string]any)
	rs := h.must(200, "GET", "/api/v1/progress", strong, nil)["readiness"].(map[string]any)
	if rw["predicted_scaled"].(float64) >= rs["predicted_scaled"].(float64) || rw["pass_probability"].(float64) > 0.05 || rs["pass_probability"].(float64) < 0.95 {
		t.Errorf("all wrong: %v; all right: %v", rw, rs)
	}
}

func TestPlanLimitsDailyReviews(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("abby", "learner")
	h.answerAll(token, []string{"coding"}, 10, func(string) bool { return false })
	tests := []struct {
		body   any
		status int
	}{
		{map[string]any{"exam_date": "2020-01-01"}, 422},
		{map[string]any{"exam_date": "2026-12-10", "daily_budget": 501}, 422},
		{map[string]any{"exam_date": "next week"}, 422},
		{map[string]any{"exam_date": "2026-12-10", "daily_budget": 14}, 204},
	}
	for _, tt := range tests {
		if r := h.request("PUT", "/api/v1/me/plan", token, tt.body); r.status != tt.status {
			t.Errorf("PUT plan %v = %d, want %d: %s", tt.body, r.status, tt.status, r.body)
		}
	}
	plan := h.must(200, "GET", "/api/v1/progress", token, nil)["plan"].(map[string]any)
	if plan["answered_today"].(float64) != 10 || plan["daily_budget"].(float64) != 14 || plan["days_left"].(float64) != 14 {
		t.Fatalf("plan = %v", plan)
	}
	rv := h.start(token, map[string]any{"mode": "review", "count": 20})
	if n := len(items(t, rv)); n != 4 {
		t.Errorf("review with 4 of the budget left drew %d items", n)
	}
	h.answerAll(token, []string{"regulations"}, 4, func(string) bool { return true })
	if r := h.request("POST", "/api/v1/exams", token, map[string]any{"mode": "review"}); r.status != 422 {
		t.Errorf("review past the budget = %d, want 422", r.status)
	}
	h.must(204, "PUT", "/api/v1/me/plan", token, map[string]any{"exam_date": nil})
	if p := h.must(200, "GET", "/api/v1/progress", token, nil)["plan"]; p != nil {
		t.Errorf("plan after clearing = %v", p)
	}
}

// TestUnsureAnswersComeBackSooner: a right answer marked as a guess is
// rated Hard, so its card falls due before one answered right with
// confidence.
func TestUnsureAnswersComeBackSooner(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("mia", "learner")
	view := h.start(token, map[string]any{"mode": "quiz", "topics": []string{"coding"}, "count": 2, "feedback": "deferred"})
	id := view["id"].(string)
	its := items(t, view)
	for i, it := range its {
		q := h.key("coding", it["question_id"].(string))
		body := map[string]any{"response": rightResponse(q), "unsure": i == 0}
		r := h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", id, i+1), token, body)
		if r["unsure"] != (i == 0) {
			t.Fatalf("save = %v", r)
		}
	}
	if got := items(t, h.must(200, "GET", "/api/v1/exams/"+id, token, nil))[0]["unsure"]; got != true {
		t.Fatalf("view lost the unsure mark: %v", got)
	}
	h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
	seen, err := h.store.SeenQuestions(t.Context(), h.mustUserID("mia"))
	if err != nil {
		t.Fatal(err)
	}
	unsure := seen[quiz.Key{SetID: h.key("coding", its[0]["question_id"].(string)).SetID, ID: its[0]["question_id"].(string)}]
	sure := seen[quiz.Key{SetID: h.key("coding", its[1]["question_id"].(string)).SetID, ID: its[1]["question_id"].(string)}]
	if !unsure.Card.Due.Before(sure.Card.Due) || unsure.Card.Stability >= sure.Card.Stability {
		t.Errorf("unsure card %+v should fall due before the sure card %+v", unsure.Card, sure.Card)
	}
}
