package moodlexml

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

func logReport(t *testing.T, rep bank.Report) {
	t.Helper()
	for _, p := range rep.Problems {
		t.Logf("problem %d item %d %s %s: %s", p.Line, p.Item, p.Path, p.Field, p.Message)
	}
	for _, w := range rep.Warnings {
		t.Logf("warning %d item %d %s %s: %s", w.Line, w.Item, w.Path, w.Field, w.Message)
	}
}

type want struct {
	line       int
	item       int
	path, text string
}

// find reports whether a detail at line, item and path says text.
func find(ds []quiz.Detail, w want) bool {
	for _, d := range ds {
		if d.Line == w.line && d.Item == w.item && d.Path == w.path && strings.Contains(d.Message, w.text) {
			return true
		}
	}
	return false
}

// TestValid reads every supported feature field by field.
func TestValid(t *testing.T) {
	set, rep := Parse(mustRead(t, "valid.xml"), bank.Options{Topic: quiz.TopicStatistics})
	if !rep.OK() {
		logReport(t, rep)
		t.Fatal("problems in a valid file")
	}
	if set.Format != "moodlexml" || set.Name != "" || len(set.Questions) != 6 || len(set.Lines) != 6 {
		t.Fatalf("set %q %q with %d questions and %d line maps", set.Format, set.Name, len(set.Questions), len(set.Lines))
	}
	wantQ := []quiz.Question{
		{ID: "modifier-25-when-to-use", Topic: quiz.TopicCoding, Domain: 4, Difficulty: quiz.Medium, Cognitive: quiz.Application,
			Type: quiz.Single,
			Stem: "A patient has an E/M visit and a minor procedure on the same day.\n\nWhich modifier applies?",
			Options: []quiz.Option{{ID: "A", Text: "Modifier 25"}, {ID: "B", Text: "Modifier 59"},
				{ID: "C", Text: "Modifier 57"}, {ID: "D", Text: "Modifier 76 & 77"}},
			Answer:    []string{"A"},
			Rationale: "Modifier 25 marks a significant, separately identifiable E/M service.\n\nA: Right: a separate E/M service.\nC: Only for major surgery.",
			Line:      11},
		{ID: "select-two-codes", Topic: quiz.TopicCoding, Domain: 4, Difficulty: quiz.Medium, Cognitive: quiz.Application,
			Type: quiz.Multiple, Stem: "Which two codes report the visit? Select TWO.",
			Options: []quiz.Option{{ID: "A", Text: "99213", Pinned: true}, {ID: "B", Text: "99203", Pinned: true},
				{ID: "C", Text: "J3420", Pinned: true}, {ID: "D", Text: "None of the above", Pinned: true}},
			Answer: []string{"A", "C"}, PartialCredit: true, Rationale: "Both apply.", Line: 49},
		{ID: "three-elements", Topic: quiz.TopicRegulations, Domain: 5, Difficulty: quiz.Medium, Cognitive: quiz.Application,
			Type: quiz.Multiple, Stem: "Which three are required? Select THREE.",
			Options: []quiz.Option{{ID: "A", Text: "Signature"}, {ID: "B", Text: "Date"}, {ID: "C", Text: "Diagnosis"},
				{ID: "D", Text: "Expiration"}, {ID: "E", Text: "Insurer"}},
			Answer: []string{"A", "B", "D"}, PartialCredit: true, Line: 60},
		{ID: "hipaa-minimum-necessary", Topic: quiz.TopicCoding, Domain: 4, Difficulty: quiz.Medium, Cognitive: quiz.Application,
			Type: quiz.Single, Stem: "The minimum necessary standard applies to disclosures for treatment.",
			Options: []quiz.Option{{ID: "A", Text: "True", Pinned: true}, {ID: "B", Text: "False", Pinned: true}},
			Answer:  []string{"B"}, Rationale: "A: Treatment disclosures are exempt.\nB: Correct.", Line: 71},
		{ID: "occupancy-rate", Topic: quiz.TopicCoding, Domain: 4, Difficulty: quiz.Medium, Cognitive: quiz.Application,
			Type: quiz.Numeric, Stem: "What is the rate? Round to one decimal place.", Value: 5.5, Tolerance: 0.5,
			Rationale: "Divide and multiply by 100.\n\n5.5: Well done.\n*: Check the formula.", Line: 84},
		// After a category without a topic, the upload's topic applies.
		{ID: "select-two-codes-2", Topic: quiz.TopicStatistics, Difficulty: quiz.Medium, Cognitive: quiz.Application,
			Type: quiz.Single, Stem: "Pick one\nof these",
			Options: []quiz.Option{{ID: "A", Text: "One"}, {ID: "B", Text: "Two"}},
			Answer:  []string{"A"}, Line: 123},
	}
	for i, w := range wantQ {
		if !reflect.DeepEqual(*set.Questions[i], w) {
			t.Errorf("question %d:\n got %#v\nwant %#v", i+1, *set.Questions[i], w)
		}
	}
	lines := set.Lines[0]
	for field, line := range map[string]int{"id": 12, "stem": 15, "rationale": 19, "options": 33, "answer": 33, "topic": 4, "domain": 4} {
		if lines[field] != line {
			t.Errorf("line of %s = %d, want %d", field, lines[field], line)
		}
	}
	if set.Lines[2]["topic"] != 69 || set.Lines[4]["tolerance"] != 91 {
		t.Errorf("tag and tolerance lines: %v %v", set.Lines[2], set.Lines[4])
	}

	warnings := []want{
		{11, 1, "quiz/question[2]", "partial credit of 50% for option C and the penalty of -25% for option D were dropped"},
		{11, 1, "quiz/question[2]", "per-answer feedback was added to the rationale"},
		{11, 1, "quiz/question[2]", "HTML markup (<p> and <strong>) was stripped from the stem, rationale, option A and feedback of answer 1"},
		{11, 1, "quiz/question[2]", `the image "claim form.png" from the stem was removed`},
		{60, 3, "quiz/question[4]", "each wrong choice now costs 33.33333% (1/3 of the item"},
		{60, 3, "quiz/question[4]", "C -50% and E 0% were replaced"},
		{71, 4, "quiz/question[5]", "per-answer feedback"},
		{84, 5, "quiz/question[6]", "answer 2 (6, worth 50%) and answer 3 (*, worth 0%) were dropped; the key is 5.5"},
		{84, 5, "quiz/question[6]/units", "the units (%) were dropped"},
		{107, 0, "quiz/question[7]", `skipped: essay questions are not supported ("Explain HIPAA")`},
		{114, 0, "quiz/question[9]", "skipped: short-answer questions are not supported"},
		{115, 0, "quiz/question[10]", "skipped: matching"},
		{116, 0, "quiz/question[11]", "skipped: drag-and-drop"},
		{117, 0, "quiz/question[12]", "skipped: select missing words"},
		{118, 0, "quiz/question[13]", "skipped: cloze"},
		{119, 0, "quiz/question[14]", "skipped: calculated"},
		{120, 0, "quiz/question[15]", "skipped: calculated"},
		{121, 0, "quiz/question[16]", "skipped: calculated multichoice"},
		{122, 0, "quiz/question[17]", "skipped: description"},
		{123, 6, "quiz/question[18]", `this item's id is "select-two-codes-2"`},
	}
	for _, w := range warnings {
		if !find(rep.Warnings, w) {
			t.Errorf("no warning %+v", w)
		}
	}
	for _, w := range rep.Warnings {
		if strings.Contains(w.Message, "embedded file") || strings.Contains(w.Message, "combined feedback") {
			t.Errorf("unexpected warning %+v", w)
		}
		if w.Item == 2 && w.Field == "answer" {
			t.Errorf("select-N with -1/N penalties needs no scoring warning: %+v", w)
		}
	}
	if t.Failed() {
		logReport(t, rep)
	}
}

