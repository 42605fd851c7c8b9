// Package blueprint reads the mock exam's shape from questions/blueprint.yaml:
// the item count, the unscored pretest items, the time limit, the RHIT domain
// ranges and the raw-to-scaled mapping. Keeping these in an editable file
// lets the blueprint follow AHIMA's outline without a code change.
package blueprint

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"time"

	"go.yaml.in/yaml/v3"
)

// Domain is one RHIT domain with the share of scored items it must have.
type Domain struct {
	ID         int     `yaml:"id"`
	Name       string  `yaml:"name"`
	MinPercent float64 `yaml:"min_percent"`
	MaxPercent float64 `yaml:"max_percent"`
}

// Point maps a raw percentage of scored items to a scaled score.
type Point struct {
	RawPercent float64 `yaml:"raw_percent"`
	Scaled     float64 `yaml:"scaled"`
}

// Scale is the raw-to-scaled mapping, a piecewise linear estimate.
type Scale struct {
	Min    int     `yaml:"min"`
	Max    int     `yaml:"max"`
	Pass   int     `yaml:"pass"`
	Points []Point `yaml:"points"`
}

// Blueprint is the shape of a mock exam.
type Blueprint struct {
	Name             string   `yaml:"name"`
	Items            int      `yaml:"items"`
	Pretest          int      `yaml:"pretest"`
	TimeLimitMinutes int      `yaml:"time_limit_minutes"`
	Domains          []Domain `yaml:"domains"`
	Scale            Scale    `yaml:"scaled"`
}

// Scored is the number of items that count towards the score.
func (b *Blueprint) Scored() int { return b.Items - b.Pretest }

// TimeLimit is the exam's duration.
func (b *Blueprint) TimeLimit() time.Duration {
	return time.Duration(b.TimeLimitMinutes) * time.Minute
}

