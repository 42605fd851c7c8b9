package qti

import (
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// v21 wraps declarations and a body into a bare QTI 2.1 item whose root is
// on line 2 and whose first declaration line is 3.
func v21(decl, body string, rest ...string) string {
	return `<?xml version="1.0"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x1" title="X">
` + decl + `
<itemBody>
` + body + `
</itemBody>
` + strings.Join(rest, "\n") + `
</assessmentItem>`
}

const fourChoices = `<choiceInteraction responseIdentifier="R" maxChoices="%s">
<prompt>Pick the right ones. Select 2.</prompt>
<simpleChoice identifier="A">alpha</simpleChoice>
<simpleChoice identifier="B">beta</simpleChoice>
<simpleChoice identifier="C">gamma</simpleChoice>
<simpleChoice identifier="D">delta</simpleChoice>
</choiceInteraction>`

func choices(max string) string { return strings.Replace(fourChoices, "%s", max, 1) }

// canvas wraps Canvas items into a bare questestinterop file.
func canvas(items string) string {
	return `<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2"><assessment ident="a" title="Q">
<section ident="root_section">
` + items + `
</section></assessment></questestinterop>`
}

func canvasChoice(typ, card string, resp string) string {
	return `<item ident="c1" title="Question">
<itemmetadata><qtimetadata><qtimetadatafield><fieldlabel>question_type</fieldlabel><fieldentry>` + typ + `</fieldentry></qtimetadatafield></qtimetadata></itemmetadata>
<presentation><material><mattext texttype="text/html">&lt;p&gt;Pick. Select 2.&lt;/p&gt;</mattext></material>
<response_lid ident="response1" rcardinality="` + card + `"><render_choice>
<response_label ident="1"><material><mattext>one</mattext></material></response_label>
<response_label ident="2"><material><mattext>two</mattext></material></response_label>
<response_label ident="3"><material><mattext>three</mattext></material></response_label>
<response_label ident="4"><material><mattext>four</mattext></material></response_label>
</render_choice></response_lid></presentation>
<resprocessing><outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/></outcomes>
` + resp + `
</resprocessing></item>`
}

func numericCanvas(cond string) string {
	return `<item ident="n1" title="Question">
<itemmetadata><qtimetadata><qtimetadatafield><fieldlabel>question_type</fieldlabel><fieldentry>numerical_question</fieldentry></qtimetadatafield></qtimetadata></itemmetadata>
<presentation><material><mattext>How many?</mattext></material>
<response_str ident="response1" rcardinality="Single"><render_fib fibtype="Decimal"><response_label ident="answer1"/></render_fib></response_str></presentation>
<resprocessing><outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/></outcomes>
` + cond + `
</resprocessing></item>`
}

func set100(cond string) string {
	return `<respcondition continue="No"><conditionvar>` + cond + `</conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>`
}

func TestEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		problems []wantD
		warnings []wantD
		check    func(t *testing.T, q *quiz.Question)
	}{
		{
			name:     "key from the mapping alone (map_response, no correctResponse)",
			data:     v21(`<responseDeclaration identifier="R" cardinality="single" baseType="identifier"><mapping defaultValue="0"><mapEntry mapKey="C" mappedValue="2"/><mapEntry mapKey="B" mappedValue="1"/></mapping></responseDeclaration>`, choices("1")),
			warnings: []wantD{{3, 1, "", "answer", "Partial credit for option B (1 of 2) was dropped"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Type != quiz.Single || len(q.Answer) != 1 || q.Answer[0] != "C" {
					t.Errorf("question = %+v", q)
				}
			},
		},
		{
			name: "multiple: mapping credits a choice outside the key",
			data: v21(`<responseDeclaration identifier="R" cardinality="multiple" baseType="identifier"><correctResponse><value>A</value><value>B</value></correctResponse>
<mapping><mapEntry mapKey="A" mappedValue="1"/><mapEntry mapKey="B" mappedValue="1"/><mapEntry mapKey="C" mappedValue="0.5"/></mapping></responseDeclaration>`, choices("2")),
			problems: []wantD{{4, 1, "", "answer", "Option C earns credit (0.5) in the mapping but is not a correct response"}},
		},
		{
			name: "multiple: penalties differ from rhitprep's",
			data: v21(`<responseDeclaration identifier="R" cardinality="multiple" baseType="identifier"><correctResponse><value>A</value><value>B</value></correctResponse>
<mapping defaultValue="0"><mapEntry mapKey="A" mappedValue="1"/><mapEntry mapKey="B" mappedValue="1"/><mapEntry mapKey="C" mappedValue="-1"/></mapping></responseDeclaration>`, choices("2")),
			warnings: []wantD{{4, 1, "", "partial_credit", "scores wrong choices differently (D 0)"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Type != quiz.Multiple || !q.PartialCredit || strings.Join(q.Answer, ",") != "A,B" {
					t.Errorf("question = %+v", q)
				}
			},
		},
		{
			name:     "maxChoices disagrees with cardinality",
			data:     v21(`<responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>`, choices("3")),
			warnings: []wantD{{5, 1, "", "type", "maxChoices is 3 but the response has single cardinality"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Type != quiz.Single {
					t.Errorf("type = %s", q.Type)
				}
			},
		},
		{
			name:     "several fixed choices: only the trailing run stays pinned",
			data:     v21(`<responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>`, `<choiceInteraction responseIdentifier="R" shuffle="true"><prompt>P?</prompt><simpleChoice identifier="A" fixed="true">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice><simpleChoice identifier="C" fixed="true">All of the above</simpleChoice><simpleChoice identifier="D" fixed="1">None of the above</simpleChoice></choiceInteraction>`),
			warnings: []wantD{{5, 1, "", "options.pinned", "Option A is fixed in place"}},
			check: func(t *testing.T, q *quiz.Question) {
				got := []bool{q.Options[0].Pinned, q.Options[1].Pinned, q.Options[2].Pinned, q.Options[3].Pinned}
				if got[0] || got[1] || !got[2] || !got[3] {
					t.Errorf("pinned = %v", got)
				}
			},
		},
		{
			name:     "text entry with a text answer is skipped",
			data:     v21(`<responseDeclaration identifier="R" cardinality="single" baseType="string"><correctResponse><value>HIM</value></correctResponse></responseDeclaration>`, `<p>Abbreviation: <textEntryInteraction responseIdentifier="R"/></p>`),
			warnings: []wantD{{5, 1, "", "type", "Skipped: text-entry items whose answer is text (short answer) are not supported."}},
			problems: []wantD{{0, 0, "", "", "holds no question"}},
		},
		{
			name:     "float without tolerance",
			data:     v21(`<responseDeclaration identifier="R" cardinality="single" baseType="float"><correctResponse><value>2.5</value></correctResponse></responseDeclaration>`, `<p>How much?</p><div><textEntryInteraction responseIdentifier="R"/></div>`),
			warnings: []wantD{{3, 1, "", "tolerance", "no tolerance, so only exactly 2.5 is accepted"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Type != quiz.Numeric || q.Value != 2.5 || q.Tolerance != 0 || q.Stem != "How much?" {
					t.Errorf("question = %+v", q)
				}
			},
		},
		{
			name: "relative tolerance",
			data: v21(`<responseDeclaration identifier="R" cardinality="single" baseType="float"><correctResponse><value>200</value></correctResponse></responseDeclaration>`, `<p>How much?</p><textEntryInteraction responseIdentifier="R"/>`,
				`<responseProcessing><responseCondition><responseIf><equal toleranceMode="relative" tolerance="1"><variable identifier="R"/><correct identifier="R"/></equal></responseIf></responseCondition></responseProcessing>`),
			warnings: []wantD{{7, 1, "", "tolerance", "relative tolerance of 1% was turned into an absolute tolerance (± 2)"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Value != 200 || q.Tolerance != 2 {
					t.Errorf("question = %+v", q)
				}
			},
		},
		{
			name: "QTI 3.0 equal-rounded to decimal places",
			data: strings.NewReplacer("assessmentItem", "qti-assessment-item", "imsqti_v2p1", "imsqtiasi_v3p0").Replace(v21(
				`<qti-response-declaration identifier="R" cardinality="single" base-type="float"><qti-correct-response><qti-value>3.14</qti-value></qti-correct-response></qti-response-declaration>`,
				`<p>Pi?</p><qti-text-entry-interaction response-identifier="R"/>`,
				`<qti-response-processing><qti-response-condition><qti-response-if><qti-equal-rounded rounding-mode="decimalPlaces" figures="2"><qti-variable identifier="R"/><qti-correct identifier="R"/></qti-equal-rounded></qti-response-if></qti-response-condition></qti-response-processing>`)),
			warnings: []wantD{{7, 1, "", "tolerance", "round to the key at 2 decimal places; this became a tolerance of ± 0.005"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Value != 3.14 || q.Tolerance != 0.005 {
					t.Errorf("question = %+v", q)
				}
			},
		},
		{
			name:     "numeric mapping accepting two values",
			data:     v21(`<responseDeclaration identifier="R" cardinality="single" baseType="integer"><mapping><mapEntry mapKey="4" mappedValue="1"/><mapEntry mapKey="6" mappedValue="1"/><mapEntry mapKey="5" mappedValue="0.5"/></mapping></responseDeclaration>`, `<p>How many?</p><textEntryInteraction responseIdentifier="R"/>`),
			problems: []wantD{{3, 1, "", "answer", "several separate answers (4; 6)"}},
			warnings: []wantD{{3, 1, "", "answer", "Partial credit for the answer 5 (0.5 of 1) was dropped"}},
		},
		{
			name:     "template variables are skipped",
			data:     v21(`<templateDeclaration identifier="T" cardinality="single" baseType="integer"/>`, choices("1")),
			warnings: []wantD{{3, 1, "", "type", "Skipped: items with template variables (randomised values) are not supported."}},
			problems: []wantD{{0, 0, "", "", "holds no question"}},
		},
		{
			name:     "two interactions are skipped",
			data:     v21(``, choices("1")+`<p><textEntryInteraction responseIdentifier="S"/></p>`),
			warnings: []wantD{{11, 1, "", "type", "Skipped: items with more than one interaction are not supported."}},
			problems: []wantD{{0, 0, "", "", "holds no question"}},
		},
		{
			name:     "interaction without its declaration",
			data:     v21(``, choices("1")),
			problems: []wantD{{5, 1, "", "answer", `No responseDeclaration has the identifier "R"`}},
		},
		{
			name:     "not a QTI namespace",
			data:     `<assessmentItem xmlns="urn:other" identifier="x"/>`,
			problems: []wantD{{1, 1, "", "", `The item's namespace "urn:other" is not QTI 2.1, 2.2 or 3.0.`}},
		},
		{
			name: "a DOCTYPE without entities is harmless; Latin-1 is decoded",
			data: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!DOCTYPE assessmentItem SYSTEM \"imsqti_v2p1.dtd\">\n" +
				strings.TrimPrefix(v21(`<responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>`,
					"<p>Caf\xe9 \x96 which?</p>"+choices("1")), `<?xml version="1.0"?>`+"\n"),
			check: func(t *testing.T, q *quiz.Question) {
				if !strings.HasPrefix(q.Stem, "Café – which?") && !strings.HasPrefix(q.Stem, "Café \u0096 which?") {
					t.Errorf("stem = %q", q.Stem)
				}
			},
		},
		{
			name:     "an unknown entity is malformed XML",
			data:     "<?xml version=\"1.0\"?>\n<assessmentItem>\n&custom;</assessmentItem>",
			problems: []wantD{{3, 0, "", "", "not well formed"}},
		},
		{
			name:     "rubric blocks are left out",
			data:     v21(`<responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>`, `<rubricBlock view="scorer"><p>Award 1 point.</p></rubricBlock>`+choices("1")),
			warnings: []wantD{{5, 1, "", "stem", "A rubric block (guidance for scorer) was not imported."}},
			check: func(t *testing.T, q *quiz.Question) {
				if strings.Contains(q.Stem, "Award") {
					t.Errorf("stem = %q", q.Stem)
				}
			},
		},
		{
			name: "Canvas: equal Add weights are partial credit",
			data: canvas(canvasChoice("multiple_answers_question", "Multiple",
				`<respcondition><conditionvar><varequal respident="response1">1</varequal></conditionvar><setvar action="Add">50</setvar></respcondition>
<respcondition><conditionvar><varequal respident="response1">3</varequal></conditionvar><setvar action="Add">50</setvar></respcondition>
<respcondition><conditionvar><varequal respident="response1">2</varequal></conditionvar><setvar action="Subtract">50</setvar></respcondition>
<respcondition><conditionvar><varequal respident="response1">4</varequal></conditionvar><setvar action="Add">-50</setvar></respcondition>`)),
			check: func(t *testing.T, q *quiz.Question) {
				if q.Type != quiz.Multiple || !q.PartialCredit || strings.Join(q.Answer, ",") != "A,C" {
					t.Errorf("question = %+v", q)
				}
			},
		},
		{
			name: "Canvas: a 50% distractor on a single answer",
			data: canvas(canvasChoice("multiple_choice_question", "Single",
				`<respcondition><conditionvar><varequal respident="response1">2</varequal></conditionvar><setvar action="Set">100</setvar></respcondition>
<respcondition><conditionvar><varequal respident="response1">4</varequal></conditionvar><setvar action="Set">50</setvar></respcondition>`)),
			warnings: []wantD{{12, 1, "", "answer", "Partial credit for option D (50 of 100) was dropped"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Answer[0] != "B" {
					t.Errorf("answer = %v", q.Answer)
				}
			},
		},
		{
			name: "Canvas: two full-credit combinations",
			data: canvas(canvasChoice("multiple_answers_question", "Multiple",
				set100(`<and><varequal respident="response1">1</varequal><varequal respident="response1">2</varequal></and>`)+
					set100(`<and><varequal respident="response1">3</varequal><varequal respident="response1">4</varequal></and>`))),
			problems: []wantD{{13, 1, "", "answer", "Several different combinations of choices earn full credit"}},
		},
		{
			name:     "Canvas: no scoring at all",
			data:     canvas(canvasChoice("multiple_choice_question", "Single", `<respcondition><conditionvar><other/></conditionvar></respcondition>`)),
			problems: []wantD{{12, 1, "", "answer", "No respcondition gives credit for a choice"}},
		},
		{
			name:     "Canvas: an unreadable condition",
			data:     canvas(canvasChoice("multiple_choice_question", "Single", set100(`<not><and><varequal respident="response1">1</varequal></and></not>`))),
			problems: []wantD{{13, 1, "", "answer", "uses <not> in a way rhitprep cannot read"}},
		},
		{
			name:     "Canvas: numeric with partial credit and an exact answer",
			data:     canvas(numericCanvas(set100(`<or><varequal respident="response1">12</varequal></or>`) + `<respcondition><conditionvar><varequal respident="response1">13</varequal></conditionvar><setvar action="Set">50</setvar></respcondition>`)),
			warnings: []wantD{{8, 1, "", "answer", "Partial credit (50 of 100) for the answer 13 was dropped"}, {8, 1, "", "tolerance", "only exactly 12 is accepted"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Value != 12 || q.Tolerance != 0 {
					t.Errorf("question = %+v", q)
				}
			},
		},
		{
			name:     "Canvas: open-ended range",
			data:     canvas(numericCanvas(set100(`<vargte respident="response1">3</vargte>`))),
			problems: []wantD{{8, 1, "", "answer", "open-ended range (at least 3)"}},
		},
		{
			name: "QTI 1.2 without question_type: inferred; CC profile; images",
			data: canvas(`<item ident="g1"><presentation><material><mattext>Look:</mattext><matimage uri="x.png" label="chart"/></material>
<response_lid ident="r" rcardinality="Single"><render_choice shuffle="Yes"><response_label ident="a"><material><mattext>yes</mattext></material></response_label><response_label ident="b" rshuffle="No"><material><mattext>no</mattext></material></response_label></render_choice></response_lid></presentation>
<resprocessing>` + set100(`<varequal respident="r">a</varequal>`) + `</resprocessing></item>`),
			warnings: []wantD{{3, 1, "", "stem", "An image or embedded object was removed from the stem (x.png)"}},
			check: func(t *testing.T, q *quiz.Question) {
				if q.Type != quiz.Single || q.Stem != "Look: [image: chart]" || q.Answer[0] != "A" || !q.Options[1].Pinned {
					t.Errorf("question = %+v", q)
				}
			},
		},
		{
			name: "QTI 1.2 item keywords naming two topics",
			data: canvas(`<item ident="k1"><itemmetadata><qtimetadata><qtimetadatafield><fieldlabel>keywords</fieldlabel><fieldentry>coding, statistics</fieldentry></qtimetadatafield></qtimetadata></itemmetadata>
<presentation><material><mattext>Q?</mattext></material><response_lid ident="r"><render_choice><response_label ident="a"><material><mattext>y</mattext></material></response_label><response_label ident="b"><material><mattext>n</mattext></material></response_label></render_choice></response_lid></presentation>
<resprocessing>` + set100(`<varequal respident="r">a</varequal>`) + `</resprocessing></item>`),
			problems: []wantD{{3, 1, "", "topic", "names more than one topic (coding, statistics)"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, rep := Parse([]byte(tt.data), bank.Options{Topic: "coding"})
			checkDetails(t, "problem", rep.Problems, tt.problems, true)
			checkDetails(t, "warning", rep.Warnings, tt.warnings, false)
			if tt.check != nil {
				if set == nil || len(set.Questions) != 1 {
					t.Fatalf("set = %+v", set)
				}
				tt.check(t, set.Questions[0])
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"cpt-modifier-25":          "cpt-modifier-25",
		"  Question 1: Modifiers ": "Question-1:-Modifiers",
		"_leading":                 "leading",
		"ÀÉ":                       "",
		"a b\tc":                   "a-b-c",
		strings.Repeat("x", 70):    strings.Repeat("x", 64),
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		in      string
		topics  []string
		domains []int
	}{
		{"coding", []string{"coding"}, nil},
		{"RHIT/Release of Information/Domain 2", []string{"release-of-information"}, []int{2}},
		{"domain_6; statistics", []string{"statistics"}, []int{6}},
		{"domain-7, codingx", nil, nil},
		{"Regulations :: domain-5", []string{"regulations"}, []int{5}},
	}
	for _, tt := range tests {
		ts, ds := classify(tt.in)
		if strings.Join(ts, ",") != strings.Join(tt.topics, ",") || len(ds) != len(tt.domains) || len(ds) > 0 && ds[0] != tt.domains[0] {
			t.Errorf("classify(%q) = %v %v, want %v %v", tt.in, ts, ds, tt.topics, tt.domains)
		}
	}
}

func TestFlattenHTML(t *testing.T) {
	tests := []struct{ in, want, dropped string }{
		{"<p>One</p><p>Two &amp; three</p>", "One\nTwo & three", ""},
		{"a<br>b<br/>c", "a\nb\nc", ""},
		{"<ul><li>x</li><li>y</li></ul>", "- x\n- y", "ul,li"},
		{"<table><tr><td>1</td><td>2</td></tr></table>", "1 | 2", "table,tr,td"},
		{"H<sub>2</sub>O <script>alert(1)</script>", "H2O", "sub,script"},
		{"<p>unclosed <b>bold", "unclosed bold", "b"},
		{"5 &lt; 6 < 7 &nbsp;ok", "5 < 6 < 7 ok", ""},
		{"<!-- note -->text<?php x ?>", "text", ""},
		{`<img src="a.png" alt="graph">`, "[image: graph]", ""},
		{"<p\n class='x'>wrapped\nline</p>", "wrapped line", ""},
	}
	for _, tt := range tests {
		got, f := flattenHTML(tt.in, 1)
		if got != tt.want || strings.Join(f.dropped, ",") != tt.dropped {
			t.Errorf("flattenHTML(%q) = %q dropping %v, want %q dropping %s", tt.in, got, f.dropped, tt.want, tt.dropped)
		}
	}
}

func TestCamel(t *testing.T) {
	for in, want := range map[string]string{"choice-interaction": "choiceInteraction", "max-choices": "maxChoices", "value": "value", "a--b": "aB"} {
		if got := camel(in); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOptionID(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "O703"} {
		if got := optionID(i); got != want {
			t.Errorf("optionID(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestCanvasQuestionGroups(t *testing.T) {
	data := `<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2"><assessment ident="a" title="Groups">
<section ident="root_section">
<section ident="g1" title="From a bank">
<selection_ordering><selection><selection_number>2</selection_number><sourcebank_ref>bank_42</sourcebank_ref></selection></selection_ordering>
</section>
<section ident="g2" title="Inline group">
<selection_ordering><selection><selection_number>1</selection_number></selection></selection_ordering>
` + canvasChoice("true_false_question", "Single", set100(`<varequal respident="response1">1</varequal>`)) + `
</section>
<itemref linkrefid="elsewhere"/>
</section></assessment></questestinterop>`
	set, rep := Parse([]byte(data), bank.Options{Topic: "coding"})
	if set == nil || len(set.Questions) != 1 || set.Name != "Groups" {
		t.Fatalf("set = %+v, problems %+v", set, rep.Problems)
	}
	checkDetails(t, "warning", rep.Warnings, []wantD{
		{4, 0, "", "", "draws its questions from a question bank (bank_42)"},
		{7, 0, "", "", "draws 1 of its questions at random"},
		{21, 0, "", "", `The itemref to "elsewhere" was not followed`},
	}, false)
}
