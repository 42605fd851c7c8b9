package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// writeReq is one durable write waiting for the writer.
type writeReq struct {
	ctx  context.Context
	fn   func(tx *gorm.DB) error
	done chan error
}

var errClosed = errors.New("store is closed")

// Write runs fn inside a transaction on the writer connection and returns
// once that transaction is committed (on disk), or with fn's error, in which
// case nothing fn did is kept. Concurrent calls share one commit.
//
// Inside fn use only tx: the writer connection is the only one that may
// write, and fn runs on it.
func (s *Store) Write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.stop:
		return errClosed
	}
	// Once queued, wait for the outcome even if the caller gives up: the
	// write may already be committed, and the answer must say so truthfully.
	return <-req.done
}

// writer owns the writer connection. It takes every write waiting at the
// moment, up to the batch limit, runs each under its own savepoint so one
// failure does not undo the others, and commits them together.
func (s *Store) writer() {
	defer close(s.done)
	batch := make([]*writeReq, 0, s.batch)
	for {
		var first *writeReq
		select {
		case first = <-s.writes:
		case <-s.stop:
			// Drain what was queued before the stop, then leave.
			for {
				select {
				case r := <-s.writes:
					s.commit([]*writeReq{r})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < s.batch {
			select {
			case r := <-s.writes:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.commit(batch)
	}
}

func (s *Store) commit(batch []*writeReq) {
	results := make([]error, len(batch))
	tx := s.write.Begin()
	if tx.Error != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("begin write: %w", tx.Error)
		}
		return
	}
	applied := 0
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if len(batch) == 1 {
			results[i] = r.fn(tx)
		} else {
			sp := "w" + strconv.Itoa(i)
			if err := tx.SavePoint(sp).Error; err != nil {
				results[i] = fmt.Errorf("savepoint: %w", err)
				continue
			}
			if err := r.fn(tx); err == nil {
				// Release the savepoint so the next write does not nest
				// inside it: nesting hundreds deep slows every statement.
				if err := tx.Exec("RELEASE SAVEPOINT " + sp).Error; err != nil {
					results[i] = fmt.Errorf("release savepoint: %w", err)
				}
			} else {
				results[i] = err
				if rb := tx.RollbackTo(sp).Error; rb != nil {
					// The transaction is in an unknown state: give up the
					// whole batch rather than commit half of a write.
					tx.Rollback()
					for j, r := range batch {
						if results[j] == nil || j == i {
							results[j] = fmt.Errorf("rollback to savepoint: %w", rb)
						}
						r.done <- results[j]
					}
					return
				}
				continue
			}
		}
		if results[i] == nil {
			applied++
		}
	}
	if applied == 0 {
		tx.Rollback()
	} else if err := tx.Commit().Error; err != nil {
		s.log.Error("commit failed", "err", err, "writes", len(batch))
		for i := range results {
			if results[i] == nil {
				results[i] = fmt.Errorf("commit: %w", err)
			}
		}
	}
	for i, r := range batch {
		r.done <- results[i]
	}
}
