package csv

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

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

func logReport(t *testing.T, rep bank.Report) {
	t.Helper()
	for _, p := range rep.Problems {
		t.Logf("problem %d item %d %s: %s", p.Line, p.Item, p.Field, p.Message)
	}
	for _, w := range rep.Warnings {
		t.Logf("warning %d item %d %s: %s", w.Line, w.Item, w.Field, w.Message)
	}
}

// TestTemplate reads the documented example field by field: it is what
// instructors copy, so it must import cleanly.
func TestTemplate(t *testing.T) {
	set, rep := Parse(mustRead(t, "template.csv"), bank.Options{})
	if !rep.OK() || len(rep.Warnings) != 0 {
		logReport(t, rep)
		t.Fatal("the template does not import cleanly")
	}
	if set.Format != "csv" || set.Name != "" || len(set.Questions) != 4 || len(set.Lines) != 4 {
		t.Fatalf("set = %q %q with %d questions, %d line maps", set.Format, set.Name, len(set.Questions), len(set.Lines))
	}
	scenario := "A patient's daughter asks for a copy of her late father's record.\nShe says she is his only child."
	want := []quiz.Question{
		{ID: "roi-dec-001", Topic: quiz.TopicROI, Domain: 2, Subtopic: "decedents", Difficulty: quiz.Medium,
			Cognitive: quiz.Application, Type: quiz.Single, ScenarioID: "case-1", Scenario: scenario,
			Stem: "Who may authorize this disclosure?",
			Options: []quiz.Option{{ID: "A", Text: "The executor of the estate"}, {ID: "B", Text: "Any adult relative"},
				{ID: "C", Text: "The attending physician"}, {ID: "D", Text: "The facility's privacy officer"}},
			Answer:     []string{"A"},
			Rationale:  "The personal representative of a decedent is the executor or administrator.",
			References: []string{"45 CFR 164.502(g)(4)"}, Line: 2},
		{ID: "roi-dec-002", Topic: quiz.TopicROI, Domain: 2, Subtopic: "decedents", Difficulty: quiz.Hard,
			Cognitive: quiz.Analysis, Type: quiz.Single, ScenarioID: "case-1", Scenario: scenario,
			Stem: "Which document should the facility ask her for?",
			Options: []quiz.Option{{ID: "A", Text: "A death certificate"}, {ID: "B", Text: "Letters testamentary or of administration"},
				{ID: "C", Text: "A copy of her birth certificate"}, {ID: "D", Text: "A notarized affidavit"}},
			Answer:     []string{"B"},
			Rationale:  "Letters testamentary show who the personal representative is.",
			References: []string{"45 CFR 164.502(g)(4)", "State probate law"}, Line: 4},
		{ID: "roi-auth-003", Topic: quiz.TopicROI, Domain: 2, Subtopic: "valid authorization", Difficulty: quiz.Medium,
			Cognitive: quiz.Recall, Type: quiz.Multiple,
			Stem: "Which two are core elements of a valid authorization? Select TWO.",
			Options: []quiz.Option{{ID: "A", Text: "An expiration date or event"}, {ID: "B", Text: "The patient's diagnosis"},
				{ID: "C", Text: "The signature of the individual and the date"}, {ID: "D", Text: "The name of the privacy officer"},
				{ID: "E", Text: "The patient's insurer"}},
			Answer: []string{"A", "C"}, PartialCredit: true,
			Rationale:  "164.508(c)(1) lists the core elements.",
			References: []string{"45 CFR 164.508(c)(1)"}, Line: 5},
		{ID: "stat-occ-004", Topic: quiz.TopicStatistics, Domain: 3, Subtopic: "occupancy", Difficulty: quiz.Medium,
			Cognitive: quiz.Application, Type: quiz.Numeric,
			Stem:  "4,000 service days, 150 beds, 30 days. What is the percentage of occupancy? Round to two decimal places.",
			Value: 88.89, Tolerance: 0.005,
			Rationale:  "4,000 x 100 / (150 x 30) = 88.89.",
			References: []string{"Horton, Calculating and Reporting Healthcare Statistics"}, Line: 6},
	}
	for i, w := range want {
		if !reflect.DeepEqual(*set.Questions[i], w) {
			t.Errorf("question %d:\n got %+v\nwant %+v", i+1, *set.Questions[i], w)
		}
	}
	if set.Lines[2]["answer"] != 5 || set.Lines[3]["tolerance"] != 6 {
		t.Errorf("lines = %v", set.Lines)
	}
}