// TestBroken checks every weighting rhitprep cannot represent is a problem
// at its <question> line with a path.
func TestBroken(t *testing.T) {
	set, rep := Parse(mustRead(t, "broken.xml"), bank.Options{})
	problems := []want{
		{6, 1, "quiz/question[2]", "unequal weights (A 70% and B 30%)"},
		{14, 2, "quiz/question[3]", "no answer is worth 100%"},
		{21, 3, "quiz/question[4]", "add up to 80%, not 100%"},
		{29, 4, "quiz/question[5]/answer[1]", `must be a number, not "abc"`},
		{29, 4, "quiz/question[5]/answer[1]/tolerance", `not "x"`},
		{34, 5, "quiz/question[6]/answer[2]", `weight "lots"`},
		{34, 5, "quiz/question[6]/answer[3]", "outside -100% to 100%"},
		{41, 6, "quiz/question[7]/tags", "more than one topic (coding and statistics)"},
		{48, 7, "quiz/question[8]", "neither true nor false"},
		{54, 8, "quiz/question[9]", "options A and B are each worth 100%"},
		{60, 9, "quiz/question[10]", "no value"},
	}
	for _, w := range problems {
		if !find(rep.Problems, w) {
			t.Errorf("no problem %+v", w)
		}
	}
	if !find(rep.Warnings, want{3, 0, "quiz/question[1]", `"domain-7" is not an RHIT domain`}) {
		t.Error("no warning about domain-7")
	}
	// One problem per cause: Check must not add "no key" on top.
	for _, p := range rep.Problems {
		if strings.Contains(p.Message, "no key: the answer is missing") || strings.Contains(p.Message, "exactly one key; use type") {
			t.Errorf("a second problem for one cause: %+v", p)
		}
	}
	if set == nil || len(set.Questions) != 9 || set.Questions[0].Topic != quiz.TopicStatistics || set.Questions[0].Domain != 0 {
		t.Errorf("set = %+v", set)
	}
	if t.Failed() {
		logReport(t, rep)
	}
}

