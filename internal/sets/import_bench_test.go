package sets

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rhitprep/rhitprep/internal/fixture"
	"github.com/rhitprep/rhitprep/internal/store"
)

// BenchmarkImportYAML10k imports a 10,000-question native file end to end:
// parsing with line numbers, the bank's checks and the store's insert, as
// `rhitprep import` and the upload endpoint do.
func BenchmarkImportYAML10k(b *testing.B) {
	const n = 10000
	topics := []string{"terminology", "coding", "regulations", "release-of-information", "statistics"}
	var y strings.Builder
	y.WriteString("set: Benchmark bank\nquestions:\n")
	for i := 0; i < n; i++ {
		word := []byte{}
		for k := i; ; k /= 26 {
			word = append(word, byte('a'+k%26))
			if k < 26 {
				break
			}
		}
		fmt.Fprintf(&y, `  - id: bench-%06d
    topic: %s
    domain: %d
    stem: "Benchmark question %s: which option is keyed?"
    options: [{id: A, text: first}, {id: B, text: second}, {id: C, text: third}, {id: D, text: fourth}]
    answer: %c
    rationale: By construction.
    references: [benchmark]
`, i, topics[i%5], i%6+1, word, 'A'+rune(i%4))
	}
	data := []byte(y.String())
	ctx := context.Background()
	st, err := store.Open(ctx, fixture.DSN(b), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	m := NewManager(st, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Import(ctx, Upload{Data: data, Filename: "bank.yaml", Name: fmt.Sprintf("bank %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "questions/s")
}
