package blueprint

import (
	"os"
	"strings"
	"testing"
)

func shipped(t *testing.T) *Blueprint {
	t.Helper()
	data, err := os.ReadFile("../../questions/blueprint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bp, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(shipped blueprint): %v", err)
	}
	return bp
}

func TestShippedBlueprint(t *testing.T) {
	bp := shipped(t)
	if bp.Items != 150 || bp.Pretest != 20 || bp.Scored() != 130 || bp.TimeLimitMinutes != 210 || len(bp.Domains) != 6 {
		t.Fatalf("blueprint = %+v", bp)
	}
	alloc, err := bp.Allocate()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, d := range bp.Domains {
		n := alloc[d.ID]
		sum += n
		pct := 100 * float64(n) / 130
		if pct < d.MinPercent || pct > d.MaxPercent {
			t.Errorf("domain %d: %d items = %.1f%%, outside %g-%g%%", d.ID, n, pct, d.MinPercent, d.MaxPercent)
		}
	}
	if sum != 130 {
		t.Errorf("allocation adds up to %d, want 130", sum)
	}
}

func TestScaled(t *testing.T) {
	bp := shipped(t)
	tests := []struct {
		raw  float64
		want int
	}{
		{0, 100}, {35, 200}, {70, 300}, {85, 350}, {100, 400}, {-5, 100}, {120, 400}, {69.9, 300}, {69.0, 297},
	}
	for _, tt := range tests {
		if got := bp.Scaled(tt.raw); got != tt.want {
			t.Errorf("Scaled(%v) = %d, want %d", tt.raw, got, tt.want)
		}
	}
	if !bp.Passed(300) || bp.Passed(299) {
		t.Errorf("Passed: the cut is 300")
	}
}

func TestAllocateWithinAShortBank(t *testing.T) {
	bp := shipped(t)
	full := map[int]int{1: 500, 2: 500, 3: 500, 4: 500, 5: 500, 6: 500}
	if _, err := bp.AllocateWithin(full); err != nil {
		t.Fatalf("AllocateWithin(ample) = %v", err)
	}
	// Domain 6 has just its minimum: the others take up the rest.
	short := map[int]int{1: 500, 2: 500, 3: 500, 4: 500, 5: 500, 6: 12}
	alloc, err := bp.AllocateWithin(short)
	if err != nil || alloc[6] != 12 {
		t.Fatalf("AllocateWithin(short 6) = %v, %v", alloc, err)
	}
	short[6] = 5
	if _, err := bp.AllocateWithin(short); err == nil || !strings.Contains(err.Error(), "domain 6") {
		t.Errorf("AllocateWithin(5 in domain 6) = %v, want an error naming domain 6", err)
	}
}

func TestParseRejectsBadBlueprints(t *testing.T) {
	good := `name: x
items: 10
pretest: 2
time_limit_minutes: 10
domains:
  - {id: 1, name: a, min_percent: 40, max_percent: 60}
  - {id: 2, name: b, min_percent: 40, max_percent: 60}
scaled: {min: 100, max: 400, pass: 300, points: [{raw_percent: 0, scaled: 100}, {raw_percent: 100, scaled: 400}]}
`
	if _, err := Parse([]byte(good)); err != nil {
		t.Fatalf("Parse(good) = %v", err)
	}
	tests := []struct{ name, from, to, want string }{
		{"pretest too many", "pretest: 2", "pretest: 10", "pretest"},
		{"no time", "time_limit_minutes: 10", "time_limit_minutes: 0", "time_limit_minutes"},
		{"duplicate domain", "{id: 2, name: b", "{id: 1, name: b", "distinct"},
		{"minimums over 100", "min_percent: 40, max_percent: 60}\n  - {id: 2", "min_percent: 70, max_percent: 80}\n  - {id: 2", "add up"},
		{"points not to 100", "{raw_percent: 100, scaled: 400}", "{raw_percent: 90, scaled: 400}", "raw_percent 100"},
		{"scaled falls", "{raw_percent: 0, scaled: 100}, {raw_percent: 100, scaled: 400}", "{raw_percent: 0, scaled: 100}, {raw_percent: 50, scaled: 300}, {raw_percent: 100, scaled: 200}", "must not fall"},
		{"unknown field", "name: x", "name: x\ncolour: blue", "colour"},
		{"no whole numbers fit", "items: 10\npretest: 2", "items: 3\npretest: 0", "whole numbers"},
		{"not yaml", "name: x", "name: [", "blueprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(strings.Replace(good, tt.from, tt.to, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}

// FuzzParse feeds arbitrary text to the blueprint reader: it must never
// panic, and whatever it accepts must allocate and scale sensibly.
func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("../../questions/blueprint.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(data))
	f.Add("items: 3\npretest: 0\ntime_limit_minutes: 1\ndomains: [{id: 1, min_percent: 100, max_percent: 100}]\nscaled: {min: 0, max: 1, pass: 1, points: [{raw_percent: 0, scaled: 0}, {raw_percent: 100, scaled: 1}]}")
	f.Fuzz(func(t *testing.T, s string) {
		bp, err := Parse([]byte(s))
		if err != nil {
			return
		}
		alloc, err := bp.Allocate()
		if err != nil {
			t.Fatalf("Parse accepted a blueprint it cannot allocate: %v", err)
		}
		sum := 0
		for _, n := range alloc {
			sum += n
		}
		if sum != bp.Scored() {
			t.Fatalf("allocation adds up to %d, want %d", sum, bp.Scored())
		}
		for _, raw := range []float64{0, 50, 100} {
			if sc := bp.Scaled(raw); sc < bp.Scale.Min || sc > bp.Scale.Max {
				t.Fatalf("Scaled(%v) = %d outside %d..%d", raw, sc, bp.Scale.Min, bp.Scale.Max)
			}
		}
	})
}
