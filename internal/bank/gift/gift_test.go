package gift

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

func opts(ids ...string) []quiz.Option {
	out := make([]quiz.Option, 0, len(ids)/2)
	for i := 0; i+1 < len(ids); i += 2 {
		out = append(out, quiz.Option{ID: ids[i], Text: ids[i+1]})
	}
	return out
}

func byID(set *bank.Set) map[string]*quiz.Question {
	m := map[string]*quiz.Question{}
	for _, q := range set.Questions {
		m[q.ID] = q
	}
	return m
}

func TestParseValid(t *testing.T) {
	set, rep := Parse(mustRead(t, "valid.gift"), bank.Options{})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if set.Format != "gift" || set.Name != "" || len(set.Questions) != 16 || len(set.Lines) != 16 {
		t.Fatalf("set: format %q, name %q, %d questions, %d line maps", set.Format, set.Name, len(set.Questions), len(set.Lines))
	}
	pinnedNone := opts("A", "inflammation", "B", "removal", "C", "enlargement", "D", "None of the above")
	pinnedNone[3].Pinned = true
	tests := []quiz.Question{
		{ID: "cpt-mod-25", Topic: "coding", Domain: 4, Type: quiz.Single, Line: 7,
			Stem:    "Which modifier reports a significant, separately identifiable E/M service\non the same day as a minor procedure?",
			Options: opts("A", "Modifier 25", "B", "Modifier 59", "C", "Modifier 51", "D", "Modifier 76"), Answer: []string{"A"},
			Rationale: "CPT Appendix A describes modifier 25.\nA: Right: 25 marks the separate E/M service.\nB: No, 59 is for distinct procedural services."},
		{ID: "icd-two-codes", Topic: "coding", Domain: 4, Type: quiz.Multiple, PartialCredit: true, Line: 17,
			Stem:    "Which two are ICD-10-CM chapters? Select TWO.",
			Options: opts("A", "Neoplasms", "B", "Modifiers", "C", "Diseases of the circulatory system", "D", "Evaluation and management"),
			Answer:  []string{"A", "C"}},
		{ID: "three-keys", Topic: "coding", Domain: 4, Type: quiz.Multiple, PartialCredit: true, Line: 25,
			Stem: "Which three are HCPCS Level II code ranges? Select THREE.",
			Options: opts("A", "A codes (transportation, supplies)", "B", "E codes (durable medical equipment)", "C", "J codes (drugs)",
				"D", "Z codes", "E", "Y codes"),
			Answer: []string{"A", "B", "C"}},
		{ID: "partial-distractor", Topic: "coding", Domain: 4, Type: quiz.Single, Line: 34,
			Stem:    "Which code set reports inpatient procedures?",
			Options: opts("A", "ICD-10-PCS", "B", "ICD-10-CM", "C", "CPT", "D", "HCPCS Level II"), Answer: []string{"A"}},
		{ID: "tf-hipaa", Topic: "regulations", Domain: 5, Type: quiz.Single, Line: 44,
			Stem:    "HIPAA's Privacy Rule applies to covered entities.",
			Options: opts("A", "True", "B", "False"), Answer: []string{"A"}, Rationale: "A: Yes.\nB: It does apply."},
		{ID: "tf-false", Topic: "regulations", Domain: 5, Type: quiz.Single, Line: 46,
			Stem:    "The minimum necessary standard applies to disclosures for treatment.",
			Options: opts("A", "True", "B", "False"), Answer: []string{"B"}},
		{ID: "alos", Topic: "statistics", Domain: 3, Type: quiz.Numeric, Line: 51, Value: 6.2, Tolerance: 0.05,
			Stem: "A unit had 620 inpatient service days and 100 discharges. What is the ALOS in days?", Rationale: "620 / 100 = 6.2."},
		{ID: "range", Topic: "statistics", Domain: 3, Type: quiz.Numeric, Line: 53, Value: 5.5, Tolerance: 4.5,
			Stem: "Pick a whole number of days from 1 to 10."},
		{ID: "occupancy", Topic: "statistics", Domain: 3, Type: quiz.Numeric, Line: 55, Value: 88.89, Tolerance: 0.005,
			Stem:      "The bed occupancy rate, in percent, rounded to two places?",
			Rationale: "Answer 88.89:0.005: Right.\nAnswer 88.9:0.05: Close: round to two places."},
		{ID: "html-item", Topic: "release-of-information", Domain: 2, Type: quiz.Single, Line: 63,
			Stem:    "Who may authorize release of a deceased patient's record?\n\nChoose one.",
			Options: opts("A", "The personal representative", "B", "Any adult relative", "C", "The attending physician"),
			Answer:  []string{"A"}, Rationale: "See 45 CFR 164.502(g)(4)."},
		{ID: "md-item", Topic: "release-of-information", Domain: 2, Type: quiz.Single, Line: 71,
			Stem:    "Which **document** authorizes a disclosure?",
			Options: opts("A", "An authorization", "B", "A consent", "C", "A subpoena"), Answer: []string{"A"}},
		{ID: "plain-item", Topic: "release-of-information", Domain: 2, Type: quiz.Single, Line: 74,
			Stem:    "Is a <signed> authorization & a copy the same?",
			Options: opts("A", "No", "B", "Yes"), Answer: []string{"A"}},
		{ID: "esc:1", Topic: "release-of-information", Domain: 2, Type: quiz.Single, Line: 77,
			Stem:    "Ratio a:b, item #3, x = y, set {1}, approx ~5,\nsecond line, back\\slash?",
			Options: opts("A", "One: {A}", "B", "Two ~ # =", "C", `C\D`), Answer: []string{"A"}},
		{ID: "q14", Topic: "release-of-information", Domain: 2, Type: quiz.Single, Line: 84,
			Stem:    "The _____ Act added breach notification rules.",
			Options: opts("A", "ACA", "B", "HITECH", "C", "EMTALA"), Answer: []string{"B"}},
		{ID: "release-of-information-1", Topic: "release-of-information", Domain: 2, Type: quiz.Single, Line: 87,
			Stem:    "A valid authorization must contain what?",
			Options: opts("A", "An expiration date or event", "B", "The diagnosis", "C", "The insurer"), Answer: []string{"A"}},
		{ID: "tagged", Topic: "terminology", Domain: 1, Subtopic: "valid authorisation", Difficulty: quiz.Hard, Cognitive: quiz.Recall,
			Type: quiz.Single, Line: 91, Stem: "The suffix -itis means?", Options: pinnedNone, Answer: []string{"A"}},
	}
	for i, want := range tests {
		got := *set.Questions[i]
		if want.Difficulty == "" {
			want.Difficulty = quiz.Medium
		}
		if want.Cognitive == "" {
			want.Cognitive = quiz.Application
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("question %d:\n got %+v\nwant %+v", i+1, got, want)
		}
	}
	lines := []struct {
		q     int
		field string
		line  int
	}{
		{0, "id", 7}, {0, "stem", 7}, {0, "type", 8}, {0, "options", 9}, {0, "answer", 9}, {0, "rationale", 13}, {0, "topic", 4}, {0, "domain", 4},
		{1, "answer", 18}, {4, "topic", 41}, {8, "answer", 56}, {8, "tolerance", 56}, {9, "rationale", 67},
		{15, "topic", 90}, {15, "difficulty", 90}, {15, "answer", 91},
	}
	for _, l := range lines {
		if got := set.Lines[l.q][l.field]; got != l.line {
			t.Errorf("question %d: %s on line %d, want %d", l.q+1, l.field, got, l.line)
		}
	}
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

func TestParseValidWarnings(t *testing.T) {
	_, rep := Parse(mustRead(t, "valid.gift"), bank.Options{})
	want := []struct {
		line, item int
		field, in  string
	}{
		{9, 1, "rationale", "feedback for options A and B was added to the rationale"},
		{36, 4, "answer", "Partial credit for option B (50%) was dropped"},
		{44, 5, "rationale", "feedback for options A and B"},
		{56, 9, "answer", "Other accepted answers were dropped (88.9:0.05 at 50%)"},
		{56, 9, "rationale", "feedback for the answer 88.89:0.005 and the answer 88.9:0.05"},
		{63, 10, "stem", "HTML markup was removed from the stem, option A and the general feedback"},
		{71, 11, "stem", "Markdown in the stem, option A, option B and option C is shown as plain text"},
		{87, 15, "id", `the item's id is "release-of-information-1"`},
		{90, 16, "", `Moodle tags "Unit 3" were not kept`},
		{93, 17, "type", "Skipped: essay questions are not supported."},
		{95, 18, "type", "Skipped: short-answer questions are not supported."},
		{97, 19, "type", "Skipped: matching questions are not supported."},
		{99, 20, "type", "Skipped: description (text-only) items are not supported."},
		{101, 21, "type", "Skipped: embedded-answers (Cloze) questions are not supported."},
		// bank.Check's own warnings, numbered by file item.
		{17, 2, "rationale", "no rationale"},
		{91, 16, "references", "no reference"},
	}
	for _, w := range want {
		if !has(rep.Warnings, w.line, w.item, w.field, w.in) {
			t.Errorf("no warning at line %d, item %d, field %q, saying %q", w.line, w.item, w.field, w.in)
		}
	}
	// The pinned "None of the above" draws no warning; the unpinned would.
	for _, w := range rep.Warnings {
		if w.Field == "options.text" {
			t.Errorf("unexpected warning %+v", w)
		}
	}
	if t.Failed() {
		logDetails(t, "warning", rep.Warnings)
	}
}

func TestParseBroken(t *testing.T) {
	set, rep := Parse(mustRead(t, "broken.gift"), bank.Options{Topic: quiz.TopicCoding})
	want := []struct {
		line, item int
		field, in  string
	}{
		{4, 1, "options", "never closed with }"},
		{6, 2, "options", "comes before the answer block's {"},
		{8, 3, "answer", "Options A (70%) and B (30%) carry unequal weights"},
		{10, 4, "answer", "add up to 80%, not 100%"},
		{12, 5, "answer", "Options A and B are both fully right"},
		{14, 6, "answer", "No option has 100% weight"},
		{16, 7, "options", "%abc% is not a weight"},
		{18, 8, "options", "150% is outside -100% to 100%"},
		{20, 9, "answer", `"abc" is not a number`},
		{22, 10, "answer", "10..1 starts above its end"},
		{24, 11, "answer", "The answers 5 and 7 are both fully right"},
		{26, 12, "options", `The text "stray" comes before the first answer`},
		{28, 13, "id", "never closed with ::"},
		{31, 14, "options", "separate questions with a blank line"},
		// From bank.Check, renumbered: the essay (item 15) is skipped.
		{37, 17, "stem", "the same stem as item 16"},
	}
	for _, w := range want {
		if !has(rep.Problems, w.line, w.item, w.field, w.in) {
			t.Errorf("no problem at line %d, item %d, field %q, saying %q", w.line, w.item, w.field, w.in)
		}
	}
	if len(rep.Problems) != len(want) {
		t.Errorf("%d problems, want %d", len(rep.Problems), len(want))
	}
	if !has(rep.Warnings, 2, 0, "domain", `"domain-9" is not an RHIT domain`) || !has(rep.Warnings, 33, 15, "type", "essay") {
		t.Errorf("category and skip warnings missing")
	}
	if len(set.Questions) != 2 || set.Questions[0].ID != "dup-1" {
		t.Errorf("%d questions imported", len(set.Questions))
	}
	if t.Failed() {
		logDetails(t, "problem", rep.Problems)
		logDetails(t, "warning", rep.Warnings)
	}
}

// parseOne parses a small file and returns its questions and report.
func parseOne(t *testing.T, src string) (*bank.Set, bank.Report) {
	t.Helper()
	return Parse([]byte(src), bank.Options{Topic: quiz.TopicCoding, Domain: 4})
}

func TestParseCases(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(t *testing.T, set *bank.Set, rep bank.Report)
	}{
		{"CRLF and byte-order mark", "\uFEFF::a:: Which?\r\n{=x ~y}\r\n\r\n::b:: Other?{=x ~y}\r\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if len(set.Questions) != 2 || set.Questions[1].Line != 4 || set.Questions[0].ID != "a" {
				t.Errorf("questions %+v", set.Questions)
			}
		}},
		{"not UTF-8", "::a:: Which?{=x ~y}\n::b:: \xff{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Problems, 2, 0, "", "not valid UTF-8") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"empty file", "// only a comment\n\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if rep.OK() || !strings.Contains(rep.Problems[0].Message, "no GIFT questions") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"everything skipped", "::e:: Essay? {}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if rep.OK() || !strings.Contains(rep.Problems[0].Message, "No question in the file could be imported") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"defaults from options, category resets", "$CATEGORY: statistics\n\n::a:: A?{=x ~y}\n\n$CATEGORY: $course$/top\n\n::b:: B?{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			a, b := set.Questions[0], set.Questions[1]
			if a.Topic != "statistics" || a.Domain != 4 || b.Topic != "coding" || b.Domain != 4 {
				t.Errorf("a %s/%d, b %s/%d", a.Topic, a.Domain, b.Topic, b.Domain)
			}
		}},
		{"category names, escaped slash", "$CATEGORY: top/Medical Terminology/Domain 1 - Data Content//Structure\n::a:: A?{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.Topic != "terminology" || q.Domain != 1 {
				t.Errorf("topic %q domain %d", q.Topic, q.Domain)
			}
		}},
		{"no topic anywhere", "::a:: A?{=x ~y}\n", func(t *testing.T, _ *bank.Set, _ bank.Report) {
			_, rep := Parse([]byte("::a:: A?{=x ~y}\n"), bank.Options{})
			if !has(rep.Problems, 1, 1, "topic", "no topic") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"~= means =", "::a:: A?{~=x ~y ~z}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			q := set.Questions[0]
			if q.Type != quiz.Single || q.Answer[0] != "A" || len(q.Options) != 3 || q.Options[0].Text != "x" {
				t.Errorf("question %+v", q)
			}
		}},
		{"multiple answers with an unusual penalty", "::a:: Which two? Select TWO.{~%50%a ~%50%b ~c ~%-100%d}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			q := set.Questions[0]
			if q.Type != quiz.Multiple || !q.PartialCredit || !reflect.DeepEqual(q.Answer, []string{"A", "B"}) {
				t.Errorf("question %+v", q)
			}
			if !has(rep.Warnings, 1, 1, "answer", "(each wrong choice takes 1/2 (50%) off), not with the file's weights (C 0%, D -100%)") {
				t.Errorf("warnings %+v", rep.Warnings)
			}
		}},
		{"single key with a penalty", "::a:: A?{=a ~%-25%b ~c}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Warnings, 1, 1, "answer", "penalty for option B (-25%) was dropped") {
				t.Errorf("warnings %+v", rep.Warnings)
			}
		}},
		{"one key at 100% without =", "::a:: Which? Select 1.{~%100%a ~%-100%b ~%-100%c}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			q := set.Questions[0]
			if q.Type != quiz.Multiple || q.PartialCredit || len(q.Answer) != 1 || len(rep.Warnings) != 2 {
				t.Errorf("question %+v, warnings %+v", q, rep.Warnings)
			}
		}},
		{"all-or-nothing tag", "// [tag:all-or-nothing]\n::a:: Which two? Select TWO.{~%50%a ~%50%b ~c}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.PartialCredit || has(rep.Warnings, 2, 1, "answer", "rhitprep's way") {
				t.Errorf("question %+v, warnings %+v", q, rep.Warnings)
			}
		}},
		{"numeric: plain value, wrong feedback, catch-all", "::a:: How many?{#12#Good. =%0%*#Any other. ~#Try again.}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			q := set.Questions[0]
			if q.Type != quiz.Numeric || q.Value != 12 || q.Tolerance != 0 || q.Rationale != "Answer 12: Good.\nAnswer *: Any other.\nOther answers: Try again." {
				t.Errorf("question %+v", q)
			}
		}},
		{"numeric with negative and exponent values", "::a:: A?{#-1.5e2:0.5}\n\n::b:: B?{#-10..-5}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			a, b := set.Questions[0], set.Questions[1]
			if a.Value != -150 || a.Tolerance != 0.5 || b.Value != -7.5 || b.Tolerance != 2.5 {
				t.Errorf("a %v±%v, b %v±%v", a.Value, a.Tolerance, b.Value, b.Tolerance)
			}
		}},
		{"numeric with no answer", "::a:: A?{#}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Problems, 1, 1, "answer", "No numeric answer") {
				t.Errorf("problems %+v", rep.Problems)
			}
		}},
		{"lower-case true", "::a:: Yes?{true}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.Answer[0] != "A" || q.Options[0].Text != "True" {
				t.Errorf("question %+v", q)
			}
		}},
		{"duplicate titles get a suffix", "::same:: A?{=x ~y}\n\n::same:: B?{=x ~y}\n\n::Same!:: C?{=x ~y}\n\n:::::: D?{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			var ids []string
			for _, q := range set.Questions {
				ids = append(ids, q.ID)
			}
			if !reflect.DeepEqual(ids, []string{"same", "same-2", "same-3", "q4"}) {
				t.Errorf("ids %v", ids)
			}
			if !has(rep.Warnings, 3, 2, "id", `"same" is already used by item 1, so this item's id is "same-2"`) {
				t.Errorf("warnings %+v", rep.Warnings)
			}
		}},
		{"a title with nothing to slug", "::¿¡:: A?{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if set.Questions[0].ID != "q1" || !has(rep.Warnings, 1, 1, "id", "no letters or digits") {
				t.Errorf("id %q, warnings %+v", set.Questions[0].ID, rep.Warnings)
			}
		}},
		{"Moodle id number", "// [id:MDL-7]\n::a:: A?{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Warnings, 1, 1, "id", `ID number "MDL-7" was not kept`) {
				t.Errorf("warnings %+v", rep.Warnings)
			}
		}},
		{"image removed, entities decoded", "::a:: <p>See <img src=\"@@PLUGINFILE@@/x.png\" alt=\"x\"> &lt;here&gt;&nbsp;now</p><script>alert(1)</script>{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.Stem != "See <here> now" {
				t.Errorf("stem %q", q.Stem)
			}
			if !has(rep.Warnings, 1, 1, "stem", "An image or other embedded media was removed from the stem") ||
				!has(rep.Warnings, 1, 1, "stem", "HTML markup was removed from the stem") {
				t.Errorf("warnings %+v", rep.Warnings)
			}
		}},
		{"Moodle format keeps line breaks around tags", "::a:: [moodle]First <b>line</b>\\nsecond line{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.Stem != "First line\nsecond line" {
				t.Errorf("stem %q", q.Stem)
			}
		}},
		{"a comparison is not a tag", "::a:: Is 3 < 5 and 7 > 6?{=yes ~no}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.Stem != "Is 3 < 5 and 7 > 6?" || len(rep.Warnings) != 2 {
				t.Errorf("stem %q, warnings %+v", q.Stem, rep.Warnings)
			}
		}},
		{"private-use characters survive escaping", "::a:: A\uE001\uE00F?{=x\uE000 ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.Stem != "A\uE001\uE00F?" || q.Options[0].Text != "x\uE000" {
				t.Errorf("question %+v", q)
			}
		}},
		{"unknown format marker is text", "::a:: [note] Which?{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.Stem != "[note] Which?" {
				t.Errorf("stem %q", q.Stem)
			}
		}},
		{"several gaps on one line", "::a:: The {=a ~b} and {=c ~d}.\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Warnings, 1, 1, "type", "several answer blocks") {
				t.Errorf("warnings %+v", rep.Warnings)
			}
		}},
		{"references section", "::a:: A?{=x ~y ####Why.\\nReferences:\\n- 45 CFR 164.508\\n- AHIMA}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.Rationale != "Why." || !reflect.DeepEqual(q.References, []string{"45 CFR 164.508", "AHIMA"}) {
				t.Errorf("rationale %q, references %q", q.Rationale, q.References)
			}
		}},
		{"a References line that is not a list", "::a:: A?{=x ~y ####References: see below\\nReferences:\\nnone}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if q := set.Questions[0]; q.References != nil || !strings.HasSuffix(q.Rationale, "References:\nnone") {
				t.Errorf("rationale %q, references %q", q.Rationale, q.References)
			}
		}},
		{"bad tags", "// [tag:domain-8] [tag:pinned-Z]\n::a:: A?{=x ~y}\n", func(t *testing.T, set *bank.Set, rep bank.Report) {
			if !has(rep.Warnings, 1, 1, "domain", "not an RHIT domain") || !has(rep.Warnings, 1, 1, "options", "pins option Z") {
				t.Errorf("warnings %+v", rep.Warnings)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, rep := parseOne(t, tt.src)
			tt.check(t, set, rep)
		})
	}
}

