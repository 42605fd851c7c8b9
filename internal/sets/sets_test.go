package sets

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rhitprep/rhitprep/internal/fixture"
	"github.com/rhitprep/rhitprep/internal/store"
)

const oneQuestion = `set: %s
questions:
  - id: q1
    topic: coding
    domain: 2
    stem: "Which code set reports inpatient procedures in the United States?"
    options: [{id: A, text: ICD-10-PCS}, {id: B, text: CPT}, {id: C, text: HCPCS Level II}, {id: D, text: ICD-10-CM}]
    answer: A
    rationale: ICD-10-PCS reports inpatient procedures; CPT and HCPCS report outpatient services.
    references: [CMS ICD-10-PCS Official Guidelines for Coding and Reporting]
`

// TestUploadsAreReadOneAtATime checks the gate on reading uploads: uploads
// sent together all land, and an upload that cannot get its turn before
// its request ends gives up without storing anything.
func TestUploadsAreReadOneAtATime(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, fixture.DSN(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := NewManager(st, nil)

	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := fmt.Sprintf("Set %d", i)
			_, err := m.Import(ctx, Upload{Data: []byte(fmt.Sprintf(oneQuestion, name)), Filename: "set.yaml", Name: name})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent upload: %v", err)
		}
	}

	m.parsing <- struct{}{} // another upload is being read
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = m.Import(short, Upload{Data: []byte(fmt.Sprintf(oneQuestion, "Late")), Filename: "late.yaml", Name: "Late"})
	<-m.parsing
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("an upload waiting past its deadline = %v, want the deadline error", err)
	}
	list, err := st.Sets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 6 {
		t.Errorf("%d sets stored, want the 6 uploaded together", len(list))
	}
}
