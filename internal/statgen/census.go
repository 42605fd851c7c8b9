package statgen

import (
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Census, service-day, length-of-stay, occupancy and turnover templates.
// Each template draws realistic figures (50–600 beds, occupancy 55–98%,
// ALOS 3–8 days), computes the key with a formula from formulas.go and writes
// the stem and the worked rationale in one of several phrasings.

// genServiceDays: total inpatient service days from a week of daily census.
func genServiceDays(d *draw) *item {
	beds := d.between(20, 48)
	unit := d.one(nursingUnits...)
	h := d.hospital()
	y := d.year()
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(d.between(0, 357)))
	lo := (beds*55 + 99) / 100
	census := make([]int64, 7)
	days := make([]string, 7)
	in := map[string]int64{"beds": beds}
	for i := range census {
		census[i] = d.between(lo, beds)
		days[i] = start.AddDate(0, 0, i).Format("Monday 2 January")
		in[fmt.Sprintf("c%d", i)] = census[i]
	}
	total := serviceDays(census)
	first, last := start.Format("2 January 2006"), start.AddDate(0, 0, 6).Format("2 January 2006")

	var listed []string
	for i := range census {
		listed = append(listed, fmt.Sprintf("- %s: %d", days[i], census[i]))
	}
	figures := make([]string, 7)
	for i, c := range census {
		figures[i] = num(c)
	}
	inOrder := strings.Join(figures[:6], ", ") + " and " + figures[6]

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		stem = lines(
			fmt.Sprintf("The %s of %s has %d beds. Its daily inpatient census for the seven days from %s through %s was:", unit, h, beds, first, last),
			strings.Join(listed, "\n"),
			fmt.Sprintf("How many inpatient service days did the %s provide over these seven days?", unit))
	case 1:
		stem = fmt.Sprintf("The daily inpatient census figures of the %d-bed %s at %s for %s to %s, in date order, were %s. Calculate the total inpatient service days for the week.",
			beds, unit, h, first, last, inOrder)
	default:
		stem = lines(
			fmt.Sprintf("A nurse manager at %s is checking the weekly statistics of the %s, which has %d beds set up and staffed. Daily inpatient census (midnight census plus patients admitted and discharged the same day):", h, unit, beds),
			strings.Join(listed, "\n"),
			"What total number of inpatient service days should the weekly report show for the unit?")
	}
	exact := new(big.Rat).SetInt64(total)
	rationale := lines(
		"Total inpatient service days = the sum of the daily inpatient census for each day of the period: every patient counted in a day's census received one inpatient service day.",
		fmt.Sprintf("%s = %s inpatient service days.", strings.Join(figures, " + "), num(total)),
		fmt.Sprintf("Multiplying the bed count by the days (%d × 7 = %s) gives bed count days, the denominator of the percentage of occupancy, not service days; and dividing the total by 7 gives the average daily census (%s), not the service days.",
			beds, num(beds*7), decimal(big.NewRat(total, 7), 1, 2)))
	return &item{exact: exact, stem: stem, rationale: rationale, refs: []string{refCensus}, phrasing: p, in: in}
}

// wrongDays is the day count a learner is most likely to use by mistake for
// a period, with the reason, or 0 when no wrong count is tempting.
func wrongDays(pd period) (int64, string) {
	switch pd.unit {
	case "month":
		switch {
		case pd.first == 2 && leap(pd.year):
			return 28, fmt.Sprintf("forgetting that February %d has 29 days", pd.year)
		case pd.first == 2:
			return 30, "treating every month as 30 days"
		case pd.days == 31:
			return 30, "treating every month as 30 days"
		}
	case "quarter":
		if pd.days != 90 {
			return 90, "assuming three 30-day months (90 days)"
		}
	case "year":
		if leap(pd.year) {
			return 365, fmt.Sprintf("using 365 days although %d is a leap year", pd.year)
		}
	}
	return 0, ""
}

// withDays names a period with its day count in brackets: "the third
// quarter of 2025 (1 July through 30 September, 92 days)". For a year it
// names leap years, so no learner has to recall the calendar.
func withDays(pd period) string {
	var detail string
	switch {
	case pd.dates != "":
		detail = fmt.Sprintf("%s, %d days", pd.dates, pd.days)
	case pd.unit == "year" && leap(pd.year):
		detail = fmt.Sprintf("a leap year, %d days", pd.days)
	default:
		detail = fmt.Sprintf("%d days", pd.days)
	}
	return fmt.Sprintf("%s (%s)", pd.name, detail)
}

