package statgen

import "github.com/rhitprep/rhitprep/internal/quiz"

// registry lists the families in the order Families returns them. The ids
// are part of every generated question id, so they never change once
// shipped; a changed template gets a new id instead. Subtopics match the
// hand-written statistics bank so that generated and written items group
// together. lo and hi bound every key the family may produce: draws outside
// them are redrawn, so a learner never sees an implausible hospital.
var registry = []family{
	{Family{"service-days-census", "Inpatient service days from a daily census list", 3, "inpatient service days", quiz.Easy}, 0, 70, 340, genServiceDays},
	{Family{"average-daily-census", "Average daily census", 3, "average daily census", quiz.Easy}, 1, 25, 600, genADC},
	{Family{"average-length-of-stay", "Average length of stay", 3, "average length of stay", quiz.Medium}, 1, 3, 8, genALOS},
	{Family{"occupancy-month", "Percentage of occupancy for a month", 3, "percentage of occupancy", quiz.Easy}, 2, 55, 98, genOccupancyMonth},
	{Family{"occupancy-leap", "Percentage of occupancy in a leap year", 3, "percentage of occupancy (leap year)", quiz.Hard}, 2, 55, 98, genOccupancyLeap},
	{Family{"occupancy-bed-change", "Percentage of occupancy with a bed count change", 3, "percentage of occupancy (bed count change)", quiz.Hard}, 2, 55, 98, genOccupancyBedChange},
	{Family{"bed-turnover", "Bed turnover rate (direct formula)", 3, "bed turnover rate", quiz.Medium}, 2, 1, 130, genBedTurnover},
	{Family{"death-rate-gross", "Gross death rate", 3, "gross death rate", quiz.Easy}, 2, 0.5, 5, genGrossDeath},
	{Family{"death-rate-net", "Net (institutional) death rate", 3, "net death rate", quiz.Medium}, 2, 0.5, 5, genNetDeath},
	{Family{"death-rate-newborn", "Newborn death rate", 3, "newborn death rate", quiz.Medium}, 2, 0.3, 3, genNewbornDeath},
	{Family{"fetal-death-rate", "Fetal death rate", 3, "fetal death rate", quiz.Hard}, 2, 0.3, 3, genFetalDeath},
	{Family{"autopsy-rate-gross", "Gross autopsy rate", 3, "gross autopsy rate", quiz.Easy}, 2, 5, 60, genGrossAutopsy},
	{Family{"autopsy-rate-net", "Net autopsy rate", 3, "net autopsy rate", quiz.Medium}, 2, 5, 65, genNetAutopsy},
	{Family{"infection-rate", "Hospital-acquired infection rate", 3, "hospital-acquired infection rate", quiz.Medium}, 2, 0.2, 5, genInfection},
	{Family{"consultation-rate", "Consultation rate", 3, "consultation rate", quiz.Easy}, 2, 10, 80, genConsultation},
	{Family{"cesarean-rate", "Cesarean section rate", 3, "cesarean section rate", quiz.Easy}, 2, 15, 45, genCesarean},
	{Family{"case-mix-index", "Case mix index", 4, "case mix index", quiz.Medium}, 4, 0.6, 3, genCaseMix},
}
