// Package store keeps rhitprep's data in SQLite (the embedded default)
// through GORM. Reads go through a pool of connections; every write goes
// through one writer goroutine that owns one connection and commits
// concurrent writes together (group commit), so writers never fight over
// SQLite's lock and a durable commit is shared by many requests.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

//go:embed migrations
var migrations embed.FS

// Options tune a Store. The zero value is what the server uses.
type Options struct {
	// Now is the clock for stored timestamps; tests fix it.
	Now func() time.Time
	// Logger receives slow-query and writer errors.
	Logger *slog.Logger
	// MaxBatch caps how many writes share one commit.
	MaxBatch int
	// QueueSize bounds the writes waiting for the writer; past it callers
	// wait (back-pressure) instead of memory growing without limit.
	QueueSize int
}

// Store implements quiz.Store and the account store.
type Store struct {
	read   *gorm.DB // pool of query-only connections
	write  *gorm.DB // the one writer connection, used only by the writer goroutine
	now    func() time.Time
	log    *slog.Logger
	writes chan *writeReq
	stop   chan struct{}
	done   chan struct{}
	batch  int

	closeOnce sync.Once
	questions sync.Map // question version id -> *quiz.Question; versions never change
}

var _ quiz.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite database at path, applies the
// migrations and starts the writer. A postgres:// URL is refused with a
// clear error until the PostgreSQL dialect lands.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil, errors.New("open store: PostgreSQL is not supported by this build yet; use a SQLite file path")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 512
	}
	if opt.QueueSize <= 0 {
		opt.QueueSize = 4096
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open store: create folder: %w", err)
		}
	}
	cfg := func() *gorm.Config {
		return &gorm.Config{
			TranslateError:         true,
			SkipDefaultTransaction: true,
			PrepareStmt:            true,
			NowFunc:                func() time.Time { return opt.Now().UTC() },
			Logger: logger.New(slogWriter{opt.Logger}, logger.Config{
				SlowThreshold:             500 * time.Millisecond,
				LogLevel:                  logger.Warn,
				IgnoreRecordNotFoundError: true,
			}),
		}
	}
	// The pragmas ride in the DSN so that every pooled connection gets
	// them, not only the one an Exec happens to run on.
	// synchronous=FULL: a commit is on disk before the writer answers, so an
	// acknowledged answer survives a crash or power loss.
	// txlock=immediate: the writer takes the lock at BEGIN, so a transaction
	// never fails half-way upgrading from read to write.
	base := "file:" + (&url.URL{Path: dsn}).EscapedPath()
	common := "_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on"
	w, err := gorm.Open(sqlite.Open(base+"?"+common+"&_synchronous=FULL&_txlock=immediate"), cfg())
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	wdb, err := w.DB()
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// One writer connection: SQLite allows one writer at a time anyway, and
	// funnelling writes through one connection means no request ever sees
	// "database is locked".
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	if err := migrate(ctx, wdb, "sqlite"); err != nil {
		wdb.Close()
		return nil, err
	}
	r, err := gorm.Open(sqlite.Open(base+"?"+common+"&_query_only=true"), cfg())
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	rdb, err := r.DB()
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	s := &Store{
		read:   r,
		write:  w,
		now:    func() time.Time { return opt.Now().UTC() },
		log:    opt.Logger,
		writes: make(chan *writeReq, opt.QueueSize),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
		batch:  opt.MaxBatch,
	}
	go s.writer()
	return s, nil
}

// Close stops the writer after it has committed what is queued, then closes
// both pools.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.done
		var errs []error
		for _, db := range []*gorm.DB{s.read, s.write} {
			if sqlDB, e := db.DB(); e == nil {
				errs = append(errs, sqlDB.Close())
			}
		}
		err = errors.Join(errs...)
	})
	return err
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error; err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity_check and returns its verdict
// ("ok" when the file is sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	if err := s.read.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&res).Error; err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	return res, nil
}

// migrate applies each embedded migration of the dialect once, in name
// order, each in its own transaction, and records it. It runs on the plain
// database/sql handle: a migration file holds several statements, and a
// prepared statement would run only the first.
func migrate(ctx context.Context, db *sql.DB, dialect string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dir := "migrations/" + dialect
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names := []string{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		body, err := fs.ReadFile(migrations, dir+"/"+name)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if err := applyMigration(ctx, db, name, string(body)); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, name, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE name = ?", name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", name, time.Now().UTC()); err != nil {
		return err
	}
	return tx.Commit()
}

// slogWriter lets GORM's logger write through slog.
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Printf(format string, args ...any) {
	w.log.Warn("database", "msg", fmt.Sprintf(format, args...))
}

// internal wraps a storage failure: callers see quiz.EINTERNAL, the log
// sees the cause.
func internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var qe *quiz.Error
	if errors.As(err, &qe) {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return quiz.Errorf(quiz.ENOTFOUND, "Not found.")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