// genADC: average daily census from service days and the period's days.
func genADC(d *draw) *item {
	h := d.hospital()
	pd := d.period("mmqy")
	beds := d.between(50, 600)
	ipsd := d.portion(beds*pd.days, 560, 975)
	exact := averageDailyCensus(ipsd, pd.days)
	in := map[string]int64{"ipsd": ipsd, "days": pd.days, "beds": beds}

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		stem = fmt.Sprintf("%s, which has %d beds, recorded %s adult and children's inpatient service days in %s. Newborns are reported separately. Calculate the average daily census of adults and children for the %s.",
			h, beds, num(ipsd), withDays(pd), pd.unit)
	case 1:
		stem = fmt.Sprintf("For %s, the adult and children's census at %s totalled %s inpatient service days. The hospital has %d beds. On average, how many adult and children's inpatients were in the hospital each day?",
			withDays(pd), h, num(ipsd), beds)
	default:
		stem = lines(
			fmt.Sprintf("Statistics summary, %s, %s:", h, pd.noun),
			fmt.Sprintf("- Days in the period: %d", pd.days),
			fmt.Sprintf("- Bed count: %d", beds),
			fmt.Sprintf("- Inpatient service days (adults and children): %s", num(ipsd)),
			"Calculate the average daily inpatient census.")
	}
	r := []string{
		"Average daily census = total inpatient service days ÷ number of days in the period.",
		fmt.Sprintf("%s ÷ %d = %s patients per day.", num(ipsd), pd.days, d.worked(exact)),
	}
	if alt, why := wrongDays(pd); alt != 0 {
		if w := averageDailyCensus(ipsd, alt); d.differs(w, exact) {
			r = append(r, fmt.Sprintf("Dividing by %d, %s, gives %s; the denominator is the actual number of calendar days in the period.", alt, why, d.key(w)))
		}
	}
	r = append(r, fmt.Sprintf("The bed count (%d) is not part of this calculation: it is the denominator of the percentage of occupancy, which compares the census with the beds available.", beds))
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refADC}, phrasing: p, in: in}
}

// genALOS: average length of stay from discharge days and discharges.
func genALOS(d *draw) *item {
	h := d.hospital()
	pd := d.period("mq")
	beds := d.between(50, 600)
	n := d.dischargesFor(beds, pd.days)
	deaths := max(1, d.portion(n, 10, 40))
	dd := d.portion(n, 3050, 7950)
	exact := averageLengthOfStay(dd, n)
	ipsd := d.portion(dd, 900, 1100)
	if ipsd == dd {
		ipsd += d.between(7, 40)
	}
	in := map[string]int64{"dischargeDays": dd, "deaths": deaths}
	live := n - deaths

	p := d.pick(3)
	var stem, wrong string
	switch p {
	case 0:
		in["discharges"] = n
		stem = fmt.Sprintf("During %s, %s discharged %s adults and children, including %s who died. The discharged patients' stays added up to %s days (total length of stay). Calculate the average length of stay.",
			pd.noun, h, num(n), num(deaths), num(dd))
		if w := averageLengthOfStay(dd, live); d.differs(w, exact) {
			wrong = fmt.Sprintf("Leaving the %s out of the denominator (%s ÷ %s = %s) is wrong: deaths are discharges, and their stays are already in the discharge days.", plural(deaths, "death", "deaths"), num(dd), num(live), d.key(w))
		}
	case 1:
		in["discharges"] = n
		in["ipsd"] = ipsd
		stem = lines(
			fmt.Sprintf("The utilization report of %s for %s shows:", h, pd.noun),
			fmt.Sprintf("- Inpatient service days: %s", num(ipsd)),
			fmt.Sprintf("- Total length of stay of the patients discharged (discharge days): %s", num(dd)),
			fmt.Sprintf("- Discharges, including %s: %s", plural(deaths, "death", "deaths"), num(n)),
			fmt.Sprintf("What was the average length of stay for the %s?", pd.unit))
		if w := averageLengthOfStay(ipsd, n); d.differs(w, exact) {
			wrong = fmt.Sprintf("Using inpatient service days instead of discharge days (%s ÷ %s = %s) mixes a census-based numerator with a discharge-based denominator: service days count the care given during the period, not the whole stays of the patients who left.", num(ipsd), num(n), d.key(w))
		}
	default:
		in["live"] = live
		stem = fmt.Sprintf("In %s, %s adult and children's inpatients were discharged alive from %s and %s died. Together these patients had a total length of stay of %s days. Calculate the average length of stay.",
			pd.noun, num(live), h, plural(deaths, "inpatient", "inpatients"), num(dd))
		if w := averageLengthOfStay(dd, live); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing by the live discharges only (%s ÷ %s = %s) is wrong: deaths are discharges too.", num(dd), num(live), d.key(w))
		}
	}
	r := []string{"Average length of stay = total length of stay (discharge days) ÷ total discharges, including deaths."}
	if p == 2 {
		r = append(r, fmt.Sprintf("Discharges: %s + %s = %s.", num(live), num(deaths), num(n)))
	}
	r = append(r, fmt.Sprintf("%s ÷ %s = %s days.", num(dd), num(n), d.worked(exact)))
	if wrong != "" {
		r = append(r, wrong)
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refALOS}, phrasing: p, in: in}
}

