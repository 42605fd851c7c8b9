package qti

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// wantQ is the expected question, field by field.
type wantQ struct {
	id, typ, topic string
	domain         int
	difficulty     string
	stem           string
	opts           []quiz.Option
	answer         []string
	value, tol     float64
	partial        bool
	rationale      string
	scenarioID     string
	scenario       string
	line           int
}

// wantD is an expected problem or warning.
type wantD struct {
	line, item  int
	path, field string
	in          string
}

func opts(texts ...string) []quiz.Option {
	var out []quiz.Option
	for i, t := range texts {
		pinned := strings.HasPrefix(t, "!")
		out = append(out, quiz.Option{ID: optionID(i), Text: strings.TrimPrefix(t, "!"), Pinned: pinned})
	}
	return out
}

func checkQuestions(t *testing.T, got []*quiz.Question, want []wantQ) {
	t.Helper()
	if len(got) != len(want) {
		for _, q := range got {
			t.Logf("got %+v", *q)
		}
		t.Fatalf("%d questions, want %d", len(got), len(want))
	}
	for i, w := range want {
		q := got[i]
		eq := func(field string, g, e any) {
			t.Helper()
			if !reflect.DeepEqual(g, e) {
				t.Errorf("question %d (%s) %s = %#v, want %#v", i+1, w.id, field, g, e)
			}
		}
		eq("ID", q.ID, w.id)
		eq("Type", q.Type, w.typ)
		eq("Topic", q.Topic, w.topic)
		eq("Domain", q.Domain, w.domain)
		difficulty := w.difficulty
		if difficulty == "" {
			difficulty = quiz.Medium
		}
		eq("Difficulty", q.Difficulty, difficulty)
		eq("Cognitive", q.Cognitive, quiz.Application)
		eq("Stem", q.Stem, w.stem)
		eq("Options", q.Options, w.opts)
		if w.typ == quiz.Numeric {
			eq("Answer", len(q.Answer), 0)
		} else {
			eq("Answer", q.Answer, w.answer)
		}
		eq("Value", q.Value, w.value)
		eq("Tolerance", q.Tolerance, w.tol)
		eq("PartialCredit", q.PartialCredit, w.partial)
		eq("Rationale", q.Rationale, w.rationale)
		eq("ScenarioID", q.ScenarioID, w.scenarioID)
		eq("Scenario", q.Scenario, w.scenario)
		eq("References", len(q.References), 0)
		eq("Line", q.Line, w.line)
	}
}

// checkDetails asserts each wanted detail is there, and that there is
// nothing else but bank.Check's routine upload warnings when strict.
func checkDetails(t *testing.T, kind string, got []quiz.Detail, want []wantD, strict bool) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, d := range got {
			if !used[i] && d.Line == w.line && d.Item == w.item && d.Path == w.path && d.Field == w.field && strings.Contains(d.Message, w.in) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("no %s at line %d, item %d, path %q, field %q, saying %q", kind, w.line, w.item, w.path, w.field, w.in)
		}
	}
	for i, d := range got {
		routine := d.Field == "references" || d.Field == "domain" && strings.HasPrefix(d.Message, "no RHIT domain") || d.Field == "rationale" && strings.HasPrefix(d.Message, "no rationale")
		if strict && !used[i] && !routine {
			t.Errorf("unexpected %s: %+v", kind, d)
		}
	}
	if t.Failed() {
		for _, d := range got {
			t.Logf("got %s %+v", kind, d)
		}
	}
}

