// Package sets manages question sets as instructors see them: uploads in
// any supported format (checked all or nothing), versions, retirement,
// export, and the shipped banks loaded at start. After every change it
// rebuilds the exam index, so new attempts draw from what is active.
package sets

import (
	"context"
	"io/fs"
	"log/slog"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/store"
)

// Store is what sets needs from storage.
type Store interface {
	ImportSet(ctx context.Context, imp store.SetImport) (store.ImportResult, error)
	Sets(ctx context.Context) ([]store.SetInfo, error)
	Set(ctx context.Context, id string) (store.SetInfo, error)
	SetQuestions(ctx context.Context, id string) ([]*quiz.Question, error)
	RetireSet(ctx context.Context, id string) error
	SetsChanged(ctx context.Context) (string, error)
}

// Reloader rebuilds the exam index after a change.
type Reloader interface {
	Reload(ctx context.Context) error
}

// Manager imports, lists, exports and retires sets.
type Manager struct {
	store Store
	index Reloader

	mu    sync.Mutex
	stamp string // the sets' change stamp the index was last built from

	// parsing lets one upload be read at a time: the YAML reader holds
	// about forty times a file's size while it works (640 MB for a 15 MB
	// file of 50,000 questions), so a few large uploads at once could
	// exhaust a small server.
	parsing chan struct{}
}

// NewManager returns a manager over st that keeps index in step; index may
// be nil where no exams run (the import command).
func NewManager(st Store, index Reloader) *Manager {
	return &Manager{store: st, index: index, parsing: make(chan struct{}, 1)}
}

// Upload is an instructor's file and how to read it.
type Upload struct {
	Data     []byte
	Filename string
	Format   string // "" to guess
	Name     string // the set's name; "" to take it from the file name or the file
	Topic    string
	Domain   int
	OwnerID  string
	DryRun   bool
}

// Outcome is what an upload did (or, in a dry run, would do).
type Outcome struct {
	Set      store.SetInfo
	Warnings []quiz.Detail
	DryRun   bool
	Format   string
}

// Import checks an upload and, unless it is a dry run, stores it as a new
// version of the set with its name. Any problem means nothing is stored and
// the error lists every problem.
func (m *Manager) Import(ctx context.Context, up Upload) (Outcome, error) {
	if up.Domain < 0 || up.Domain > 6 {
		return Outcome{}, quiz.Errorf(quiz.EINVALID, "domain must be an RHIT domain from 1 to 6.")
	}
	if up.Topic != "" && !quiz.IsTopic(up.Topic) {
		return Outcome{}, quiz.Errorf(quiz.EINVALID, "Unknown topic %q.", up.Topic)
	}
	select {
	case m.parsing <- struct{}{}:
	case <-ctx.Done():
		return Outcome{}, ctx.Err()
	}
	set, rep, format, err := Parse(up.Format, up.Filename, up.Data, bank.Options{Topic: up.Topic, Domain: up.Domain})
	<-m.parsing
	if err != nil {
		return Outcome{}, err
	}
	name := strings.TrimSpace(up.Name)
	if name == "" && up.Filename != "" {
		name = strings.TrimSuffix(path.Base(up.Filename), path.Ext(up.Filename))
	}
	if name == "" && set != nil {
		name = strings.TrimSpace(set.Name)
	}
	if name == "" {
		rep.Problems = append(rep.Problems, quiz.Detail{Field: "name", Message: "the set has no name: give one as the name parameter, a file name, or in the file"})
	} else if len(name) > 200 {
		rep.Problems = append(rep.Problems, quiz.Detail{Field: "name", Message: "the set name is longer than 200 characters"})
	}
	if set != nil && len(set.Questions) == 0 && rep.OK() {
		rep.Problems = append(rep.Problems, quiz.Detail{Field: "questions", Message: "the file holds no questions"})
	}
	if !rep.OK() {
		return Outcome{}, &quiz.Error{Code: quiz.EINVALID,
			Message: problemsMessage(len(rep.Problems)), Details: rep.Problems}
	}
	out := Outcome{Warnings: rep.Warnings, DryRun: up.DryRun, Format: format}
	if up.DryRun {
		out.Set = store.SetInfo{Name: name, Questions: len(set.Questions)}
		return out, nil
	}
	res, err := m.store.ImportSet(ctx, store.SetImport{Name: name, Description: set.Description, Source: "upload",
		OwnerID: up.OwnerID, Format: format, Hash: bank.Hash(up.Data), Questions: set.Questions})
	if err != nil {
		return Outcome{}, err
	}
	out.Set = res.Set
	return out, m.reload(ctx)
}

func problemsMessage(n int) string {
	if n == 1 {
		return "The file has 1 problem; nothing was stored."
	}
	return "The file has " + strconv.Itoa(n) + " problems; nothing was stored."
}

// LoadShipped imports the shipped banks from fsys: each is a set of its own,
// imported once per content (a restart imports nothing twice) and never
// brought back once retired. Any problem in any bank stops the start.
func (m *Manager) LoadShipped(ctx context.Context, fsys fs.FS) (imported int, err error) {
	banks, problems, err := bank.LoadShipped(fsys)
	if err != nil {
		return 0, err
	}
	if len(problems) > 0 {
		details := make([]quiz.Detail, len(problems))
		for i, p := range problems {
			details[i] = p.Detail
			details[i].Path = p.File
		}
		return 0, &quiz.Error{Code: quiz.EINVALID, Message: "The shipped question banks have problems.", Details: details}
	}
	for _, b := range banks {
		res, err := m.store.ImportSet(ctx, store.SetImport{Name: b.Set.Name, Description: b.Set.Description,
			Source: "shipped", Format: "yaml", Hash: b.Hash, Questions: b.Set.Questions})
		if err != nil {
			return imported, err
		}
		if res.Imported {
			imported++
		}
	}
	return imported, m.reload(ctx)
}

// List returns every set.
func (m *Manager) List(ctx context.Context) ([]store.SetInfo, error) { return m.store.Sets(ctx) }

// Get returns a set and the questions of its newest version.
func (m *Manager) Get(ctx context.Context, id string) (store.SetInfo, []*quiz.Question, error) {
	info, err := m.store.Set(ctx, id)
	if err != nil {
		return store.SetInfo{}, nil, err
	}
	qs, err := m.store.SetQuestions(ctx, id)
	return info, qs, err
}

// Retire stops a set being drawn; past attempts keep its questions.
func (m *Manager) Retire(ctx context.Context, id string) error {
	if err := m.store.RetireSet(ctx, id); err != nil {
		return err
	}
	return m.reload(ctx)
}

func (m *Manager) reload(ctx context.Context) error {
	if m.index == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	stamp, err := m.store.SetsChanged(ctx)
	if err != nil {
		return err
	}
	if err := m.index.Reload(ctx); err != nil {
		return err
	}
	m.stamp = stamp
	return nil
}

// Sync rebuilds the exam index when another server sharing the database
// has imported or retired a set since the index was built.
func (m *Manager) Sync(ctx context.Context) (changed bool, err error) {
	m.mu.Lock()
	last := m.stamp
	m.mu.Unlock()
	stamp, err := m.store.SetsChanged(ctx)
	if err != nil || stamp == last {
		return false, err
	}
	return true, m.reload(ctx)
}

// Watch calls Sync every interval until ctx ends, so every server draws
// from the same active questions within one interval.
func (m *Manager) Watch(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if changed, err := m.Sync(ctx); err != nil && ctx.Err() == nil {
				log.Error("sync question sets", "err", err)
			} else if changed {
				log.Info("question sets changed on another server; exam index rebuilt")
			}
		}
	}
}
