package quiz

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestPreferUnseen(t *testing.T) {
	bank := make([]*Question, 40)
	for i := range bank {
		bank[i] = &Question{SetID: "s", ID: fmt.Sprintf("q%02d", i)}
	}
	seenFirst := func(k int) map[Key]Seen { // the first k of bank were seen
		m := map[Key]Seen{}
		for _, q := range bank[:k] {
			m[KeyOf(q)] = Seen{}
		}
		return m
	}
	skipFirst := func(k int) map[*Question]bool {
		m := map[*Question]bool{}
		for _, q := range bank[:k] {
			m[q] = true
		}
		return m
	}
	tests := []struct {
		name       string
		n          int
		seen       map[Key]Seen
		skip       map[*Question]bool
		wantLen    int
		wantUnseen int // how many of the result, at its start, were unseen
	}{
		{"nothing seen", 10, nil, nil, 10, 10},
		{"enough unseen", 10, seenFirst(25), nil, 10, 10},
		{"unseen run out", 20, seenFirst(25), nil, 20, 15},
		{"everything seen", 5, seenFirst(40), nil, 5, 0},
		{"more than the bank", 50, seenFirst(10), nil, 40, 30},
		{"skipped never drawn", 30, seenFirst(10), skipFirst(20), 20, 20},
		{"skipped and seen", 30, seenFirst(30), skipFirst(20), 20, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := uint64(0); seed < 50; seed++ {
				got := preferUnseen(bank, tt.n, tt.seen, tt.skip, rand.New(rand.NewPCG(seed, 1)))
				for i, q := range bank {
					if q.ID != fmt.Sprintf("q%02d", i) {
						t.Fatalf("seed %d: the list drawn from was reordered", seed)
					}
				}
				if len(got) != tt.wantLen {
					t.Fatalf("seed %d: drew %d questions, want %d", seed, len(got), tt.wantLen)
				}
				dup := map[*Question]bool{}
				for i, q := range got {
					_, wasSeen := tt.seen[KeyOf(q)]
					if wasSeen != (i >= tt.wantUnseen) {
						t.Fatalf("seed %d: question %d (%s) seen=%v; want the %d unseen first", seed, i, q.ID, wasSeen, tt.wantUnseen)
					}
					if tt.skip[q] || dup[q] {
						t.Fatalf("seed %d: %s drawn although skipped or already drawn", seed, q.ID)
					}
					dup[q] = true
				}
			}
		})
	}
}

// TestPreferUnseenIsUniform draws 3 of 6 unseen questions many times: each
// must come up about half the time, as a fair draw would have it.
func TestPreferUnseenIsUniform(t *testing.T) {
	bank := make([]*Question, 8)
	for i := range bank {
		bank[i] = &Question{SetID: "s", ID: fmt.Sprint(i)}
	}
	seen := map[Key]Seen{KeyOf(bank[0]): {}, KeyOf(bank[5]): {}}
	rng := rand.New(rand.NewPCG(7, 7))
	counts := map[string]int{}
	const draws = 30000
	for i := 0; i < draws; i++ {
		for _, q := range preferUnseen(bank, 3, seen, nil, rng) {
			counts[q.ID]++
		}
	}
	for _, q := range bank {
		got := float64(counts[q.ID]) / draws
		want := 0.5
		if _, ok := seen[KeyOf(q)]; ok {
			want = 0
		}
		if got < want-0.02 || got > want+0.02 {
			t.Errorf("question %s drawn in %.3f of exams, want %.1f", q.ID, got, want)
		}
	}
}