func TestQTI21Package(t *testing.T) {
	set, rep := Parse(zipDir(t, "testdata/qti21"), bank.Options{})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if set.Format != "qti" || set.Name != "RHIT coding practice (2.1)" || set.Description != "Coding items exported from an LMS." || set.Lines != nil {
		t.Errorf("set = %q %q %q, lines %v", set.Format, set.Name, set.Description, set.Lines)
	}
	checkQuestions(t, set.Questions, []wantQ{
		{
			id: "cpt-modifier-25", typ: quiz.Single, topic: "coding", domain: 4, difficulty: quiz.Hard,
			stem: "A patient sees the physician for a significant, separately identifiable evaluation on the same day as a minor procedure.\n" +
				"[image: claim form]\nWhich modifier is appended to the E/M code?",
			opts:      opts("Modifier 59", "Modifier 25", "Modifier 57", "!None of the above"),
			answer:    []string{"B"},
			rationale: "Modifier 25 marks a significant, separately identifiable E/M service on the day of a procedure.",
			line:      2,
		},
		{
			id: "stat-rates", typ: quiz.Multiple, topic: "statistics", domain: 3,
			stem:    "Which two are rates computed from inpatient census data? Select TWO.",
			opts:    opts("Case-mix index", "Bed occupancy rate", "Relative weight", "Average daily census"),
			answer:  []string{"B", "D"},
			partial: true, line: 2,
		},
		{
			id: "stat-alos", typ: quiz.Numeric, topic: "coding",
			stem:  "There were 450 inpatient service days for 100 discharges.\nThe average length of stay is ____ days (one decimal place).",
			value: 4.5, tol: 0.05,
			rationale: "ALOS = 450 / 100 = 4.5 days.", line: 2,
		},
		{
			id: "term-itis", typ: quiz.Single, topic: "coding",
			stem:      "The suffix -itis means",
			opts:      opts("inflammation", "enlargement", "swelling", "pain"),
			answer:    []string{"A"},
			rationale: "A: Right: -itis is inflammation.\nC: Swelling goes with inflammation, but is not the meaning.", line: 2,
		},
	})
	checkDetails(t, "warning", rep.Warnings, []wantD{
		{10, 1, "items/single.xml#/assessmentItem/itemBody", "stem", "(<strong>). An image or embedded object was removed from the stem (../images/form.png)"},
		{10, 3, "items/numeric.xml#/assessmentItem/itemBody/p[2]/textEntryInteraction", "stem", "shown as ____"},
		{23, 3, "items/numeric.xml#/assessmentItem/modalFeedback", "rationale", "(<em>)"},
		{2, 4, "items/partial.xml#/assessmentItem", "id", `"term itis" was made into the id "term-itis"`},
		{15, 4, "items/partial.xml#/assessmentItem/itemBody/choiceInteraction/simpleChoice[2]", "options.pinned", "Option B is fixed in place"},
		{6, 4, "items/partial.xml#/assessmentItem/responseDeclaration/mapping", "answer", "Partial credit for option C (0.5 of 1) was dropped"},
		{20, 4, "items/partial.xml#/assessmentItem/modalFeedback", "rationale", "Feedback on option(s) A, C"},
		{7, 5, "items/hotspot.xml#/assessmentItem/itemBody/hotspotInteraction", "type", "Skipped: hot-spot items are not supported."},
		{5, 6, "items/essay.xml#/assessmentItem/itemBody/extendedTextInteraction", "type", "Skipped: extended-text (essay) items are not supported."},
		// bank.Check's findings point at the item's entry.
		{2, 3, "items/numeric.xml#/assessmentItem", "domain", "no RHIT domain"},
		{2, 2, "items/multi.xml#/assessmentItem", "rationale", "no rationale"},
	}, true)
}

func TestQTI22Package(t *testing.T) {
	set, rep := Parse(zipDir(t, "testdata/qti22"), bank.Options{})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	// No test in the package: the manifest's title names the set. The
	// manifest's keywords give every item its topic and domain.
	if set.Name != "ROI practice 2.2" {
		t.Errorf("name = %q", set.Name)
	}
	checkQuestions(t, set.Questions, []wantQ{
		{
			id: "roi-auth-01", typ: quiz.Single, topic: "release-of-information", domain: 2,
			stem:      "A valid HIPAA authorisation must contain several core elements.\nWhich element is required?",
			opts:      opts("An expiration date or event", "The patient's diagnosis", "The privacy officer's name"),
			answer:    []string{"A"},
			rationale: "45 CFR 164.508(c) lists the core elements.\nB: The diagnosis is not a core element.", line: 2,
		},
		{
			id: "roi-fees-02", typ: quiz.Multiple, topic: "release-of-information", domain: 2,
			stem:      "Which costs may a covered entity include in a patient's access fee? Select 2.",
			opts:      opts("Labour for copying", "Retrieval from storage", "Postage when mailed", "Verification of identity"),
			answer:    []string{"A", "C"},
			rationale: "A: Labour for copying is allowed.\nB: Retrieval costs are not allowed.", line: 2,
		},
	})
	checkDetails(t, "warning", rep.Warnings, []wantD{
		{16, 1, "content/roi 1.xml#/assessmentItem/itemBody/feedbackBlock", "rationale", "Feedback on option(s) B"},
		{17, 2, "content/roi2.xml#/assessmentItem/modalFeedback", "rationale", "Feedback on option(s) A, B"},
	}, true)
}

