package quiz

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
)

func num(f float64) *float64 { return &f }

func TestGrade(t *testing.T) {
	opts := []Option{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}, {ID: "E"}}
	single := &Question{Type: Single, Options: opts[:4], Answer: []string{"B"}}
	multi := &Question{Type: Multiple, Options: opts, Answer: []string{"A", "C"}}
	partial := &Question{Type: Multiple, Options: opts, Answer: []string{"A", "C", "E"}, PartialCredit: true}
	numeric := &Question{Type: Numeric, Value: 88.89, Tolerance: 0.005}
	exact := &Question{Type: Numeric, Value: 310}
	tests := []struct {
		name string
		q    *Question
		r    Response
		want float64
	}{
		{"single right", single, Response{Choices: []string{"B"}}, 1},
		{"single wrong", single, Response{Choices: []string{"A"}}, 0},
		{"single blank", single, Response{}, 0},
		{"select-N right in any order", multi, Response{Choices: []string{"C", "A"}}, 1},
		{"select-N half right", multi, Response{Choices: []string{"A"}}, 0},
		{"select-N one wrong", multi, Response{Choices: []string{"A", "B"}}, 0},
		{"partial credit two of three", partial, Response{Choices: []string{"A", "C"}}, 2.0 / 3},
		{"partial credit wrong cancels right", partial, Response{Choices: []string{"A", "B"}}, 0},
		{"partial credit never negative", partial, Response{Choices: []string{"B", "D"}}, 0},
		{"partial credit all", partial, Response{Choices: []string{"E", "C", "A"}}, 1},
		{"numeric exact", numeric, Response{Number: num(88.89)}, 1},
		{"numeric at the tolerance", numeric, Response{Number: num(88.885)}, 1},
		{"numeric at the upper tolerance", numeric, Response{Number: num(88.895)}, 1},
		{"numeric past the tolerance", numeric, Response{Number: num(88.9)}, 0},
		{"numeric unrounded within", numeric, Response{Number: num(88.8889)}, 1},
		{"numeric zero tolerance", exact, Response{Number: num(310)}, 1},
		{"numeric zero tolerance off", exact, Response{Number: num(310.1)}, 0},
		{"numeric given choices", numeric, Response{Choices: []string{"A"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Grade(tt.q, tt.r); got < tt.want-1e-12 || got > tt.want+1e-12 {
				t.Errorf("Grade(%v) = %v, want %v", tt.r, got, tt.want)
			}
		})
	}
}

func TestCheckResponse(t *testing.T) {
	single := &Question{Type: Single, Options: []Option{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}}, Answer: []string{"B"}}
	multi := &Question{Type: Multiple, Options: []Option{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}}, Answer: []string{"A", "C"}}
	numeric := &Question{Type: Numeric, Value: 3}
	tests := []struct {
		name string
		q    *Question
		json string
		ok   bool
	}{
		{"single", single, `["B"]`, true},
		{"lower case id", single, `["b"]`, true},
		{"null clears", single, `null`, true},
		{"empty list clears", multi, `[]`, true},
		{"unknown id", single, `["E"]`, false},
		{"two for single", single, `["A","B"]`, false},
		{"repeat", multi, `["A","A"]`, false},
		{"over N", multi, `["A","B","C"]`, false},
		{"number for choice", single, `2`, false},
		{"list for numeric", numeric, `["A"]`, false},
		{"numeric", numeric, `-2.5e1`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Response
			err := json.Unmarshal([]byte(tt.json), &r)
			if err == nil {
				err = CheckResponse(tt.q, r)
			}
			if (err == nil) != tt.ok {
				t.Errorf("CheckResponse(%s) = %v, want ok=%v", tt.json, err, tt.ok)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("error code = %s, want %s", ErrorCode(err), EINVALID)
			}
		})
	}
	for _, bad := range []string{`"A"`, `{"a":1}`, `true`, `[1,2]`} {
		var r Response
		if err := json.Unmarshal([]byte(bad), &r); ErrorCode(err) != EINVALID {
			t.Errorf("Unmarshal(%s) = %v, want EINVALID", bad, err)
		}
	}
}

func TestResponseJSONRoundTrip(t *testing.T) {
	for _, s := range []string{`null`, `["A","C"]`, `12.5`, `[]`} {
		var r Response
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(r)
		if err != nil || string(b) != s {
			t.Errorf("round trip of %s = %s, %v", s, b, err)
		}
	}
}

func TestShuffleOptionsKeepsPinnedInPlace(t *testing.T) {
	q := &Question{Type: Single, Options: []Option{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D", Pinned: true}}}
	firsts := map[string]bool{}
	for seed := int64(0); seed < 50; seed++ {
		order := shuffleOptions(q, seeded(seed))
		if order[3] != "D" {
			t.Fatalf("seed %d: order %v moved the pinned option", seed, order)
		}
		sorted := slices.Clone(order)
		slices.Sort(sorted)
		if !slices.Equal(sorted, []string{"A", "B", "C", "D"}) {
			t.Fatalf("order %v is not a permutation", order)
		}
		firsts[order[0]] = true
	}
	if len(firsts) != 3 {
		t.Errorf("over 50 seeds the first option was only %v: not shuffled", firsts)
	}
	if got := shuffleOptions(&Question{Type: Numeric}, seeded(1)); got != nil {
		t.Errorf("numeric order = %v, want none", got)
	}
	a, b := shuffleOptions(q, seeded(7)), shuffleOptions(q, seeded(7))
	if !slices.Equal(a, b) {
		t.Errorf("the same seed gave %v and %v", a, b)
	}
}

func TestArrangeKeepsItemSetsTogether(t *testing.T) {
	var qs []*Question
	for i := 0; i < 20; i++ {
		q := &Question{ID: string(rune('a' + i)), Version: int64(i), SetID: "s"}
		if i >= 5 && i < 9 {
			q.ScenarioID = "case"
		}
		qs = append(qs, q)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		out := arrange(qs, rng)
		if len(out) != 20 {
			t.Fatalf("arrange lost questions: %d", len(out))
		}
		first := -1
		for i, q := range out {
			if q.ScenarioID == "case" {
				if first < 0 {
					first = i
				}
				if i-first != int(q.Version-5) {
					t.Fatalf("round %d: scenario items not together and in order: %v at %d (first %d)", round, q.ID, i, first)
				}
			}
		}
	}
}

func TestBreakdownSkipsPretestItems(t *testing.T) {
	one, zero := 1.0, 0.0
	a := &Attempt{Items: []*Item{
		{Question: &Question{Topic: TopicCoding, Domain: 4}, Scored: true, Credit: &one},
		{Question: &Question{Topic: TopicCoding, Domain: 1}, Scored: true, Credit: &zero},
		{Question: &Question{Topic: TopicStatistics, Domain: 3}, Scored: false, Credit: &one},
	}}
	topics, domains := Breakdown(a)
	if len(topics) != 1 || topics[0].Key != TopicCoding || topics[0].Total != 2 || topics[0].Percent != 50 {
		t.Errorf("by topic = %+v", topics)
	}
	if len(domains) != 2 || domains[0].Key != "1" || domains[1].Name != DomainName(4) {
		t.Errorf("by domain = %+v", domains)
	}
}
