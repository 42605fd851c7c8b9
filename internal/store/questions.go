package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// questionRow is a question version as stored.
type questionRow struct {
	ID            int64 `gorm:"primaryKey"`
	SetID         string
	SetVersion    int
	QID           string `gorm:"column:qid"`
	Topic         string
	Domain        int
	Subtopic      string
	Difficulty    string
	Cognitive     string
	Type          string
	ScenarioID    string
	Scenario      string
	Stem          string
	Options       string
	Answer        string
	Value         float64
	Tolerance     float64
	PartialCredit bool
	Rationale     string
	Refs          string
	Review        string
}

func (questionRow) TableName() string { return "questions" }

func toQuestionRow(q *quiz.Question, setID string, version int) (questionRow, error) {
	opts, err := json.Marshal(q.Options)
	if err != nil {
		return questionRow{}, err
	}
	ans, err := json.Marshal(q.Answer)
	if err != nil {
		return questionRow{}, err
	}
	refs, err := json.Marshal(q.References)
	if err != nil {
		return questionRow{}, err
	}
	rev, err := json.Marshal(q.Review)
	if err != nil {
		return questionRow{}, err
	}
	return questionRow{
		SetID: setID, SetVersion: version, QID: q.ID, Topic: q.Topic, Domain: q.Domain,
		Subtopic: q.Subtopic, Difficulty: q.Difficulty, Cognitive: q.Cognitive, Type: q.Type,
		ScenarioID: q.ScenarioID, Scenario: q.Scenario, Stem: q.Stem,
		Options: string(opts), Answer: string(ans), Value: q.Value, Tolerance: q.Tolerance,
		PartialCredit: q.PartialCredit, Rationale: q.Rationale, Refs: string(refs), Review: string(rev),
	}, nil
}

func (r *questionRow) toQuestion() (*quiz.Question, error) {
	q := &quiz.Question{
		ID: r.QID, Version: r.ID, SetID: r.SetID, SetVersion: r.SetVersion, Topic: r.Topic,
		Domain: r.Domain, Subtopic: r.Subtopic, Difficulty: r.Difficulty, Cognitive: r.Cognitive,
		Type: r.Type, ScenarioID: r.ScenarioID, Scenario: r.Scenario, Stem: r.Stem,
		Value: r.Value, Tolerance: r.Tolerance, PartialCredit: r.PartialCredit, Rationale: r.Rationale,
	}
	for _, f := range []struct {
		src string
		dst any
	}{{r.Options, &q.Options}, {r.Answer, &q.Answer}, {r.Refs, &q.References}, {r.Review, &q.Review}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return nil, fmt.Errorf("question %d: decode: %w", r.ID, err)
		}
	}
	return q, nil
}

// cached returns the question version with id, from memory when it has been
// seen before: versions never change, so the cache never goes stale, even
// with several servers on one database.
func (s *Store) cachedQuestions(db *gorm.DB, ids []int64) (map[int64]*quiz.Question, error) {
	out := make(map[int64]*quiz.Question, len(ids))
	var missing []int64
	for _, id := range ids {
		if q, ok := s.questions.Load(id); ok {
			out[id] = q.(*quiz.Question)
		} else {
			missing = append(missing, id)
		}
	}
	for len(missing) > 0 {
		chunk := missing[:min(len(missing), 500)]
		missing = missing[len(chunk):]
		var rows []questionRow
		if err := db.Where("id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, err
		}
		for i := range rows {
			q, err := rows[i].toQuestion()
			if err != nil {
				return nil, err
			}
			s.questions.Store(q.Version, q)
			out[q.Version] = q
		}
	}
	return out, nil
}

// ActiveQuestions returns the newest version of every question of every set
// that is not retired.
func (s *Store) ActiveQuestions(ctx context.Context) ([]*quiz.Question, error) {
	var rows []questionRow
	err := s.read.WithContext(ctx).Raw(`SELECT q.* FROM questions q
		JOIN question_sets s ON s.id = q.set_id AND s.version = q.set_version
		WHERE NOT s.retired AND s.source <> 'generated' ORDER BY q.id`).Scan(&rows).Error
	if err != nil {
		return nil, internal("active questions", err)
	}
	out := make([]*quiz.Question, 0, len(rows))
	for i := range rows {
		q, err := rows[i].toQuestion()
		if err != nil {
			return nil, internal("active questions", err)
		}
		s.questions.Store(q.Version, q)
		out = append(out, q)
	}
	return out, nil
}

