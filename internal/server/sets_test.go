package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/server"
	"go.yaml.in/yaml/v3"
)

const uploadYAML = `set: Ignored because the name parameter wins
questions:
  - id: up-001
    domain: 2
    stem: Which rule requires a valid authorization for this disclosure?
    options:
      - {id: A, text: The Privacy Rule}
      - {id: B, text: The Security Rule}
      - {id: C, text: EMTALA}
      - {id: D, text: Stark}
    answer: A
    rationale: Disclosures outside treatment, payment and operations need an authorization.
    references: [45 CFR 164.508]
  - id: up-002
    domain: 3
    type: numeric
    stem: 4,000 service days, 150 beds, 30 days. Occupancy in percent? Round to two decimal places.
    answer: 88.89
    tolerance: 0.005
  - id: up-003
    domain: 2
    type: multiple
    stem: Which two are required elements of an authorization? Select TWO.
    options:
      - {id: A, text: An expiration date or event}
      - {id: B, text: The patient's diagnosis}
      - {id: C, text: A signature and date}
      - {id: D, text: The privacy officer's name}
    answer: [A, C]
    references: [45 CFR 164.508(c)]
`

const brokenYAML = `questions:
  - id: bad-001
    stem: No options and no key
    type: single
  - id: bad-001
    stem: Key not among options
    options:
      - {id: A, text: one}
      - {id: B, text: two}
    answer: C
  - id: bad-003
    type: multiple
    stem: Pick some. Select THREE.
    options:
      - {id: A, text: one}
      - {id: B, text: two}
      - {id: C, text: three}
      - {id: D, text: four}
    answer: [A, B]
`

func TestUploadVersionRetireAndExport(t *testing.T) {
	h := newHarness(t)
	teacher := h.signUp("rita", "instructor")
	learner := h.signUp("sam", "learner")

	// A dry run reports and stores nothing.
	before := h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any)
	dry := h.must(200, "POST", "/api/v1/question-sets?format=yaml&dry_run=true&name=My+ROI+set&topic=release-of-information", teacher, uploadYAML)
	if dry["dry_run"] != true || dry["set"].(map[string]any)["questions"].(float64) != 3 {
		t.Errorf("dry run = %v", dry)
	}
	if ws := dry["warnings"].([]any); len(ws) < 2 {
		t.Errorf("warnings = %v, want the missing rationale and references reported", ws)
	}
	after := h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any)
	if len(after) != len(before) {
		t.Fatalf("a dry run stored a set: %d sets, then %d", len(before), len(after))
	}

	up := h.must(201, "POST", "/api/v1/question-sets?format=yaml&name=My+ROI+set&topic=release-of-information", teacher, uploadYAML)
	set := up["set"].(map[string]any)
	id := set["id"].(string)
	if set["version"].(float64) != 1 || set["questions"].(float64) != 3 || set["name"] != "My ROI set" {
		t.Fatalf("uploaded set = %v", set)
	}

	// A quiz on that set only, started before the set changes.
	quizView := h.start(learner, map[string]any{"mode": "quiz", "sets": []string{id}, "count": 3, "feedback": "deferred"})
	for _, it := range items(t, quizView) {
		if !strings.HasPrefix(it["question_id"].(string), "up-") {
			t.Errorf("a quiz on the uploaded set drew %s", it["question_id"])
		}
	}

	// Re-uploading under the same name makes version 2 with the same id.
	v2 := strings.Replace(uploadYAML, "Which rule requires", "Which HIPAA rule requires", 1)
	got := h.must(201, "POST", "/api/v1/question-sets?name=My+ROI+set&topic=release-of-information", teacher, v2)["set"].(map[string]any)
	if got["id"] != id || got["version"].(float64) != 2 {
		t.Errorf("second upload = %v, want same id %s, version 2", got, id)
	}
	// The old attempt keeps the wording it was given.
	for _, it := range items(t, h.must(200, "GET", "/api/v1/exams/"+quizView["id"].(string), learner, nil)) {
		if strings.Contains(it["stem"].(string), "HIPAA rule") {
			t.Errorf("an attempt changed with a new version: %v", it["stem"])
		}
	}
	detail := h.must(200, "GET", "/api/v1/question-sets/"+id, teacher, nil)
	qs := detail["questions"].([]any)
	if len(qs) != 3 || !strings.Contains(qs[0].(map[string]any)["stem"].(string), "HIPAA rule") {
		t.Fatalf("set detail = %v", detail)
	}
	first := qs[0].(map[string]any)
	if fmt.Sprint(first["answer"]) != "[A]" || first["topic"] != "release-of-information" || first["select"].(float64) != 1 {
		t.Errorf("question detail = %v", first)
	}
	if num := qs[1].(map[string]any); num["answer"].(float64) != 88.89 || num["tolerance"].(float64) != 0.005 {
		t.Errorf("numeric detail = %v", num)
	}

	// Export re-imports to the same questions.
	r := h.request("GET", "/api/v1/question-sets/"+id+"/export?format=yaml", teacher, nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/yaml") {
		t.Fatalf("export = %d %s", r.status, r.header.Get("Content-Type"))
	}
	re := h.must(201, "POST", "/api/v1/question-sets?name=Round+trip", teacher, string(r.body))["set"].(map[string]any)
	back := h.must(200, "GET", "/api/v1/question-sets/"+re["id"].(string), teacher, nil)["questions"].([]any)
	strip := func(qs []any) string {
		for _, q := range qs {
			delete(q.(map[string]any), "version")
		}
		b, _ := json.Marshal(qs)
		return string(b)
	}
	if a, b := strip(qs), strip(back); a != b {
		t.Errorf("export round trip changed the questions:\n got %s\nwant %s", b, a)
	}

	// Retiring stops the set being drawn; past attempts stay.
	h.must(204, "DELETE", "/api/v1/question-sets/"+id, teacher, nil)
	if r := h.request("POST", "/api/v1/exams", learner, map[string]any{"mode": "quiz", "sets": []string{id}, "count": 1}); r.status != 422 {
		t.Errorf("quiz on a retired set = %d, want 422", r.status)
	}
	h.must(200, "GET", "/api/v1/exams/"+quizView["id"].(string), learner, nil)
	var retired bool
	for _, s := range h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any) {
		if s.(map[string]any)["id"] == id {
			retired = s.(map[string]any)["retired"].(bool)
		}
	}
	if !retired {
		t.Errorf("set not listed as retired")
	}
	if r := h.request("DELETE", "/api/v1/question-sets/00000000-0000-4000-8000-000000000000", teacher, nil); r.status != 404 {
		t.Errorf("retire an unknown set = %d, want 404", r.status)
	}
}

