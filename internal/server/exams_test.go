package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/rhitprep/rhitprep/internal/blueprint"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

type fiberCtx = fiber.Ctx

// keyFields may appear in an attempt view only where the key may be shown.
var keyFields = []string{`"answer"`, `"rationale"`, `"correct"`, `"references"`, `"scored"`}

func TestTopicsCountActiveQuestions(t *testing.T) {
	h := newHarness(t)
	m := h.must(200, "GET", "/api/v1/topics", "", nil)
	topics := m["topics"].([]any)
	if len(topics) != 5 {
		t.Fatalf("topics = %v", topics)
	}
	for _, raw := range topics {
		tp := raw.(map[string]any)
		if tp["questions"].(float64) != 10 || tp["name"] == "" {
			t.Errorf("topic %v, want 10 questions and a name", tp)
		}
	}
}

func TestImmediateQuizEndToEnd(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("gina", "learner")
	view := h.start(token, map[string]any{"mode": "quiz", "topics": []string{"statistics"}, "count": 4, "feedback": "immediate"})
	id := view["id"].(string)
	if view["status"] != "in_progress" || view["feedback"] != "immediate" || view["time_remaining_s"] != nil {
		t.Fatalf("view = %v", view)
	}
	its := items(t, view)
	if len(its) != 4 {
		t.Fatalf("%d items, want 4", len(its))
	}
	body := h.request("GET", "/api/v1/exams/"+id, token, nil).body
	for _, f := range keyFields {
		if strings.Contains(string(body), f) {
			t.Errorf("fresh attempt view carries %s: %s", f, body)
		}
	}
	seen := map[string]bool{}
	for i, it := range its {
		if it["position"].(float64) != float64(i+1) || it["topic"] != "statistics" {
			t.Errorf("item %d = %v", i, it)
		}
		if seen[it["question_id"].(string)] {
			t.Errorf("question %s drawn twice", it["question_id"])
		}
		seen[it["question_id"].(string)] = true
	}

	// Item 1 right, item 2 wrong, item 3 unanswered, item 4 flagged only.
	q1 := h.key("statistics", its[0]["question_id"].(string))
	r := h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/1", id), token, map[string]any{"response": rightResponse(q1)})
	if r["correct"] != true || r["answer"] == nil || r["rationale"] == "" {
		t.Errorf("immediate feedback for a right answer = %v", r)
	}
	q2 := h.key("statistics", its[1]["question_id"].(string))
	r = h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/2", id), token, map[string]any{"response": wrongResponse(q2)})
	if r["correct"] != false {
		t.Errorf("immediate feedback for a wrong answer = %v", r)
	}
	// Once checked, the answer is locked; the same answer again is harmless.
	if r := h.request("PUT", fmt.Sprintf("/api/v1/exams/%s/items/2", id), token, map[string]any{"response": rightResponse(q2)}); r.status != 409 {
		t.Errorf("changing a checked answer = %d, want 409", r.status)
	}
	h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/2", id), token, map[string]any{"response": wrongResponse(q2)})
	h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/4", id), token, map[string]any{"flagged": true})

	// The view reveals keys for answered items only.
	its = items(t, h.must(200, "GET", "/api/v1/exams/"+id, token, nil))
	if its[0]["answer"] == nil || its[1]["answer"] == nil || its[2]["answer"] != nil || its[3]["answer"] != nil {
		t.Errorf("keys in view: %v / %v / %v / %v", its[0]["answer"], its[1]["answer"], its[2]["answer"], its[3]["answer"])
	}
	if its[3]["flagged"] != true {
		t.Errorf("item 4 not flagged: %v", its[3])
	}

	res := h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
	score := res["score"].(map[string]any)
	if score["correct"].(float64) != 1 || score["total"].(float64) != 4 || score["percent"].(float64) != 25 {
		t.Errorf("score = %v, want 1 of 4, 25%%", score)
	}
	if _, ok := score["scaled"]; ok {
		t.Errorf("a quiz has no scaled score: %v", score)
	}
	again := h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
	if fmt.Sprint(again["score"]) != fmt.Sprint(res["score"]) || again["submitted_at"] != res["submitted_at"] {
		t.Errorf("second submit = %v, want the same result %v", again["score"], res["score"])
	}
	got := h.must(200, "GET", "/api/v1/exams/"+id+"/result", token, nil)
	if fmt.Sprint(got["score"]) != fmt.Sprint(res["score"]) {
		t.Errorf("result = %v, want %v", got["score"], res["score"])
	}
	for _, it := range items(t, got) {
		if it["answer"] == nil || it["scored"] != true {
			t.Errorf("result item lacks its key: %v", it)
		}
	}
	if r := h.request("PUT", fmt.Sprintf("/api/v1/exams/%s/items/3", id), token, map[string]any{"response": rightResponse(q1)}); r.status != 409 {
		t.Errorf("save after submit = %d, want 409", r.status)
	}

	prog := h.must(200, "GET", "/api/v1/progress", token, nil)
	for _, raw := range prog["topics"].([]any) {
		tp := raw.(map[string]any)
		if tp["topic"] == "statistics" && (tp["answered"].(float64) != 4 || tp["correct"].(float64) != 1) {
			t.Errorf("statistics progress = %v, want 4 answered (blank ones count), 1 correct", tp)
		}
	}
	if hist := prog["history"].([]any); len(hist) != 1 {
		t.Errorf("history = %v, want one exam", hist)
	}
	list := h.must(200, "GET", "/api/v1/exams", token, nil)["exams"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["percent"].(float64) != 25 {
		t.Errorf("exam list = %v", list)
	}
}

func TestDeferredFeedbackHidesTheKeyUntilSubmit(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("hugo", "learner")
	view := h.start(token, map[string]any{"mode": "quiz", "count": 3, "feedback": "deferred"})
	id := view["id"].(string)
	q := h.key("", items(t, view)[0]["question_id"].(string))
	r := h.request("PUT", "/api/v1/exams/"+id+"/items/1", token, map[string]any{"response": rightResponse(q)})
	if r.status != 200 {
		t.Fatalf("save = %d %s", r.status, r.body)
	}
	for _, f := range keyFields {
		if strings.Contains(string(r.body), f) {
			t.Errorf("deferred save answer carries %s: %s", f, r.body)
		}
	}
	// Deferred answers may change until submit.
	h.must(200, "PUT", "/api/v1/exams/"+id+"/items/1", token, map[string]any{"response": wrongResponse(q)})
	h.must(200, "PUT", "/api/v1/exams/"+id+"/items/1", token, map[string]any{"response": rightResponse(q)})
	body := h.request("GET", "/api/v1/exams/"+id, token, nil).body
	for _, f := range keyFields {
		if strings.Contains(string(body), f) {
			t.Errorf("deferred view carries %s: %s", f, body)
		}
	}
	if r := h.request("GET", "/api/v1/exams/"+id+"/result", token, nil); r.status != 409 {
		t.Errorf("result while in progress = %d, want 409", r.status)
	}
	res := h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
	if res["score"].(map[string]any)["correct"].(float64) != 1 {
		t.Errorf("score = %v, want 1 correct", res["score"])
	}
}

func TestSaveItemRejectsBadInput(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("iris", "learner")
	view := h.start(token, map[string]any{"mode": "quiz", "topics": []string{"statistics"}, "count": 10, "feedback": "deferred"})
	id := view["id"].(string)
	pos := map[string]int{}
	for _, it := range items(t, view) {
		q := h.key("statistics", it["question_id"].(string))
		pos[q.Type] = int(it["position"].(float64))
	}
	single := fmt.Sprintf("/api/v1/exams/%s/items/%d", id, pos["single"])
	multiple := fmt.Sprintf("/api/v1/exams/%s/items/%d", id, pos["multiple"])
	numeric := fmt.Sprintf("/api/v1/exams/%s/items/%d", id, pos["numeric"])
	tests := []struct {
		name   string
		path   string
		body   any
		status int
		code   string
	}{
		{"number for a choice item", single, `{"response": 3}`, 422, "validation_failed"},
		{"string instead of a list", single, `{"response": "A"}`, 422, "validation_failed"},
		{"unknown option", single, `{"response": ["Z"]}`, 422, "validation_failed"},
		{"two options for single", single, `{"response": ["A","B"]}`, 422, "validation_failed"},
		{"same option twice", multiple, `{"response": ["A","A"]}`, 422, "validation_failed"},
		{"more than select N", multiple, `{"response": ["A","B","C"]}`, 422, "validation_failed"},
		{"list for numeric", numeric, `{"response": ["A"]}`, 422, "validation_failed"},
		{"flag of the wrong type", single, `{"flagged": "yes"}`, 422, "validation_failed"},
		{"nothing to save", single, `{}`, 422, "validation_failed"},
		{"malformed JSON", single, `{"response": [`, 400, "bad_request"},
		{"not an object", single, `["A"]`, 400, "bad_request"},
		{"position zero", fmt.Sprintf("/api/v1/exams/%s/items/0", id), `{"flagged": true}`, 404, "not_found"},
		{"position past the end", fmt.Sprintf("/api/v1/exams/%s/items/11", id), `{"flagged": true}`, 404, "not_found"},
		{"position not a number", fmt.Sprintf("/api/v1/exams/%s/items/two", id), `{"flagged": true}`, 400, "bad_request"},
		{"unknown exam", "/api/v1/exams/00000000-0000-4000-8000-000000000000/items/1", `{"flagged": true}`, 404, "not_found"},
		{"lower-case option id", single, `{"response": ["a"]}`, 200, ""},
		{"numeric answer", numeric, `{"response": 12.5}`, 200, ""},
		{"clearing an answer", single, `{"response": null}`, 200, ""},
		{"empty list clears", multiple, `{"response": []}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.request("PUT", tt.path, token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.code != "" {
				if got := r.errorCode(t); got != tt.code {
					t.Errorf("code = %q, want %q", got, tt.code)
				}
			}
		})
	}
	// Failed saves changed nothing; successful ones are stored.
	its := items(t, h.must(200, "GET", "/api/v1/exams/"+id, token, nil))
	if got := its[pos["numeric"]-1]["response"]; got != 12.5 {
		t.Errorf("numeric response = %v, want 12.5", got)
	}
	if got := its[pos["single"]-1]["response"]; got != nil {
		t.Errorf("single response = %v, want cleared", got)
	}
}

func TestStartRejectsBadRequests(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("jack", "learner")
	tests := []struct {
		name   string
		body   any
		status int
		inMsg  string
	}{
		{"unknown mode", map[string]any{"mode": "practice"}, 422, "mode"},
		{"no mode", map[string]any{}, 422, "mode"},
		{"count too big", map[string]any{"mode": "quiz", "count": 201}, 422, "count"},
		{"count negative", map[string]any{"mode": "quiz", "count": -1}, 422, "count"},
		{"unknown topic", map[string]any{"mode": "quiz", "topics": []string{"anatomy"}}, 422, "anatomy"},
		{"bad feedback", map[string]any{"mode": "quiz", "feedback": "never"}, 422, "feedback"},
		{"zero time limit", map[string]any{"mode": "quiz", "time_limit_s": 0}, 422, "time_limit_s"},
		{"time limit too long", map[string]any{"mode": "quiz", "time_limit_s": 86401}, 422, "time_limit_s"},
		{"bad difficulty", map[string]any{"mode": "quiz", "difficulty": "brutal"}, 422, "difficulty"},
		{"too few questions", map[string]any{"mode": "quiz", "topics": []string{"coding"}, "count": 11}, 422, "Only 10 questions"},
		{"count of the wrong type", `{"mode":"quiz","count":"ten"}`, 422, "count"},
		{"no missed questions yet", map[string]any{"mode": "missed"}, 422, "no missed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.request("POST", "/api/v1/exams", token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
			if !strings.Contains(string(r.body), tt.inMsg) {
				t.Errorf("body %s does not mention %q", r.body, tt.inMsg)
			}
		})
	}
}

func TestAnotherLearnersAttemptIsNotFound(t *testing.T) {
	h := newHarness(t)
	owner := h.signUp("kate", "learner")
	other := h.signUp("liam", "learner")
	teacher := h.signUp("mona", "instructor")
	id := h.start(owner, map[string]any{"mode": "quiz", "count": 2})["id"].(string)
	for _, token := range []string{other, teacher} {
		for _, c := range []struct{ method, path string }{
			{"GET", "/api/v1/exams/" + id},
			{"PUT", "/api/v1/exams/" + id + "/items/1"},
			{"POST", "/api/v1/exams/" + id + "/submit"},
			{"GET", "/api/v1/exams/" + id + "/result"},
		} {
			r := h.request(c.method, c.path, token, map[string]any{"flagged": true})
			if r.status != 404 || r.errorCode(t) != "not_found" {
				t.Errorf("%s %s by another user = %d %s, want 404", c.method, c.path, r.status, r.body)
			}
		}
		if list := h.must(200, "GET", "/api/v1/exams", token, nil)["exams"].([]any); len(list) != 0 {
			t.Errorf("another user's exam list = %v, want empty", list)
		}
	}
	// The owner's attempt is untouched by those tries.
	for _, it := range items(t, h.must(200, "GET", "/api/v1/exams/"+id, owner, nil)) {
		if it["flagged"] != false {
			t.Errorf("item flagged by another user: %v", it)
		}
	}
}

func TestDeadlineClosesTheAttempt(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("nina", "learner")
	view := h.start(token, map[string]any{"mode": "quiz", "count": 3, "feedback": "deferred", "time_limit_s": 60})
	id := view["id"].(string)
	if view["time_remaining_s"].(float64) != 60 || view["deadline"] == nil {
		t.Fatalf("view = %v", view)
	}
	q := h.key("", items(t, view)[0]["question_id"].(string))
	h.clock.Advance(20 * time.Second)
	h.must(200, "PUT", "/api/v1/exams/"+id+"/items/1", token, map[string]any{"response": rightResponse(q)})
	if left := h.must(200, "GET", "/api/v1/exams/"+id, token, nil)["time_remaining_s"]; left.(float64) != 40 {
		t.Errorf("time_remaining_s = %v, want 40", left)
	}
	h.clock.Advance(41 * time.Second)
	r := h.request("PUT", "/api/v1/exams/"+id+"/items/2", token, map[string]any{"flagged": true})
	if r.status != 409 || r.errorCode(t) != "conflict" {
		t.Fatalf("save after the deadline = %d %s, want 409", r.status, r.body)
	}
	got := h.must(200, "GET", "/api/v1/exams/"+id, token, nil)
	if got["status"] != "expired" || got["time_remaining_s"].(float64) != 0 {
		t.Errorf("after the deadline: status %v, remaining %v; want expired, 0", got["status"], got["time_remaining_s"])
	}
	res := h.must(200, "GET", "/api/v1/exams/"+id+"/result", token, nil)
	if res["score"].(map[string]any)["correct"].(float64) != 1 || res["status"] != "expired" {
		t.Errorf("expired result = %v, want the answer saved in time counted", res["score"])
	}

	// The sweep closes attempts nobody reads.
	id2 := h.start(token, map[string]any{"mode": "quiz", "count": 2, "time_limit_s": 30})["id"].(string)
	h.clock.Advance(31 * time.Second)
	n, err := h.svc.Sweep(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1 attempt closed", n, err)
	}
	a, err := h.store.Attempt(context.Background(), id2)
	if err != nil || a.Status != quiz.Expired || a.Score == nil {
		t.Errorf("swept attempt = %+v, %v", a, err)
	}
}

func TestMockExamFollowsTheBlueprint(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("omar", "learner")
	view := h.start(token, map[string]any{"mode": "mock"})
	id := view["id"].(string)
	its := items(t, view)
	if len(its) != 12 || view["feedback"] != "deferred" || view["time_remaining_s"].(float64) != 30*60 {
		t.Fatalf("mock view: %d items, feedback %v, time %v", len(its), view["feedback"], view["time_remaining_s"])
	}
	seen := map[string]bool{}
	for _, it := range its {
		qid := it["question_id"].(string)
		if seen[qid] {
			t.Errorf("question %s twice in one mock exam", qid)
		}
		seen[qid] = true
	}
	res := h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
	score := res["score"].(map[string]any)
	if score["total"].(float64) != 10 || score["scaled"].(float64) != 100 || score["passed"] != false {
		t.Errorf("score = %v, want 10 scored items, scaled 100, not passed", score)
	}
	pretest := 0
	for _, it := range items(t, res) {
		if it["scored"] == false {
			pretest++
		}
	}
	if pretest != 2 {
		t.Errorf("%d pretest items, want 2", pretest)
	}
	total := 0.0
	for _, raw := range res["by_domain"].([]any) {
		d := raw.(map[string]any)
		n := d["total"].(float64)
		total += n
		if n < 1 || n > 3 || d["name"] == "" {
			t.Errorf("domain %v: %v items, want 1-3 (10-30%% of 10)", d["domain"], n)
		}
	}
	if total != 10 {
		t.Errorf("domains add up to %v, want 10", total)
	}

	// The next mock prefers questions not yet seen: the fixture has 50,
	// so a second exam of 12 shares none with the first's scored items.
	view2 := h.start(token, map[string]any{"mode": "mock"})
	for _, it := range items(t, view2) {
		if seen[it["question_id"].(string)] {
			t.Errorf("second mock repeats %s although unseen questions remain", it["question_id"])
		}
	}
}

func TestMockExamRefusesABankTooSmall(t *testing.T) {
	h := newHarness(t)
	big := `name: Big
items: 150
pretest: 20
time_limit_minutes: 210
domains:
  - {id: 1, name: one, min_percent: 50, max_percent: 100}
  - {id: 2, name: two, min_percent: 0, max_percent: 50}
scaled: {min: 100, max: 400, pass: 300, points: [{raw_percent: 0, scaled: 100}, {raw_percent: 100, scaled: 400}]}
`
	bp, err := blueprint.Parse([]byte(big))
	if err != nil {
		t.Fatal(err)
	}
	svc := quiz.NewService(h.store, bp, h.clock.Now, quietLog())
	if err := svc.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	u, err := h.auth.CreateUser(context.Background(), "petra", "password1", "learner")
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Start(context.Background(), u, quiz.StartRequest{Mode: quiz.ModeMock})
	if quiz.ErrorCode(err) != quiz.EINVALID || !strings.Contains(quiz.ErrorMessage(err), "domain 1") {
		t.Errorf("Start = %v, want EINVALID naming domain 1", err)
	}
}

func TestMissedAndReviewModes(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("quinn", "learner")
	view := h.start(token, map[string]any{"mode": "quiz", "topics": []string{"coding"}, "count": 4, "feedback": "immediate"})
	id := view["id"].(string)
	its := items(t, view)
	missed := map[string]bool{}
	for i, it := range its[:3] {
		q := h.key("coding", it["question_id"].(string))
		resp := rightResponse(q)
		if i < 2 {
			resp = wrongResponse(q)
			missed[q.ID] = true
		}
		h.must(200, "PUT", fmt.Sprintf("/api/v1/exams/%s/items/%d", id, i+1), token, map[string]any{"response": resp})
	}
	h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
	missed[its[3]["question_id"].(string)] = true // left blank counts as missed

	m := h.start(token, map[string]any{"mode": "missed", "count": 20})
	if m["feedback"] != "immediate" || len(items(t, m)) != 3 {
		t.Fatalf("missed mode: feedback %v, %d items; want immediate, 3", m["feedback"], len(items(t, m)))
	}
	for _, it := range items(t, m) {
		if !missed[it["question_id"].(string)] {
			t.Errorf("missed mode drew %s, which was answered right", it["question_id"])
		}
	}
	r := h.start(token, map[string]any{"mode": "review", "count": 5})
	rits := items(t, r)
	if len(rits) != 5 {
		t.Fatalf("review drew %d items, want 5", len(rits))
	}
	for _, it := range rits[:3] {
		if !missed[it["question_id"].(string)] {
			t.Errorf("review should serve the missed questions first, got %s", it["question_id"])
		}
	}
}

func TestGeneratedStatisticsQuiz(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("gwen", "learner")
	view := h.start(token, map[string]any{"mode": "quiz", "generated": true, "count": 6, "feedback": "immediate"})
	id := view["id"].(string)
	its := items(t, view)
	families := map[string]bool{}
	for _, it := range its {
		qid := it["question_id"].(string)
		if !strings.HasPrefix(qid, "gen-") || it["type"] != "numeric" || it["topic"] != "statistics" {
			t.Fatalf("generated item = %v", it)
		}
		families[qid[:strings.LastIndex(qid, "-")]] = true
	}
	if len(families) != 6 {
		t.Errorf("six generated items come from %d families, want six different ones", len(families))
	}
	// The key is the stored, generated one: answering with it is right.
	a, err := h.store.Attempt(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	r := h.must(200, "PUT", "/api/v1/exams/"+id+"/items/1", token, map[string]any{"response": a.Items[0].Question.Value})
	if r["correct"] != true || r["rationale"] == "" {
		t.Errorf("answering with the generated key: %v", r)
	}
	h.must(200, "POST", "/api/v1/exams/"+id+"/submit", token, nil)
	p := h.must(200, "GET", "/api/v1/progress", token, nil)
	for _, raw := range p["topics"].([]any) {
		tp := raw.(map[string]any)
		if tp["topic"] == "statistics" && tp["answered"].(float64) != 6 {
			t.Errorf("statistics answered = %v, want 6", tp["answered"])
		}
	}
	// Generated questions never join the bank or the instructors' sets.
	if n := h.svc.Index().TopicCounts()["statistics"]; n != 10 {
		t.Errorf("statistics questions in the index = %d, want the fixture's 10", n)
	}
	teacher := h.signUp("hal", "instructor")
	for _, s := range h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any) {
		if s.(map[string]any)["id"] == quiz.GeneratedSetID {
			t.Errorf("the generated set is listed: %v", s)
		}
	}
	for _, body := range []map[string]any{
		{"mode": "quiz", "generated": true, "topics": []string{"coding"}},
		{"mode": "quiz", "generated": true, "difficulty": "hard"},
	} {
		if r := h.request("POST", "/api/v1/exams", token, body); r.status != 422 {
			t.Errorf("start %v = %d, want 422", body, r.status)
		}
	}
}
