package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// writeReq is one durable write waiting for the writer.
type writeReq struct {
	ctx  context.Context
	key  string
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
	return s.WriteFor(ctx, "", fn)
}

// WriteFor is Write for a write about one resource (an attempt id): every
// write for the same key goes through the same writer, in order.
func (s *Store) WriteFor(ctx context.Context, key string, fn func(tx *gorm.DB) error) error {
	req := &writeReq{ctx: ctx, key: key, fn: fn, done: make(chan error, 1)}
	q := s.queues[0]
	if len(s.queues) > 1 {
		h := fnv.New32a()
		h.Write([]byte(key))
		q = s.queues[int(h.Sum32()%uint32(len(s.queues)))]
	}
	// The read lock keeps Close from finishing between the check and the
	// send: every write queued before Close is drained and answered.
	s.closing.RLock()
	if s.closed {
		s.closing.RUnlock()
		return errClosed
	}
	select {
	case q <- req:
		s.closing.RUnlock()
	case <-ctx.Done():
		s.closing.RUnlock()
		return ctx.Err()
	}
	// Once queued, wait for the outcome even if the caller gives up: the
	// write may already be committed, and the answer must say so truthfully.
	return <-req.done
}

// writer owns the writer connection. It takes every write waiting at the
// moment, up to the batch limit, runs each under its own savepoint so one
// failure does not undo the others, and commits them together.
func (s *Store) writer(queue chan *writeReq) {
	defer s.writers.Done()
	batch := make([]*writeReq, 0, s.batch)
	for {
		var first *writeReq
		select {
		case first = <-queue:
		case <-s.stop:
			// Drain what was queued before the stop, then leave.
			for {
				select {
				case r := <-queue:
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
			case r := <-queue:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.commit(batch)
	}
}

// commit runs a batch in one transaction and answers every request in it.
// On PostgreSQL, where writers run side by side, a batch that loses a
// deadlock or a serialization check is run again from the start, up to
// three times, rather than failing requests that did nothing wrong.
func (s *Store) commit(batch []*writeReq) {
	// Every batch takes its row locks in key order, so batches of different
	// writers or servers wait for each other but never deadlock.
	sort.SliceStable(batch, func(i, j int) bool { return batch[i].key < batch[j].key })
	var results []error
	for try := 0; ; try++ {
		var retry bool
		results, retry = s.commitOnce(batch)
		if !retry || try == 4 {
			break
		}
		time.Sleep(time.Duration(try+1) * 5 * time.Millisecond)
	}
	for i, r := range batch {
		r.done <- results[i]
	}
}

// commitOnce runs the batch once. retry reports a transient conflict that
// aborted the whole transaction.
func (s *Store) commitOnce(batch []*writeReq) (results []error, retry bool) {
	results = make([]error, len(batch))
	// A write that did not commit may have left the SQLite mirror of
	// attempts ahead of the database: forget what it was about.
	defer func() {
		if s.live == nil {
			return
		}
		for i, r := range batch {
			if failedWrite(results[i]) {
				s.live.forget(r.key)
			}
		}
	}()
	fail := func(err error) []error {
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
		return results
	}
	tx := s.write.Begin()
	if tx.Error != nil {
		return fail(fmt.Errorf("begin write: %w", tx.Error)), false
	}
	stx, err := sqlTx(tx)
	if err != nil {
		tx.Rollback()
		return fail(err), false
	}
	// Savepoints go straight to the driver: through GORM they cost as
	// much as an answer save's own statements.
	savepoint := func(q string) error {
		_, err := stx.Exec(q)
		return err
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
			// One name serves every write: each savepoint is released
			// before the next is taken, so they never nest (nesting
			// hundreds deep slows every statement).
			if err := savepoint("SAVEPOINT w"); err != nil {
				tx.Rollback()
				return fail(fmt.Errorf("savepoint: %w", err)), false
			}
			if err := r.fn(tx); err != nil {
				results[i] = err
				if transient(err) {
					tx.Rollback()
					return abandon(results, err), true
				}
				if s.live != nil && failedWrite(err) {
					s.live.forget(r.key) // before a later write reads it
				}
				if rb := savepoint("ROLLBACK TO SAVEPOINT w"); rb != nil {
					// The transaction is in an unknown state: give up the
					// whole batch rather than commit half of a write.
					tx.Rollback()
					results[i] = nil
					return fail(fmt.Errorf("rollback to savepoint: %w", rb)), false
				}
			}
			if err := savepoint("RELEASE SAVEPOINT w"); err != nil {
				tx.Rollback()
				if results[i] == nil {
					results[i] = fmt.Errorf("release savepoint: %w", err)
				}
				return fail(fmt.Errorf("release savepoint: %w", err)), false
			}
		}
		if results[i] == nil {
			applied++
		} else if transient(results[i]) {
			tx.Rollback()
			return abandon(results, results[i]), true
		}
	}
	if applied == 0 {
		tx.Rollback()
		return results, false
	}
	if err := tx.Commit().Error; err != nil {
		if transient(err) {
			return abandon(results, err), true
		}
		s.log.Error("commit failed", "err", err, "writes", len(batch))
		return fail(fmt.Errorf("commit: %w", err)), false
	}
	return results, false
}

// abandon marks every write of a rolled-back batch with err, so none is
// answered as done if the batch is not run again.
func abandon(results []error, err error) []error {
	for i := range results {
		if results[i] == nil || !transient(results[i]) {
			results[i] = fmt.Errorf("write abandoned after a conflict: %w", err)
		}
	}
	return results
}

// transient reports a PostgreSQL deadlock or serialization failure: the
// transaction lost a race and may simply be run again.
func transient(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}
