package statgen

import (
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// seedsPerFamily is how many seeds the property tests draw for each family.
const seedsPerFamily = 2000

// testSeed spreads the property-test seeds over the whole uint64 range as
// well as the small numbers a caller is most likely to pass.
func testSeed(i int) uint64 {
	if i%2 == 0 {
		return uint64(i / 2)
	}
	return uint64(i) * 0x9e3779b97f4a7c15
}

// recompute holds, per family, an independent computation of the exact key
// from the drawn figures: plain big.Rat arithmetic and the time package,
// sharing no code with formulas.go, so a slip in a formula or in the way a
// template feeds it shows up as a mismatch.
var recompute = map[string]func(in map[string]int64) *big.Rat{
	"service-days-census": func(in map[string]int64) *big.Rat {
		var s int64
		for i := range 7 {
			s += in[fmt.Sprintf("c%d", i)]
		}
		return big.NewRat(s, 1)
	},
	"average-daily-census": func(in map[string]int64) *big.Rat {
		return big.NewRat(in["ipsd"], in["days"])
	},
	"average-length-of-stay": func(in map[string]int64) *big.Rat {
		return big.NewRat(in["dischargeDays"], discharges(in))
	},
	"occupancy-month": func(in map[string]int64) *big.Rat {
		return big.NewRat(in["ipsd"]*100, in["beds"]*in["days"])
	},
	"occupancy-leap": func(in map[string]int64) *big.Rat {
		y := int(in["_year"])
		days := calendarDays(y, int(in["_first"]), int(in["_last"]))
		return big.NewRat(in["ipsd"]*100, in["beds"]*days)
	},
	"occupancy-bed-change": func(in map[string]int64) *big.Rat {
		y := int(in["_year"])
		var bcd int64
		for i := range int(in["_segments"]) {
			bcd += in[fmt.Sprintf("beds%d", i)] * calendarDays(y, int(in[fmt.Sprintf("_from%d", i)]), int(in[fmt.Sprintf("_to%d", i)]))
		}
		return big.NewRat(in["ipsd"]*100, bcd)
	},
	"bed-turnover": func(in map[string]int64) *big.Rat {
		return big.NewRat(discharges(in), in["beds"])
	},
	"death-rate-gross": func(in map[string]int64) *big.Rat {
		return big.NewRat(in["deaths"]*100, discharges(in))
	},
	"death-rate-net": func(in map[string]int64) *big.Rat {
		deaths, ok := in["deaths"]
		if !ok {
			deaths = in["early"] + in["later"]
		}
		return big.NewRat((deaths-in["early"])*100, in["discharges"]-in["early"])
	},
	"death-rate-newborn": func(in map[string]int64) *big.Rat {
		return big.NewRat(in["deaths"]*100, discharges(in))
	},
	"fetal-death-rate": func(in map[string]int64) *big.Rat {
		f := in["intermediate"] + in["late"]
		return big.NewRat(f*100, in["liveBirths"]+f)
	},
	"autopsy-rate-gross": func(in map[string]int64) *big.Rat {
		return big.NewRat(in["autopsies"]*100, in["deaths"])
	},
	"autopsy-rate-net": func(in map[string]int64) *big.Rat {
		return big.NewRat(in["autopsies"]*100, in["deaths"]-in["me"])
	},
	"infection-rate": func(in map[string]int64) *big.Rat {
		n := discharges(in)
		if ac, ok := in["ac"]; ok {
			n = ac + in["nb"]
		}
		return big.NewRat(in["infections"]*100, n)
	},
	"consultation-rate": func(in map[string]int64) *big.Rat {
		return big.NewRat(in["patients"]*100, discharges(in))
	},
	"cesarean-rate": func(in map[string]int64) *big.Rat {
		d, ok := in["deliveries"]
		if !ok {
			d = in["vaginal"] + in["cesareans"]
		}
		return big.NewRat(in["cesareans"]*100, d)
	},
	"case-mix-index": func(in map[string]int64) *big.Rat {
		sum, cases := new(big.Rat), int64(0)
		for i := range int(in["_groups"]) {
			w := big.NewRat(in[fmt.Sprintf("w%d_w4", i)], 10000)
			n := in[fmt.Sprintf("n%d", i)]
			sum.Add(sum, w.Mul(w, big.NewRat(n, 1)))
			cases += n
		}
		return sum.Quo(sum, big.NewRat(cases, 1))
	},
}

// discharges is the discharge count a stem gives either directly or as live
// discharges plus deaths.
func discharges(in map[string]int64) int64 {
	if n, ok := in["discharges"]; ok {
		return n
	}
	return in["live"] + in["deaths"]
}

// calendarDays counts the days from the first of month first to the end of
// month last (January of y = 1) by subtracting dates.
func calendarDays(y, first, last int) int64 {
	from := time.Date(y, time.Month(first), 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(y, time.Month(last+1), 1, 0, 0, 0, 0, time.UTC)
	return int64(to.Sub(from) / (24 * time.Hour))
}

// halfUp rounds a non-negative x half up to places decimals, written out,
// independently of roundHalfUp: floor(x·10^p + 1/2) by big.Int division.
func halfUp(x *big.Rat, places int) string {
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
	y := new(big.Rat).Mul(x, scale)
	y.Add(y, big.NewRat(1, 2))
	q := new(big.Int).Quo(y.Num(), y.Denom())
	s := q.String()
	if places == 0 {
		return s
	}
	for len(s) <= places {
		s = "0" + s
	}
	return s[:len(s)-places] + "." + s[len(s)-places:]
}

// distanceToTie is how far x lies from the nearest halfway point at places.
func distanceToTie(x *big.Rat, places int) float64 {
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
	y := new(big.Rat).Mul(x, scale)
	floor := new(big.Int).Quo(y.Num(), y.Denom())
	frac := new(big.Rat).Sub(y, new(big.Rat).SetInt(floor))
	frac.Sub(frac, big.NewRat(1, 2))
	frac.Abs(frac)
	frac.Quo(frac, scale)
	f, _ := frac.Float64()
	return f
}

// commas inserts thousands separators into a plain decimal string.
func commas(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		return b.String() + "." + frac
	}
	return b.String()
}

var (
	// mustSay lists what each family's stems must state for the key to be
	// unambiguous.
	mustSay = map[string][]string{
		"occupancy-leap":         {"leap year"},
		"occupancy-bed-change":   {"leap year"},
		"occupancy-month":        {"days"},
		"average-daily-census":   {"days"},
		"average-length-of-stay": {"length of stay"},
		"death-rate-net":         {"less than 48 hours after admission"},
		"death-rate-gross":       {"newborns"},
		"fetal-death-rate":       {"early", "intermediate", "late", "live births"},
		"autopsy-rate-net":       {"medical examiner"},
		"cesarean-rate":          {"no multiple births"},
		"case-mix-index":         {"weight", "hypothetical ms-drg"},
	}
	roundingSentence = map[int]string{
		0: "Round to the nearest whole number.",
		1: "Round to one decimal place.",
		2: "Round to two decimal places.",
		4: "Round to four decimal places.",
	}
	tolerances = map[int]float64{0: 0.5, 1: 0.05, 2: 0.005, 4: 0.00005}
	// monthWithDays finds "December 2028 (31 days" and "a 31-day month".
	monthWithDays = regexp.MustCompile(`(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4}) \((\d+) days`)
)

// checkQuestion is every property a generated question must have. It is
// shared by the property tests and the fuzz target.
func checkQuestion(t *testing.T, f *family, seed uint64) {
	t.Helper()
	q, it, err := generate(f.ID, seed)
	if err != nil {
		t.Fatalf("%s seed %d: %v", f.ID, seed, err)
	}
	where := fmt.Sprintf("%s seed %d", f.ID, seed)

	// Fixed fields.
	if want := fmt.Sprintf("gen-%s-%016x", f.ID, seed); q.ID != want {
		t.Errorf("%s: id %q, want %q", where, q.ID, want)
	}
	if q.Topic != quiz.TopicStatistics || q.Domain != f.Domain || q.Subtopic != f.Subtopic || q.Difficulty != f.Difficulty ||
		q.Cognitive != quiz.Application || q.Type != quiz.Numeric {
		t.Errorf("%s: classification %q %d %q %q %q %q", where, q.Topic, q.Domain, q.Subtopic, q.Difficulty, q.Cognitive, q.Type)
	}
	if q.Review.Status != "verified" || q.Review.By != "generator" || q.Review.Note == "" {
		t.Errorf("%s: review %+v", where, q.Review)
	}
	if n := len(q.References); n < 1 || n > 2 {
		t.Errorf("%s: %d references", where, n)
	}
	for _, r := range q.References {
		if !strings.HasPrefix(r, "Horton, L. A., Calculating and Reporting Healthcare Statistics") && !strings.HasPrefix(r, "CMS, ") ||
			strings.Contains(r, "rhit-domain") || strings.Contains(r, "[") {
			t.Errorf("%s: reference %q", where, r)
		}
	}
	if q.Tolerance != tolerances[f.places] {
		t.Errorf("%s: tolerance %v, want %v", where, q.Tolerance, tolerances[f.places])
	}

	// The stem states the rounding, last.
	if !strings.HasSuffix(q.Stem, roundingSentence[f.places]) {
		t.Errorf("%s: stem does not end with %q:\n%s", where, roundingSentence[f.places], q.Stem)
	}

	// Facts a family's key depends on are stated in every phrasing.
	for _, phrase := range mustSay[f.ID] {
		if !strings.Contains(strings.ToLower(q.Stem), phrase) {
			t.Errorf("%s: stem does not say %q:\n%s", where, phrase, q.Stem)
		}
	}

	// The key, recomputed independently from the figures.
	exact := recompute[f.ID](it.in)
	if exact.Cmp(it.exact) != 0 {
		t.Fatalf("%s: exact key %s, independent recomputation %s (inputs %v)", where, it.exact.RatString(), exact.RatString(), it.in)
	}
	if d := distanceToTie(exact, f.places); d <= 1e-6 {
		t.Errorf("%s: exact key %s is %g from a rounding tie", where, exact.RatString(), d)
	}
	want := halfUp(exact, f.places)
	if got := strconv.FormatFloat(q.Value, 'f', f.places, 64); got != want {
		t.Errorf("%s: Value %s, want %s (exact %s)", where, got, want, exact.RatString())
	}
	if v, _ := strconv.ParseFloat(want, 64); v != q.Value {
		t.Errorf("%s: Value %v is not the float nearest %s", where, q.Value, want)
	}
	if q.Value < f.lo || q.Value > f.hi {
		t.Errorf("%s: Value %v outside [%v, %v]", where, q.Value, f.lo, f.hi)
	}

	// Every figure the key rests on is printed in the stem.
	for k, v := range it.in {
		if strings.HasPrefix(k, "_") {
			continue
		}
		text := commas(strconv.FormatInt(v, 10))
		if strings.HasSuffix(k, "_w4") {
			text = commas(fmt.Sprintf("%d.%04d", v/10000, v%10000))
		}
		if !containsNumber(q.Stem, text) {
			t.Errorf("%s: figure %s = %s is not in the stem:\n%s", where, k, text, q.Stem)
		}
	}
	if y, ok := it.in["_year"]; ok && !strings.Contains(q.Stem, strconv.FormatInt(y, 10)) {
		t.Errorf("%s: the year %d is not in the stem", where, y)
	}
	for _, m := range monthWithDays.FindAllStringSubmatch(q.Stem, -1) {
		mon, _ := time.Parse("January", m[1])
		y, _ := strconv.Atoi(m[2])
		n, _ := strconv.ParseInt(m[3], 10, 64)
		if real := calendarDays(y, int(mon.Month()), int(mon.Month())); n != real {
			t.Errorf("%s: stem says %s %d has %d days, calendar says %d", where, m[1], y, n, real)
		}
	}

	// The rationale works the arithmetic to the key.
	if !strings.Contains(q.Rationale, commas(want)) {
		t.Errorf("%s: rationale lacks the key %s:\n%s", where, commas(want), q.Rationale)
	}
	if strings.Contains(q.Rationale, "rhit-domain") || strings.Contains(q.Stem+q.Rationale, "%!") || strings.Contains(q.Stem+q.Rationale, "<nil>") {
		t.Errorf("%s: formatting slip:\n%s\n%s", where, q.Stem, q.Rationale)
	}

	// The learner who types the key gets full credit.
	v := q.Value
	if err := quiz.CheckResponse(q, quiz.Response{Number: &v}); err != nil {
		t.Errorf("%s: CheckResponse(Value): %v", where, err)
	}
	if g := quiz.Grade(q, quiz.Response{Number: &v}); g != 1 {
		t.Errorf("%s: Grade(Value) = %v", where, g)
	}
}

// containsNumber reports whether text appears in s as a whole number, not
// as part of a longer one (so "12" is not found inside "112" or "12.5").
func containsNumber(s, text string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], text)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(text)
		before := start == 0 || !isNumberByte(s[start-1])
		after := end == len(s) || !isNumberByte(s[end]) || (s[end] == '.' || s[end] == ',') && (end+1 == len(s) || !isDigit(s[end+1]))
		if before && after {
			return true
		}
		i = start + 1
	}
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isNumberByte(c byte) bool { return isDigit(c) || c == '.' || c == ',' }

