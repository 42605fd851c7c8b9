package store

import (
	"context"
	"sort"
	"strconv"

	"gorm.io/gorm"

	"github.com/rhitprep/rhitprep/internal/itemstats"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// recordFirstAttempts adds a finished attempt to the item-analysis sums of
// every set version it drew from, when it is the learner's first finished
// attempt at that version. Increments are single statements, one per
// table and set version, so attempts finishing at once on several servers
// never lose each other's counts.
func (s *Store) recordFirstAttempts(tx *gorm.DB, a *quiz.Attempt) error {
	type version struct {
		set string
		v   int
	}
	groups := map[version][]*quiz.Item{}
	var order []version
	for _, it := range a.Items {
		q := it.Question
		if !it.Scored || it.Credit == nil || q.SetID == quiz.GeneratedSetID {
			continue
		}
		k := version{q.SetID, q.SetVersion}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], it)
	}
	// Rows shared by every learner of a set are updated in one order (set,
	// then question id), so concurrent finishes on PostgreSQL wait for each
	// other instead of deadlocking.
	sort.Slice(order, func(i, j int) bool {
		return order[i].set < order[j].set || order[i].set == order[j].set && order[i].v < order[j].v
	})
	for _, k := range order {
		sort.Slice(groups[k], func(i, j int) bool { return groups[k][i].Question.ID < groups[k][j].Question.ID })
		res := tx.Exec(`INSERT INTO first_attempts (user_id, set_id, set_version, attempt_id) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, set_id, set_version) DO NOTHING`, a.UserID, k.set, k.v, a.ID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			continue // not this learner's first attempt at the set
		}
		var size []int
		if err := tx.Raw("SELECT questions FROM set_versions WHERE set_id = ? AND version = ?", k.set, k.v).Scan(&size).Error; err != nil {
			return err
		}
		items := groups[k]
		complete := len(size) == 1 && size[0] == len(items)
		total := 0.0
		for _, it := range items {
			total += *it.Credit
		}
		cn := 0
		if complete {
			cn = 1
		}
		sums := make([][]any, 0, len(items))
		type countKey struct{ qid, kind, value string }
		counts := map[countKey]int{}
		for _, it := range items {
			x := *it.Credit
			y := total - x
			cx := x * float64(cn)
			sums = append(sums, []any{k.set, k.v, it.Question.ID, 1, x, x * x, y, y * y, x * y, cn, cx, cx * x})
			counts[countKey{it.Question.ID, "x", bucket(x)}]++
			counts[countKey{it.Question.ID, "y", bucket(y)}]++
			if it.Response.IsZero() {
				counts[countKey{it.Question.ID, "o", "blank"}]++
			}
			for _, c := range it.Response.Choices {
				counts[countKey{it.Question.ID, "o", c}]++
			}
		}
		if err := s.insertRows(tx, `INSERT INTO item_sums (set_id, set_version, qid, n, sx, sxx, sy, syy, sxy, cn, cx, cxx)`, sums,
			`ON CONFLICT (set_id, set_version, qid) DO UPDATE SET n = item_sums.n + excluded.n,
				sx = item_sums.sx + excluded.sx, sxx = item_sums.sxx + excluded.sxx,
				sy = item_sums.sy + excluded.sy, syy = item_sums.syy + excluded.syy,
				sxy = item_sums.sxy + excluded.sxy, cn = item_sums.cn + excluded.cn,
				cx = item_sums.cx + excluded.cx, cxx = item_sums.cxx + excluded.cxx`); err != nil {
			return err
		}
		keys := make([]countKey, 0, len(counts))
		for c := range counts {
			keys = append(keys, c)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			return a.qid < b.qid || a.qid == b.qid && (a.kind < b.kind || a.kind == b.kind && a.value < b.value)
		})
		rows := make([][]any, 0, len(keys))
		for _, c := range keys {
			rows = append(rows, []any{k.set, k.v, c.qid, c.kind, c.value, counts[c]})
		}
		if err := s.insertRows(tx, `INSERT INTO item_counts (set_id, set_version, qid, kind, value, n)`, rows,
			`ON CONFLICT (set_id, set_version, qid, kind, value) DO UPDATE SET n = item_counts.n + excluded.n`); err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO set_sums (set_id, set_version, n, st, stt, learners) VALUES (?, ?, ?, ?, ?, 1)
			ON CONFLICT (set_id, set_version) DO UPDATE SET n = set_sums.n + excluded.n, st = set_sums.st + excluded.st,
				stt = set_sums.stt + excluded.stt, learners = set_sums.learners + 1`,
			k.set, k.v, cn, total*float64(cn), total*total*float64(cn)).Error; err != nil {
			return err
		}
	}
	return nil
}

func bucket(v float64) string { return strconv.FormatFloat(itemstats.Bucket(v), 'f', -1, 64) }

// ItemSums returns the item-analysis sums of a set version, by question
// id, the sums of total scores, and how many learners' first attempts
// they hold.
func (s *Store) ItemSums(ctx context.Context, setID string, version int) (map[string]itemstats.Sums, itemstats.TestSums, int, error) {
	db := s.read.WithContext(ctx)
	var rows []struct {
		QID                   string `gorm:"column:qid"`
		N                     int
		SX, SXX, SY, SYY, SXY float64
		CN                    int `gorm:"column:cn"`
		CX, CXX               float64
	}
	if err := db.Raw(`SELECT qid, n, sx, sxx, sy, syy, sxy, cn, cx, cxx FROM item_sums
		WHERE set_id = ? AND set_version = ?`, setID, version).Scan(&rows).Error; err != nil {
		return nil, itemstats.TestSums{}, 0, internal("item sums", err)
	}
	out := make(map[string]itemstats.Sums, len(rows))
	for _, r := range rows {
		out[r.QID] = itemstats.Sums{N: r.N, SX: r.SX, SXX: r.SXX, SY: r.SY, SYY: r.SYY, SXY: r.SXY,
			CompleteN: r.CN, CompleteX: r.CX, CompleteXX: r.CXX,
			XCounts: map[float64]int{}, YCounts: map[float64]int{}, Options: map[string]int{}}
	}
	var counts []struct {
		QID   string `gorm:"column:qid"`
		Kind  string
		Value string
		N     int
	}
	if err := db.Raw(`SELECT qid, kind, value, n FROM item_counts WHERE set_id = ? AND set_version = ?`,
		setID, version).Scan(&counts).Error; err != nil {
		return nil, itemstats.TestSums{}, 0, internal("item counts", err)
	}
	for _, c := range counts {
		sum, ok := out[c.QID]
		if !ok {
			continue
		}
		switch c.Kind {
		case "o":
			sum.Options[c.Value] += c.N
		case "x", "y":
			v, err := strconv.ParseFloat(c.Value, 64)
			if err != nil {
				return nil, itemstats.TestSums{}, 0, internal("item counts", err)
			}
			if c.Kind == "x" {
				sum.XCounts[v] += c.N
			} else {
				sum.YCounts[v] += c.N
			}
		}
	}
	var tests []struct {
		N        int
		ST, STT  float64
		Learners int
	}
	if err := db.Raw("SELECT n, st, stt, learners FROM set_sums WHERE set_id = ? AND set_version = ?",
		setID, version).Scan(&tests).Error; err != nil {
		return nil, itemstats.TestSums{}, 0, internal("set sums", err)
	}
	var t itemstats.TestSums
	learners := 0
	if len(tests) == 1 {
		t = itemstats.TestSums{N: tests[0].N, ST: tests[0].ST, STT: tests[0].STT}
		learners = tests[0].Learners
	}
	return out, t, learners, nil
}