// occupancyStep writes the occupancy division of a rationale.
func (d *draw) occupancyStep(ipsd, bcd int64, exact *big.Rat) string {
	return fmt.Sprintf("%s × 100 ÷ %s = %s%%.", num(ipsd), num(bcd), d.worked(exact))
}

// genOccupancyMonth: percentage of occupancy for a 30- or 31-day month.
func genOccupancyMonth(d *draw) *item {
	h := d.hospital()
	y := d.year()
	months := []int{1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} // February belongs to the leap-year family
	mi := months[d.pick(len(months))]
	pd := monthPeriod(y, mi)
	month := monthName(y, mi)
	beds := d.between(50, 600)
	bcd := beds * pd.days
	ipsd := d.portion(bcd, 551, 979)
	exact := occupancyPercent(ipsd, bcd)
	in := map[string]int64{"ipsd": ipsd, "beds": beds, "days": pd.days}

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		stem = fmt.Sprintf("%s has %d beds set up and staffed. It recorded %s inpatient service days in %s (%d days). Calculate the percentage of occupancy for %s.",
			h, beds, num(ipsd), pd.noun, pd.days, month)
	case 1:
		stem = fmt.Sprintf("%s kept %d beds in service throughout %s, a %d-day month, and its adult and children's census totalled %s inpatient service days. What was the percentage of occupancy for the month?",
			h, beds, pd.noun, pd.days, num(ipsd))
	default:
		stem = lines(
			fmt.Sprintf("For the board report, the health information department of %s needs the bed occupancy for %s:", h, pd.noun),
			fmt.Sprintf("- Bed count (unchanged all month): %d", beds),
			fmt.Sprintf("- Days in the month: %d", pd.days),
			fmt.Sprintf("- Inpatient service days: %s", num(ipsd)),
			"Calculate the percentage of occupancy.")
	}
	alt := int64(61) - pd.days // 30 for a 31-day month and 31 for a 30-day one
	r := []string{
		"Percentage of occupancy = inpatient service days × 100 ÷ (bed count × days in the period).",
		fmt.Sprintf("Bed count days: %d × %d = %s.", beds, pd.days, num(bcd)),
		d.occupancyStep(ipsd, bcd, exact),
	}
	if w := occupancyPercent(ipsd, beds*alt); d.differs(w, exact) {
		dir := "understate"
		if alt < pd.days {
			dir = "overstate"
		}
		r = append(r, fmt.Sprintf("%s has %d days; using %d (%s bed count days) would %s occupancy at %s%%.", month, pd.days, alt, num(beds*alt), dir, d.key(w)))
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refOccupancy}, phrasing: p, in: in}
}