func TestFamilies(t *testing.T) {
	fams := Families()
	if len(fams) < 14 {
		t.Fatalf("%d families, want at least 14", len(fams))
	}
	seen := map[string]bool{}
	idPattern := regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	for _, f := range fams {
		if seen[f.ID] || !idPattern.MatchString(f.ID) || len(fmt.Sprintf("gen-%s-%016x", f.ID, 0)) > 64 {
			t.Errorf("bad or repeated family id %q", f.ID)
		}
		seen[f.ID] = true
		if f.Name == "" || f.Subtopic == "" || quiz.DomainName(f.Domain) == "" {
			t.Errorf("%s: incomplete %+v", f.ID, f)
		}
		switch f.Difficulty {
		case quiz.Easy, quiz.Medium, quiz.Hard:
		default:
			t.Errorf("%s: difficulty %q", f.ID, f.Difficulty)
		}
		wantDomain := 3
		if f.ID == "case-mix-index" {
			wantDomain = 4
		}
		if f.Domain != wantDomain {
			t.Errorf("%s: domain %d, want %d", f.ID, f.Domain, wantDomain)
		}
		if recompute[f.ID] == nil {
			t.Errorf("%s: no independent recomputation in the tests", f.ID)
		}
	}
	if !reflect.DeepEqual(fams, Families()) {
		t.Error("Families is not stable")
	}
	fams[0].ID = "changed"
	if Families()[0].ID == "changed" {
		t.Error("Families returns the registry itself")
	}
	for _, id := range []string{
		"service-days-census", "average-daily-census", "average-length-of-stay", "occupancy-month", "occupancy-leap",
		"occupancy-bed-change", "bed-turnover", "death-rate-gross", "death-rate-net", "death-rate-newborn",
		"fetal-death-rate", "autopsy-rate-gross", "autopsy-rate-net", "infection-rate", "consultation-rate",
		"cesarean-rate", "case-mix-index",
	} {
		if !seen[id] {
			t.Errorf("family %q is missing", id)
		}
	}
}

