package quiz

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/rhitprep/rhitprep/internal/blueprint"
)

// Service runs exams: it assembles attempts, saves answers, enforces the
// deadline, scores and reports progress. HTTP handlers and the command line
// call it; it calls the Store.
type Service struct {
	store    Store
	bp       *blueprint.Blueprint
	now      func() time.Time
	log      *slog.Logger
	index    atomic.Pointer[Index]
	generate Generator
}

// Generator makes the i-th generated statistics question of a quiz from a
// seed; the same i and seed always give the same question.
type Generator func(i int, seed uint64) (*Question, error)

// SetGenerator enables generated statistics practice.
func (s *Service) SetGenerator(g Generator) { s.generate = g }

// NewService returns a service over store, drawing mock exams by bp. now is
// the clock (time.Now in production, fixed in tests).
func NewService(store Store, bp *blueprint.Blueprint, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	// Times are kept to the millisecond: finer is noise, and every store
	// keeps milliseconds.
	s := &Service{store: store, bp: bp, now: func() time.Time { return now().UTC().Truncate(time.Millisecond) }, log: log}
	s.index.Store(NewIndex(nil))
	return s
}

// Blueprint is the mock exam's shape.
func (s *Service) Blueprint() *blueprint.Blueprint { return s.bp }

// Reload rebuilds the in-memory index of active questions. Call it after a
// set is imported or retired.
func (s *Service) Reload(ctx context.Context) error {
	qs, err := s.store.ActiveQuestions(ctx)
	if err != nil {
		return err
	}
	s.index.Store(NewIndex(qs))
	return nil
}

// Index returns the current index of active questions.
func (s *Service) Index() *Index { return s.index.Load() }

// StartRequest is what a learner asks for when starting an exam.
type StartRequest struct {
	Mode       string
	Topics     []string
	Count      int
	Feedback   string
	TimeLimit  int // seconds
	Difficulty string
	Sets       []string
	// Generated asks for freshly generated statistics questions instead of
	// bank questions (quiz mode, statistics only).
	Generated bool
}

// Limits on quiz requests, from the contract.
const (
	MaxCount     = 200
	DefaultCount = 10
	MaxTimeLimit = 86400
	// maxIdleCredit caps how much of a pause between two saves counts as
	// time spent on an item, so a learner who walks away does not make one
	// item look like it took an hour.
	maxIdleCredit = 10 * time.Minute
)

func newSeed() int64 {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		return time.Now().UnixNano()
	}
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

func seeded(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15))
}