// SetInfo describes a question set.
type SetInfo struct {
	ID          string
	Name        string
	Source      string
	Version     int
	Questions   int
	Retired     bool
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

type setRow struct {
	ID          string
	Name        string
	Source      string
	OwnerID     *string
	Version     int
	Retired     bool
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (setRow) TableName() string { return "question_sets" }

// SetImport is a validated set ready to store.
type SetImport struct {
	Name        string
	Description string
	Source      string // "shipped" or "upload"
	OwnerID     string
	Format      string
	Hash        string // content hash of the source file
	Questions   []*quiz.Question
}

// ImportResult says what an import did.
type ImportResult struct {
	Set SetInfo
	// Imported is false when a shipped bank was already stored with the
	// same content, or its set was retired: a restart changes nothing.
	Imported bool
}

// ImportSet stores a set as a new version in one transaction: all its
// questions or none. A set is found by name; a new name makes a new set.
// For shipped banks the import is idempotent: content already stored as
// any version of the set, or a retired set, is left alone.
func (s *Store) ImportSet(ctx context.Context, imp SetImport) (ImportResult, error) {
	var res ImportResult
	rows := make([]questionRow, len(imp.Questions))
	now := s.now()
	err := s.Write(ctx, func(tx *gorm.DB) error {
		if s.dialect == "postgres" {
			// Two servers importing the same set name (the shipped banks at
			// start-up) take turns, so each version is stored once.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7312002, hashtext(?))", imp.Name).Error; err != nil {
				return err
			}
		}
		var set setRow
		err := tx.Where("name = ?", imp.Name).Take(&set).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			set = setRow{ID: uuid.NewString(), Name: imp.Name, Source: imp.Source, Version: 0,
				Description: imp.Description, CreatedAt: now, UpdatedAt: now}
			if imp.OwnerID != "" {
				set.OwnerID = &imp.OwnerID
			}
			if err := tx.Create(&set).Error; err != nil {
				return err
			}
		case err != nil:
			return err
		case imp.Source == "shipped":
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM set_versions WHERE set_id = ? AND content_hash = ?", set.ID, imp.Hash).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 || set.Retired {
				res.Set = set.info(0)
				return nil
			}
		}
		set.Version++
		set.Retired = false
		set.UpdatedAt = now
		set.Description = imp.Description
		if err := tx.Model(&setRow{}).Where("id = ?", set.ID).Updates(map[string]any{
			"version": set.Version, "retired": false, "updated_at": now, "description": imp.Description,
		}).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO set_versions (set_id, version, content_hash, format, questions, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, set.ID, set.Version, imp.Hash, imp.Format, len(imp.Questions), now).Error; err != nil {
			return err
		}
		for i, q := range imp.Questions {
			r, err := toQuestionRow(q, set.ID, set.Version)
			if err != nil {
				return err
			}
			rows[i] = r
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(&rows, 500).Error; err != nil {
				return err
			}
		}
		res.Imported = true
		res.Set = set.info(len(rows))
		return nil
	})
	if err != nil {
		return ImportResult{}, internal("import set", err)
	}
	if !res.Imported && res.Set.ID != "" {
		info, err := s.Set(ctx, res.Set.ID)
		if err != nil {
			return ImportResult{}, err
		}
		res.Set = info
	}
	return res, nil
}

func (r setRow) info(n int) SetInfo {
	return SetInfo{ID: r.ID, Name: r.Name, Source: r.Source, Version: r.Version, Questions: n,
		Retired: r.Retired, Description: r.Description, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

const setInfoQuery = `SELECT s.*, COALESCE(v.questions, 0) AS questions FROM question_sets s
	LEFT JOIN set_versions v ON v.set_id = s.id AND v.version = s.version
	WHERE s.source <> 'generated'`

// setInfoRow is a set with its newest version's question count. Its
// fields are spelled out because GORM does not fill embedded structs from
// raw queries.
type setInfoRow struct {
	ID          string
	Name        string
	Source      string
	Version     int
	Retired     bool
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Questions   int
}

func (r setInfoRow) info() SetInfo {
	return SetInfo{ID: r.ID, Name: r.Name, Source: r.Source, Version: r.Version, Questions: r.Questions,
		Retired: r.Retired, Description: r.Description, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// Sets lists every question set, newest first.
func (s *Store) Sets(ctx context.Context) ([]SetInfo, error) {
	var rows []setInfoRow
	if err := s.read.WithContext(ctx).Raw(setInfoQuery + " ORDER BY s.created_at DESC, s.name").Scan(&rows).Error; err != nil {
		return nil, internal("sets", err)
	}
	out := make([]SetInfo, len(rows))
	for i, r := range rows {
		out[i] = r.info()
	}
	return out, nil
}

// Set returns one set; ENOTFOUND if there is none.
func (s *Store) Set(ctx context.Context, id string) (SetInfo, error) {
	var rows []setInfoRow
	if err := s.read.WithContext(ctx).Raw(setInfoQuery+" AND s.id = ?", id).Scan(&rows).Error; err != nil {
		return SetInfo{}, internal("set", err)
	}
	if len(rows) == 0 {
		return SetInfo{}, quiz.Errorf(quiz.ENOTFOUND, "No question set with that id.")
	}
	return rows[0].info(), nil
}

// SetQuestions returns the questions of a set's newest version, in file
// order.
func (s *Store) SetQuestions(ctx context.Context, id string) ([]*quiz.Question, error) {
	var rows []questionRow
	err := s.read.WithContext(ctx).Raw(`SELECT q.* FROM questions q JOIN question_sets s
		ON s.id = q.set_id AND s.version = q.set_version WHERE s.id = ? ORDER BY q.id`, id).Scan(&rows).Error
	if err != nil {
		return nil, internal("set questions", err)
	}
	out := make([]*quiz.Question, len(rows))
	for i := range rows {
		q, err := rows[i].toQuestion()
		if err != nil {
			return nil, internal("set questions", err)
		}
		out[i] = q
	}
	return out, nil
}

// RetireSet stops a set's questions being drawn. Past attempts keep them.
func (s *Store) RetireSet(ctx context.Context, id string) error {
	err := s.Write(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE question_sets SET retired = ?, updated_at = ? WHERE id = ?", true, s.now(), id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return quiz.Errorf(quiz.ENOTFOUND, "No question set with that id.")
		}
		return nil
	})
	return internal("retire set", err)
}

// SetsChanged returns a stamp that changes whenever a set is imported or
// retired, by this server or another on the same database, so each server
// can tell when to rebuild its exam index.
func (s *Store) SetsChanged(ctx context.Context) (string, error) {
	var rows []struct {
		N    int64
		Last *string
	}
	err := s.read.WithContext(ctx).Raw("SELECT COUNT(*) AS n, CAST(MAX(updated_at) AS TEXT) AS last FROM question_sets").Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return "", internal("sets changed", err)
	}
	last := ""
	if rows[0].Last != nil {
		last = *rows[0].Last
	}
	return fmt.Sprintf("%d/%s", rows[0].N, last), nil
}