func TestBadFiles(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		nilSet bool
		line   int
		text   string
	}{
		{"entity declaration", string(mustRead(t, "doctype.xml")), true, 2, "declares entities"},
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><quiz>&lol2;</quiz>`, true, 1, "declares entities"},
		{"malformed", string(mustRead(t, "malformed.xml")), false, 11, "not well-formed XML"},
		{"empty", "", true, 1, "no <quiz> element"},
		{"not xml", "id,stem\n1,x\n", true, 1, "no <quiz> element"},
		{"other root", "<html><body/></html>", true, 1, "root element is <html>"},
		{"unknown entity", "<quiz>\n<question type=\"truefalse\"><name><text>&bogus;</text></name></question></quiz>", false, 2, "not well-formed"},
		{"unsupported encoding", `<?xml version="1.0" encoding="EBCDIC"?><quiz/>`, true, 1, `encoding "EBCDIC" is not supported`},
		{"unclosed quiz", "<quiz>\n<question type=\"essay\"/>", false, 2, "not well-formed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, rep := Parse([]byte(tt.data), bank.Options{Topic: quiz.TopicCoding})
			if (set == nil) != tt.nilSet {
				t.Errorf("set = %v, want nil: %v", set, tt.nilSet)
			}
			found := false
			for _, p := range rep.Problems {
				found = found || (p.Line == tt.line && strings.Contains(p.Message, tt.text))
			}
			if !found {
				logReport(t, rep)
				t.Errorf("no problem at line %d saying %q", tt.line, tt.text)
			}
		})
	}
}

func TestMalformedKeepsEarlierItems(t *testing.T) {
	set, _ := Parse(mustRead(t, "malformed.xml"), bank.Options{Topic: quiz.TopicCoding})
	if set == nil || len(set.Questions) != 1 || set.Questions[0].ID != "kept" {
		t.Errorf("set = %+v", set)
	}
}

func TestEncodingsAndEntities(t *testing.T) {
	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<quiz><question type=\"truefalse\"><name><text>Caf\xe9</text></name>" +
		"<questiontext format=\"html\"><text>Is &nbsp;caf\xe9 &lt;b&gt;French&lt;/b&gt;?</text></questiontext>" +
		"<answer fraction=\"100\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer></question></quiz>"
	set, rep := Parse([]byte("\xEF\xBB\xBF"+latin1), bank.Options{Topic: quiz.TopicCoding})
	if !rep.OK() {
		logReport(t, rep)
		t.Fatal("not read")
	}
	q := set.Questions[0]
	if q.ID != "cafe" || q.Stem != "Is café French?" || q.Line != 2 {
		t.Errorf("question = %+v", q)
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		in, want string
		tags     []string
		images   []string
	}{
		{"plain &amp; simple", "plain & simple", nil, nil},
		{"line one\n\n\n\nline two  ", "line one\n\nline two", nil, nil},
		{"<p>One</p>\n<p>Two<br>three</p>", "One\n\nTwo\nthree", []string{"br", "p"}, nil},
		{"<ul><li>a</li><li>b</li></ul>", "- a\n- b", []string{"li", "ul"}, nil},
		{"<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>", "1 | 2\n3 | 4", []string{"table", "td", "tr"}, nil},
		{"x <script>alert('<p>')</script>y<style>p{}</style>", "x y", []string{"script", "style"}, nil},
		{"<pre>a\n  b</pre>after", "a\n  b\n\nafter", []string{"pre"}, nil},
		{"5 < 6 and 7 > 3", "5 < 6 and 7 > 3", nil, nil},
		{"<b>bold</b> <!-- note --> text", "bold text", []string{"b"}, nil},
		{`see <img alt="chart" src="data:image/png;base64,xx"> <img src='@@PLUGINFILE@@/a%20b.png'>`, "see", nil, []string{"chart", "a b.png"}},
		{`<a href="x" title="a > b">link</a>`, "link", []string{"a"}, nil},
		{"<p>&lt;b&gt; is a tag</p>", "<b> is a tag", []string{"p"}, nil},
		{"<unclosed", "<unclosed", nil, nil},
		{"H<sub>2</sub>O&nbsp;&#x2014;&#8212;", "H2O \u2014\u2014", []string{"sub"}, nil},
	}
	for _, tt := range tests {
		got := htmlToText(tt.in)
		if got.Text != tt.want || !reflect.DeepEqual(got.Tags, tt.tags) || !reflect.DeepEqual(got.Images, tt.images) {
			t.Errorf("htmlToText(%q) = %q %v %v; want %q %v %v", tt.in, got.Text, got.Tags, got.Images, tt.want, tt.tags, tt.images)
		}
	}
	if got := toPlain("<b>kept</b>", "plain_text"); got.Text != "<b>kept</b>" || got.Tags != nil {
		t.Errorf("plain_text changed: %+v", got)
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Modifier 25 — when to use": "modifier-25-when-to-use",
		"  Café: schéma  ":          "cafe-schema",
		"___":                       "",
		"Q1.2_b":                    "q1.2_b",
		strings.Repeat("abc ", 40):  "abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-abc",
	} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCategory(t *testing.T) {
	tests := []struct {
		path   string
		topic  string
		domain int
	}{
		{"$course$/top/RHIT/coding/domain-4", "coding", 4},
		{"$course$/top/Release of Information/Domain 2", "release-of-information", 2},
		{"$course$/top/statistics/Week 1", "statistics", 0},
		{"$course$/top/a//b", "", 0},
	}
	for _, tt := range tests {
		data := `<quiz><question type="category"><category><text>` + tt.path + `</text></category></question>` +
			`<question type="truefalse"><questiontext><text>Is it?</text></questiontext>` +
			`<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`
		set, _ := Parse([]byte(data), bank.Options{})
		if q := set.Questions[0]; q.Topic != tt.topic || q.Domain != tt.domain || q.ID != "q1" {
			t.Errorf("%s: topic %q domain %d id %q", tt.path, q.Topic, q.Domain, q.ID)
		}
	}
	if got := splitCategory("a//b/c"); !reflect.DeepEqual(got, []string{"a/b", "c"}) {
		t.Errorf("splitCategory = %q", got)
	}
}

func TestCombinedFeedbackAndHints(t *testing.T) {
	data := `<quiz><question type="multichoice"><name><text>n</text></name><questiontext><text>Which?</text></questiontext>
<correctfeedback><text>Well done!</text></correctfeedback><hint><text>Think.</text></hint>
<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question></quiz>`
	_, rep := Parse([]byte(data), bank.Options{Topic: quiz.TopicCoding})
	if !find(rep.Warnings, want{1, 1, "quiz/question[1]", "combined feedback (correctfeedback) was dropped"}) ||
		!find(rep.Warnings, want{1, 1, "quiz/question[1]", "1 hint(s)"}) {
		logReport(t, rep)
		t.Error("losses not warned about")
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
	f.Add([]byte(`<quiz><question type="multichoice"><single>false</single><answer fraction="33.33333"><text><![CDATA[<p>a</p>]]></text></answer></question></quiz>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, rep := Parse(data, bank.Options{Topic: quiz.TopicCoding})
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
			if strings.Contains(q.Stem, "<p>") {
				t.Fatalf("raw HTML passed through: %q", q.Stem)
			}
		}
	})
}

