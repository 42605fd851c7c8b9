package statgen

import (
	"fmt"
	"math/big"
	"strings"
)

// Mortality, autopsy, infection, consultation, cesarean and case mix
// templates. Rates are percentages to two decimal places, as the AHIMA texts
// report them; each stem may carry figures that belong to a different rate,
// because telling which figures a formula uses is the skill being practised.

// rateStep writes "n × 100 ÷ den = 2.8571… → 2.86%."
func (d *draw) rateStep(n, den int64, exact *big.Rat) string {
	return fmt.Sprintf("%s × 100 ÷ %s = %s%%.", num(n), num(den), d.worked(exact))
}

// hospitalDischarges draws a discharge count for a hospital of 50–600 beds
// over the period.
func (d *draw) hospitalDischarges(pd period) int64 {
	return d.dischargesFor(d.between(50, 600), pd.days)
}

// genGrossDeath: gross (hospital) death rate.
func genGrossDeath(d *draw) *item {
	h := d.hospital()
	pd := d.period("mqy")
	n := d.hospitalDischarges(pd)
	deaths := max(1, d.portion(n, 5, 50))
	live := n - deaths
	doa := d.between(1, 12)
	fetal := d.between(1, 10)
	exact := grossDeathRate(deaths, n)
	in := map[string]int64{"deaths": deaths}

	p := d.pick(3)
	var stem, wrong string
	switch p {
	case 0:
		in["discharges"] = n
		stem = fmt.Sprintf("%s discharged %s inpatients (adults, children and newborns) in %s, including %s. Newborns are included in the hospital's rates. Calculate the gross death rate.",
			h, num(n), pd.noun, plural(deaths, "inpatient death", "inpatient deaths"))
		if w := percent(deaths, live); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing by the discharges minus the deaths (%s × 100 ÷ %s = %s%%) is wrong: the %s figure already includes the deaths, which are discharges.", num(deaths), num(live), d.key(w), num(n))
		}
	case 1:
		in["live"] = live
		stem = fmt.Sprintf("In %s, %s recorded %s live discharges and %s, newborns included in both figures. What was the gross (hospital) death rate?",
			pd.noun, h, num(live), plural(deaths, "inpatient death", "inpatient deaths"))
		if w := percent(deaths, live); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing by the live discharges only (%s × 100 ÷ %s = %s%%) is wrong: deaths are discharges and belong in the denominator.", num(deaths), num(live), d.key(w))
		}
	default:
		in["discharges"] = n
		in["doa"] = doa
		in["fetal"] = fetal
		stem = lines(
			fmt.Sprintf("Mortality data for %s, %s; newborns are included in hospital rates:", h, pd.noun),
			fmt.Sprintf("- Discharges (adults, children and newborns), including deaths: %s", num(n)),
			fmt.Sprintf("- Inpatient deaths: %s", num(deaths)),
			fmt.Sprintf("- Patients dead on arrival in the emergency department (not included above): %s", num(doa)),
			fmt.Sprintf("- Intermediate and late fetal deaths (not included above): %s", num(fetal)),
			"Calculate the gross death rate.")
		if w := percent(deaths+doa+fetal, n); d.differs(w, exact) {
			wrong = fmt.Sprintf("Adding the dead-on-arrival patients and the fetal deaths ((%s + %s + %s) × 100 ÷ %s = %s%%) is wrong: neither group were inpatients, and fetal deaths have their own rate.", num(deaths), num(doa), num(fetal), num(n), d.key(w))
		}
	}
	r := []string{"Gross death rate = inpatient deaths (newborns included) × 100 ÷ discharges, including deaths."}
	if p == 1 {
		r = append(r, fmt.Sprintf("Discharges: %s + %s = %s.", num(live), num(deaths), num(n)))
	}
	r = append(r, d.rateStep(deaths, n, exact))
	if wrong != "" {
		r = append(r, wrong)
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refGrossDeath}, phrasing: p, in: in}
}

