package server_test

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestItemAnalysisCountsFirstAttempts(t *testing.T) {
	h := newHarness(t)
	teacher := h.signUp("bea", "instructor")
	var setID string
	for _, s := range h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any) {
		if s.(map[string]any)["name"] == "Fixture coding" {
			setID = s.(map[string]any)["id"].(string)
		}
	}
	// Four learners take the whole coding set; two of them get everything
	// right, two everything wrong. One then retakes it, all right: a
	// second attempt that must not count.
	for i, name := range []string{"cal", "dee", "eli", "fay"} {
		tok := h.signUp(name, "learner")
		good := i < 2
		h.answerAll(tok, []string{"coding"}, 10, func(string) bool { return good })
		if i == 3 {
			h.answerAll(tok, []string{"coding"}, 10, func(string) bool { return true })
		}
	}
	rep := h.must(200, "GET", "/api/v1/reports/items?set="+setID+"&min_responses=2", teacher, nil)
	if rep["learners"].(float64) != 4 {
		t.Errorf("learners = %v, want 4", rep["learners"])
	}
	items := rep["items"].([]any)
	if len(items) != 10 {
		t.Fatalf("%d items, want 10", len(items))
	}
	for _, raw := range items {
		it := raw.(map[string]any)
		if it["responses"].(float64) != 4 || it["facility"].(float64) != 0.5 {
			t.Errorf("item %v: %v responses, facility %v; want 4 first-attempt responses, 0.5", it["question_id"], it["responses"], it["facility"])
		}
		if d := it["discrimination"].(float64); d < 0.99 {
			t.Errorf("item %v discrimination %v, want 1 (strong and weak learners split cleanly)", it["question_id"], d)
		}
		sum := 0.0
		for _, n := range it["distractors"].(map[string]any) {
			sum += n.(float64)
		}
		if sum < 4 {
			t.Errorf("item %v distractors %v count fewer than 4 responses", it["question_id"], it["distractors"])
		}
	}
	rel := rep["reliability"].(map[string]any)
	if rel["attempts"].(float64) != 4 || rel["kr20"].(float64) != 1 {
		t.Errorf("reliability = %v, want KR-20 of 1 over 4 attempts", rel)
	}
	// With the default minimum of 10 responses, figures are hidden.
	hidden := h.must(200, "GET", "/api/v1/reports/items?set="+setID, teacher, nil)["items"].([]any)[0].(map[string]any)
	if hidden["facility"] != nil || hidden["responses"].(float64) != 4 {
		t.Errorf("below the minimum: %v", hidden)
	}
	for _, bad := range []string{"", "?set=nope", "?set=" + setID + "&min_responses=0"} {
		if r := h.request("GET", "/api/v1/reports/items"+bad, teacher, nil); r.status != 422 {
			t.Errorf("GET reports/items%s = %d, want 422", bad, r.status)
		}
	}
	if r := h.request("GET", "/api/v1/reports/items?set=00000000-0000-4000-8000-000000000000", teacher, nil); r.status != 404 {
		t.Errorf("unknown set = %d, want 404", r.status)
	}
}

func TestLearnersReport(t *testing.T) {
	h := newHarness(t)
	teacher := h.signUp("gus", "instructor")
	learner := h.signUp("-cmd", "learner")
	h.signUp("idle", "learner")
	h.answerAll(learner, []string{"statistics"}, 5, func(string) bool { return false })
	m := h.must(200, "GET", "/api/v1/reports/learners", teacher, nil)
	list := m["learners"].([]any)
	if len(list) != 1 {
		t.Fatalf("learners = %v, want only the one who has answered", list)
	}
	l := list[0].(map[string]any)
	if l["exams"].(float64) != 1 || l["answered"].(float64) != 5 || l["weak_topics"].([]any)[0] != "statistics" || l["readiness"] == nil {
		t.Errorf("learner = %v", l)
	}
	r := h.request("GET", "/api/v1/reports/learners?format=csv", teacher, nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv = %d %s", r.status, r.header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv rows = %v, %v", rows, err)
	}
	if rows[1][0] != "'-cmd" {
		t.Errorf("username cell %q: a formula-like name must be quoted", rows[1][0])
	}
	if r := h.request("GET", "/api/v1/reports/learners", learner, nil); r.status != 403 {
		t.Errorf("learner reading the report = %d, want 403", r.status)
	}
}
