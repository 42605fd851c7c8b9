package statgen

import (
	"math/big"
	"testing"
)

// The worked examples below come from the healthcare statistics texts the
// bank cites (Horton, Calculating and Reporting Healthcare Statistics, and
// the other sources in its references) and from the hand-written,
// second-read items of the statistics bank. A formula that
// disagrees with any of them must not generate a single question.

func TestFormulasAgainstWorkedExamples(t *testing.T) {
	tests := []struct {
		name   string
		got    *big.Rat
		places int
		want   string
	}{
		// Census and average daily census: 9,300 A&C service days in a 30-day month.
		{"ADC 9,300 / 30", averageDailyCensus(9300, 30), 0, "310"},
		{"ADC 9,300 / 30 to one place", averageDailyCensus(9300, 30), 1, "310.0"},
		// ALOS: stays of 6 + 11 + 5 + 8 = 30 days for 4 discharges.
		{"ALOS 30 / 4", averageLengthOfStay(6+11+5+8, 4), 1, "7.5"},
		{"ALOS bank 3,896 / 812", averageLengthOfStay(3896, 812), 1, "4.8"},
		// Occupancy.
		{"occupancy 4,000 / (150 × 30)", occupancyPercent(4000, 150*30), 2, "88.89"},
		{"occupancy 1,712 / (72 × 31)", occupancyPercent(1712, 72*31), 2, "76.70"},
		{"occupancy 9,001 / (50 × 181)", occupancyPercent(9001, 50*daysInSpan(2027, 1, 6)), 2, "99.46"},
		{"occupancy bank 2,108 / (85 × 30)", occupancyPercent(2108, 85*30), 2, "82.67"},
		{"occupancy bank leap year 96,840 / (310 × 366)", occupancyPercent(96840, 310*daysInSpan(2028, 1, 12)), 2, "85.35"},
		{"occupancy bed change 70,000 / 82,200", occupancyPercent(70000, bedCountDays([]bedSpan{{200, daysInSpan(2027, 1, 6)}, {250, daysInSpan(2027, 7, 12)}})), 2, "85.16"},
		{"occupancy bank bed change 61,400 / 73,950", occupancyPercent(61400, bedCountDays([]bedSpan{{180, daysInSpan(2027, 1, 3)}, {210, daysInSpan(2027, 4, 12)}})), 2, "83.03"},
		// Bed turnover, direct: 50 beds, 2,920 discharges in a year.
		{"turnover 2,920 / 50", bedTurnover(2920, 50*365, 365), 1, "58.4"},
		{"turnover bank 9,870 / 180", bedTurnover(9870, 180*365, 365), 2, "54.83"},
		// Mortality: 1,000 discharges, 30 deaths, 5 under 48 hours.
		{"gross death 30 / 1,000", grossDeathRate(30, 1000), 2, "3.00"},
		{"net death 25 / 995", netDeathRate(30, 5, 1000), 2, "2.51"},
		{"gross death bank 212 / 9,640", grossDeathRate(212, 9640), 2, "2.20"},
		{"net death bank 151 / 9,579", netDeathRate(212, 61, 9640), 2, "1.58"},
		{"newborn death 3 / 105", newbornDeathRate(3, 105), 2, "2.86"},
		// Fetal: live births 276, early 4 (excluded), intermediate 3, late 2.
		{"fetal death 5 / 281", fetalDeathRate(3, 2, 276), 2, "1.78"},
		{"fetal death bank 8 / 1,060", fetalDeathRate(5, 3, 1052), 2, "0.75"},
		// Autopsy: 45 deaths, 5 unautopsied medical examiner cases, 8 autopsies.
		{"net autopsy 8 / 40", netAutopsyRate(8, 45, 5), 2, "20.00"},
		{"gross autopsy 8 / 45", grossAutopsyRate(8, 45), 2, "17.78"},
		{"net autopsy bank 38 / 200", netAutopsyRate(38, 212, 12), 2, "19.00"},
		{"gross autopsy bank 38 / 212", grossAutopsyRate(38, 212), 2, "17.92"},
		// Infection: 23 infections, 7,690 A&C + 989 NB discharges.
		{"infection 23 / 8,679", infectionRate(23, 7690+989), 2, "0.27"},
		{"infection 23 / 8,679 to three places", infectionRate(23, 7690+989), 3, "0.265"},
		{"consultation 197 / 1,028", consultationRate(197, 1028), 2, "19.16"},
		{"cesarean bank 331 / 1,060", cesareanRate(331, 1060), 2, "31.23"},
		// Case mix: 10 cases at 1.0, 5 at 2.0, 5 at 0.9.
		{"CMI (10×1.0 + 5×2.0 + 5×0.9) / 20", caseMixIndex([]drgLine{{10000, 10}, {20000, 5}, {9000, 5}}), 4, "1.2250"},
		{"CMI to three places", caseMixIndex([]drgLine{{10000, 10}, {20000, 5}, {9000, 5}}), 3, "1.225"},
		{"CMI bank Riverside", caseMixIndex([]drgLine{{8842, 45}, {12310, 30}, {20456, 15}, {36771, 10}}), 4, "1.4417"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got == nil {
				t.Fatal("formula returned nil")
			}
			if got := rounded(tt.got, tt.places); got != tt.want {
				t.Errorf("= %s (exact %s), want %s", got, tt.got.RatString(), tt.want)
			}
		})
	}
}