// genNetDeath: net (institutional) death rate.
func genNetDeath(d *draw) *item {
	h := d.hospital()
	pd := d.period("mqy")
	n := d.hospitalDischarges(pd)
	deaths := max(2, d.portion(n, 8, 50))
	early := max(1, d.portion(deaths, 100, 400))
	later := deaths - early
	exact := netDeathRate(deaths, early, n)
	in := map[string]int64{"discharges": n, "early": early}

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		in["deaths"] = deaths
		stem = fmt.Sprintf("In %s, %s had %s discharges, including deaths. Of its %s inpatient deaths, %s occurred less than 48 hours after admission. Calculate the net death rate.",
			pd.noun, h, num(n), num(deaths), num(early))
	case 1:
		in["deaths"] = deaths
		stem = lines(
			fmt.Sprintf("%s, %s:", h, pd.noun),
			fmt.Sprintf("- Discharges, including deaths: %s", num(n)),
			fmt.Sprintf("- Inpatient deaths, total: %s", num(deaths)),
			fmt.Sprintf("- Inpatient deaths less than 48 hours after admission: %s", num(early)),
			fmt.Sprintf("Calculate the net (institutional) death rate for the %s.", pd.unit))
	default:
		in["later"] = later
		stem = fmt.Sprintf("The quality committee of %s wants mortality for %s reported without the deaths that occurred less than 48 hours after admission. There were %s discharges, including %s less than 48 hours after admission and %s 48 hours or more after admission. What was the net death rate?",
			h, pd.noun, num(n), plural(early, "death", "deaths"), plural(later, "death", "deaths"))
	}
	r := []string{"Net death rate = (inpatient deaths − deaths less than 48 hours after admission) × 100 ÷ (discharges, including deaths − deaths less than 48 hours after admission)."}
	if p == 2 {
		r = append(r, fmt.Sprintf("Total inpatient deaths: %s + %s = %s.", num(early), num(later), num(deaths)))
	}
	r = append(r,
		fmt.Sprintf("(%s − %s) × 100 ÷ (%s − %s) = %s", num(deaths), num(early), num(n), num(early), d.rateStep(later, n-early, exact)))
	if w := percent(later, n); d.differs(w, exact) {
		r = append(r, fmt.Sprintf("Subtracting the early deaths from the numerator only (%s × 100 ÷ %s = %s%%) is wrong: those patients were also discharges and must leave the denominator as well.", num(later), num(n), d.key(w)))
	}
	r = append(r, fmt.Sprintf("For comparison, the gross death rate is %s × 100 ÷ %s = %s%%.", num(deaths), num(n), d.key(grossDeathRate(deaths, n))))
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refNetDeath}, phrasing: p, in: in}
}

// genNewbornDeath: newborn death rate.
func genNewbornDeath(d *draw) *item {
	h := d.hospital()
	pd := d.period("qyy")
	m := d.between(400, 4500) * pd.days / 365
	deaths := max(1, d.portion(m, 4, 30))
	live := m - deaths
	still := d.between(1, 12)
	exact := newbornDeathRate(deaths, m)
	in := map[string]int64{"deaths": deaths}

	p := d.pick(3)
	var stem, wrong string
	switch p {
	case 0:
		in["discharges"] = m
		in["stillbirths"] = still
		stem = fmt.Sprintf("The nursery of %s discharged %s newborns in %s, including %s. In the same period the hospital recorded %s (intermediate and late fetal deaths). Calculate the newborn death rate.",
			h, num(m), pd.noun, plural(deaths, "newborn death", "newborn deaths"), plural(still, "stillbirth", "stillbirths"))
		if w := percent(deaths+still, m+still); d.differs(w, exact) {
			wrong = fmt.Sprintf("Counting the stillbirths as newborn deaths ((%s + %s) × 100 ÷ (%s + %s) = %s%%) is wrong: a stillborn infant was never a live-born newborn, and fetal deaths have their own rate.", num(deaths), num(still), num(m), num(still), d.key(w))
		}
	case 1:
		total := m*int64(5+d.pick(6)) + d.between(0, 999)
		adultDeaths := max(deaths+1, d.portion(total, 10, 30))
		in["discharges"] = m
		in["hospitalDischarges"] = total
		in["hospitalDeaths"] = adultDeaths
		stem = lines(
			fmt.Sprintf("%s, %s:", h, pd.noun),
			fmt.Sprintf("- Hospital discharges, all patients including newborns and deaths: %s", num(total)),
			fmt.Sprintf("- Inpatient deaths, all patients: %s", num(adultDeaths)),
			fmt.Sprintf("- Newborn discharges, including deaths: %s", num(m)),
			fmt.Sprintf("- Newborn deaths: %s", num(deaths)),
			"Calculate the newborn death rate.")
		if w := percent(deaths, total); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing the newborn deaths by all hospital discharges (%s × 100 ÷ %s = %s%%) is wrong: numerator and denominator must describe the same population, the newborns.", num(deaths), num(total), d.key(w))
		}
	default:
		in["live"] = live
		stem = fmt.Sprintf("In %s, %s newborns were discharged alive from %s and %s died before discharge. What was the newborn death rate?",
			pd.noun, num(live), h, plural(deaths, "newborn", "newborns"))
		if w := percent(deaths, live); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing by the newborns discharged alive only (%s × 100 ÷ %s = %s%%) is wrong: newborn deaths are newborn discharges too.", num(deaths), num(live), d.key(w))
		}
	}
	r := []string{"Newborn death rate = newborn deaths × 100 ÷ newborn discharges, including deaths."}
	if p == 2 {
		r = append(r, fmt.Sprintf("Newborn discharges: %s + %s = %s.", num(live), num(deaths), num(m)))
	}
	r = append(r, d.rateStep(deaths, m, exact))
	if wrong != "" {
		r = append(r, wrong)
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refNewborn}, phrasing: p, in: in}
}