func TestQTI30Package(t *testing.T) {
	set, rep := Parse(zipDir(t, "testdata/qti30"), bank.Options{})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if set.Name != "Terminology drill (3.0)" {
		t.Errorf("name = %q", set.Name)
	}
	checkQuestions(t, set.Questions, []wantQ{
		{
			id: "term-pancreat-01", typ: quiz.Single, topic: "terminology", domain: 1,
			stem:       `The suffix in "pancreatitis" means`,
			opts:       opts("removal", "inflammation", "enlargement", "!All of the above"),
			answer:     []string{"B"},
			rationale:  "-itis means inflammation.",
			scenarioID: "case-7", scenario: "A 62-year-old patient is admitted with acute pancreatitis.",
			line: 2,
		},
		{
			id: "term-prefix-02", typ: quiz.Multiple, topic: "terminology",
			stem:    `Which prefixes mean "above"? Select TWO.`,
			opts:    opts("hyper-", "hypo-", "supra-", "sub-"),
			answer:  []string{"A", "C"},
			partial: true, line: 2,
		},
		{
			id: "stat-census-03", typ: quiz.Numeric, topic: "statistics",
			stem:  "Census at midnight was 210; 5 patients were admitted and 3 discharged the next day.\nWhat is the census at the following midnight?",
			value: 212, line: 2,
		},
	})
	checkDetails(t, "warning", rep.Warnings, []wantD{
		{5, 4, "items/q4.xml#/qti-assessment-item/qti-item-body/qti-match-interaction", "type", "Skipped: matching items are not supported."},
	}, true)
}

func TestCanvasPackage(t *testing.T) {
	set, rep := Parse(zipDir(t, "testdata/canvas12"), bank.Options{Topic: "regulations"})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	// The quiz's title, not the manifest's "QTI Quiz Export for course ...".
	if set.Name != "Week 3 quiz" {
		t.Errorf("name = %q", set.Name)
	}
	checkQuestions(t, set.Questions, canvasQuestions)
	const e = "g5a1/g5a1.xml#/questestinterop/assessment/section/"
	checkDetails(t, "warning", rep.Warnings, []wantD{
		{32, 1, e + "item/presentation", "stem", "(<em>)"},
		{84, 1, e + "item/itemfeedback", "rationale", "Feedback on option(s) B"},
		{208, 3, e + "item[3]/itemfeedback", "rationale", "Conditional feedback (Correct, Incorrect)"},
		{341, 7, e + "item[7]/itemmetadata/qtimetadata/qtimetadatafield/fieldentry", "type", "Skipped: essay questions are not supported."},
		{371, 8, e + "item[8]/itemmetadata/qtimetadata/qtimetadatafield/fieldentry", "type", "Skipped: matching questions are not supported."},
		{398, 9, e + "item[9]/itemmetadata/qtimetadata/qtimetadatafield/fieldentry", "type", "Skipped: short-answer (fill in the blank) questions are not supported."},
		{429, 10, e + "item[10]/itemmetadata/qtimetadata/qtimetadatafield/fieldentry", "type", "Skipped: text-only items"},
	}, true)
}

var canvasQuestions = []wantQ{
	{
		id: "i1a", typ: quiz.Single, topic: "regulations",
		stem:      "Which retention rule applies to a minor's record?\nUse state law & policy.",
		opts:      opts("Until the age of majority plus the statute of limitations", "Five years after discharge", "Ten years after the last visit", "Permanently"),
		answer:    []string{"A"},
		rationale: "Minors' records are kept until majority plus the limitations period.\nB: Five years is too short for minors.", line: 11,
	},
	{
		id: "i2b", typ: quiz.Single, topic: "regulations", domain: 5,
		stem: "The Privacy Rule applies to business associates.", opts: opts("True", "False"), answer: []string{"A"}, line: 99,
	},
	{
		id: "i3c", typ: quiz.Multiple, topic: "regulations",
		stem:      "Which are HIPAA identifiers? Select two.",
		opts:      opts("Medical record number", "Blood type", "Email address", "State of residence"),
		answer:    []string{"A", "C"},
		rationale: "Correct: Yes: both are among the 18 identifiers.\nIncorrect: Review 45 CFR 164.514(b)(2).", line: 143,
	},
	{
		id: "i4d", typ: quiz.Numeric, topic: "regulations",
		stem:  "What is the bed occupancy rate (percent) for 2,700 patient days in a 100-bed unit over 30 days?",
		value: 90, tol: 0.1, rationale: "2,700 / (100 × 30) × 100 = 90%.", line: 223,
	},
	{
		id: "i5e", typ: quiz.Numeric, topic: "regulations",
		stem:  "Give the gross death rate for 6 deaths among 400 discharges, in percent.",
		value: 1.5, tol: 0.1, line: 267,
	},
	{
		id: "i6f", typ: quiz.Numeric, topic: "regulations",
		stem:  "Compute the net death rate to three significant figures.",
		value: 1.25, tol: 0.005, line: 299,
	},
}

