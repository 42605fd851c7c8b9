package gift

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// carried is the part of a question GIFT carries through Write and Parse.
// The scenario (written into the stem), the review and the storage fields
// are not carried.
func carried(q *quiz.Question) quiz.Question {
	c := *q
	c.Line, c.Version, c.SetID, c.SetVersion = 0, 0, "", 0
	c.Review = quiz.Review{}
	if c.Scenario != "" {
		c.Stem = c.Scenario + "\n\n" + c.Stem
	}
	c.Scenario, c.ScenarioID = "", ""
	if len(c.References) == 0 {
		c.References = nil
	}
	return c
}

func roundTrip(t *testing.T, set *bank.Set, opt bank.Options) []byte {
	t.Helper()
	out, err := Write(set)
	if err != nil {
		t.Fatal(err)
	}
	back, rep := Parse(out, opt)
	if !rep.OK() {
		t.Fatalf("re-parse: %+v\n%s", rep.Problems, out)
	}
	if len(back.Questions) != len(set.Questions) {
		t.Fatalf("%d questions back, want %d\n%s", len(back.Questions), len(set.Questions), out)
	}
	for i := range set.Questions {
		if got, want := carried(back.Questions[i]), carried(set.Questions[i]); !reflect.DeepEqual(got, want) {
			t.Errorf("question %d changed:\n got %+v\nwant %+v", i+1, got, want)
		}
	}
	// Nothing the writer produces is lossy for the reader.
	for _, w := range rep.Warnings {
		switch w.Field {
		case "rationale", "references", "domain":
			if strings.HasPrefix(w.Message, "no ") {
				continue
			}
		}
		t.Errorf("re-parse warning: %+v", w)
	}
	again, err := Write(back)
	if err != nil {
		t.Fatal(err)
	}
	if set.Name == "" && !bytes.Equal(again, out) {
		t.Errorf("writing twice differs:\n%s\n---\n%s", out, again)
	}
	return out
}

func TestWriteRoundTripRichSet(t *testing.T) {
	set, rep := bank.ParseNative(mustRead(t, "rich.yaml"), bank.Options{})
	if !rep.OK() {
		t.Fatal(rep.Problems)
	}
	out := roundTrip(t, set, bank.Options{})
	text := string(out)
	for _, want := range []string{
		"// Rich round-trip set\n",
		"$CATEGORY: release-of-information/domain-2\n",
		"$CATEGORY: terminology\n",
		"// [tag:difficulty-hard] [tag:cognitive-analysis] [tag:subtopic:decedents [estate\\]] [tag:pinned-D]\n",
		"::roi-dec-001::Who may authorize this disclosure\\: the \\{executor\\}, \\#1 \\= best \\~ maybe?\\nSecond line with a back\\\\slash. {",
		"\t~[moodle][html] is not a format here\n",
		"~%50%An expiration date or event",
		"~%-50%\\%5\\% of the record", // never: % is not escaped
		"// [tag:all-or-nothing]\n::roi-three-003::",
		"::coding-html-004::[plain]Is <b>bold</b> & AT&amp;T literal text here? {",
		"::stat-alos-006::ALOS \\= 620 / 100 days? Round to one place. {#6.2:0.05####620 / 100 \\= 6.2.\\nReferences\\:\\n- Formula\\: inpatient service days / discharges}",
		"{#-12.5:0####",
		"{FALSE####",
		"::roi-scenario-010::A patient's daughter asks for a copy of her late father's record.\\n\\nDoes the daughter need",
	} {
		if want == "~%-50%\\%5\\% of the record" {
			if !strings.Contains(text, "~%-50%%5% of the record") {
				t.Errorf("option starting with %% not written as a weighted answer")
			}
			continue
		}
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
}

func TestWriteRoundTripParsedGIFT(t *testing.T) {
	set, rep := Parse(mustRead(t, "valid.gift"), bank.Options{})
	if !rep.OK() {
		t.Fatal(rep.Problems)
	}
	roundTrip(t, set, bank.Options{})
}

func TestWriteRejectsWhatGIFTCannotSay(t *testing.T) {
	tests := []struct {
		name string
		q    quiz.Question
		in   string
	}{
		{"unknown type", quiz.Question{ID: "a", Type: "essay"}, "cannot be written"},
		{"one option", quiz.Question{ID: "a", Type: quiz.Single, Options: opts("A", "x"), Answer: []string{"A"}}, "two options"},
		{"two keys on a single", quiz.Question{ID: "a", Type: quiz.Single, Options: opts("A", "x", "B", "y"), Answer: []string{"A", "B"}}, "exactly one key"},
		{"no key", quiz.Question{ID: "a", Type: quiz.Multiple, Options: opts("A", "x", "B", "y")}, "no key"},
		{"key not an option", quiz.Question{ID: "a", Type: quiz.Single, Options: opts("A", "x", "B", "y"), Answer: []string{"C"}}, "not an option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Write(&bank.Set{Questions: []*quiz.Question{&tt.q}})
			if err == nil || !strings.Contains(err.Error(), tt.in) {
				t.Errorf("error %v, want %q", err, tt.in)
			}
		})
	}
}
