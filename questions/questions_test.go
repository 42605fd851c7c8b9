package questions

import (
	"io/fs"
	"testing"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/blueprint"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// TestShippedQuestions holds the embedded banks to the full rules of
// content.md, so a bad item cannot land.
func TestShippedQuestions(t *testing.T) {
	banks, problems, err := bank.LoadShipped(FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	if len(banks) == 0 {
		t.Fatal("no shipped banks")
	}
	ids := map[string]string{}
	for _, b := range banks {
		for _, q := range b.Set.Questions {
			if prev, ok := ids[q.ID]; ok {
				t.Errorf("id %s is in both %s and %s", q.ID, prev, b.File)
			}
			ids[q.ID] = b.File
		}
	}
}

// TestBlueprintFitsTheShippedBanks checks that the banks can fill the mock
// exam's every domain range.
func TestBlueprintFitsTheShippedBanks(t *testing.T) {
	data, err := fs.ReadFile(FS, "blueprint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bp, err := blueprint.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	banks, _, err := bank.LoadShipped(FS)
	if err != nil {
		t.Fatal(err)
	}
	var all []*quiz.Question
	for _, b := range banks {
		all = append(all, b.Set.Questions...)
	}
	avail := map[int]int{}
	for _, q := range all {
		avail[q.Domain]++
	}
	if _, err := bp.AllocateWithin(avail); err != nil {
		t.Errorf("the shipped banks cannot fill a mock exam: %v (have %v)", err, avail)
	}
}