func TestGenerateUnknownFamily(t *testing.T) {
	for _, id := range []string{"", "occupancy", "OCCUPANCY-MONTH", "hospital-autopsy-rate"} {
		if q, err := Generate(id, 1); err == nil || q != nil {
			t.Errorf("Generate(%q) = %v, %v; want an error", id, q, err)
		}
	}
}

func TestGenerateProperties(t *testing.T) {
	for i := range registry {
		f := &registry[i]
		t.Run(f.ID, func(t *testing.T) {
			t.Parallel()
			ids := map[string]bool{}
			phrasings := map[int]string{}
			lastDigits := map[byte]int{}
			for n := range seedsPerFamily {
				seed := testSeed(n)
				checkQuestion(t, f, seed)
				if t.Failed() {
					t.FailNow()
				}
				a, err := Generate(f.ID, seed)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := Generate(f.ID, seed)
				if !reflect.DeepEqual(a, b) {
					t.Fatalf("seed %d: Generate is not deterministic", seed)
				}
				if ids[a.ID] {
					t.Fatalf("seed %d: id %s repeated", seed, a.ID)
				}
				ids[a.ID] = true
				text := strconv.FormatFloat(a.Value, 'f', f.places, 64)
				lastDigits[text[len(text)-1]]++
				_, it, _ := generate(f.ID, seed)
				if _, ok := phrasings[it.phrasing]; !ok {
					phrasings[it.phrasing] = a.Stem
				}
			}
			// Keys must not cluster on one final digit (figures drawn as round
			// shares once made most keys end in 0), or learners learn the
			// pattern instead of the method.
			for digit, n := range lastDigits {
				if n > seedsPerFamily/5 {
					t.Errorf("%d of %d keys end in %c", n, seedsPerFamily, digit)
				}
			}
			if len(phrasings) < 3 {
				t.Fatalf("only %d phrasings in %d draws", len(phrasings), seedsPerFamily)
			}
			// Different phrasings differ in their words, not only their numbers
			// and names.
			sigs := map[string]int{}
			for p, stem := range phrasings {
				s := signature(stem)
				if q, dup := sigs[s]; dup {
					t.Errorf("phrasings %d and %d read the same:\n%s", q, p, stem)
				}
				sigs[s] = p
			}
		})
	}
}