// genFetalDeath: hospital fetal death rate, early fetal deaths excluded.
func genFetalDeath(d *draw) *item {
	h := d.hospital()
	pd := d.period("qyy")
	births := d.between(400, 4500) * pd.days / 365
	f := max(2, d.portion(births, 4, 25))
	inter := d.between(1, f-1)
	late := f - inter
	early := d.between(1, 15)
	exact := fetalDeathRate(inter, late, births)
	in := map[string]int64{"liveBirths": births, "intermediate": inter, "late": late, "early": early}

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		stem = lines(
			fmt.Sprintf("Obstetric data, %s, %s:", h, pd.noun),
			fmt.Sprintf("- Live births: %s", num(births)),
			fmt.Sprintf("- Early fetal deaths (less than 20 completed weeks of gestation): %s", num(early)),
			fmt.Sprintf("- Intermediate fetal deaths (20 to 27 weeks): %s", num(inter)),
			fmt.Sprintf("- Late fetal deaths (28 weeks or more): %s", num(late)),
			"Calculate the hospital fetal death rate.")
	case 1:
		stem = fmt.Sprintf("In %s there were %s live births at %s. The hospital also recorded %s early, %s intermediate and %s late fetal deaths. What was the fetal death rate?",
			pd.noun, num(births), h, num(early), num(inter), num(late))
	default:
		stem = fmt.Sprintf("The perinatal review committee of %s is reviewing stillbirths for %s: %s intermediate and %s late fetal deaths, against %s live births. The delivery log also lists %s early fetal deaths. Calculate the fetal death rate.",
			h, pd.noun, num(inter), num(late), num(births), num(early))
	}
	r := []string{
		"Fetal death rate = (intermediate + late fetal deaths) × 100 ÷ (live births + intermediate + late fetal deaths). Early fetal deaths are excluded.",
		fmt.Sprintf("Numerator: %s + %s = %s. Denominator: %s + %s = %s.", num(inter), num(late), num(f), num(births), num(f), num(births+f)),
		d.rateStep(f, births+f, exact),
	}
	if w := percent(f+early, births+f+early); d.differs(w, exact) {
		r = append(r, fmt.Sprintf("Counting the early fetal deaths too (%s × 100 ÷ %s = %s%%) is wrong: early fetal deaths are not part of this rate.", num(f+early), num(births+f+early), d.key(w)))
	}
	if w := percent(f, births); d.differs(w, exact) {
		r = append(r, fmt.Sprintf("Dividing by live births alone (%s × 100 ÷ %s = %s%%) leaves the fetal deaths out of the denominator, although each of them could have been a live birth.", num(f), num(births), d.key(w)))
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refFetal, refFetalClass}, phrasing: p, in: in}
}

// autopsyFigures draws inpatient deaths, autopsies and unautopsied medical
// examiner cases for a period, consistent with each other.
func (d *draw) autopsyFigures(pd period) (deaths, autopsies, me int64) {
	deaths = max(20, d.portion(d.hospitalDischarges(pd), 10, 40))
	me = max(1, d.portion(deaths, 20, 120))
	autopsies = max(1, d.portion(deaths-me, 60, 550))
	return deaths, autopsies, me
}

