package quiz

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
)

// Response is a learner's answer to one item: a list of option ids for
// single and select-N items, a number for numeric ones, or nothing yet.
type Response struct {
	Choices []string
	Number  *float64
}

// IsZero reports whether no answer has been given.
func (r Response) IsZero() bool { return r.Choices == nil && r.Number == nil }

// Equal reports whether two responses are the same answer; choice order does
// not matter.
func (r Response) Equal(o Response) bool {
	if (r.Number == nil) != (o.Number == nil) {
		return false
	}
	if r.Number != nil && *r.Number != *o.Number {
		return false
	}
	if (r.Choices == nil) != (o.Choices == nil) {
		return false
	}
	a, b := slices.Clone(r.Choices), slices.Clone(o.Choices)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// MarshalJSON writes null, a list of option ids or a number, as the contract
// shows responses.
func (r Response) MarshalJSON() ([]byte, error) {
	switch {
	case r.Number != nil:
		return json.Marshal(*r.Number)
	case r.Choices != nil:
		return json.Marshal(r.Choices)
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads null, a list of strings or a number. Anything else is
// an *Error with EINVALID, so a wrong-typed response is a 422, not a 400.
func (r *Response) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*r = Response{}
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '[':
		var ids []string
		if err := json.Unmarshal(b, &ids); err != nil {
			return Errorf(EINVALID, "A response must be a list of option ids or a number.")
		}
		if ids == nil {
			ids = []string{}
		}
		for i := range ids {
			ids[i] = normalizeID(ids[i])
		}
		r.Choices = ids
		return nil
	default:
		var f float64
		if err := json.Unmarshal(b, &f); err != nil {
			return Errorf(EINVALID, "A response must be a list of option ids or a number.")
		}
		r.Number = &f
		return nil
	}
}

// CheckResponse tells whether r is a well-formed answer to q: the right type,
// only option ids the item has, each once, and no more than the item asks
// for. An empty list clears an answer.
func CheckResponse(q *Question, r Response) error {
	if r.IsZero() {
		return nil
	}
	if q.Type == Numeric {
		if r.Number == nil {
			return Errorf(EINVALID, "This item takes a number as its response.")
		}
		if math.IsNaN(*r.Number) || math.IsInf(*r.Number, 0) {
			return Errorf(EINVALID, "The response must be a finite number.")
		}
		return nil
	}
	if r.Choices == nil {
		return Errorf(EINVALID, "This item takes a list of option ids as its response.")
	}
	seen := map[string]bool{}
	for _, id := range r.Choices {
		if !q.HasOption(id) {
			return Errorf(EINVALID, "The item has no option %q.", id)
		}
		if seen[id] {
			return Errorf(EINVALID, "Option %q is chosen twice.", id)
		}
		seen[id] = true
	}
	if n := q.Select(); len(r.Choices) > n {
		return Errorf(EINVALID, "Choose at most %d option(s) for this item.", n)
	}
	return nil
}

// Grade returns the credit r earns on q, from 0 to 1. It is the one scoring
// rule of rhitprep, used for immediate feedback and for results alike.
// Select-N items are all or nothing unless the question asks for partial
// credit: then each key chosen earns 1/N and each wrong choice takes 1/N
// away, never below zero. Numeric answers count within the tolerance.
func Grade(q *Question, r Response) float64 {
	if r.IsZero() {
		return 0
	}
	switch q.Type {
	case Numeric:
		if r.Number == nil {
			return 0
		}
		// A small relative slack absorbs binary rounding of decimal keys
		// such as 88.89 ± 0.005.
		slack := 1e-9 * math.Max(1, math.Abs(q.Value))
		if math.Abs(*r.Number-q.Value) <= q.Tolerance+slack {
			return 1
		}
		return 0
	case Single, Multiple:
		key := map[string]bool{}
		for _, id := range q.Answer {
			key[id] = true
		}
		hits, wrong := 0, 0
		for _, id := range r.Choices {
			if key[id] {
				hits++
			} else {
				wrong++
			}
		}
		if q.Type == Multiple && q.PartialCredit {
			c := float64(hits-wrong) / float64(len(key))
			return math.Max(0, c)
		}
		if hits == len(key) && wrong == 0 {
			return 1
		}
	}
	return 0
}
