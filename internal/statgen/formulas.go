package statgen

import (
	"math/big"
	"time"
)

// The formulas below are the whole of the package's healthcare-statistics
// knowledge. They are kept apart from the wording so that the tests can check
// each one against the worked examples of the reference texts directly. Each
// returns an exact rational and returns nil for inputs that have no meaning
// (a zero or negative denominator, a negative count, a part larger than its
// whole), so a bad draw can never divide by zero: the generator draws again.

// hundred is the factor that turns a ratio into a percentage.
var hundred = big.NewRat(100, 1)

// quotient returns n/d, or nil unless n ≥ 0 and d > 0.
func quotient(n, d int64) *big.Rat {
	if d <= 0 || n < 0 {
		return nil
	}
	return big.NewRat(n, d)
}

// percent returns n × 100 ÷ d, or nil unless n ≥ 0 and d > 0.
func percent(n, d int64) *big.Rat {
	q := quotient(n, d)
	if q == nil {
		return nil
	}
	return q.Mul(q, hundred)
}

// share returns part × 100 ÷ whole for rates whose numerator is a subset of
// the denominator (deaths among discharges, autopsies among deaths), or nil
// when the part exceeds the whole.
func share(part, whole int64) *big.Rat {
	if part > whole {
		return nil
	}
	return percent(part, whole)
}

// serviceDays is the total inpatient service days of a period: the sum of
// the daily inpatient census of each day in it (Horton). It returns -1 if a
// census is negative.
func serviceDays(census []int64) int64 {
	var total int64
	for _, c := range census {
		if c < 0 {
			return -1
		}
		total += c
	}
	return total
}

// averageDailyCensus = total inpatient service days ÷ days in the period.
func averageDailyCensus(ipsd, days int64) *big.Rat {
	return quotient(ipsd, days)
}

// averageLengthOfStay = total length of stay (discharge days) ÷ discharges,
// including deaths.
func averageLengthOfStay(dischargeDays, discharges int64) *big.Rat {
	return quotient(dischargeDays, discharges)
}

// occupancyPercent = inpatient service days × 100 ÷ inpatient bed count
// days. Occupancy may exceed 100% when disaster beds are added, so the
// service days are not capped by the bed count days.
func occupancyPercent(ipsd, bedCountDays int64) *big.Rat {
	return percent(ipsd, bedCountDays)
}

// bedSpan is one bed count and the number of days it was in effect.
type bedSpan struct {
	beds, days int64
}

// bedCountDays is the sum over the period of each bed count times the days
// it was in effect: the occupancy denominator when the bed count changes.
// It returns -1 for a negative bed count or span.
func bedCountDays(spans []bedSpan) int64 {
	var total int64
	for _, s := range spans {
		if s.beds < 0 || s.days < 0 {
			return -1
		}
		total += s.beds * s.days
	}
	return total
}

// daysInMonth is the calendar length of month m of year y, leap years
// included (time.Date normalises day 0 of the next month to the last day).
func daysInMonth(y int, m time.Month) int64 {
	return int64(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day())
}

// daysInSpan counts the calendar days from the first day of month first to
// the last day of month last, months numbered from January of year y = 1
// (so 0 is December of y−1 and -2 October of y−1).
func daysInSpan(y, first, last int) int64 {
	var days int64
	for m := first; m <= last; m++ {
		t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		days += daysInMonth(t.Year(), t.Month())
	}
	return days
}

// bedTurnover is the direct bed turnover rate: discharges, including
// deaths, ÷ average bed count, where the average bed count is the bed count
// days ÷ the days in the period (the bed count itself when it never
// changed). The result is discharges × days ÷ bed count days.
func bedTurnover(discharges, bedCountDays, days int64) *big.Rat {
	if days <= 0 || bedCountDays <= 0 || discharges < 0 {
		return nil
	}
	return big.NewRat(discharges*days, bedCountDays)
}

// grossDeathRate = inpatient deaths × 100 ÷ discharges, including deaths.
func grossDeathRate(deaths, discharges int64) *big.Rat {
	return share(deaths, discharges)
}

// netDeathRate removes the deaths under 48 hours after admission from both
// the numerator and the denominator.
func netDeathRate(deaths, under48, discharges int64) *big.Rat {
	if under48 < 0 || under48 > deaths {
		return nil
	}
	return share(deaths-under48, discharges-under48)
}

// newbornDeathRate = newborn deaths × 100 ÷ newborn discharges, including
// deaths. Stillbirths are fetal deaths and are not counted.
func newbornDeathRate(deaths, discharges int64) *big.Rat {
	return share(deaths, discharges)
}

// fetalDeathRate = (intermediate + late fetal deaths) × 100 ÷ (live births
// + intermediate + late fetal deaths); early fetal deaths are excluded.
func fetalDeathRate(intermediate, late, liveBirths int64) *big.Rat {
	if intermediate < 0 || late < 0 || liveBirths < 0 {
		return nil
	}
	return share(intermediate+late, liveBirths+intermediate+late)
}

// grossAutopsyRate = autopsies on inpatient deaths × 100 ÷ inpatient deaths.
func grossAutopsyRate(autopsies, deaths int64) *big.Rat {
	return share(autopsies, deaths)
}

// netAutopsyRate removes from the denominator the inpatient deaths released
// to the coroner or medical examiner and not autopsied by the hospital.
func netAutopsyRate(autopsies, deaths, unautopsiedME int64) *big.Rat {
	if unautopsiedME < 0 {
		return nil
	}
	return share(autopsies, deaths-unautopsiedME)
}

// infectionRate = hospital-acquired infections × 100 ÷ discharges,
// including deaths. A patient may have more than one infection, so the
// numerator is not capped by the denominator.
func infectionRate(infections, discharges int64) *big.Rat {
	return percent(infections, discharges)
}

// consultationRate = patients receiving consultations × 100 ÷ discharges,
// including deaths.
func consultationRate(patients, discharges int64) *big.Rat {
	return share(patients, discharges)
}

// cesareanRate = cesarean sections × 100 ÷ total deliveries.
func cesareanRate(cesareans, deliveries int64) *big.Rat {
	return share(cesareans, deliveries)
}

// drgLine is one MS-DRG (or group) of a case mix: its relative weight in
// ten-thousandths (0.8842 is 8842), the precision CMS publishes, and its
// number of discharges.
type drgLine struct {
	weight, cases int64
}

// caseMixIndex = Σ(relative weight × discharges) ÷ total discharges: the
// average relative weight per discharge.
func caseMixIndex(lines []drgLine) *big.Rat {
	var sum, cases int64
	for _, l := range lines {
		if l.weight < 0 || l.cases < 0 {
			return nil
		}
		sum += l.weight * l.cases
		cases += l.cases
	}
	if cases <= 0 {
		return nil
	}
	return big.NewRat(sum, cases*10000)
}