func TestBareFiles(t *testing.T) {
	// A Canvas quiz file on its own reads the same, with per-field lines
	// and no paths.
	data, err := os.ReadFile("testdata/canvas12/g5a1/g5a1.xml")
	if err != nil {
		t.Fatal(err)
	}
	set, rep := Parse(data, bank.Options{Topic: "regulations"})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if set.Name != "Week 3 quiz" {
		t.Errorf("name = %q", set.Name)
	}
	checkQuestions(t, set.Questions, canvasQuestions)
	wantLines := map[string]int{"id": 223, "type": 228, "stem": 232, "options": 236, "answer": 246, "tolerance": 246, "rationale": 259}
	if !reflect.DeepEqual(set.Lines[3], wantLines) {
		t.Errorf("lines of item 4 = %v, want %v", set.Lines[3], wantLines)
	}
	for _, w := range rep.Warnings {
		if w.Path != "" {
			t.Errorf("a bare file's warning has a path: %+v", w)
		}
	}
	checkDetails(t, "warning", rep.Warnings, []wantD{{341, 7, "", "type", "Skipped: essay"}}, false)

	// A QTI 2.1 item on its own: no set name, no metadata.
	data, err = os.ReadFile("testdata/qti21/items/partial.xml")
	if err != nil {
		t.Fatal(err)
	}
	set, rep = Parse(data, bank.Options{Topic: "terminology", Domain: 1})
	if !rep.OK() || set.Name != "" || len(set.Questions) != 1 {
		t.Fatalf("set %+v, problems %+v", set, rep.Problems)
	}
	q := set.Questions[0]
	if q.ID != "term-itis" || q.Topic != "terminology" || q.Domain != 1 || q.Answer[0] != "A" {
		t.Errorf("question = %+v", *q)
	}
	wantLines = map[string]int{"id": 2, "stem": 11, "options": 12, "answer": 5, "rationale": 20}
	if !reflect.DeepEqual(set.Lines[0], wantLines) {
		t.Errorf("lines = %v, want %v", set.Lines[0], wantLines)
	}
	checkDetails(t, "warning", rep.Warnings, []wantD{
		{15, 1, "", "options.pinned", "Option B is fixed"},
		{6, 1, "", "answer", "Partial credit for option C"},
	}, false)
}

func TestBrokenPackage(t *testing.T) {
	set, rep := Parse(zipDir(t, "testdata/broken"), bank.Options{Topic: "coding"})
	if set == nil || rep.OK() {
		t.Fatalf("set %v, no problems", set)
	}
	checkDetails(t, "problem", rep.Problems, []wantD{
		{3, 1, "items/nokey.xml#/assessmentItem/responseDeclaration", "answer", "neither a correctResponse nor a mapping"},
		{5, 2, "items/badkey.xml#/assessmentItem/responseDeclaration/correctResponse/value", "answer", `The correct response "Z" is not one of the item's choices.`},
		{5, 3, "items/unequal.xml#/assessmentItem/responseDeclaration/mapping", "answer", "unequal credit (A 0.7, B 0.3)"},
		{2, 4, "items/doctype.xml", "", "declares entities in its DOCTYPE"},
		{5, 5, "items/malformed.xml", "", "not well formed: element <p> closed by </itemBody>"},
		{10, 6, "imsmanifest.xml#/manifest/resources/resource[6]", "", `refers to "items/missing.xml", which it does not contain`},
		{13, 7, "canvas.xml#/questestinterop/assessment/section/item/resprocessing/respcondition", "answer", "several separate answers (5; 7)"},
		{36, 8, "canvas.xml#/questestinterop/assessment/section/item[2]/resprocessing/respcondition", "answer", `The scored choice "9" is not one of the item's choices.`},
		{54, 9, "canvas.xml#/questestinterop/assessment/section/item[3]/resprocessing", "answer", "unequal credit (A 70, B 30)"},
	}, true)
}

func TestBareDoctypeWithEntities(t *testing.T) {
	data, err := os.ReadFile("testdata/doctype.xml")
	if err != nil {
		t.Fatal(err)
	}
	set, rep := Parse(data, bank.Options{})
	if set != nil || len(rep.Problems) != 1 {
		t.Fatalf("set %v, problems %+v", set, rep.Problems)
	}
	if p := rep.Problems[0]; p.Line != 2 || p.Path != "" || !strings.Contains(p.Message, "entities") {
		t.Errorf("problem = %+v", p)
	}
}
