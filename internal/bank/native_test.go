package bank

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseNativeValid(t *testing.T) {
	set, rep := ParseNative(mustRead(t, "valid.yaml"), Options{Shipped: false})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if set.Name != "Valid fixture" || len(set.Questions) != 3 {
		t.Fatalf("set = %q with %d questions", set.Name, len(set.Questions))
	}
	q := set.Questions[0]
	if q.ScenarioID != "case-1" || !strings.Contains(q.Scenario, "late father") || q.Line != 8 || !q.Options[3].Pinned {
		t.Errorf("first question = %+v", q)
	}
	m := set.Questions[1]
	if m.Type != quiz.Multiple || m.Select() != 2 || !m.PartialCredit || m.Difficulty != quiz.Medium || m.Cognitive != quiz.Application {
		t.Errorf("select-N question = %+v", m)
	}
	n := set.Questions[2]
	if n.Type != quiz.Numeric || n.Value != 88.89 || n.Tolerance != 0.005 || n.Answer != nil {
		t.Errorf("numeric question = %+v", n)
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings = %+v", rep.Warnings)
	}
}

func TestParseNativeReportsEveryProblemWithItsLine(t *testing.T) {
	_, rep := ParseNative(mustRead(t, "broken.yaml"), Options{})
	want := []struct {
		line  int
		field string
		in    string
	}{
		{4, "topic", "unknown topic"},
		{5, "domain", "1 to 6"},
		{11, "id", "already used"},
		{11, "answer", "no key"},
		{26, "answer", "not among"},
		{26, "answer", "choose 3"},
		{31, "options", "no options"},
		{33, "answer", "must be a number"},
		{37, "colour", "unknown field"},
		{38, "difficulty", "easy, medium or hard"},
		{39, "options.id", "used twice"},
		{45, "stem", "same stem as item 2"},
	}
	for _, w := range want {
		found := false
		for _, p := range rep.Problems {
			if p.Line == w.line && p.Field == w.field && strings.Contains(p.Message, w.in) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at line %d, field %s, saying %q", w.line, w.field, w.in)
		}
	}
	if t.Failed() {
		for _, p := range rep.Problems {
			t.Logf("got %d %s: %s", p.Line, p.Field, p.Message)
		}
	}
}

func TestParseNativeBadFiles(t *testing.T) {
	tests := []struct{ name, data, in string }{
		{"not yaml", "questions: [", "not valid YAML"},
		{"a list", "- a\n- b\n", "mapping"},
		{"no questions", "set: x\n", "questions"},
		{"questions not a list", "questions: 3\n", "questions"},
		{"item not a mapping", "questions:\n  - just text\n", "mapping"},
		{"unknown scenario", "questions:\n  - id: a\n    topic: coding\n    scenario: nope\n    stem: s\n    options: [{id: A, text: a}, {id: B, text: b}]\n    answer: A\n", "no scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rep := ParseNative([]byte(tt.data), Options{})
			if rep.OK() {
				t.Fatalf("no problem reported")
			}
			found := false
			for _, p := range rep.Problems {
				found = found || strings.Contains(p.Message+p.Field, tt.in)
			}
			if !found {
				t.Errorf("problems %+v do not mention %q", rep.Problems, tt.in)
			}
		})
	}
}

func TestJSONIsTheSameFormat(t *testing.T) {
	data := `{"set": "J", "questions": [{"id": "j1", "topic": "coding", "domain": 4, "stem": "Which?",
	  "options": [{"id": "A", "text": "a"}, {"id": "B", "text": "b"}], "answer": "B",
	  "rationale": "r", "references": ["x"]}]}`
	set, rep := ParseNative([]byte(data), Options{})
	if !rep.OK() || set.Format != "json" || set.Questions[0].Answer[0] != "B" || set.Questions[0].Domain != 4 {
		t.Errorf("JSON parse = %+v, %+v", set, rep)
	}
}

func TestUploadDefaultsAndWarnings(t *testing.T) {
	data := "questions:\n  - id: a\n    stem: s\n    options: [{id: A, text: a}, {id: B, text: all of the above}]\n    answer: A\n"
	set, rep := ParseNative([]byte(data), Options{Topic: "coding"})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if set.Questions[0].Topic != "coding" || set.Questions[0].Domain != 0 {
		t.Errorf("defaults = %+v", set.Questions[0])
	}
	fields := map[string]bool{}
	for _, w := range rep.Warnings {
		fields[w.Field] = true
	}
	for _, f := range []string{"rationale", "references", "domain", "options.text"} {
		if !fields[f] {
			t.Errorf("no warning for %s in %+v", f, rep.Warnings)
		}
	}
}

// shippedItem is a valid shipped item with one field changed.
func shippedItem(id, key, stem string) string {
	return `  - id: ` + id + `
    topic: coding
    domain: 4
    stem: ` + stem + `
    options:
      - {id: A, text: one}
      - {id: B, text: two}
      - {id: C, text: three}
      - {id: D, text: four}
    answer: ` + key + `
    rationale: why
    references: [a source]
    review: {status: verified, by: second-reader}
`
}