func TestParseMoodleExport(t *testing.T) {
	set, rep := Parse(mustRead(t, "moodle-export.gift"), bank.Options{})
	if !rep.OK() {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	m := byID(set)
	mod := m["modifier-25"]
	if mod == nil || mod.Topic != "coding" || mod.Domain != 4 || mod.Stem != "Which modifier reports a separate E/M service?" ||
		!reflect.DeepEqual(mod.Options, opts("A", "25", "B", "59", "C", "51")) || mod.Rationale != "See CPT Appendix A.\nA: Right." {
		t.Errorf("modifier item %+v", mod)
	}
	two := m["two-chapters"]
	if two == nil || two.Type != quiz.Multiple || !two.PartialCredit || !reflect.DeepEqual(two.Answer, []string{"A", "B"}) {
		t.Errorf("two-answer item %+v", two)
	}
	if alos := m["ALOS"]; alos == nil || alos.Value != 6.2 || alos.Tolerance != 0.05 {
		t.Errorf("numeric item %+v", alos)
	}
	if tf := m["TF"]; tf == nil || tf.Answer[0] != "A" || tf.Rationale != "The AMA owns CPT.\nA: Yes.\nB: It is." {
		t.Errorf("true/false item %+v", tf)
	}
	for _, w := range []struct {
		line, item int
		field, in  string
	}{
		{6, 1, "id", `ID number "MOD-25" was not kept`},
		{8, 1, "stem", "HTML markup was removed from the stem, option A, the feedback for option A, option B, option C and the general feedback"},
		{17, 2, "answer", "not with the file's weights (C -100%, D -100%)"},
	} {
		if !has(rep.Warnings, w.line, w.item, w.field, w.in) {
			t.Errorf("no warning at line %d, item %d, field %q, saying %q", w.line, w.item, w.field, w.in)
		}
	}
	if t.Failed() {
		logDetails(t, "warning", rep.Warnings)
	}
}