// genGrossAutopsy: gross autopsy rate.
func genGrossAutopsy(d *draw) *item {
	h := d.hospital()
	pd := d.period("qyy")
	deaths, autopsies, me := d.autopsyFigures(pd)
	exact := grossAutopsyRate(autopsies, deaths)
	in := map[string]int64{"deaths": deaths, "autopsies": autopsies}

	p := d.pick(3)
	var stem string
	switch p {
	case 0:
		stem = fmt.Sprintf("In %s, %s inpatients died at %s, and the hospital pathologist performed autopsies on %s of them. Calculate the gross autopsy rate.",
			pd.noun, num(deaths), h, num(autopsies))
	case 1:
		in["me"] = me
		stem = lines(
			fmt.Sprintf("Autopsy report, %s, %s:", h, pd.noun),
			fmt.Sprintf("- Inpatient deaths: %s", num(deaths)),
			fmt.Sprintf("- Autopsies performed on inpatient deaths: %s", num(autopsies)),
			fmt.Sprintf("- Inpatient deaths released to the medical examiner and not autopsied: %s", num(me)),
			"Calculate the gross autopsy rate.")
	default:
		in["me"] = me
		stem = fmt.Sprintf("The autopsy committee of %s compares autopsies with all inpatient deaths. For %s there were %s inpatient deaths, %s of them released to the coroner and not autopsied, and %s autopsies on inpatient deaths. What was the gross autopsy rate?",
			h, pd.noun, num(deaths), num(me), num(autopsies))
	}
	r := []string{
		"Gross autopsy rate = autopsies on inpatient deaths × 100 ÷ total inpatient deaths.",
		d.rateStep(autopsies, deaths, exact),
	}
	if p == 0 {
		r = append(r, "Every inpatient death stays in the denominator of the gross rate; removing the deaths released to the coroner or medical examiner and not autopsied would give the net autopsy rate instead.")
	} else {
		if w := netAutopsyRate(autopsies, deaths, me); d.differs(w, exact) {
			r = append(r, fmt.Sprintf("Removing the %s released to the medical examiner or coroner (%s × 100 ÷ %s = %s%%) gives the net autopsy rate, not the gross rate; the gross rate keeps every inpatient death in the denominator.", plural(me, "case", "cases"), num(autopsies), num(deaths-me), d.key(w)))
		}
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refGrossAutopsy}, phrasing: p, in: in}
}

// genNetAutopsy: net autopsy rate.
func genNetAutopsy(d *draw) *item {
	h := d.hospital()
	pd := d.period("qyy")
	deaths, autopsies, me := d.autopsyFigures(pd)
	exact := netAutopsyRate(autopsies, deaths, me)
	in := map[string]int64{"deaths": deaths, "autopsies": autopsies, "me": me}

	p := d.pick(3)
	var stem, extra string
	switch p {
	case 0:
		stem = fmt.Sprintf("During %s, %s inpatients died at %s. The bodies of %s were released to the medical examiner and not autopsied, and the hospital pathologist autopsied %s of the remaining deaths. Calculate the net autopsy rate.",
			pd.noun, num(deaths), h, num(me), num(autopsies))
	case 1:
		stem = lines(
			fmt.Sprintf("%s autopsy statistics, %s:", h, pd.noun),
			fmt.Sprintf("- Inpatient deaths: %s", num(deaths)),
			fmt.Sprintf("- Inpatient deaths released to the coroner or medical examiner and not autopsied: %s", num(me)),
			fmt.Sprintf("- Autopsies performed by the hospital pathologist on inpatient deaths: %s", num(autopsies)),
			"Calculate the net autopsy rate.")
	default:
		early := max(1, d.portion(deaths, 100, 350))
		in["early"] = early
		stem = fmt.Sprintf("The autopsy committee of %s reports autopsies as a share of the bodies available to the hospital. In %s there were %s inpatient deaths, %s of them less than 48 hours after admission; %s released to the medical examiner that the hospital did not autopsy; and %s autopsies performed on inpatient deaths. What was the net autopsy rate?",
			h, pd.noun, num(deaths), num(early), plural(me, "was a case", "were cases"), num(autopsies))
		extra = fmt.Sprintf("The %s less than 48 hours after admission stay in the denominator: that adjustment belongs to the net death rate, not to autopsy rates.", plural(early, "death", "deaths"))
	}
	r := []string{
		"Net autopsy rate = autopsies on inpatient deaths × 100 ÷ (inpatient deaths − unautopsied coroner's or medical examiner's cases), because bodies released to the coroner or medical examiner are not available to the hospital pathologist.",
		fmt.Sprintf("%s × 100 ÷ (%s − %s) = %s", num(autopsies), num(deaths), num(me), d.rateStep(autopsies, deaths-me, exact)),
	}
	if w := grossAutopsyRate(autopsies, deaths); d.differs(w, exact) {
		r = append(r, fmt.Sprintf("Dividing by all %s inpatient deaths (%s%%) gives the gross autopsy rate instead.", num(deaths), d.key(w)))
	}
	if extra != "" {
		r = append(r, extra)
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refNetAutopsy}, phrasing: p, in: in}
}

