package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// TestBatchedProgressMatchesOneByOne counts the same answers in two stores,
// all in one call in the first and one call per answer in the second, and
// expects the same cards, tallies and days: the batched statements must
// not change what an answer does to progress, even with one question
// answered twice.
func TestBatchedProgressMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	qs := bigSet(12)
	qs[3].Domain = 0
	rng := rand.New(rand.NewPCG(3, 4))
	var answers []answer
	for i := 0; i < 30; i++ {
		answers = append(answers, answer{q: qs[rng.IntN(len(qs))], credit: []float64{0, 0.5, 1, 1}[rng.IntN(4)],
			unsure: rng.IntN(3) == 0, spent: time.Duration(rng.IntN(90)) * time.Second})
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	user := quiz.User{ID: uuid.NewString(), Username: "counted", Role: quiz.RoleLearner, CreatedAt: at}
	dump := func(batched bool) []string {
		st := mustOpen(t)
		if err := st.CreateUser(ctx, user, "h"); err != nil {
			t.Fatal(err)
		}
		// Two rounds a day apart, so the second starts from stored cards.
		for round := 0; round < 2; round++ {
			when := at.Add(time.Duration(round) * 24 * time.Hour)
			groups := [][]answer{answers}
			if !batched {
				groups = nil
				for _, a := range answers {
					groups = append(groups, []answer{a})
				}
			}
			for _, g := range groups {
				if err := st.Write(ctx, func(tx *gorm.DB) error { return st.recordAnswers(tx, user.ID, g, when) }); err != nil {
					t.Fatal(err)
				}
			}
		}
		var rows []string
		for _, q := range []string{
			`SELECT set_id || qid || topic || domain || answered || correct || last_correct || stability || difficulty ||
				reps || lapses || last_review || due FROM user_questions ORDER BY set_id, qid`,
			`SELECT kind || key || answered || correct || w_total || w_correct || time_ms || timed || last_at
				FROM user_mastery ORDER BY kind, key`,
			`SELECT day || topic || answered || correct FROM user_days ORDER BY day, topic`,
		} {
			var got []string
			if err := st.read.Raw(q).Scan(&got).Error; err != nil {
				t.Fatal(err)
			}
			rows = append(rows, got...)
		}
		return rows
	}
	one, batch := dump(false), dump(true)
	if len(one) < 20 {
		t.Fatalf("only %d progress rows were written", len(one))
	}
	if fmt.Sprint(one) != fmt.Sprint(batch) {
		for i := range max(len(one), len(batch)) {
			var a, b string
			if i < len(one) {
				a = one[i]
			}
			if i < len(batch) {
				b = batch[i]
			}
			if a != b {
				t.Errorf("row %d: one by one %q, batched %q", i, a, b)
			}
		}
	}
}

// TestLeechesUseTheirIndex keeps the leech query and the partial index of
// migration 0007 in step: if the threshold in one changes without the
// other, every progress read goes back to sorting all of a learner's cards.
func TestLeechesUseTheirIndex(t *testing.T) {
	st := mustOpen(t)
	var plan []string
	err := st.read.Transaction(func(tx *gorm.DB) error {
		explain := "EXPLAIN QUERY PLAN "
		if st.Dialect() == "postgres" {
			// Too few rows for the planner to prefer an index; forbid the scan.
			if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
				return err
			}
			explain = "EXPLAIN "
		}
		rows, err := tx.Raw(explain+leechesSQL(), "someone").Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			plan = append(plan, fmt.Sprint(vals...))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "user_questions_leeches") {
		t.Errorf("the leech query does not use its index; plan:\n%s", strings.Join(plan, "\n"))
	}
}

// TestInsertRowsSpansStatements writes more rows than one statement takes,
// twice, through an upsert that adds: every row must land once and then be
// counted twice, on either dialect.
func TestInsertRowsSpansStatements(t *testing.T) {
	st := mustOpen(t)
	const n = 2*maxRowsPerInsert + 7
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{"set", 1, fmt.Sprintf("q%05d", i), "o", "A", 1}
	}
	for round := 0; round < 2; round++ {
		err := st.Write(context.Background(), func(tx *gorm.DB) error {
			return st.insertRows(tx, `INSERT INTO item_counts (set_id, set_version, qid, kind, value, n)`, rows,
				`ON CONFLICT (set_id, set_version, qid, kind, value) DO UPDATE SET n = item_counts.n + excluded.n`)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var got struct{ Rows, Total int }
	if err := st.read.Raw("SELECT COUNT(*) AS rows, SUM(n) AS total FROM item_counts").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.Rows != n || got.Total != 2*n {
		t.Errorf("%d rows holding %d, want %d holding %d", got.Rows, got.Total, n, 2*n)
	}
}