// TestReportStaysSmall keeps repeated losses in one item to one warning
// each, so a crafted file cannot produce a report far larger than itself.
func TestReportStaysSmall(t *testing.T) {
	body := strings.Repeat(`<img src="a.png"><b>x</b>`, 2000)
	data := `<quiz><question type="multichoice"><questiontext format="html"><text><![CDATA[` + body + `]]></text>` +
		strings.Repeat(`<file name="f.png"/>`, 2000) + `</questiontext>` +
		strings.Repeat(`<answer fraction="-10"><text>a</text></answer>`, 2000) + `</question></quiz>`
	_, rep := Parse([]byte(data), bank.Options{Topic: quiz.TopicCoding})
	size := 0
	for _, d := range append(rep.Warnings, rep.Problems...) {
		size += len(d.Message)
	}
	if len(rep.Warnings) > 10 || size > 5000 {
		logReport(t, rep)
		t.Errorf("%d warnings, %d bytes", len(rep.Warnings), size)
	}
}

func TestOneRightCheckboxIsSingle(t *testing.T) {
	data := `<quiz><question type="multichoice"><name><text>n</text></name><questiontext><text>Which?</text></questiontext>
<single>false</single><defaultgrade>2.0000000</defaultgrade>
<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer><answer fraction="-100"><text>c</text></answer></question></quiz>`
	set, rep := Parse([]byte(data), bank.Options{Topic: quiz.TopicCoding})
	if !rep.OK() || set.Questions[0].Type != quiz.Single || !reflect.DeepEqual(set.Questions[0].Answer, []string{"A"}) {
		logReport(t, rep)
		t.Errorf("question = %+v", set.Questions[0])
	}
	if !find(rep.Warnings, want{1, 1, "quiz/question[1]", "worth 2 marks"}) {
		logReport(t, rep)
		t.Error("no warning about the grade")
	}
}

func TestManySameNames(t *testing.T) {
	one := `<question type="truefalse"><name><text>Same</text></name><questiontext><text>Is it %d?</text></questiontext>` +
		`<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>`
	var b strings.Builder
	b.WriteString("<quiz>")
	for i := 0; i < 3000; i++ {
		b.WriteString(strings.Replace(one, "%d", strings.Repeat("x", i%7)+string(rune('a'+i%26)), 1))
	}
	b.WriteString("</quiz>")
	set, _ := Parse([]byte(b.String()), bank.Options{Topic: quiz.TopicCoding})
	seen := map[string]bool{}
	for _, q := range set.Questions {
		if seen[q.ID] {
			t.Fatalf("id %s given twice", q.ID)
		}
		seen[q.ID] = true
	}
	if set.Questions[0].ID != "same" || set.Questions[1].ID != "same-2" || set.Questions[2999].ID != "same-3000" {
		t.Errorf("ids %s %s %s", set.Questions[0].ID, set.Questions[1].ID, set.Questions[2999].ID)
	}
}
