package quiz

import (
	"encoding/json"
	"testing"
)

// FuzzResponse feeds arbitrary JSON to the answer payload: it must never
// panic, only accept or reject with EINVALID, and what it accepts must be
// checked and graded without trouble.
func FuzzResponse(f *testing.F) {
	for _, s := range []string{`null`, `["A"]`, `["a","C"]`, `12.5`, `-1e308`, `[]`, `"A"`, `{"x":1}`, `[1]`, `[`, `1e999`} {
		f.Add(s)
	}
	single := &Question{Type: Single, Options: []Option{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}}, Answer: []string{"B"}}
	multi := &Question{Type: Multiple, Options: []Option{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}}, Answer: []string{"A", "C"}, PartialCredit: true}
	numeric := &Question{Type: Numeric, Value: 88.89, Tolerance: 0.005}
	f.Fuzz(func(t *testing.T, s string) {
		var r Response
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			return
		}
		for _, q := range []*Question{single, multi, numeric} {
			if CheckResponse(q, r) != nil {
				continue
			}
			if g := Grade(q, r); g < 0 || g > 1 {
				t.Fatalf("Grade(%s) = %v, outside 0..1", s, g)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("an accepted response does not encode: %v", err)
		}
	})
}
