package store

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// hotStatements are the writes every answer save makes, prepared once on
// the writer pool and reused in every batch: an answer save is the
// busiest request by far, and preparing its SQL each time cost more than
// running it.
type hotStatements struct {
	itemState    *sql.Stmt
	updateItem   *sql.Stmt
	touchAttempt *sql.Stmt
	insertMock   *sql.Stmt // a mock exam's items, in one statement
}

// mockItems is the size of a mock exam, whose items insert through a
// statement prepared at start; other sizes build their SQL each time.
const mockItems = 150

// insertItemsSQL is the multi-row INSERT for n attempt items.
func (s *Store) insertItemsSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO attempt_items (attempt_id, position, question_id, option_order, scored) VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?)")
	}
	return s.rebind(b.String())
}

func (s *Store) prepareHot() error {
	db, err := s.write.DB()
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	prep := func(q string) (*sql.Stmt, error) {
		st, err := db.Prepare(s.rebind(q))
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		return st, nil
	}
	if s.hot.itemState, err = prep(`SELECT a.user_id, a.status, a.feedback, a.deadline, a.last_active,
			i.question_id, i.scored, i.response, i.flagged, i.unsure, i.credit, i.time_spent_ms, i.answered_at
		FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id
		WHERE i.attempt_id = ? AND i.position = ?` + s.lockRows("a, i")); err != nil {
		return err
	}
	if s.hot.updateItem, err = prep(`UPDATE attempt_items SET response = ?, flagged = ?, unsure = ?, credit = ?,
		time_spent_ms = ?, answered_at = ? WHERE attempt_id = ? AND position = ?`); err != nil {
		return err
	}
	if s.hot.touchAttempt, err = prep("UPDATE attempts SET last_active = ? WHERE id = ?"); err != nil {
		return err
	}
	// Prepared here, outside any transaction: on SQLite the one writer
	// connection is busy inside a write, so nothing can be prepared then.
	s.hot.insertMock, err = db.Prepare(s.insertItemsSQL(mockItems))
	return err
}

// rebind turns ? placeholders into PostgreSQL's $1, $2, ….
func (s *Store) rebind(q string) string {
	if s.dialect != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sqlTx is the database/sql transaction under a writer's GORM transaction,
// for the prepared hot statements.
func sqlTx(tx *gorm.DB) (*sql.Tx, error) {
	t, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("writer transaction is a %T, not *sql.Tx", tx.Statement.ConnPool)
	}
	return t, nil
}

// maxRowsPerInsert keeps a multi-row statement well inside SQLite's and
// PostgreSQL's limits on parameters (32,766 and 65,535).
const maxRowsPerInsert = 500

// insertRows runs head VALUES (…), (…) tail for rows, maxRowsPerInsert
// rows to a statement, straight through the driver: written one row at a
// time through GORM, the rows a submit writes kept the single writer busy
// for tens of milliseconds.
func (s *Store) insertRows(tx *gorm.DB, head string, rows [][]any, tail string) error {
	if len(rows) == 0 {
		return nil
	}
	stx, err := sqlTx(tx)
	if err != nil {
		return err
	}
	row := "(" + marks(len(rows[0])) + ")"
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), maxRowsPerInsert)]
		rows = rows[len(chunk):]
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
			args = append(args, r...)
		}
		b.WriteString(" ")
		b.WriteString(tail)
		if _, err := stx.Exec(s.rebind(b.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// marks is n comma-separated placeholders.
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