// genInfection: hospital-acquired (nosocomial) infection rate.
func genInfection(d *draw) *item {
	h := d.hospital()
	pd := d.period("mqy")
	n := d.hospitalDischarges(pd)
	nb := d.portion(n, 70, 130)
	ac := n - nb
	hai := max(1, d.portion(n, 2, 40))
	poa := d.between(2, 12) + d.portion(n, 2, 20)
	deaths := max(1, d.portion(n, 10, 30))
	exact := infectionRate(hai, n)
	in := map[string]int64{"infections": hai}

	p := d.pick(3)
	var stem, wrong string
	switch p {
	case 0:
		in["ac"] = ac
		in["nb"] = nb
		stem = fmt.Sprintf("In %s, %s discharged %s adults and children and %s newborns (deaths included in both figures). Infection control confirmed %s hospital-acquired infections among these patients, newborns included. Calculate the hospital-acquired infection rate.",
			pd.noun, h, num(ac), num(nb), num(hai))
		if w := percent(hai, ac); d.differs(w, exact) {
			wrong = fmt.Sprintf("Leaving the newborns out of the denominator (%s × 100 ÷ %s = %s%%) is wrong here, because the infection count includes newborns: numerator and denominator must cover the same patients.", num(hai), num(ac), d.key(w))
		}
	case 1:
		in["discharges"] = n
		in["poa"] = poa
		stem = fmt.Sprintf("%s had %s discharges, including deaths, in %s. The infection preventionist identified %s infections that developed after admission and %s further infections that were present on admission. What was the nosocomial infection rate?",
			h, num(n), pd.noun, num(hai), num(poa))
		if w := percent(hai+poa, n); d.differs(w, exact) {
			wrong = fmt.Sprintf("Adding the infections present on admission ((%s + %s) × 100 ÷ %s = %s%%) is wrong: they were acquired before the patients came in, so they are not hospital-acquired.", num(hai), num(poa), num(n), d.key(w))
		}
	default:
		in["live"] = n - deaths
		in["deaths"] = deaths
		in["poa"] = poa
		stem = lines(
			fmt.Sprintf("Infection surveillance, %s, %s:", h, pd.noun),
			fmt.Sprintf("- Live discharges: %s", num(n-deaths)),
			fmt.Sprintf("- Inpatient deaths: %s", num(deaths)),
			fmt.Sprintf("- Hospital-acquired infections: %s", num(hai)),
			fmt.Sprintf("- Infections present on admission: %s", num(poa)),
			"Calculate the hospital-acquired infection rate.")
		if w := percent(hai, n-deaths); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing by the live discharges only (%s × 100 ÷ %s = %s%%) is wrong: deaths are discharges and belong in the denominator. The infections present on admission are not counted at all.", num(hai), num(n-deaths), d.key(w))
		}
	}
	r := []string{"Hospital-acquired infection rate = hospital-acquired infections × 100 ÷ discharges, including deaths."}
	switch p {
	case 0:
		r = append(r, fmt.Sprintf("Discharges: %s + %s = %s.", num(ac), num(nb), num(n)))
	case 2:
		r = append(r, fmt.Sprintf("Discharges: %s + %s = %s.", num(n-deaths), num(deaths), num(n)))
	}
	r = append(r, d.rateStep(hai, n, exact))
	if wrong != "" {
		r = append(r, wrong)
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refInfection}, phrasing: p, in: in}
}

