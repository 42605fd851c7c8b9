package aiken

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func opts(pairs ...string) []quiz.Option {
	var out []quiz.Option
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, quiz.Option{ID: pairs[i], Text: pairs[i+1]})
	}
	return out
}

// has finds a detail with this line, item and field whose message holds in.
func has(ds []quiz.Detail, line, item int, field, in string) bool {
	for _, d := range ds {
		if d.Line == line && d.Item == item && d.Field == field && strings.Contains(d.Message, in) {
			return true
		}
	}
	return false
}

func logDetails(t *testing.T, kind string, ds []quiz.Detail) {
	t.Helper()
	for _, d := range ds {
		t.Logf("%s: line %d item %d %s: %s", kind, d.Line, d.Item, d.Field, d.Message)
	}
}

func TestParseValid(t *testing.T) {
	set, rep := Parse(mustRead(t, "valid.aiken"), bank.Options{Topic: quiz.TopicCoding, Domain: 4})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if set.Format != "aiken" || set.Name != "" || len(set.Questions) != 4 {
		t.Fatalf("set: format %q, name %q, %d questions", set.Format, set.Name, len(set.Questions))
	}
	want := []quiz.Question{
		{ID: "q1", Line: 1, Stem: "Which code set reports inpatient procedures in the United States?",
			Options: opts("A", "ICD-10-CM", "B", "ICD-10-PCS", "C", "CPT", "D", "HCPCS Level II"), Answer: []string{"B"}},
		{ID: "q2", Line: 8, Stem: "A patient's record is requested by her attorney.\nThe request carries no authorization.\nWhat should the release-of-information specialist do?",
			Options: opts("A", "Release the record", "B", "Ask for a valid HIPAA authorization", "C", "Release only the discharge summary"), Answer: []string{"B"}},
		{ID: "q3", Line: 16, Stem: "The average length of stay is computed as:\n\ninpatient service days divided by discharges.\nIs that right?",
			Options: opts("A", "Yes", "B", "No"), Answer: []string{"A"}},
		{ID: "q4", Line: 23, Stem: "Which HTML-looking text <b>stays</b> as typed?",
			Options: opts("A", "<i>This one</i>", "B", "None"), Answer: []string{"A"}},
	}
	for i, w := range want {
		w.Type, w.Topic, w.Domain, w.Difficulty, w.Cognitive = quiz.Single, quiz.TopicCoding, 4, quiz.Medium, quiz.Application
		if got := *set.Questions[i]; !reflect.DeepEqual(got, w) {
			t.Errorf("question %d:\n got %+v\nwant %+v", i+1, got, w)
		}
	}
	wantLines := []map[string]int{
		{"stem": 1, "options": 2, "answer": 6},
		{"stem": 8, "options": 11, "answer": 14},
		{"stem": 16, "options": 20, "answer": 22},
		{"stem": 23, "options": 24, "answer": 26},
	}
	if !reflect.DeepEqual(set.Lines, wantLines) {
		t.Errorf("lines %v, want %v", set.Lines, wantLines)
	}
	// Aiken has no rationale or references: bank.Check warns, per item.
	for item, line := range map[int]int{1: 1, 2: 8, 3: 16, 4: 23} {
		if !has(rep.Warnings, line, item, "rationale", "no rationale") || !has(rep.Warnings, line, item, "references", "no reference") {
			t.Errorf("item %d: no rationale/reference warnings", item)
		}
	}
	if !has(rep.Warnings, 23, 4, "stem", "The stem and option A: what looks like HTML markup is shown as typed") {
		t.Errorf("no markup warning")
	}
	if t.Failed() {
		logDetails(t, "warning", rep.Warnings)
	}
}

