package statgen

import (
	"testing"
)

// FuzzGenerate draws any family with any seed: generation must never panic,
// and every question must pass the same checks as the property tests,
// including a full-credit grade for its own key.
func FuzzGenerate(f *testing.F) {
	for i := range registry {
		f.Add(i, uint64(0))
		f.Add(i, uint64(1)<<63)
		f.Add(i, ^uint64(0))
	}
	f.Fuzz(func(t *testing.T, index int, seed uint64) {
		n := len(registry)
		i := ((index % n) + n) % n
		checkQuestion(t, &registry[i], seed)
	})
}