// Parse reads and checks a blueprint. Every problem found is reported in
// one error, with the line where the YAML locates it.
func Parse(data []byte) (*Blueprint, error) {
	var b Blueprint
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("blueprint: %w", err)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if b.Items < 1 || b.Items > 1000 {
		bad("items: must be between 1 and 1000")
	}
	if b.Pretest < 0 || b.Pretest >= b.Items {
		bad("pretest: must be at least 0 and fewer than items")
	}
	if b.TimeLimitMinutes < 1 || b.TimeLimitMinutes > 24*60 {
		bad("time_limit_minutes: must be between 1 and 1440")
	}
	seen := map[int]bool{}
	var minSum, maxSum float64
	for i, d := range b.Domains {
		if d.ID < 1 || d.ID > 6 || seen[d.ID] {
			bad("domains[%d].id: must be a distinct RHIT domain 1-6", i)
		}
		seen[d.ID] = true
		if d.MinPercent < 0 || d.MaxPercent > 100 || d.MinPercent > d.MaxPercent {
			bad("domains[%d]: need 0 <= min_percent <= max_percent <= 100", i)
		}
		minSum += d.MinPercent
		maxSum += d.MaxPercent
	}
	if len(b.Domains) == 0 {
		bad("domains: at least one domain is needed")
	} else if minSum > 100 || maxSum < 100 {
		bad("domains: the minimums must add up to at most 100 %% and the maximums to at least 100 %% (they add up to %g and %g)", minSum, maxSum)
	}
	s := b.Scale
	if s.Min >= s.Max || s.Pass < s.Min || s.Pass > s.Max {
		bad("scaled: need min < max and pass between them")
	}
	if len(s.Points) < 2 || s.Points[0].RawPercent != 0 || s.Points[len(s.Points)-1].RawPercent != 100 {
		bad("scaled.points: need at least two points, from raw_percent 0 to raw_percent 100")
	}
	for i := 1; i < len(s.Points); i++ {
		if s.Points[i].RawPercent <= s.Points[i-1].RawPercent || s.Points[i].Scaled < s.Points[i-1].Scaled {
			bad("scaled.points[%d]: raw_percent must rise and scaled must not fall", i)
		}
	}
	for i, p := range s.Points {
		if p.Scaled < float64(s.Min) || p.Scaled > float64(s.Max) {
			bad("scaled.points[%d]: scaled must lie between min and max", i)
		}
	}
	if len(errs) == 0 {
		if _, err := b.Allocate(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("blueprint: %w", errors.Join(errs...))
	}
	return &b, nil
}

// Allocate splits the scored items among the domains: every domain gets a
// count inside its range, and the rest goes where it brings the counts
// closest to the middle of each range.
func (b *Blueprint) Allocate() (map[int]int, error) { return b.AllocateWithin(nil) }

// AllocateWithin is Allocate for a bank with avail questions per domain: no
// domain is given more than it has, and the error says which range the bank
// cannot fill. A nil avail means no limit.
func (b *Blueprint) AllocateWithin(avail map[int]int) (map[int]int, error) {
	n := b.Scored()
	type slot struct {
		id             int
		lo, hi, count  int
		target         float64
		minPct, maxPct float64
	}
	slots := make([]*slot, len(b.Domains))
	var mids float64
	for _, d := range b.Domains {
		mids += (d.MinPercent + d.MaxPercent) / 2
	}
	lo, hi := 0, 0
	for i, d := range b.Domains {
		s := &slot{id: d.ID,
			lo:     int(math.Ceil(d.MinPercent*float64(n)/100 - 1e-9)),
			hi:     int(math.Floor(d.MaxPercent*float64(n)/100 + 1e-9)),
			target: (d.MinPercent + d.MaxPercent) / 2 / mids * float64(n),
		}
		if avail != nil && avail[d.ID] < s.hi {
			if avail[d.ID] < s.lo {
				return nil, fmt.Errorf("domain %d (%s) needs at least %d questions and the bank has %d", d.ID, d.Name, s.lo, avail[d.ID])
			}
			s.hi = avail[d.ID]
		}
		s.count = s.lo
		slots[i] = s
		lo += s.lo
		hi += s.hi
	}
	if lo > n || hi < n {
		return nil, fmt.Errorf("no whole numbers of the %d scored items fit every domain range (minimums need %d, maximums and the bank allow %d)", n, lo, hi)
	}
	for left := n - lo; left > 0; left-- {
		var best *slot
		for _, s := range slots {
			if s.count < s.hi && (best == nil || s.target-float64(s.count) > best.target-float64(best.count)) {
				best = s
			}
		}
		best.count++
	}
	out := make(map[int]int, len(slots))
	for _, s := range slots {
		out[s.id] = s.count
	}
	return out, nil
}

// Scaled maps a raw percentage of scored items to the scaled estimate.
func (b *Blueprint) Scaled(rawPercent float64) int {
	pts := b.Scale.Points
	rawPercent = math.Max(0, math.Min(100, rawPercent))
	for i := 1; i < len(pts); i++ {
		if rawPercent <= pts[i].RawPercent {
			a, c := pts[i-1], pts[i]
			f := (rawPercent - a.RawPercent) / (c.RawPercent - a.RawPercent)
			return int(math.Round(a.Scaled + f*(c.Scaled-a.Scaled)))
		}
	}
	return int(pts[len(pts)-1].Scaled)
}

// RawForScaled inverts the mapping: the raw percentage of scored items at
// which the estimate reaches a scaled score (the raw cut, for the pass
// mark).
func (b *Blueprint) RawForScaled(scaled int) float64 {
	pts := b.Scale.Points
	target := float64(scaled)
	for i := 1; i < len(pts); i++ {
		a, c := pts[i-1], pts[i]
		if target <= c.Scaled && c.Scaled > a.Scaled {
			f := (target - a.Scaled) / (c.Scaled - a.Scaled)
			return math.Max(a.RawPercent, a.RawPercent+f*(c.RawPercent-a.RawPercent))
		}
	}
	return 100
}

// Passed reports whether a scaled score meets the passing score.
func (b *Blueprint) Passed(scaled int) bool { return scaled >= b.Scale.Pass }