func TestServiceDaysAndBedCountDays(t *testing.T) {
	if got := serviceDays([]int64{27, 29, 30, 28, 31, 26, 25}); got != 196 {
		t.Errorf("serviceDays = %d, want 196", got)
	}
	if got := serviceDays([]int64{3, -1}); got != -1 {
		t.Errorf("serviceDays with a negative census = %d, want -1", got)
	}
	tests := []struct {
		name  string
		spans []bedSpan
		want  int64
	}{
		{"200 Jan–Jun + 250 Jul–Dec, common year", []bedSpan{{200, daysInSpan(2027, 1, 6)}, {250, daysInSpan(2027, 7, 12)}}, 82200},
		{"200 Jan–Jun + 250 Jul–Dec, leap year", []bedSpan{{200, daysInSpan(2028, 1, 6)}, {250, daysInSpan(2028, 7, 12)}}, 82400},
		{"bank: 100 Jan–Sep + 140 Oct–Dec 2027", []bedSpan{{100, daysInSpan(2027, 1, 9)}, {140, daysInSpan(2027, 10, 12)}}, 40180},
		{"negative", []bedSpan{{-1, 30}}, -1},
	}
	for _, tt := range tests {
		if got := bedCountDays(tt.spans); got != tt.want {
			t.Errorf("%s: bedCountDays = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestCalendarDays(t *testing.T) {
	tests := []struct {
		y, first, last int
		want           int64
	}{
		{2027, 1, 6, 181},    // Jan–Jun of a common year
		{2028, 1, 6, 182},    // Jan–Jun of a leap year
		{2027, 7, 12, 184},   // Jul–Dec
		{2027, 1, 12, 365},   // common year
		{2028, 1, 12, 366},   // leap year
		{2024, 2, 2, 29},     // February 2024
		{2025, 2, 2, 28},     // February 2025
		{2028, -2, 3, 183},   // 1 October 2027 through 31 March 2028
		{2028, 0, 2, 91},     // December 2027 through February 2028
		{2100, 2, 2, 28},     // century year, not a leap year
		{2000, 2, 2, 29},     // divisible by 400, a leap year
		{2027, 10, 12, 92},   // fourth quarter
		{2028, 1, 3, 91},     // first quarter of a leap year
		{2027, 1, 3, 90},     // first quarter of a common year
		{2026, 11, 11, 30},   // November
		{2026, 12, 12, 31},   // December
		{2026, 13, 13, 31},   // January of the next year, by normalisation
		{2028, -10, -10, 28}, // February 2027
	}
	for _, tt := range tests {
		if got := daysInSpan(tt.y, tt.first, tt.last); got != tt.want {
			t.Errorf("daysInSpan(%d, %d, %d) = %d, want %d", tt.y, tt.first, tt.last, got, tt.want)
		}
	}
}

func TestFormulasRefuseMeaninglessInput(t *testing.T) {
	tests := []struct {
		name string
		got  *big.Rat
	}{
		{"ADC over zero days", averageDailyCensus(100, 0)},
		{"ALOS over zero discharges", averageLengthOfStay(30, 0)},
		{"occupancy over zero bed days", occupancyPercent(100, 0)},
		{"turnover with zero beds", bedTurnover(100, 0, 30)},
		{"turnover over zero days", bedTurnover(100, 3000, 0)},
		{"gross death over zero discharges", grossDeathRate(0, 0)},
		{"more deaths than discharges", grossDeathRate(11, 10)},
		{"net death with every discharge an early death", netDeathRate(5, 5, 5)},
		{"net death with more early deaths than deaths", netDeathRate(3, 4, 100)},
		{"newborn death over zero discharges", newbornDeathRate(0, 0)},
		{"fetal death with nothing", fetalDeathRate(0, 0, 0)},
		{"fetal death with negative count", fetalDeathRate(-1, 2, 100)},
		{"gross autopsy over zero deaths", grossAutopsyRate(0, 0)},
		{"net autopsy with every death an ME case", netAutopsyRate(0, 5, 5)},
		{"net autopsy with more autopsies than available bodies", netAutopsyRate(5, 10, 6)},
		{"infection over zero discharges", infectionRate(3, 0)},
		{"negative infections", infectionRate(-3, 10)},
		{"consultation over zero discharges", consultationRate(0, 0)},
		{"cesarean over zero deliveries", cesareanRate(0, 0)},
		{"more cesareans than deliveries", cesareanRate(11, 10)},
		{"CMI with no cases", caseMixIndex(nil)},
		{"CMI with a negative weight", caseMixIndex([]drgLine{{-1, 3}})},
	}
	for _, tt := range tests {
		if tt.got != nil {
			t.Errorf("%s = %s, want nil", tt.name, tt.got.RatString())
		}
	}
}

func TestRoundHalfUpAndTies(t *testing.T) {
	tests := []struct {
		x      *big.Rat
		places int
		want   string
		tie    bool
	}{
		{big.NewRat(2675, 1000), 2, "2.68", true}, // float64 would give 2.67
		{big.NewRat(1005, 1000), 2, "1.01", true},
		{big.NewRat(265, 1000), 2, "0.27", true},
		{big.NewRat(2, 3), 2, "0.67", false},
		{big.NewRat(1, 3), 2, "0.33", false},
		{big.NewRat(12250, 10000), 3, "1.225", false},
		{big.NewRat(12250, 10000), 2, "1.23", true},
		{big.NewRat(1234567, 1), 0, "1,234,567", false},
		{big.NewRat(5, 10), 0, "1", true},
		{big.NewRat(49, 100), 0, "0", false},
		{big.NewRat(0, 1), 2, "0.00", false},
		{big.NewRat(1, 200), 2, "0.01", true},
		{big.NewRat(2675000001, 1000000000), 2, "2.68", true}, // 1e-9 from the tie
		{big.NewRat(2675002, 1000000), 2, "2.68", false},      // 2e-6 from the tie
		{big.NewRat(26749995, 10000000), 2, "2.67", true},     // 5e-7 below the tie
		{big.NewRat(2674999, 1000000), 2, "2.67", true},       // exactly 1e-6 below: within
		{big.NewRat(26749989, 10000000), 2, "2.67", false},    // 1.1e-6 below: not within
		{big.NewRat(1363251, 1000000), 4, "1.3633", true},     // found by FuzzGenerate
		{big.NewRat(99999, 20000), 4, "5.0000", true},         // 4.99995
		{big.NewRat(1441740, 1000000), 4, "1.4417", false},    // Riverside CMI
		{big.NewRat(400000, 4500), 2, "88.89", false},         // 88.888…
		{big.NewRat(7000000, 82200), 2, "85.16", false},       // 85.158…
		{big.NewRat(1, 1000000000), 2, "0.00", false},         // tiny
		{big.NewRat(14999999, 10000000), 0, "1", true},        // 1.4999999: 1e-7 below 1.5
		{big.NewRat(15, 10), 0, "2", true},                    // 1.5
	}
	for _, tt := range tests {
		if got := rounded(tt.x, tt.places); got != tt.want {
			t.Errorf("rounded(%s, %d) = %s, want %s", tt.x.RatString(), tt.places, got, tt.want)
		}
		if got := nearTie(tt.x, tt.places); got != tt.tie {
			t.Errorf("nearTie(%s, %d) = %v, want %v", tt.x.RatString(), tt.places, got, tt.tie)
		}
	}
}

func TestTextHelpers(t *testing.T) {
	tests := []struct{ got, want string }{
		{num(0), "0"},
		{num(999), "999"},
		{num(1000), "1,000"},
		{num(8679), "8,679"},
		{num(219600), "219,600"},
		{num(1234567), "1,234,567"},
		{weight(8842), "0.8842"},
		{weight(36771), "3.6771"},
		{weight(441740), "44.1740"},
		{worked(big.NewRat(400000, 4500), 2), "88.8888… → 88.89"},
		{worked(big.NewRat(875, 10), 2), "87.50"},
		{worked(big.NewRat(12250, 10000), 4), "1.2250"},
		{worked(big.NewRat(1441740, 1000000), 4), "1.44174 → 1.4417"},
		{worked(big.NewRat(2300, 8679), 2), "0.2650… → 0.27"},
		{worked(big.NewRat(1712*100, 72*31), 2), "76.7025… → 76.70"},
		{worked(big.NewRat(1234567, 100), 1), "12,345.67 → 12,345.7"},
		{decimal(big.NewRat(9300, 30), 0, 2), "310"},
		{decimal(big.NewRat(393, 2), 0, 2), "196.5"},
		{decimal(big.NewRat(1295, 3), 0, 2), "431.66…"},
		{roundingRule(0), "Round to the nearest whole number."},
		{roundingRule(1), "Round to one decimal place."},
		{roundingRule(2), "Round to two decimal places."},
		{roundingRule(4), "Round to four decimal places."},
		{spanText(2027, 4, 6, false), "1 April through 30 June"},
		{spanText(2028, 2, 4, true), "1 February through 30 April 2028"},
		{spanText(2028, -2, 3, true), "1 October 2027 through 31 March 2028"},
		{spanText(2028, 1, 2, false), "1 January through 29 February"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	for places, want := range map[int]float64{0: 0.5, 1: 0.05, 2: 0.005, 4: 0.00005} {
		if got := tolerance(places); got != want {
			t.Errorf("tolerance(%d) = %v, want %v", places, got, want)
		}
	}
}
