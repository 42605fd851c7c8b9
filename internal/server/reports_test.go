package server_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/itemstats"
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

// TestItemSumsMatchAFullRecomputation: the running sums the store keeps as
// attempts finish give exactly the analysis a full pass over the first
// attempts' answers gives.
func TestItemSumsMatchAFullRecomputation(t *testing.T) {
	h := newHarness(t)
	teacher := h.signUp("ned", "instructor")
	var setID string
	for _, s := range h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any) {
		if s.(map[string]any)["name"] == "Fixture terminology" {
			setID = s.(map[string]any)["id"].(string)
		}
	}
	rng := rand.New(rand.NewPCG(4, 2))
	var firsts []string
	for l := 0; l < 12; l++ {
		token := h.signUp(fmt.Sprintf("rec%02d", l), "learner")
		skill := float64(l) / 12
		for attempt := 0; attempt < 1+l%2; attempt++ {
			view := h.start(token, map[string]any{"mode": "quiz", "topics": []string{"terminology"}, "count": 10 - l%3, "feedback": "deferred"})
			id := view["id"].(string)
			for _, it := range items(t, view) {
				q := h.key("terminology", it["question_id"].(string))
				switch r := rng.Float64(); {
				case r < 0.1: // left blank
				case r < skill+0.2:
					h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", id, int(it["position"].(float64))), token, map[string]any{"response": rightResponse(q)})
				default:
					h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", id, int(it["position"].(float64))), token, map[string]any{"response": wrongResponse(q)})
				}
			}
			h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
			if attempt == 0 {
				firsts = append(firsts, id)
			}
		}
	}
	// The same analysis from every first attempt's answers.
	var responses []itemstats.Response
	var ids []string
	options := map[string][]string{}
	for _, q := range h.activeQuestions() {
		if q.SetID == setID {
			ids = append(ids, q.ID)
			for _, o := range q.Options {
				options[q.ID] = append(options[q.ID], o.ID)
			}
		}
	}
	for _, id := range firsts {
		a, err := h.store.Attempt(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range a.Items {
			responses = append(responses, itemstats.Response{Attempt: id, Item: it.Question.ID, Credit: *it.Credit,
				Choices: it.Response.Choices, Blank: it.Response.IsZero()})
		}
	}
	wantItems, wantTest := itemstats.Analyze(ids, options, responses, 2)
	rep := h.must(200, "GET", "/api/v1/reports/items?set="+setID+"&min_responses=2", teacher, nil)
	got := map[string]map[string]any{}
	for _, raw := range rep["items"].([]any) {
		it := raw.(map[string]any)
		got[it["question_id"].(string)] = it
	}
	near := func(name string, g any, w *float64) {
		t.Helper()
		switch {
		case w == nil && g != nil, w != nil && g == nil:
			t.Errorf("%s = %v, want %v", name, g, w)
		case w != nil && math.Abs(g.(float64)-*w) > 1e-4:
			t.Errorf("%s = %v, want %.4f", name, g, *w)
		}
	}
	for _, w := range wantItems {
		g := got[w.ID]
		if g["responses"].(float64) != float64(w.Responses) {
			t.Errorf("%s responses = %v, want %d", w.ID, g["responses"], w.Responses)
		}
		near(w.ID+" facility", g["facility"], w.Facility)
		near(w.ID+" discrimination", g["discrimination"], w.Discrimination)
		near(w.ID+" efficiency", g["efficiency"], w.Efficiency)
		for o, n := range w.Distractors {
			if g["distractors"].(map[string]any)[o].(float64) != float64(n) {
				t.Errorf("%s option %s = %v, want %d", w.ID, o, g["distractors"].(map[string]any)[o], n)
			}
		}
	}
	rel := rep["reliability"].(map[string]any)
	near("alpha", rel["kr20"], wantTest.Alpha)
	if rel["attempts"].(float64) != float64(wantTest.Attempts) || rep["learners"].(float64) != 12 {
		t.Errorf("reliability %v learners %v; want %d complete attempts, 12 learners", rel, rep["learners"], wantTest.Attempts)
	}
}