// monthDays writes the days of months first..last of y as "31 + 29 + 31",
// marking February so the learner sees where the leap day went.
func monthDays(y, first, last int) string {
	var parts []string
	for m := first; m <= last; m++ {
		t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		n := daysInMonth(t.Year(), t.Month())
		if t.Month() == time.February {
			parts = append(parts, fmt.Sprintf("%d (February %d)", n, t.Year()))
		} else {
			parts = append(parts, fmt.Sprint(n))
		}
	}
	return strings.Join(parts, " + ")
}

// leapSpanName names a span of a leap year the way reports do.
func leapSpanName(y, first, last int) string {
	switch {
	case first == 1 && last == 3:
		return fmt.Sprintf("the first quarter of %d (1 January through 31 March)", y)
	case first == 1 && last == 6:
		return fmt.Sprintf("the first half of %d (1 January through 30 June)", y)
	case first == 1 && last == 12:
		return fmt.Sprintf("calendar year %d (1 January through 31 December)", y)
	}
	return "the period " + spanText(y, first, last, true)
}

// genOccupancyLeap: occupancy over several months that include the
// February of a leap year.
func genOccupancyLeap(d *draw) *item {
	h := d.hospital()
	y := int(2024 + 4*d.between(0, 1)) // 2024 and 2028: real leap years
	first := int(d.between(-2, 2))     // October of y−1 through February of y
	last := int(d.between(int64(max(2, first+1)), int64(min(12, first+11))))
	days := daysInSpan(y, first, last)
	beds := d.between(50, 600)
	bcd := beds * days
	ipsd := d.portion(bcd, 551, 979)
	exact := occupancyPercent(ipsd, bcd)
	in := map[string]int64{"ipsd": ipsd, "beds": beds, "_year": int64(y), "_first": int64(first), "_last": int64(last)}
	name := leapSpanName(y, first, last)

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		stem = fmt.Sprintf("%s kept %d beds in service for %s (%d is a leap year) and recorded %s inpatient service days over that time. Calculate the percentage of occupancy for the period.",
			h, beds, name, y, num(ipsd))
	case 1:
		stem = lines(
			fmt.Sprintf("%s, %s:", h, name),
			fmt.Sprintf("- Bed count, unchanged throughout: %d", beds),
			fmt.Sprintf("- Inpatient service days: %s", num(ipsd)),
			fmt.Sprintf("%d was a leap year. What was the percentage of occupancy for the period?", y))
	default:
		stem = fmt.Sprintf("The finance committee of %s asks for the bed occupancy over %s, which includes February of the leap year %d. The hospital had %d beds throughout and provided %s inpatient service days. Calculate the percentage of occupancy.",
			h, name, y, beds, num(ipsd))
	}
	count := fmt.Sprintf("Days in the period: %s = %d.", monthDays(y, first, last), days)
	if first == 1 && last == 12 {
		count = fmt.Sprintf("Days in the period: %d, because %d is a leap year.", days, y)
	}
	r := []string{
		fmt.Sprintf("Percentage of occupancy = inpatient service days × 100 ÷ bed count days, and bed count days use the actual calendar days of the period: February %d has 29 days.", y),
		count,
		fmt.Sprintf("Bed count days: %d × %d = %s.", beds, days, num(bcd)),
		d.occupancyStep(ipsd, bcd, exact),
	}
	if w := occupancyPercent(ipsd, beds*(days-1)); d.differs(w, exact) {
		r = append(r, fmt.Sprintf("Counting February as 28 days (%d × %d = %s bed count days) gives %s%%, which overstates occupancy because the bed days of 29 February are left out of the denominator.", beds, days-1, num(beds*(days-1)), d.key(w)))
	} else {
		r = append(r, "Counting February as 28 days would leave the bed days of 29 February out of the denominator; here the error happens to vanish in the rounding, but it is still a wrong denominator.")
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refOccupancy, refBedCountDays}, phrasing: p, in: in}
}