// TestTemplateDocumented keeps TEMPLATE.md's example and the fixture the same.
func TestTemplateDocumented(t *testing.T) {
	doc := string(mustRead(t, "../TEMPLATE.md"))
	if !strings.Contains(doc, "```csv\n"+string(mustRead(t, "template.csv"))+"```") {
		t.Error("TEMPLATE.md's example differs from testdata/template.csv")
	}
}

// TestSpreadsheetQuirks reads what Excel writes in a decimal-comma locale:
// BOM, CRLF, semicolons, decimal commas, shuffled and re-cased headers.
func TestSpreadsheetQuirks(t *testing.T) {
	set, rep := Parse(mustRead(t, "semicolon.csv"), bank.Options{})
	if !rep.OK() {
		logReport(t, rep)
		t.Fatal("problems in a valid file")
	}
	if len(set.Questions) != 3 {
		t.Fatalf("%d questions, want 3 (the empty row skipped)", len(set.Questions))
	}
	m := set.Questions[0]
	if m.ID != "q1" || m.Type != quiz.Multiple || !reflect.DeepEqual(m.Answer, []string{"A", "C"}) ||
		m.Stem != "Which codes apply?\nSelect TWO." || len(m.Options) != 3 || m.Topic != "coding" || m.Domain != 4 ||
		!reflect.DeepEqual(m.References, []string{"ICD-10-CM guidelines", "CPT manual"}) || m.Line != 2 {
		t.Errorf("multiple = %+v", m)
	}
	n := set.Questions[1]
	if n.ID != "q2" || n.Type != quiz.Numeric || n.Value != 5.5 || n.Tolerance != 0.05 || n.Line != 5 || n.Options != nil {
		t.Errorf("numeric = %+v", n)
	}
	g := set.Questions[2]
	wantOpts := []quiz.Option{{ID: "A", Text: "Mod 25"}, {ID: "B", Text: "Mod 59"}, {ID: "C", Text: "Mod 76"}}
	if g.ID != "q3" || !reflect.DeepEqual(g.Options, wantOpts) || !reflect.DeepEqual(g.Answer, []string{"B"}) || g.Topic != "coding" || g.Line != 6 {
		t.Errorf("gap = %+v", g)
	}
	wantWarn := []struct {
		line  int
		field string
		in    string
	}{
		{1, "Notes", "unknown column"},
		{6, "options", "C is now B"},
	}
	for _, w := range wantWarn {
		if !has(rep.Warnings, w.line, w.field, w.in) {
			t.Errorf("no warning at line %d, field %s, saying %q", w.line, w.field, w.in)
		}
	}
}

func has(ds []quiz.Detail, line int, field, in string) bool {
	for _, d := range ds {
		if d.Line == line && d.Field == field && strings.Contains(d.Message, in) {
			return true
		}
	}
	return false
}

// TestBrokenReportsEveryProblemAtItsRow checks each problem points at the
// line where its row starts, after multi-line cells and a bad row.
func TestBrokenReportsEveryProblemAtItsRow(t *testing.T) {
	set, rep := Parse(mustRead(t, "broken.csv"), bank.Options{})
	want := []struct {
		line, item int
		field, in  string
	}{
		{2, 1, "domain", "1 to 6"},
		{2, 1, "answer", "no key"},
		{3, 2, "answer", `"D" is not among`},
		{4, 3, "answer", "must be a number"},
		{4, 3, "tolerance", "must be a number"},
		{5, 4, "partial_credit", "true or false"},
		{6, 5, "scenario_id", `scenario "sc-1"`},
		{8, 0, "", "quote"},
		{9, 6, "answer", "option_c, which is empty"},
		{10, 7, "scenario", "different text on the row at line 9"},
		{11, 8, "id", "already used by item 1"},
		{11, 8, "topic", "unknown topic"},
		{12, 9, "answer", "no key"},
	}
	for _, w := range want {
		found := false
		for _, p := range rep.Problems {
			found = found || (p.Line == w.line && p.Item == w.item && p.Field == w.field && strings.Contains(p.Message, w.in))
		}
		if !found {
			t.Errorf("no problem at line %d, item %d, field %q, saying %q", w.line, w.item, w.field, w.in)
		}
	}
	if !has(rep.Warnings, 1, "colour", "unknown column") || !has(rep.Warnings, 11, "tolerance", "ignored") {
		t.Errorf("warnings missing")
	}
	if set == nil || len(set.Questions) != 9 || set.Questions[4].Stem != "Stem \"five\"\nspans lines?" {
		t.Errorf("set = %+v", set)
	}
	if t.Failed() {
		logReport(t, rep)
	}
}

