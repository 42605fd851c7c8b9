package statgen

import (
	"fmt"
	"time"
)

// hospitals are fictitious names. A named hospital makes a stem read like the
// reports learners will meet at work, and varying it keeps two draws of one
// template from looking identical.
var hospitals = []string{
	"Riverside Medical Center",
	"Lakeview Community Hospital",
	"Westbrook Regional Hospital",
	"Maple Grove Hospital",
	"Harbor View Hospital",
	"Summit Valley Hospital",
	"Cedar Falls General Hospital",
	"Pine Ridge Medical Center",
	"Northfield Memorial Hospital",
	"Clearwater Valley Hospital",
	"Oak Hollow Community Hospital",
	"Bayside General Hospital",
	"Granite Peak Regional Medical Center",
	"Willow Creek Hospital",
	"Meadowbrook Medical Center",
	"Silver Lake Hospital",
	"Fairhaven Regional Hospital",
	"Eastgate Community Hospital",
	"Stonebridge General Hospital",
	"Brookside Memorial Hospital",
	"Prairie View Regional Hospital",
	"Mercy Crossing Hospital",
	"Hillcrest County Hospital",
	"Juniper Bay Medical Center",
}

// nursingUnits name the units of the census-list template.
var nursingUnits = []string{
	"medical-surgical unit",
	"cardiac telemetry unit",
	"orthopedic unit",
	"oncology unit",
	"pediatric unit",
	"progressive care unit",
	"neurology unit",
	"renal unit",
}

// period is a reporting period with its real calendar length, so every
// denominator uses the actual days (29 in a leap-year February).
type period struct {
	noun  string // "March 2027", "the second quarter of 2027 (1 April through 30 June)", "calendar year 2027"
	name  string // the noun without the dates in brackets
	dates string // "1 April through 30 June" for a quarter, else ""
	unit  string // "month", "quarter" or "year"
	year  int
	first int // first month, January of year = 1
	last  int // last month
	days  int64
}

// leap reports whether y is a leap year in the Gregorian calendar.
func leap(y int) bool {
	return daysInMonth(y, time.February) == 29
}

// monthName is the English name of month m of year y, months numbered from
// January of y = 1 and allowed to run into neighbouring years.
func monthName(y, m int) string {
	return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Month().String()
}

// yearOf is the calendar year of month m counted from January of y = 1.
func yearOf(y, m int) int {
	return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Year()
}

// spanText writes "1 April through 30 June" for months first..last of y,
// adding the year to each end when the span crosses a year boundary or when
// withYear asks for it.
func spanText(y, first, last int, withYear bool) string {
	fy, ly := yearOf(y, first), yearOf(y, last)
	end := time.Date(y, time.Month(last)+1, 0, 0, 0, 0, 0, time.UTC)
	from := "1 " + monthName(y, first)
	to := fmt.Sprintf("%d %s", end.Day(), end.Month())
	switch {
	case fy != ly:
		return fmt.Sprintf("%s %d through %s %d", from, fy, to, ly)
	case withYear:
		return fmt.Sprintf("%s through %s %d", from, to, ly)
	}
	return from + " through " + to
}

// year draws a reporting year. The banks date their items 2025–2028, and a
// range that holds both leap and common years exercises both calendars.
func (d *draw) year() int {
	return int(d.between(2025, 2028))
}

// monthPeriod is one calendar month of year y.
func monthPeriod(y, m int) period {
	return period{
		noun:  fmt.Sprintf("%s %d", monthName(y, m), y),
		name:  fmt.Sprintf("%s %d", monthName(y, m), y),
		unit:  "month",
		year:  y,
		first: m,
		last:  m,
		days:  daysInSpan(y, m, m),
	}
}

var ordinals = []string{"first", "second", "third", "fourth"}

// quarterPeriod is calendar quarter q (1–4) of year y.
func quarterPeriod(y, q int) period {
	first := 3*(q-1) + 1
	name := fmt.Sprintf("the %s quarter of %d", ordinals[q-1], y)
	dates := spanText(y, first, first+2, false)
	return period{
		noun:  fmt.Sprintf("%s (%s)", name, dates),
		name:  name,
		dates: dates,
		unit:  "quarter",
		year:  y,
		first: first,
		last:  first + 2,
		days:  daysInSpan(y, first, first+2),
	}
}