// genConsultation: consultation rate.
func genConsultation(d *draw) *item {
	h := d.hospital()
	pd := d.period("mqy")
	n := d.hospitalDischarges(pd)
	patients := d.portion(n, 150, 700)
	consults := patients + d.portion(patients, 80, 450)
	deaths := max(1, d.portion(n, 10, 30))
	exact := consultationRate(patients, n)
	in := map[string]int64{"patients": patients}

	p := d.pick(3)
	var stem, wrong string
	switch p {
	case 0:
		in["discharges"] = n
		in["consults"] = consults
		stem = fmt.Sprintf("During %s, %s discharged %s patients, deaths included. Of these, %s received at least one consultation, and %s consultations were performed in all. Calculate the consultation rate.",
			pd.noun, h, num(n), num(patients), num(consults))
		if w := percent(consults, n); d.differs(w, exact) {
			wrong = fmt.Sprintf("Using the number of consultations (%s × 100 ÷ %s = %s%%) counts patients with several consultations more than once; the rate counts patients who received consultations.", num(consults), num(n), d.key(w))
		}
	case 1:
		in["live"] = n - deaths
		in["deaths"] = deaths
		stem = fmt.Sprintf("%s reported %s live discharges and %s for %s. The medical staff office counted %s of these patients who received a consultation. What was the consultation rate?",
			h, num(n-deaths), plural(deaths, "inpatient death", "inpatient deaths"), pd.noun, num(patients))
		if w := percent(patients, n-deaths); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing by the live discharges only (%s × 100 ÷ %s = %s%%) is wrong: deaths are discharges and belong in the denominator.", num(patients), num(n-deaths), d.key(w))
		}
	default:
		in["discharges"] = n
		stem = lines(
			fmt.Sprintf("Medical staff statistics, %s, %s:", h, pd.noun),
			fmt.Sprintf("- Discharges, including deaths: %s", num(n)),
			fmt.Sprintf("- Patients who received one or more consultations: %s", num(patients)),
			"Calculate the consultation rate.")
	}
	r := []string{"Consultation rate = patients receiving consultations × 100 ÷ discharges, including deaths."}
	if p == 2 {
		wrong = "The numerator counts patients, not consultations: a patient seen by several consultants counts once. Deaths stay in the denominator because they are discharges."
	}
	if p == 1 {
		r = append(r, fmt.Sprintf("Discharges: %s + %s = %s.", num(n-deaths), num(deaths), num(n)))
	}
	r = append(r, d.rateStep(patients, n, exact))
	if wrong != "" {
		r = append(r, wrong)
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refConsultation}, phrasing: p, in: in}
}

// genCesarean: cesarean section rate over deliveries, no multiple births.
func genCesarean(d *draw) *item {
	h := d.hospital()
	pd := d.period("qyy")
	deliveries := d.between(400, 4500) * pd.days / 365
	cs := d.portion(deliveries, 200, 400)
	vaginal := deliveries - cs
	still := d.between(1, 8)
	births := deliveries - still
	exact := cesareanRate(cs, deliveries)
	in := map[string]int64{"cesareans": cs}

	p := d.pick(3)
	var stem, wrong string
	switch p {
	case 0:
		in["deliveries"] = deliveries
		stem = fmt.Sprintf("In %s, %s recorded %s deliveries, %s of them by cesarean section. There were no multiple births. Calculate the cesarean section rate.",
			pd.noun, h, num(deliveries), num(cs))
	case 1:
		in["vaginal"] = vaginal
		stem = fmt.Sprintf("The obstetric unit of %s recorded %s vaginal deliveries and %s cesarean deliveries in %s; there were no multiple births. What was the C-section rate?",
			h, num(vaginal), num(cs), pd.noun)
		if w := percent(cs, vaginal); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing by the vaginal deliveries only (%s × 100 ÷ %s = %s%%) compares cesareans with the other deliveries instead of with all deliveries.", num(cs), num(vaginal), d.key(w))
		}
	default:
		in["deliveries"] = deliveries
		in["liveBirths"] = births
		stem = lines(
			fmt.Sprintf("Obstetric statistics, %s, %s:", h, pd.noun),
			fmt.Sprintf("- Deliveries (no multiple births): %s", num(deliveries)),
			fmt.Sprintf("- Cesarean sections: %s", num(cs)),
			fmt.Sprintf("- Live births: %s", num(births)),
			"Calculate the cesarean section rate.")
		if w := percent(cs, births); d.differs(w, exact) {
			wrong = fmt.Sprintf("Dividing by live births (%s × 100 ÷ %s = %s%%) is wrong: the denominator is deliveries, and some deliveries did not end in a live birth.", num(cs), num(births), d.key(w))
		}
	}
	r := []string{"Cesarean section rate = cesarean sections × 100 ÷ total deliveries. With no multiple births, each delivery counts once."}
	if p == 0 {
		wrong = "The denominator is all deliveries, vaginal and cesarean, not live births: a delivery that ends in a fetal death is still a delivery."
	}
	if p == 1 {
		r = append(r, fmt.Sprintf("Deliveries: %s + %s = %s.", num(vaginal), num(cs), num(deliveries)))
	}
	r = append(r, d.rateStep(cs, deliveries, exact))
	if wrong != "" {
		r = append(r, wrong)
	}
	return &item{exact: exact, stem: stem, rationale: lines(r...), refs: []string{refCesarean}, phrasing: p, in: in}
}