// genOccupancyBedChange: occupancy when the bed count changed during the
// period, using the sum of bed count days.
func genOccupancyBedChange(d *draw) *item {
	h := d.hospital()
	y := d.year()
	var first, last int
	var label, whole string
	switch d.pick(4) {
	case 0:
		first, last = 1, 6
		label, whole = fmt.Sprintf("the first half of %d", y), "half-year"
	case 1:
		first, last = 7, 12
		label, whole = fmt.Sprintf("the second half of %d", y), "half-year"
	default:
		first, last = 1, 12
		label, whole = fmt.Sprintf("calendar year %d", y), "year"
	}
	segs := 2
	if d.pick(3) == 0 {
		segs = 3
	}
	// Boundaries: the months on which a new bed count started.
	starts := []int{first}
	for len(starts) < segs {
		m := int(d.between(int64(first+1), int64(last)))
		dup := false
		for _, s := range starts {
			dup = dup || s == m
		}
		if !dup {
			starts = append(starts, m)
		}
	}
	for i := 1; i < len(starts); i++ { // insertion sort; at most three
		for j := i; j > 0 && starts[j] < starts[j-1]; j-- {
			starts[j], starts[j-1] = starts[j-1], starts[j]
		}
	}
	beds := []int64{d.between(50, 560)}
	for len(beds) < segs {
		prev := beds[len(beds)-1]
		step := d.between(max(5, prev/20), max(10, prev/4)) // 5–25%: a wing or a unit
		next := prev + step
		if next > 600 || (prev-step >= 50 && d.pick(3) == 0) {
			next = prev - step
		}
		beds = append(beds, next)
	}
	in := map[string]int64{"_year": int64(y), "_segments": int64(segs)}
	var spans []bedSpan
	var ranges []string
	var total, sumBeds int64
	for i, s := range starts {
		e := last
		if i+1 < len(starts) {
			e = starts[i+1] - 1
		}
		n := daysInSpan(y, s, e)
		spans = append(spans, bedSpan{beds: beds[i], days: n})
		ranges = append(ranges, spanText(y, s, e, false))
		in[fmt.Sprintf("beds%d", i)] = beds[i]
		in[fmt.Sprintf("_from%d", i)] = int64(s)
		in[fmt.Sprintf("_to%d", i)] = int64(e)
		total += n
		sumBeds += beds[i]
	}
	bcd := bedCountDays(spans)
	ipsd := d.portion(bcd, 551, 979)
	in["ipsd"] = ipsd
	exact := occupancyPercent(ipsd, bcd)
	leapText := "not a leap year"
	if leap(y) {
		leapText = "a leap year"
	}

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		var parts []string
		for i := range spans {
			parts = append(parts, fmt.Sprintf("%d beds from %s", beds[i], ranges[i]))
		}
		joined := strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
		if segs == 2 {
			why := "after a new wing opened"
			if beds[1] < beds[0] {
				why = "after a unit closed for renovation"
			}
			joined = fmt.Sprintf("%s and, %s, %s", parts[0], why, parts[1])
		}
		stem = fmt.Sprintf("During %s (%d was %s), %s had %s. Inpatient service days for the %s totalled %s. Calculate the percentage of occupancy for the %s.",
			label, y, leapText, h, joined, whole, num(ipsd), whole)
	case 1:
		var l []string
		l = append(l, fmt.Sprintf("Bed count at %s during %s (%d was %s):", h, label, y, leapText))
		for i := range spans {
			l = append(l, fmt.Sprintf("- %s: %d beds", ranges[i], beds[i]))
		}
		l = append(l, fmt.Sprintf("Inpatient service days for the %s: %s.", whole, num(ipsd)),
			fmt.Sprintf("What was the percentage of occupancy for the %s?", whole))
		stem = lines(l...)
	default:
		var parts []string
		for i := range spans {
			parts = append(parts, fmt.Sprintf("%d beds from %s", beds[i], ranges[i]))
		}
		stem = fmt.Sprintf("The staffed bed complement of %s changed during %s: it operated %s. The census shows %s inpatient service days for the %s, and %d was %s. Calculate the percentage of occupancy for the %s.",
			h, label, strings.Join(parts, ", then "), num(ipsd), whole, y, leapText, whole)
	}
	r := []string{"When the bed count changes during the period, multiply each bed count by the number of days it was in effect and add the products to get the total bed count days; percentage of occupancy = inpatient service days × 100 ÷ total bed count days."}
	var products []string
	for i, s := range spans {
		e := last
		if i+1 < len(starts) {
			e = starts[i+1] - 1
		}
		dayText := fmt.Sprintf("%d days", s.days)
		if e > starts[i] {
			dayText = fmt.Sprintf("%s = %d days", monthDays(y, starts[i], e), s.days)
		}
		r = append(r, fmt.Sprintf("%s: %s × %d beds = %s.", ranges[i], dayText, s.beds, num(s.beds*s.days)))
		products = append(products, num(s.beds*s.days))
	}
	r = append(r,
		fmt.Sprintf("Total bed count days = %s = %s.", strings.Join(products, " + "), num(bcd)),
		"Occupancy = "+d.occupancyStep(ipsd, bcd, exact))
	// The tempting shortcut: the simple mean of the bed counts times the days.
	meanBeds := big.NewRat(sumBeds, int64(segs))
	wrong := percent(ipsd*int64(segs), sumBeds*total)
	var names []string
	for _, b := range beds {
		names = append(names, fmt.Sprint(b))
	}
	shortcut := fmt.Sprintf("((%s) ÷ %d = %s beds × %d days)", strings.Join(names, " + "), segs, decimal(meanBeds, 0, 2), total)
	equal := true
	for _, s := range spans {
		equal = equal && s.days == spans[0].days
	}
	switch {
	case equal:
		r = append(r, fmt.Sprintf("Because each bed count was in effect for the same number of days, the simple average of the bed counts %s gives the same result here; when the periods differ in length, only the sum of bed count days is right.", shortcut))
	case d.differs(wrong, exact):
		r = append(r, fmt.Sprintf("Averaging the bed counts without weighting them by days %s gives %s%%, which is wrong because the bed counts were not in effect for equal numbers of days.", shortcut, d.key(wrong)))
	default:
		r = append(r, fmt.Sprintf("Averaging the bed counts without weighting them by days %s happens to round to the same answer here, but only the sum of bed count days is right in general.", shortcut))
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refOccupancy, refBedCountDays}, phrasing: p, in: in}
}