// yearPeriod is calendar year y.
func yearPeriod(y int) period {
	return period{
		noun:  fmt.Sprintf("calendar year %d", y),
		name:  fmt.Sprintf("calendar year %d", y),
		unit:  "year",
		year:  y,
		first: 1,
		last:  12,
		days:  daysInSpan(y, 1, 12),
	}
}

// period draws a month, a quarter or a year, as the kinds allow ("m", "q",
// "y"), so that rate questions vary their time frame as real reports do.
func (d *draw) period(kinds string) period {
	y := d.year()
	switch kinds[d.pick(len(kinds))] {
	case 'm':
		return monthPeriod(y, int(d.between(1, 12)))
	case 'q':
		return quarterPeriod(y, int(d.between(1, 4)))
	}
	return yearPeriod(y)
}

// dischargesFor draws a realistic number of discharges for a hospital of
// beds over days: beds × days × occupancy (60–95%) ÷ ALOS (3.5–7.5 days).
func (d *draw) dischargesFor(beds, days int64) int64 {
	occ := d.between(600, 950)  // per mille
	alos := d.between(350, 750) // hundredths of a day
	return beds * days * occ * 100 / (alos * 1000)
}

// portion draws a count uniformly from the whole numbers between lo and hi
// per mille of n: deaths as a share of discharges, service days as a share
// of bed count days. Drawing the count itself, not a round share of n,
// keeps keys from clustering just below round figures (a share of 2.9%
// taken of n and rounded down would give 2.8996…, so key after key would
// end in 0).
func (d *draw) portion(n, lo, hi int64) int64 {
	from := (n*lo + 999) / 1000
	to := n * hi / 1000
	return d.between(from, max(from, to))
}

// plural writes "1 death" or "3 deaths".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// Citations, worded as in the hand-written statistics bank so a learner sees
// one reference for one rule wherever the question came from.
const (
	refCensus       = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: inpatient census (taken at midnight), daily inpatient census (census plus patients admitted and discharged the same day) and inpatient service days"
	refADC          = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: average daily inpatient census = total inpatient service days ÷ number of days in the period"
	refALOS         = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: average length of stay = total length of stay (discharge days) ÷ total discharges, including deaths"
	refOccupancy    = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: percentage of occupancy = total inpatient service days × 100 ÷ total inpatient bed count days (bed count × days in the period)"
	refBedCountDays = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: inpatient bed count days = the sum of the bed count for each day of the period, so each bed count is counted for the actual calendar days it was in effect"
	refTurnover     = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: direct bed turnover rate = total discharges, including deaths ÷ average bed count for the period"
	refGrossDeath   = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: gross death rate = inpatient deaths (newborns included unless reported separately) × 100 ÷ discharges, including deaths; dead-on-arrival, emergency-department (never admitted), outpatient and fetal deaths excluded"
	refNetDeath     = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: net (institutional) death rate = (inpatient deaths − deaths under 48 hours after admission) × 100 ÷ (discharges including deaths − deaths under 48 hours)"
	refNewborn      = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: newborn death rate = newborn deaths × 100 ÷ newborn discharges, including deaths (stillbirths are fetal deaths, not newborn deaths)"
	refFetal        = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: fetal death rate = (intermediate + late fetal deaths) × 100 ÷ (live births + intermediate + late fetal deaths)"
	refFetalClass   = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: classification of fetal deaths: early (under 20 completed weeks, 500 g or less), intermediate (20–27 weeks, 501–1,000 g), late (28 weeks or more, 1,001 g or more)"
	refGrossAutopsy = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: gross autopsy rate = autopsies on inpatient deaths × 100 ÷ total inpatient deaths"
	refNetAutopsy   = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: net autopsy rate = autopsies on inpatient deaths × 100 ÷ (inpatient deaths − unautopsied coroner's or medical examiner's cases)"
	refInfection    = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: hospital-acquired (nosocomial) infection rate = hospital-acquired infections × 100 ÷ discharges, including deaths; infections present on admission are not hospital-acquired"
	refConsultation = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: consultation rate = patients receiving consultations × 100 ÷ discharges, including deaths"
	refCesarean     = "Horton, L. A., Calculating and Reporting Healthcare Statistics, AHIMA Press: cesarean section rate = cesarean sections × 100 ÷ total deliveries in the period"
	refCMI          = "CMS, Acute Inpatient PPS, Case Mix Index file: a hospital's case mix index is the average MS-DRG relative weight (sum of the relative weights of its discharges ÷ number of discharges)"
)
