package itemstats

import (
	"math"
	"testing"
)

func near(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %.6f", name, want)
		return
	}
	if math.Abs(*got-want) > 1e-6 {
		t.Errorf("%s = %.6f, want %.6f", name, *got, want)
	}
}

// The matrix below is worked by hand in the comments: four attempts, three
// right/wrong items.
//
//	attempt  i1 i2 i3  total
//	a1        1  1  1   3
//	a2        1  0  1   2
//	a3        0  1  0   1
//	a4        0  0  0   0
//
// Item variances (n−1): 1/3 each, sum 1. Total variance: 5/3.
// alpha = 3/2 × (1 − 1 ÷ 5/3) = 0.6; error ratio √0.4 = 0.632456;
// standard error 0.632456 × √(5/3) = 0.816497.
// i1: rest = 2,1,1,0; cov(x, rest) = 1/3, var(rest) = 2/3, r = 0.707107;
// sorting both gives the same covariance, so efficiency = 1.
// i2: rest = 2,2,0,0; cov = 0, r = 0; efficiency 0 → "low efficiency".
func TestAnalyzeAgainstAHandWorkedMatrix(t *testing.T) {
	matrix := map[string][3]float64{"a1": {1, 1, 1}, "a2": {1, 0, 1}, "a3": {0, 1, 0}, "a4": {0, 0, 0}}
	ids := []string{"i1", "i2", "i3"}
	var rs []Response
	for a, row := range matrix {
		for j, c := range row {
			choice := "B"
			if c == 1 {
				choice = "A"
			}
			rs = append(rs, Response{Attempt: a, Item: ids[j], Credit: c, Choices: []string{choice}})
		}
	}
	opts := map[string][]string{"i1": {"A", "B", "C", "D"}, "i2": {"A", "B", "C", "D"}, "i3": {"A", "B", "C", "D"}}
	items, test := Analyze(ids, opts, rs, 2)

	near(t, "alpha", test.Alpha, 0.6)
	near(t, "error ratio", test.ErrorRatio, math.Sqrt(0.4))
	near(t, "standard error", test.StandardError, math.Sqrt(0.4)*math.Sqrt(5.0/3))
	near(t, "mean score", test.MeanScore, 1.5)
	if test.Attempts != 4 {
		t.Errorf("attempts = %d, want 4", test.Attempts)
	}

	near(t, "i1 facility", items[0].Facility, 0.5)
	near(t, "i1 sd", items[0].SD, math.Sqrt(1.0/3))
	near(t, "i1 discrimination", items[0].Discrimination, 1/math.Sqrt(2))
	near(t, "i1 efficiency", items[0].Efficiency, 1)
	near(t, "i2 discrimination", items[1].Discrimination, 0)
	near(t, "i2 efficiency", items[1].Efficiency, 0)
	near(t, "i3 discrimination", items[2].Discrimination, 1/math.Sqrt(2))
	if len(items[0].Flags) != 0 || len(items[1].Flags) != 1 || items[1].Flags[0] != "low efficiency" {
		t.Errorf("flags = %v / %v", items[0].Flags, items[1].Flags)
	}
	want := map[string]int{"A": 2, "B": 2, "C": 0, "D": 0, "blank": 0}
	for k, v := range want {
		if items[0].Distractors[k] != v {
			t.Errorf("i1 distractors = %v, want %v", items[0].Distractors, want)
			break
		}
	}
}

func TestAnalyzeHidesFiguresBelowTheMinimum(t *testing.T) {
	rs := []Response{{Attempt: "a", Item: "q", Credit: 1, Choices: []string{"A"}}, {Attempt: "b", Item: "q", Blank: true}}
	items, test := Analyze([]string{"q"}, map[string][]string{"q": {"A", "B"}}, rs, 10)
	if items[0].Responses != 2 || items[0].Facility != nil || items[0].Discrimination != nil {
		t.Errorf("item = %+v, want counts but no figures", items[0])
	}
	if items[0].Distractors["A"] != 1 || items[0].Distractors["blank"] != 1 || items[0].Distractors["B"] != 0 {
		t.Errorf("distractors = %v", items[0].Distractors)
	}
	if test.Alpha != nil {
		t.Errorf("alpha from one item = %v", *test.Alpha)
	}
}

func TestAnalyzeFlagsNegativeAndExtremeItems(t *testing.T) {
	// q1 is answered right only by the weakest attempts; q2 by everyone.
	var rs []Response
	for i, a := range []string{"a", "b", "c", "d", "e"} {
		strong := i >= 3
		c1, c3 := 0.0, 0.0
		if !strong {
			c1 = 1
		}
		if strong {
			c3 = 1
		}
		rs = append(rs,
			Response{Attempt: a, Item: "q1", Credit: c1},
			Response{Attempt: a, Item: "q2", Credit: 1},
			Response{Attempt: a, Item: "q3", Credit: c3},
			Response{Attempt: a, Item: "q4", Credit: c3})
	}
	items, _ := Analyze([]string{"q1", "q2", "q3", "q4"}, nil, rs, 5)
	has := func(it Item, f string) bool {
		for _, x := range it.Flags {
			if x == f {
				return true
			}
		}
		return false
	}
	if !has(items[0], "negative discrimination") {
		t.Errorf("q1 flags = %v, want negative discrimination", items[0].Flags)
	}
	if !has(items[1], "too easy") {
		t.Errorf("q2 flags = %v, want too easy", items[1].Flags)
	}
}