func TestShippedRules(t *testing.T) {
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
		"kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform"}
	balanced := "questions:\n"
	piled := "questions:\n"
	for i, w := range words {
		balanced += shippedItem("c-"+w, string(rune('A'+i%4)), "Which "+w+" option fits?")
		piled += shippedItem("c-"+w, "A", "Which "+w+" option fits?")
	}
	if _, rep := ParseNative([]byte(balanced), Options{Topic: "coding", Shipped: true}); !rep.OK() {
		t.Fatalf("balanced bank: %+v", rep.Problems)
	}
	_, rep := ParseNative([]byte(piled), Options{Topic: "coding", Shipped: true})
	if rep.OK() || !strings.Contains(rep.Problems[0].Message, "position 1") {
		t.Errorf("keys piled on A: %+v", rep.Problems)
	}
	tests := []struct {
		name, item, in string
	}{
		{"pending review", strings.Replace(shippedItem("x", "A", "Which?"), "status: verified", "status: pending", 1), "verified"},
		{"no rationale", strings.Replace(shippedItem("x", "A", "Which?"), "    rationale: why\n", "", 1), "rationale"},
		{"no reference", strings.Replace(shippedItem("x", "A", "Which?"), "    references: [a source]\n", "", 1), "reference"},
		{"three options", strings.Replace(shippedItem("x", "A", "Which?"), "      - {id: D, text: four}\n", "", 1), "exactly 4"},
		{"unpinned none of the above", strings.Replace(shippedItem("x", "A", "Which?"), "text: four", "text: None of the above", 1), "pinned"},
		{"lower-case negative", shippedItem("x", "A", "Which of these is not a modifier?"), "NOT"},
		{"upper-case id", shippedItem("X-1", "A", "Which?"), "lower case"},
		{"wrong bank", strings.Replace(shippedItem("x", "A", "Which?"), "topic: coding", "topic: statistics", 1), "bank"},
		{"select-N without N", strings.Replace(strings.Replace(shippedItem("x", "[A, B]", "Which apply?"), "domain: 4", "domain: 4\n    type: multiple", 1), "", "", 1), "how many"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rep := ParseNative([]byte("questions:\n"+tt.item), Options{Topic: "coding", Shipped: true})
			found := false
			for _, p := range rep.Problems {
				found = found || strings.Contains(p.Message, tt.in)
			}
			if !found {
				t.Errorf("problems %+v do not mention %q", rep.Problems, tt.in)
			}
		})
	}
	// NOT in capitals is fine.
	if _, rep := ParseNative([]byte("questions:\n"+shippedItem("x", "A", "Which of these is NOT a modifier?")), Options{Topic: "coding", Shipped: true}); !rep.OK() {
		t.Errorf("capital NOT rejected: %+v", rep.Problems)
	}
}

func TestWriteNativeRoundTrip(t *testing.T) {
	set, rep := ParseNative(mustRead(t, "valid.yaml"), Options{})
	if !rep.OK() {
		t.Fatal(rep.Problems)
	}
	out, err := WriteNative(set)
	if err != nil {
		t.Fatal(err)
	}
	back, rep := ParseNative(out, Options{})
	if !rep.OK() {
		t.Fatalf("re-parse: %+v\n%s", rep.Problems, out)
	}
	for i := range set.Questions {
		a, b := *set.Questions[i], *back.Questions[i]
		a.Line, b.Line = 0, 0
		if !reflect.DeepEqual(a, b) {
			t.Errorf("question %d changed:\n got %+v\nwant %+v", i, b, a)
		}
	}
	if back.Name != set.Name || back.Description != set.Description {
		t.Errorf("set header changed: %q %q", back.Name, back.Description)
	}
}

func TestStatedSelect(t *testing.T) {
	tests := []struct {
		stem string
		n    int
		ok   bool
	}{
		{"Which apply? Select TWO.", 2, true},
		{"Which apply? (choose 3)", 3, true},
		{"Select the three that apply.", 3, true},
		{"Which apply?", 0, false},
	}
	for _, tt := range tests {
		n, ok := statedSelect(tt.stem)
		if n != tt.n || ok != tt.ok {
			t.Errorf("statedSelect(%q) = %d, %v; want %d, %v", tt.stem, n, ok, tt.n, tt.ok)
		}
	}
}

// FuzzParseNative feeds arbitrary text to the native reader: it must never
// panic, and a set it accepts must write out and read back unchanged.
func FuzzParseNative(f *testing.F) {
	for _, name := range []string{"valid.yaml", "broken.yaml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add(`{"questions": [{"id": "j", "topic": "coding", "stem": "s", "options": [{"id": "A", "text": "a"}, {"id": "B", "text": "b"}], "answer": "A"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		set, rep := ParseNative([]byte(s), Options{Topic: "coding"})
		if set == nil || !rep.OK() {
			return
		}
		out, err := WriteNative(set)
		if err != nil {
			t.Fatalf("WriteNative: %v", err)
		}
		back, rep := ParseNative(out, Options{Topic: "coding"})
		if !rep.OK() || len(back.Questions) != len(set.Questions) {
			t.Fatalf("round trip lost questions or found problems: %+v\n%s", rep.Problems, out)
		}
	})
}