func TestParseBroken(t *testing.T) {
	set, rep := Parse(mustRead(t, "broken.aiken"), bank.Options{Topic: quiz.TopicCoding})
	want := []struct {
		line, item int
		field, in  string
	}{
		{1, 0, "options", "has no question before it"},
		{2, 0, "answer", `"ANSWER: A" has no question before it`},
		{4, 1, "answer", "No ANSWER line: the options are followed by line 9"},
		{11, 2, "options", "Option C is out of order: after A comes B"},
		{12, 2, "options", "Option B is out of order: after C comes D"},
		{18, 3, "answer", `the key "E" is not among the options`},
		{21, 4, "options", "2 to 10 options, not 1"},
		{28, 5, "answer", "names more than one option"},
		{33, 6, "answer", "is not an option letter"},
		{41, 8, "options", "The options start at B, not A"},
		{45, 9, "answer", "no options and no ANSWER line before the end of the file"},
		{45, 9, "options", "2 to 10 options, not 0"},
	}
	for _, w := range want {
		if !has(rep.Problems, w.line, w.item, w.field, w.in) {
			t.Errorf("no problem at line %d, item %d, field %q, saying %q", w.line, w.item, w.field, w.in)
		}
	}
	// Each missing key is said once, not again by bank.Check.
	if len(rep.Problems) != len(want) {
		t.Errorf("%d problems, want %d", len(rep.Problems), len(want))
	}
	if !has(rep.Warnings, 37, 7, "options", `option B, "second"`) {
		t.Errorf("no warning for the cramped option")
	}
	if len(set.Questions) != 9 || set.Questions[6].Options[1].Text != "second" {
		t.Errorf("%d questions", len(set.Questions))
	}
	if t.Failed() {
		logDetails(t, "problem", rep.Problems)
	}
}

func TestParseCases(t *testing.T) {
	tests := []struct {
		name, src string
		check     func(t *testing.T, set *bank.Set, rep bank.Report)
	}{
		{"CRLF, byte-order mark, lower-case answer", "\uFEFFWhich?\r\nA. x\r\nB. y\r\nanswer: b\r\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !rep.OK() || set.Questions[0].Answer[0] != "B" || set.Lines[0]["answer"] != 4 {
				t.Errorf("set %+v, problems %+v", set.Questions[0], rep.Problems)
			}
		}},
		{"old Mac line ends", "Which?\rA) x\rB) y\rANSWER: A\r", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !rep.OK() || len(set.Questions[0].Options) != 2 {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"answer with punctuation", "Which?\nA. x\nB. y\nANSWER: B)\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !rep.OK() || set.Questions[0].Answer[0] != "B" {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"empty ANSWER", "Which?\nA. x\nB. y\nANSWER:\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Problems, 4, 1, "answer", "names no option") || len(rep.Problems) != 1 {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"empty file", "\n\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if rep.OK() || !strings.Contains(rep.Problems[0].Message, "no Aiken questions") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"not UTF-8", "Which \xff?\nA. x\nB. y\nANSWER: A\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Problems, 1, 0, "", "not valid UTF-8") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"bare option letter", "Which?\nA.\nB. y\nANSWER: B\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Problems, 2, 1, "options.text", "option A has no text") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"no topic", "Which?\nA. x\nB. y\nANSWER: A\n", func(t *testing.T, _ *bank.Set, _ bank.Report) {
			_, rep := Parse([]byte("Which?\nA. x\nB. y\nANSWER: A\n"), bank.Options{})
			if !has(rep.Problems, 1, 1, "topic", "no topic") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"duplicate stems", "Which?\nA. x\nB. y\nANSWER: A\n\nWhich?\nA. x\nB. y\nANSWER: B\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Problems, 6, 2, "stem", "same stem as item 1") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, rep := Parse([]byte(tt.src), bank.Options{Topic: quiz.TopicStatistics, Domain: 3})
			tt.check(t, set, rep)
		})
	}
}

// FuzzParse feeds arbitrary text to Parse: it must never panic, every
// report must point inside the file, and every question must be a single.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.aiken"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Q\nA. a\nB. b\nANSWER: C\n"))
	f.Add([]byte("A) x\nANSWER:\nQ\r\nB.y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, rep := Parse(data, bank.Options{Topic: "coding"})
		if set == nil {
			t.Fatal("nil set")
		}
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		for _, d := range append(rep.Problems, rep.Warnings...) {
			if d.Line < 0 || d.Line > lines || d.Item < 0 || d.Item > len(set.Questions) {
				t.Fatalf("detail out of the file: %+v", d)
			}
		}
		if len(set.Lines) != len(set.Questions) {
			t.Fatalf("%d line maps for %d questions", len(set.Lines), len(set.Questions))
		}
		for _, q := range set.Questions {
			if q.Type != quiz.Single || len(q.Answer) > 1 {
				t.Fatalf("question %+v", q)
			}
		}
		if rep.OK() && len(set.Questions) == 0 {
			t.Fatal("no questions and no problem")
		}
	})
}
