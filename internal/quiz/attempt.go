package quiz

import (
	"context"
	"time"

	"github.com/rhitprep/rhitprep/internal/fsrs"
)

// Roles. Every account can take exams; instructors also manage question sets
// and read reports; admins also manage users.
const (
	RoleLearner    = "learner"
	RoleInstructor = "instructor"
	RoleAdmin      = "admin"
)

// User is an account as the rest of the program sees it: never with its
// password hash.
type User struct {
	ID        string
	Username  string
	Role      string
	CreatedAt time.Time
}

// Exam modes.
const (
	ModeMock   = "mock"
	ModeQuiz   = "quiz"
	ModeReview = "review"
	ModeMissed = "missed"
)

// Feedback modes: immediate shows the key after each answer; deferred only
// in the result.
const (
	Immediate = "immediate"
	Deferred  = "deferred"
)

// Attempt statuses.
const (
	InProgress = "in_progress"
	Submitted  = "submitted"
	Expired    = "expired"
)

// Attempt is one sitting of an exam or quiz by one learner.
type Attempt struct {
	ID          string
	UserID      string
	Mode        string
	Feedback    string
	Status      string
	StartedAt   time.Time
	Deadline    *time.Time
	FinishedAt  *time.Time
	TimeLimit   int // seconds; 0 for none
	Seed        int64
	LastActive  time.Time
	Items       []*Item
	Score       *Score // set once the attempt is finished
	PassPercent float64
}

// Item is one question as placed in an attempt.
type Item struct {
	Position   int
	Question   *Question
	Order      []string // option ids in the order this learner sees them
	Scored     bool     // false for a mock exam's unscored pretest items
	Response   Response
	Flagged    bool
	Unsure     bool     // the learner marked the answer as a guess
	Credit     *float64 // set once the item is scored
	TimeSpent  time.Duration
	AnsweredAt *time.Time
}

// Correct reports whether the item was scored fully right.
func (it *Item) Correct() bool { return it.Credit != nil && *it.Credit >= 1 }

// Revealed reports whether the key of this item may be shown to the learner
// of attempt a: after the attempt ends, or at once for an answered item in
// immediate-feedback mode.
func (a *Attempt) Revealed(it *Item) bool {
	if a.Status != InProgress {
		return true
	}
	return a.Feedback == Immediate && it.Credit != nil
}

// Score is the outcome of a finished attempt over its scored items.
type Score struct {
	Correct float64
	Total   int
	Percent float64
	Scaled  *int  // mock exams only
	Passed  *bool // mock exams only
}

// AttemptSummary is one line of a learner's exam list.
type AttemptSummary struct {
	ID         string
	Mode       string
	Status     string
	StartedAt  time.Time
	FinishedAt *time.Time
	Percent    *float64
}

// ItemState is the stored state of one item together with its attempt's
// state, handed to a save inside the store's write transaction so that the
// rules about closed attempts and locked answers are checked atomically with
// the write.
type ItemState struct {
	UserID     string
	Status     string
	Feedback   string
	Deadline   *time.Time
	LastActive time.Time
	Question   *Question
	Scored     bool
	Response   Response
	Flagged    bool
	Unsure     bool
	Credit     *float64
	TimeSpent  time.Duration
	AnsweredAt *time.Time
}

// Store keeps questions, attempts and progress. It is declared here, where
// it is used; internal/store implements it on SQLite and PostgreSQL.
type Store interface {
	// ActiveQuestions returns the newest version of every question of every
	// set that is not retired.
	ActiveQuestions(ctx context.Context) ([]*Question, error)
	// CreateAttempt stores a new attempt and its items in one transaction.
	CreateAttempt(ctx context.Context, a *Attempt) error
	// Attempt returns the attempt with its items; ENOTFOUND if there is none.
	Attempt(ctx context.Context, id string) (*Attempt, error)
	// Attempts lists a user's attempts, newest first.
	Attempts(ctx context.Context, userID string) ([]AttemptSummary, error)
	// History lists a user's most recent finished attempts, newest first.
	History(ctx context.Context, userID string, limit int) ([]AttemptSummary, error)
	// UpdateItem runs fn on the item's state inside a durable write and
	// stores what fn changed. An item whose Credit goes from nil to a value
	// is recorded in the learner's progress in the same transaction.
	UpdateItem(ctx context.Context, attemptID string, position int, fn func(*ItemState) error) (*ItemState, error)
	// FinishAttempt loads the attempt inside a durable write and runs fn; if
	// fn returns nil, the attempt's status, score and item credits are stored
	// and newly scored items are recorded in progress. fn returning an error
	// leaves everything as it was.
	FinishAttempt(ctx context.Context, id string, fn func(*Attempt) error) (*Attempt, error)
	// OverdueAttempts lists the ids of attempts still in progress whose
	// deadline is before now.
	OverdueAttempts(ctx context.Context, now time.Time, limit int) ([]string, error)
	// SeenQuestions returns the learner's record of every question they
	// have been shown in a finished attempt or answered with immediate
	// feedback.
	SeenQuestions(ctx context.Context, userID string) (map[Key]Seen, error)
	// Mastery returns the learner's running tallies per topic and domain.
	Mastery(ctx context.Context, userID string) (topics, domains map[string]Aggregate, err error)
	// DueCount is how many of the learner's cards are due at now.
	DueCount(ctx context.Context, userID string, now time.Time) (int, error)
	// Leeches lists the questions the learner keeps forgetting.
	Leeches(ctx context.Context, userID string) ([]Leech, error)
	// Days returns answers per day and topic since a day (YYYY-MM-DD).
	Days(ctx context.Context, userID, since string) ([]Day, error)
	// Plan and SetPlan keep the learner's exam date and daily budget.
	Plan(ctx context.Context, userID string) (Plan, bool, error)
	SetPlan(ctx context.Context, userID string, p Plan) error
}

// Leech is a question a learner keeps forgetting.
type Leech struct {
	SetID      string
	QuestionID string
	Lapses     int
}

// Day is a learner's answers in one topic on one day (UTC).
type Day struct {
	Day      string
	Topic    string
	Answered int
	Correct  int
}

// Plan is a learner's exam date and how many questions a day they will do.
type Plan struct {
	ExamDate    time.Time
	DailyBudget int
}

// Seen is a learner's record of one question. Answered is zero for a
// question shown only as an unscored pretest item.
type Seen struct {
	Answered    int
	LastCorrect bool
	Card        fsrs.Card
}

// Missed reports whether the learner's last scored answer was wrong.
func (s Seen) Missed() bool { return s.Answered > 0 && !s.LastCorrect }

// Key identifies a question across versions of its set. It is a struct,
// not a joined string, so looking one up allocates nothing: exam assembly
// does it for every question in the bank.
type Key struct {
	SetID string
	ID    string
}

// KeyOf is q's Key.
func KeyOf(q *Question) Key { return Key{q.SetID, q.ID} }
