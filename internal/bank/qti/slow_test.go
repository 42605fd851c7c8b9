package qti

import (
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/bank"
)

// TestNoQuadraticPaths feeds shapes that made earlier code quadratic. Each
// is a few MB, which a quadratic path needs hours for and a linear one well
// under a second; the bound is loose because test machines are shared.
func TestNoQuadraticPaths(t *testing.T) {
	item := func(body string) string {
		return v21(`<responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>`, body+choices("1"))
	}
	var ands, nums strings.Builder
	for i := 0; i < 50000; i++ {
		fmt.Fprintf(&ands, `<varequal respident="response1">%d</varequal>`, i%4+1)
		fmt.Fprintf(&nums, `<respcondition><conditionvar><varequal respident="response1">%d</varequal></conditionvar><setvar action="Set">100</setvar></respcondition>`, i)
	}
	tests := []struct{ name, data string }{
		{"text split by comments", item("<p>" + strings.Repeat("a<!---->", 500000) + "</p>")},
		{"many script tags", canvas(numericCanvas("") + strings.Replace(canvasChoice("multiple_choice_question", "Single", set100(`<varequal>1</varequal>`)),
			"&lt;p&gt;Pick. Select 2.&lt;/p&gt;", html.EscapeString(strings.Repeat("<script></script>", 100000)), 1))},
		{"a very wide table row", item("<table><tr>" + strings.Repeat("<td>x</td>", 200000) + "</tr></table>")},
		{"a long <and>", canvas(canvasChoice("multiple_answers_question", "Multiple", set100("<and>"+ands.String()+"</and>")))},
		{"many separate numeric answers", canvas(numericCanvas(nums.String()))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, rep := Parse([]byte(tt.data), bank.Options{Topic: "coding"})
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("%d bytes took %v", len(tt.data), d)
			}
			for _, p := range append(rep.Problems, rep.Warnings...) {
				if len(p.Message) > 2000 {
					t.Errorf("a %d-byte message: %.200s…", len(p.Message), p.Message)
				}
			}
		})
	}
}