// Start assembles and stores a new attempt for user. The random draw comes
// from a seed stored with the attempt.
func (s *Service) Start(ctx context.Context, user User, req StartRequest) (*Attempt, error) {
	now := s.now()
	a := &Attempt{ID: uuid.NewString(), UserID: user.ID, Mode: req.Mode, Status: InProgress,
		StartedAt: now, LastActive: now, Seed: newSeed()}
	rng := seeded(a.Seed)
	ix := s.index.Load()

	var scored, pretest []*Question
	switch req.Mode {
	case ModeMock:
		seen, err := s.store.SeenQuestions(ctx, user.ID)
		if err != nil {
			return nil, err
		}
		a.Feedback = Deferred
		a.TimeLimit = int(s.bp.TimeLimit() / time.Second)
		if scored, pretest, err = sampleMock(ix, s.bp, seen, rng); err != nil {
			return nil, err
		}
	case ModeQuiz, ModeReview, ModeMissed:
		if err := checkQuizRequest(&req); err != nil {
			return nil, err
		}
		a.Feedback, a.TimeLimit = req.Feedback, req.TimeLimit
		if req.Mode != ModeQuiz {
			a.Feedback = Immediate
		}
		seen, err := s.store.SeenQuestions(ctx, user.ID)
		if err != nil {
			return nil, err
		}
		switch {
		case req.Mode == ModeQuiz && req.Generated:
			scored, err = s.sampleGenerated(req, rng)
		case req.Mode == ModeQuiz:
			scored, err = s.sampleQuiz(ix, req, seen, rng)
		case req.Mode == ModeMissed:
			scored, err = sampleMissed(ix, req.Count, seen, rng)
		case req.Mode == ModeReview:
			scored, err = s.sampleReview(ctx, user, ix, req.Count, seen, rng)
		}
		if err != nil {
			return nil, err
		}
	default:
		return nil, Errorf(EINVALID, "mode must be mock, quiz, review or missed.")
	}
	if a.TimeLimit > 0 {
		d := now.Add(time.Duration(a.TimeLimit) * time.Second)
		a.Deadline = &d
	}
	isPretest := map[*Question]bool{}
	for _, q := range pretest {
		isPretest[q] = true
	}
	order := append(scored, pretest...)
	if req.Mode != ModeReview {
		// A review keeps its priority order (missed first); everything
		// else is shuffled, item sets kept together.
		order = arrange(order, rng)
	}
	for i, q := range order {
		a.Items = append(a.Items, &Item{Position: i + 1, Question: q, Order: shuffleOptions(q, rng), Scored: !isPretest[q]})
	}
	if err := s.store.CreateAttempt(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func checkQuizRequest(req *StartRequest) error {
	if req.Count == 0 {
		req.Count = DefaultCount
	}
	if req.Count < 1 || req.Count > MaxCount {
		return Errorf(EINVALID, "count must be between 1 and %d.", MaxCount)
	}
	if req.Feedback == "" {
		req.Feedback = Immediate
	}
	if req.Feedback != Immediate && req.Feedback != Deferred {
		return Errorf(EINVALID, "feedback must be immediate or deferred.")
	}
	if req.TimeLimit < 0 || req.TimeLimit > MaxTimeLimit {
		return Errorf(EINVALID, "time_limit_s must be between 1 and %d.", MaxTimeLimit)
	}
	for _, t := range req.Topics {
		if !IsTopic(t) {
			return Errorf(EINVALID, "Unknown topic %q.", t)
		}
	}
	switch req.Difficulty {
	case "", Easy, Medium, Hard:
	default:
		return Errorf(EINVALID, "difficulty must be easy, medium or hard.")
	}
	return nil
}

// sampleGenerated draws count fresh statistics questions, cycling through
// the formula families from a random starting point. Each question's seed
// comes from the attempt's seed, so the draw can be reproduced.
func (s *Service) sampleGenerated(req StartRequest, rng *rand.Rand) ([]*Question, error) {
	if s.generate == nil {
		return nil, Errorf(EINVALID, "Generated questions are not available on this server.")
	}
	if len(req.Topics) > 1 || (len(req.Topics) == 1 && req.Topics[0] != TopicStatistics) {
		return nil, Errorf(EINVALID, "Generated questions are statistics questions: ask for topics [\"statistics\"] or none.")
	}
	if req.Difficulty != "" || len(req.Sets) > 0 {
		return nil, Errorf(EINVALID, "Generated questions cannot be filtered by difficulty or set.")
	}
	start := rng.IntN(1 << 20)
	out := make([]*Question, req.Count)
	for i := range out {
		q, err := s.generate(start+i, rng.Uint64())
		if err != nil {
			return nil, err
		}
		out[i] = q
	}
	return out, nil
}

func (s *Service) sampleQuiz(ix *Index, req StartRequest, seen map[Key]Seen, rng *rand.Rand) ([]*Question, error) {
	pool := ix.filter(func(q *Question) bool {
		return (len(req.Topics) == 0 || slices.Contains(req.Topics, q.Topic)) &&
			(req.Difficulty == "" || q.Difficulty == req.Difficulty) &&
			(len(req.Sets) == 0 || slices.Contains(req.Sets, q.SetID))
	})
	if len(pool) < req.Count {
		return nil, Errorf(EINVALID, "Only %d questions match %s; ask for %d or fewer.",
			len(pool), describeFilter(req.Topics, req.Difficulty, req.Sets), len(pool))
	}
	return preferUnseen(pool, req.Count, seen, nil, rng), nil
}

// sampleMissed draws the active questions whose last scored answer was wrong.
func sampleMissed(ix *Index, count int, seen map[Key]Seen, rng *rand.Rand) ([]*Question, error) {
	pool := ix.filter(func(q *Question) bool { return seen[KeyOf(q)].Missed() })
	if len(pool) == 0 {
		return nil, Errorf(EINVALID, "There are no missed questions to practise: every question answered so far was last answered right.")
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:min(count, len(pool))], nil
}

// sampleReview draws, in order: spaced-repetition reviews (cards due now,
// most overdue first; or, when the learner has an exam date, the cards
// whose review most raises expected recall on that date, within the daily
// budget), then missed questions, then questions from the topics with the
// lowest mastery (unpractised topics count as 50 %), unseen first.
func (s *Service) sampleReview(ctx context.Context, user User, ix *Index, count int, seen map[Key]Seen, rng *rand.Rand) ([]*Question, error) {
	now := s.now()
	plan, planned, err := s.store.Plan(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	if planned {
		days, err := s.store.Days(ctx, user.ID, now.Format(time.DateOnly))
		if err != nil {
			return nil, err
		}
		left := plan.DailyBudget
		for _, d := range days {
			left -= d.Answered
		}
		if left <= 0 {
			return nil, Errorf(EINVALID, "Today's budget of %d questions is done: come back tomorrow, or practise with a quiz.", plan.DailyBudget)
		}
		count = min(count, left)
	}
	var out []*Question
	taken := map[*Question]bool{}
	take := func(q *Question) {
		if len(out) < count && !taken[q] {
			out = append(out, q)
			taken[q] = true
		}
	}
	type due struct {
		q     *Question
		score float64
	}
	var cards []due
	for key, st := range seen {
		q := ix.byKey[key]
		if q == nil || st.Card.Reps == 0 {
			continue
		}
		switch {
		case planned:
			if g := examGain(st.Card, now, plan.ExamDate); g > 0.001 {
				cards = append(cards, due{q, g})
			}
		case !st.Card.Due.After(now):
			cards = append(cards, due{q, now.Sub(st.Card.Due).Hours()})
		}
	}
	sort.Slice(cards, func(i, j int) bool {
		if cards[i].score != cards[j].score {
			return cards[i].score > cards[j].score
		}
		return cards[i].q.Version < cards[j].q.Version
	})
	for _, c := range cards {
		take(c.q)
	}
	missed, _ := sampleMissed(ix, count, seen, rng)
	for _, q := range missed {
		take(q)
	}
	topics, _, err := s.store.Mastery(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	order := make([]string, 0, 5)
	for _, t := range Topics() {
		order = append(order, t.ID)
	}
	sort.SliceStable(order, func(i, j int) bool {
		return topics[order[i]].Mastery().Estimate < topics[order[j]].Mastery().Estimate
	})
	for _, t := range order {
		pool := ix.filter(func(q *Question) bool { return q.Topic == t && !taken[q] })
		for _, q := range preferUnseen(pool, count-len(out), seen, nil, rng) {
			take(q)
		}
	}
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "There are no questions to review yet.")
	}
	return out, nil
}

// errFinished tells FinishAttempt's callback that there is nothing to do.
var errFinished = errors.New("attempt already finished")

// Attempt returns one of user's attempts, closing it first if its deadline
// has passed. Another user's attempt is ENOTFOUND, never EFORBIDDEN, so ids
// cannot be probed.
func (s *Service) Attempt(ctx context.Context, user User, id string) (*Attempt, error) {
	a, err := s.store.Attempt(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.UserID != user.ID {
		return nil, notFound()
	}
	if a.Status == InProgress && a.Deadline != nil && !s.now().Before(*a.Deadline) {
		return s.finish(ctx, user.ID, id)
	}
	return a, nil
}

func notFound() error { return Errorf(ENOTFOUND, "No exam with that id.") }

// Attempts lists user's attempts, newest first.
func (s *Service) Attempts(ctx context.Context, user User) ([]AttemptSummary, error) {
	return s.store.Attempts(ctx, user.ID)
}

// SaveRequest carries an answer, a flag, or both.
type SaveRequest struct {
	Response *Response
	Flagged  *bool
	// Unsure marks the answer as a guess: if it is right, spaced
	// repetition rates it Hard rather than Good, so it comes back sooner.
	Unsure *bool
}

// SaveItem stores a response and/or flag durably. Once the attempt is
// submitted or past its deadline, ECONFLICT. In immediate-feedback mode the
// item is scored at once and its answer can no longer be changed.
func (s *Service) SaveItem(ctx context.Context, user User, id string, position int, req SaveRequest) (*ItemState, error) {
	if req.Response == nil && req.Flagged == nil && req.Unsure == nil {
		return nil, Errorf(EINVALID, "Send a response, a flag, or both.")
	}
	return s.store.UpdateItem(ctx, id, position, func(st *ItemState) error {
		if st.UserID != user.ID {
			return notFound()
		}
		now := s.now()
		if st.Status != InProgress {
			return Errorf(ECONFLICT, "This exam is already finished; answers can no longer change.")
		}
		if st.Deadline != nil && !now.Before(*st.Deadline) {
			return Errorf(ECONFLICT, "Time is up for this exam; answers saved before the deadline count.")
		}
		if req.Unsure != nil {
			if st.Feedback == Immediate && st.Credit != nil && *req.Unsure != st.Unsure {
				return Errorf(ECONFLICT, "This answer was already checked; mark it unsure before it is checked.")
			}
			st.Unsure = *req.Unsure
		}
		if req.Response != nil {
			r := *req.Response
			if err := CheckResponse(st.Question, r); err != nil {
				return err
			}
			if len(r.Choices) == 0 && r.Number == nil {
				r = Response{}
			}
			switch {
			case st.Feedback == Immediate && st.Credit != nil:
				if !r.Equal(st.Response) {
					return Errorf(ECONFLICT, "This answer was already checked and cannot be changed.")
				}
			default:
				st.Response = r
				st.AnsweredAt = &now
				if st.Feedback == Immediate && !r.IsZero() {
					c := Grade(st.Question, r)
					st.Credit = &c
				}
			}
		}
		if req.Flagged != nil {
			st.Flagged = *req.Flagged
		}
		if d := now.Sub(st.LastActive); d > 0 {
			st.TimeSpent += min(d, maxIdleCredit)
		}
		st.LastActive = now
		return nil
	})
}

// Submit closes and scores an attempt. A second submit returns the same
// result; a submit after the deadline closes it as expired.
func (s *Service) Submit(ctx context.Context, user User, id string) (*Attempt, error) {
	return s.finish(ctx, user.ID, id)
}

// finish scores an attempt still in progress; userID "" skips the
// ownership check (the deadline sweep).
func (s *Service) finish(ctx context.Context, userID, id string) (*Attempt, error) {
	a, err := s.store.FinishAttempt(ctx, id, func(a *Attempt) error {
		if userID != "" && a.UserID != userID {
			return notFound()
		}
		if a.Status != InProgress {
			return errFinished
		}
		now := s.now()
		a.Status, a.FinishedAt = Submitted, &now
		if a.Deadline != nil && !now.Before(*a.Deadline) {
			d := *a.Deadline
			a.Status, a.FinishedAt = Expired, &d
		}
		s.score(a)
		return nil
	})
	if errors.Is(err, errFinished) {
		return s.store.Attempt(ctx, id)
	}
	return a, err
}

// score credits every item not yet scored and totals the scored ones.
func (s *Service) score(a *Attempt) {
	sc := &Score{}
	for _, it := range a.Items {
		if it.Credit == nil {
			c := Grade(it.Question, it.Response)
			it.Credit = &c
		}
		if it.Scored {
			sc.Correct += *it.Credit
			sc.Total++
		}
	}
	sc.Percent = percent(sc.Correct, sc.Total)
	if a.Mode == ModeMock {
		scaled := s.bp.Scaled(sc.Percent)
		passed := s.bp.Passed(scaled)
		sc.Scaled, sc.Passed = &scaled, &passed
	}
	a.Score = sc
}

func percent(correct float64, total int) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(correct/float64(total)*10000) / 100
}

// Result returns a finished attempt; ECONFLICT while it is in progress.
func (s *Service) Result(ctx context.Context, user User, id string) (*Attempt, error) {
	a, err := s.Attempt(ctx, user, id)
	if err != nil {
		return nil, err
	}
	if a.Status == InProgress {
		return nil, Errorf(ECONFLICT, "The exam is still in progress: submit it to see the result.")
	}
	return a, nil
}

// Sweep closes and scores every attempt past its deadline. It is safe to
// run from several servers at once: finishing an attempt twice is a no-op.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	n := 0
	for {
		ids, err := s.store.OverdueAttempts(ctx, s.now(), 100)
		if err != nil {
			return n, err
		}
		for _, id := range ids {
			if _, err := s.finish(ctx, "", id); err != nil {
				return n, err
			}
			n++
		}
		if len(ids) < 100 {
			return n, nil
		}
	}
}

// RunSweeper sweeps every interval until ctx ends.
func (s *Service) RunSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("deadline sweep", "err", err)
			} else if n > 0 {
				s.log.Info("deadline sweep closed attempts", "count", n)
			}
		}
	}
}