// signature reduces a stem to its template: letters only, without the
// names that vary inside one phrasing.
func signature(stem string) string {
	for _, h := range hospitals {
		stem = strings.ReplaceAll(stem, h, "")
	}
	for _, u := range nursingUnits {
		stem = strings.ReplaceAll(stem, u, "")
	}
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(stem), func(r rune) bool { return r < 'a' || r > 'z' }) {
		switch w {
		case "january", "february", "march", "april", "may", "june", "july", "august", "september",
			"october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
			"saturday", "sunday", "first", "second", "third", "fourth", "quarter", "month", "year", "calendar":
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

func TestStemsDifferAcrossFamilies(t *testing.T) {
	// The question a stem asks names its statistic, so no two families share
	// a question sentence.
	seen := map[string]string{}
	for _, f := range Families() {
		q, err := Generate(f.ID, 7)
		if err != nil {
			t.Fatal(err)
		}
		rule := strings.LastIndex(q.Stem, "Round to")
		body := strings.TrimSpace(q.Stem[:rule])
		last := body[strings.LastIndexAny(body[:len(body)-1], ".?:\n")+1:]
		if other, dup := seen[last]; dup {
			t.Errorf("%s and %s ask the same question %q", f.ID, other, last)
		}
		seen[last] = f.ID
	}
}

func TestTieRedraw(t *testing.T) {
	// Generation never returns a key whose exact value sits on or next to a
	// rounding tie; the property test checks it on every draw, and this
	// checks that the guard is really consulted.
	calls := 0
	f := &family{Family: Family{ID: "tie"}, places: 2, lo: 0, hi: 100, gen: func(d *draw) *item {
		calls++
		if calls < 3 {
			return &item{exact: big.NewRat(2675, 1000), in: map[string]int64{}}
		}
		return &item{exact: big.NewRat(2, 3), in: map[string]int64{}}
	}}
	q, _, err := build(f, 1)
	if err != nil || q.Value != 0.67 || calls != 3 {
		t.Fatalf("build = %v, %v after %d draws", q, err, calls)
	}
	// Out of range, unusable and negative draws are refused too, and a
	// family that never draws usable figures fails instead of hanging.
	for name, it := range map[string]*item{
		"nil item":     nil,
		"nil key":      {},
		"out of range": {exact: big.NewRat(101, 1)},
		"negative":     {exact: big.NewRat(-1, 3)},
	} {
		f := &family{Family: Family{ID: "never"}, places: 2, lo: 0, hi: 100, gen: func(*draw) *item { return it }}
		if _, _, err := build(f, 1); err == nil {
			t.Errorf("%s: build must return an error", name)
		}
	}
}