func TestBadFiles(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		nilSet    bool
		line      int
		field, in string
	}{
		{"empty", "", true, 1, "", "empty"},
		{"only a BOM", "\ufeff\n\n", true, 1, "", "empty"},
		{"no header row", string(mustRead(t, "noheader.csv")), false, 1, "stem", "no stem column"},
		{"no answer column", "stem,option_a\nWhich?,x\n", false, 1, "answer", "no answer column"},
		{"header after blank lines", "\n\nstem,option_a\nWhich?,x\n", false, 3, "answer", "no answer column"},
		{"duplicate column", "stem,answer,Answer\nWhich?,A,B\n", false, 1, "answer", "appears twice"},
		{"unterminated quote", string(mustRead(t, "unterminated.csv")), false, 3, "", "not closed"},
		{"bad header", "stem,\"answer\"x\n", true, 1, "", "header row could not be read"},
		{"numeric without value", "stem,answer,type\nHow many?,,numeric\n", false, 2, "answer", "no key"},
		{"infinite number", "stem,answer,type\nHow many?,Inf,numeric\n", false, 2, "answer", "must be a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, rep := Parse([]byte(tt.data), bank.Options{Topic: "coding"})
			if (set == nil) != tt.nilSet {
				t.Errorf("set = %v, want nil: %v", set, tt.nilSet)
			}
			found := false
			for _, p := range rep.Problems {
				found = found || (p.Line == tt.line && p.Field == tt.field && strings.Contains(p.Message, tt.in))
			}
			if !found {
				logReport(t, rep)
				t.Errorf("no problem at line %d, field %q, saying %q", tt.line, tt.field, tt.in)
			}
		})
	}
}

func TestMissingColumnBuildsNothing(t *testing.T) {
	set, rep := Parse(mustRead(t, "noheader.csv"), bank.Options{Topic: "coding"})
	if set == nil || len(set.Questions) != 0 || len(rep.Problems) != 2 {
		logReport(t, rep)
		t.Errorf("want only the two header problems and no questions")
	}
}

func TestHeaderOnly(t *testing.T) {
	set, rep := Parse([]byte("stem,answer\n"), bank.Options{})
	if set == nil || len(set.Questions) != 0 || !rep.OK() {
		t.Errorf("set %+v, report %+v", set, rep)
	}
}

// TestEncodingsAndDelimiters covers what other spreadsheet programs save.
func TestEncodingsAndDelimiters(t *testing.T) {
	const text = "stem\tanswer\toption_a\toption_b\nCaf\u00e9 \u2019s charge?\tA\tyes\tno\n"
	utf16le := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(text)) {
		utf16le = append(utf16le, byte(u), byte(u>>8))
	}
	utf16be := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(text)) {
		utf16be = append(utf16be, byte(u>>8), byte(u))
	}
	cp1252 := []byte("stem,answer,option_a,option_b\rCaf\xe9 \x92s charge?,A,yes,no\r")
	tests := []struct {
		name string
		data []byte
		warn string
	}{
		{"tab, UTF-8", []byte(text), ""},
		{"UTF-16LE", utf16le, "UTF-16"},
		{"UTF-16BE", utf16be, "UTF-16"},
		{"Windows-1252 with CR line ends", cp1252, "Windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, rep := Parse(tt.data, bank.Options{Topic: "coding"})
			if !rep.OK() || len(set.Questions) != 1 {
				logReport(t, rep)
				t.Fatal("not read")
			}
			q := set.Questions[0]
			if q.Stem != "Caf\u00e9 \u2019s charge?" || q.Line != 2 || len(q.Options) != 2 || q.Answer[0] != "A" {
				t.Errorf("question = %+v", q)
			}
			if tt.warn != "" && !has(rep.Warnings, 1, "", tt.warn) {
				t.Errorf("no warning about %s: %+v", tt.warn, rep.Warnings)
			}
		})
	}
}

