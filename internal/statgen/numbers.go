package statgen

import (
	"math/big"
	"strings"
)

// Every key is computed as an exact rational number and rounded half up only
// once, at the end: binary floating point would turn a value such as 2.675
// into 2.67499… and round it the wrong way, and a learner would then be
// marked wrong for the textbook answer.

// pow10 returns 10^n as a big integer.
func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// roundHalfUp returns x rounded half up to places decimals, scaled by
// 10^places (so 88.8888… at two places is 8889). x must not be negative;
// every statistic here is a count or a ratio of counts.
func roundHalfUp(x *big.Rat, places int) *big.Int {
	// floor(x·10^p + 1/2) = floor((2·num·10^p + den) / (2·den)).
	n := new(big.Int).Mul(x.Num(), pow10(places))
	n.Mul(n, big.NewInt(2))
	n.Add(n, x.Denom())
	d := new(big.Int).Mul(x.Denom(), big.NewInt(2))
	return n.Quo(n, d) // num and den are non-negative, so Quo is floor
}

// tieScale is the reciprocal of how close to a rounding tie (…5 exactly) an
// exact result may come before the generator draws again: 1e-6. Keys are
// kept clear of ties so that none depends on a rounding convention (half up,
// half even, or a calculator's float error) that a learner might not share.
const tieScale = 1_000_000

// nearTie reports whether x lies within 1/tieScale (inclusive) of a value
// halfway between two neighbours at places decimals, such as 2.675 at two
// places.
func nearTie(x *big.Rat, places int) bool {
	// x·10^p = q + rem/den; the distance from the tie in units of x is
	// |2·rem − den| / (2·den·10^p).
	rem := new(big.Int).Mul(x.Num(), pow10(places))
	rem.Mod(rem, x.Denom())
	diff := new(big.Int).Mul(rem, big.NewInt(2))
	diff.Sub(diff, x.Denom())
	diff.Abs(diff)
	diff.Mul(diff, big.NewInt(tieScale))
	limit := new(big.Int).Mul(x.Denom(), big.NewInt(2))
	limit.Mul(limit, pow10(places))
	return diff.Cmp(limit) <= 0
}

// group writes a string of digits with thousands separators, the way the
// stems and rationales print every figure.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// fixed formats a value scaled by 10^places (as roundHalfUp returns it)
// with exactly places decimals and thousands separators.
func fixed(scaled *big.Int, places int) string {
	s := new(big.Int).Abs(scaled).String()
	if places > 0 {
		for len(s) <= places {
			s = "0" + s
		}
	}
	intPart, frac := s, ""
	if places > 0 {
		intPart, frac = s[:len(s)-places], s[len(s)-places:]
	}
	out := group(intPart)
	if frac != "" {
		out += "." + frac
	}
	if scaled.Sign() < 0 {
		out = "−" + out
	}
	return out
}

// num formats a whole number with thousands separators: 8,679.
func num(n int64) string {
	return fixed(big.NewInt(n), 0)
}

// weight formats a relative weight held in ten-thousandths: 8842 → 0.8842.
func weight(w int64) string {
	return fixed(big.NewInt(w), 4)
}

// rounded formats x rounded half up to places decimals: the text of a key.
func rounded(x *big.Rat, places int) string {
	return fixed(roundHalfUp(x, places), places)
}

// decimal writes x exactly if it terminates within max decimals (dropping
// trailing zeros but keeping at least min), and otherwise truncates it to
// max decimals followed by "…". Truncating, never rounding, means the digit
// after the last kept place always shows which way the key rounds.
func decimal(x *big.Rat, min, max int) string {
	scaledNum := new(big.Int).Mul(x.Num(), pow10(max))
	t, rem := new(big.Int).QuoRem(scaledNum, x.Denom(), new(big.Int))
	s := fixed(t, max)
	if rem.Sign() != 0 {
		return s + "…"
	}
	for i := max; i > min && strings.HasSuffix(s, "0"); i-- {
		s = strings.TrimSuffix(s, "0")
	}
	return strings.TrimSuffix(s, ".")
}

// worked writes the last step of a calculation: "82.6666… → 82.67" when
// rounding changes the value, or just "87.50" when it is exact at places.
func worked(x *big.Rat, places int) string {
	key := rounded(x, places)
	scaled := new(big.Rat).Mul(x, new(big.Rat).SetInt(pow10(places)))
	if scaled.IsInt() {
		return key
	}
	return decimal(x, places+1, places+2) + " → " + key
}

// sameKey reports whether a and b round to the same text at places, so a
// rationale never claims that a wrong method gives a different answer when
// it does not.
func sameKey(a, b *big.Rat, places int) bool {
	return roundHalfUp(a, places).Cmp(roundHalfUp(b, places)) == 0
}