func TestUploadReportsEveryProblemAndStoresNothing(t *testing.T) {
	h := newHarness(t)
	teacher := h.signUp("tess", "instructor")
	r := h.request("POST", "/api/v1/question-sets?name=Broken&topic=coding", teacher, brokenYAML)
	if r.status != 422 || r.errorCode(t) != "validation_failed" {
		t.Fatalf("broken upload = %d %s", r.status, r.body)
	}
	details := r.json(t)["error"].(map[string]any)["details"].([]any)
	want := []struct {
		line  float64
		field string
	}{
		{2, "options"}, {2, "answer"}, {5, "id"}, {10, "answer"}, {19, "answer"},
	}
	for _, w := range want {
		found := false
		for _, d := range details {
			dm := d.(map[string]any)
			if dm["line"] == w.line && dm["field"] == w.field {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at line %v field %s in %v", w.line, w.field, details)
		}
	}
	for _, s := range h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any) {
		if s.(map[string]any)["name"] == "Broken" {
			t.Errorf("a broken upload was stored")
		}
	}

	tests := []struct {
		name, query, body string
		status            int
	}{
		{"no topic anywhere", "?name=NoTopic", strings.Replace(uploadYAML, "set: Ignored", "set: X", 1), 422},
		{"not yaml", "?name=Junk&topic=coding", "questions: [unclosed", 422},
		{"no name at all", "?topic=coding", "questions:\n  - id: a1\n    stem: s\n    options: [{id: A, text: a}, {id: B, text: b}]\n    answer: A\n", 422},
		{"unknown format", "?format=docx&name=X&topic=coding", uploadYAML, 422},
		{"bad domain parameter", "?name=X&topic=coding&domain=9", uploadYAML, 422},
		{"empty body", "?name=X&topic=coding", "", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.request("POST", "/api/v1/question-sets"+tt.query, teacher, tt.body)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
		})
	}
}