// genCaseMix: case mix index from hypothetical MS-DRG groups. The weights
// are invented on purpose, so no learner memorises a real weight from a
// practice item.
func genCaseMix(d *draw) *item {
	h := d.hospital()
	pd := d.period("mmq")
	k := int(d.between(3, 6))
	letter := int(d.between(0, 26-int64(k)))
	groups := make([]drgLine, k)
	in := map[string]int64{"_groups": int64(k)}
	var total, sum int64
	var sumW int64
	for i := range groups {
		// Most MS-DRGs weigh 0.5–1.8; a few surgical groups weigh more.
		// Mixing the two keeps the index in the range real hospitals
		// report (about 0.8 to 2.5).
		w := d.between(5000, 18000)
		if d.pick(4) == 0 {
			w = d.between(18000, 45000)
		}
		if i > 0 && w == groups[i-1].weight {
			w++
		}
		groups[i] = drgLine{weight: w, cases: d.between(5, 150)}
		in[fmt.Sprintf("w%d_w4", i)] = w
		in[fmt.Sprintf("n%d", i)] = groups[i].cases
		total += groups[i].cases
		sum += w * groups[i].cases
		sumW += w
	}
	exact := caseMixIndex(groups)
	name := func(i int) string { return "Group " + string(rune('A'+letter+i)) }

	p := d.pick(3)
	var l []string
	switch p {
	case 0:
		l = append(l, fmt.Sprintf("%s grouped its Medicare inpatient discharges for %s into these hypothetical MS-DRGs:", h, pd.noun))
		for i, g := range groups {
			l = append(l, fmt.Sprintf("- %s: relative weight %s, %s discharges", name(i), weight(g.weight), num(g.cases)))
		}
		l = append(l, "Calculate the case mix index.")
	case 1:
		l = append(l, fmt.Sprintf("The revenue cycle manager of %s wants the Medicare case mix index for %s. Discharges by hypothetical MS-DRG:", h, pd.noun))
		for i, g := range groups {
			l = append(l, fmt.Sprintf("- %s discharges in %s (relative weight %s)", num(g.cases), name(i), weight(g.weight)))
		}
		l = append(l, "What was the case mix index?")
	default:
		var parts []string
		for i, g := range groups {
			parts = append(parts, fmt.Sprintf("%s cases in %s, weight %s", num(g.cases), name(i), weight(g.weight)))
		}
		l = append(l, fmt.Sprintf("All Medicare discharges of %s in %s fell into %d hypothetical MS-DRGs: %s. Calculate the hospital's case mix index for the period.",
			h, pd.noun, k, strings.Join(parts, "; ")))
	}
	r := []string{"Case mix index = Σ(relative weight × discharges) ÷ total discharges: the average relative weight per discharge."}
	var products, counts []string
	for i, g := range groups {
		r = append(r, fmt.Sprintf("%s: %s × %s = %s", name(i), weight(g.weight), num(g.cases), weight(g.weight*g.cases)))
		products = append(products, weight(g.weight*g.cases))
		counts = append(counts, num(g.cases))
	}
	r = append(r,
		fmt.Sprintf("Total relative weight = %s = %s.", strings.Join(products, " + "), weight(sum)),
		fmt.Sprintf("Total discharges = %s = %s.", strings.Join(counts, " + "), num(total)),
		fmt.Sprintf("%s ÷ %s = %s.", weight(sum), num(total), d.worked(exact)))
	if w := big.NewRat(sumW, int64(k)*10000); d.differs(w, exact) {
		r = append(r, fmt.Sprintf("Averaging the %d weights without weighting them by volume (%s ÷ %d = %s) ignores how many discharges fell in each group.", k, weight(sumW), k, d.key(w)))
	}
	return &item{exact: exact, stem: lines(l...), rationale: lines(r...), refs: []string{refCMI}, phrasing: p, in: in}
}