// genBedTurnover: direct bed turnover rate with a constant bed count.
func genBedTurnover(d *draw) *item {
	h := d.hospital()
	pd := d.period("mqyy")
	beds := d.between(50, 600)
	n := d.dischargesFor(beds, pd.days)
	deaths := max(1, d.portion(n, 10, 40))
	live := n - deaths
	exact := bedTurnover(n, beds*pd.days, pd.days)
	in := map[string]int64{"beds": beds, "deaths": deaths}

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		in["discharges"] = n
		stem = fmt.Sprintf("%s maintained %d beds throughout %s. During that time it discharged %s inpatients, including %s. Calculate the direct bed turnover rate for the %s.",
			h, beds, pd.noun, num(n), plural(deaths, "death", "deaths"), pd.unit)
	case 1:
		in["live"] = live
		stem = fmt.Sprintf("In %s, %s had %s live discharges and %s; its bed count stayed at %d for the whole %s. How many times, on average, was each bed turned over (direct formula)?",
			pd.noun, h, num(live), plural(deaths, "inpatient death", "inpatient deaths"), beds, pd.unit)
	default:
		in["discharges"] = n
		stem = lines(
			fmt.Sprintf("%s, %s:", h, pd.noun),
			fmt.Sprintf("- Average bed count (no change during the %s): %d", pd.unit, beds),
			fmt.Sprintf("- Discharges, including deaths: %s", num(n)),
			fmt.Sprintf("- Inpatient deaths: %s", num(deaths)),
			"Using the direct formula, calculate the bed turnover rate.")
	}
	r := []string{"Direct bed turnover rate = total discharges, including deaths ÷ average bed count for the period."}
	if p == 1 {
		r = append(r, fmt.Sprintf("Discharges: %s + %s = %s.", num(live), num(deaths), num(n)))
	}
	r = append(r,
		fmt.Sprintf("The bed count did not change, so the average bed count is %d (%s bed count days ÷ %d days).", beds, num(beds*pd.days), pd.days),
		fmt.Sprintf("%s ÷ %d = %s.", num(n), beds, d.worked(exact)))
	if w := bedTurnover(live, beds*pd.days, pd.days); d.differs(w, exact) {
		r = append(r, fmt.Sprintf("Leaving out the deaths (%s ÷ %d = %s) is wrong: deaths are discharges and also free a bed.", num(live), beds, d.key(w)))
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refTurnover}, phrasing: p, in: in}
}