func TestCellsWithoutColumn(t *testing.T) {
	data := "stem,answer,,option_a,option_b\nWhich?,A,note,x,y,extra\nWhat?,B,note,x,y,extra\n"
	set, rep := Parse([]byte(data), bank.Options{Topic: "coding"})
	if !rep.OK() || len(set.Questions) != 2 {
		logReport(t, rep)
		t.Fatal("not read")
	}
	if len(rep.Warnings) < 2 || !has(rep.Warnings, 2, "", "column C has no name") || !has(rep.Warnings, 2, "", "column F") {
		logReport(t, rep)
		t.Error("each column without a name is warned about once")
	}
	for _, w := range rep.Warnings {
		if w.Line == 3 && w.Field == "" {
			t.Errorf("warned twice: %+v", w)
		}
	}
}

func TestHelpers(t *testing.T) {
	for in, want := range map[string]int{"4": 4, "domain-4": 4, "Domain 6": 6, "1.0": 1, "7": 0, "x": 0, "domain": 0} {
		if got, _ := parseDomain(in); got != want {
			t.Errorf("parseDomain(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string][]string{"B": {"B"}, "A;C": {"A", "C"}, "a, c": {"A", "C"}, "": {}} {
		if got := splitKeys(in); len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("splitKeys(%q) = %v, want %v", in, got, want)
		}
	}
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := colLetter(i); got != want {
			t.Errorf("colLetter(%d) = %s, want %s", i, got, want)
		}
	}
	if normalizeTopic("Release of Information") != quiz.TopicROI || columnName(" Option A ") != "option_a" || columnName("partial-credit") != "partial_credit" {
		t.Error("name normalisation")
	}
	for in, want := range map[string]rune{"a,b;c\n": ',', "a;b;c\n": ';', "a\tb\tc": '\t', "\"x;y;z\",b\n": ',', "\n\na;b": ';'} {
		if got := detectDelimiter([]byte(in)); got != want {
			t.Errorf("detectDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParse feeds arbitrary bytes: Parse must never panic or hang, and what
// it builds must be consistent.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			f.Add(mustRead(f, e.Name()))
		}
	}
	f.Add([]byte("stem;answer\n\"a\"\"b\";1\n"))
	f.Add([]byte("\xff\xfes\x00t\x00e\x00m\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, rep := Parse(data, bank.Options{Topic: "coding"})
		if set == nil {
			if rep.OK() {
				t.Fatal("no set and no problem")
			}
			return
		}
		if len(set.Lines) != len(set.Questions) {
			t.Fatalf("%d line maps for %d questions", len(set.Lines), len(set.Questions))
		}
		for _, q := range set.Questions {
			if q.Line < 1 {
				t.Fatalf("question without a line: %+v", q)
			}
		}
	})
}

// TestReportStaysSmall keeps a malformed header from producing a report
// many times the size of the file.
func TestReportStaysSmall(t *testing.T) {
	data := strings.Repeat("x,", 5000) + "\n" + strings.Repeat("y,", 6000) + "\n" + strings.Repeat(`"`, 1000) + "\n"
	_, rep := Parse([]byte(data), bank.Options{})
	size := 0
	for _, d := range append(rep.Warnings, rep.Problems...) {
		size += len(d.Message) + len(d.Field)
	}
	if len(rep.Warnings) > 2*maxColumnWarnings+2 || size > 20000 {
		t.Errorf("%d warnings, %d bytes", len(rep.Warnings), size)
	}
}