func TestMultipartUploadTakesNameFromTheFile(t *testing.T) {
	h := newHarness(t)
	teacher := h.signUp("uma", "instructor")
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", "Week 3 privacy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, uploadYAML)
	w.WriteField("topic", "release-of-information")
	w.Close()
	req := httptest.NewRequest("POST", "/api/v1/question-sets", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+teacher)
	resp, err := h.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 || !strings.Contains(string(body), `"name":"Week 3 privacy"`) {
		t.Errorf("multipart upload = %d %s", resp.StatusCode, body)
	}
}

func TestShippedBanksLoadOnceAndStayRetired(t *testing.T) {
	h := newHarness(t)
	teacher := h.signUp("vera", "instructor")
	list := h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any)
	if len(list) != 5 {
		t.Fatalf("%d sets, want the 5 fixture banks", len(list))
	}
	var id string
	for _, s := range list {
		m := s.(map[string]any)
		if m["source"] != "shipped" || m["version"].(float64) != 1 {
			t.Errorf("shipped set = %v", m)
		}
		if m["name"] == "Fixture coding" {
			id = m["id"].(string)
		}
	}
	h.must(204, "DELETE", "/api/v1/question-sets/"+id, teacher, nil)

	h.open() // a restart: migrations and the shipped banks run again
	list = h.must(200, "GET", "/api/v1/question-sets", teacher, nil)["sets"].([]any)
	if len(list) != 5 {
		t.Fatalf("after restart %d sets, want 5", len(list))
	}
	for _, s := range list {
		m := s.(map[string]any)
		if m["version"].(float64) != 1 {
			t.Errorf("restart imported %s again: version %v", m["name"], m["version"])
		}
		if m["id"] == id && m["retired"] != true {
			t.Errorf("restart brought back the retired set")
		}
	}
	if n := h.svc.Index().TopicCounts()["coding"]; n != 0 {
		t.Errorf("%d coding questions active after restart, want 0", n)
	}
}

func TestAttemptSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	token := h.signUp("wade", "learner")
	view := h.start(token, map[string]any{"mode": "mock"})
	id := view["id"].(string)
	q := h.key("", items(t, view)[0]["question_id"].(string))
	h.must(200, "PUT", "/api/v1/exams/"+id+"/items/1", token, map[string]any{"response": rightResponse(q), "flagged": true})
	h.clock.Advance(5 * 60e9)
	before := h.must(200, "GET", "/api/v1/exams/"+id, token, nil)

	h.store.Close()
	h.open()
	after := h.must(200, "GET", "/api/v1/exams/"+id, token, nil)
	a, _ := json.Marshal(before)
	b, _ := json.Marshal(after)
	if string(a) != string(b) {
		t.Errorf("attempt changed across a restart:\nbefore %s\nafter  %s", a, b)
	}
	if after["time_remaining_s"].(float64) != 25*60 {
		t.Errorf("time_remaining_s = %v, want 1500", after["time_remaining_s"])
	}
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	h := newHarness(t)
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	r := h.request("GET", "/api/v1/openapi.yaml", "", nil)
	if err := yaml.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, rt := range h.app.GetRoutes(true) {
		if rt.Method == "USE" || rt.Method == "HEAD" || rt.Path == "/test-panic" {
			continue
		}
		p := rt.Path
		for _, part := range strings.Split(p, "/") {
			if strings.HasPrefix(part, ":") {
				p = strings.Replace(p, part, "{"+part[1:]+"}", 1)
			}
		}
		served[rt.Method+" "+p] = true
	}
	for k := range served {
		if !documented[k] {
			t.Errorf("route %s is not in openapi.yaml", k)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("openapi.yaml documents %s, which is not served", k)
		}
	}
	js, err := server.OpenAPIJSON()
	if err != nil || !json.Valid(js) {
		t.Errorf("OpenAPIJSON: %v", err)
	}
	if r := h.request("GET", "/api/v1/openapi.json", "", nil); r.status != 200 || !json.Valid(r.body) {
		t.Errorf("openapi.json = %d", r.status)
	}
}
