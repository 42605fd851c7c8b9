package store

import (
	"errors"
	"time"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// liveAttempts mirrors, in memory, what an answer save reads about attempts
// in progress: whose attempt it is, its status and deadline, and each
// item's current state. On SQLite one writer goroutine makes every change
// to attempts, so the mirror can be trusted and a save is two UPDATEs with
// no SELECT; reading the item back inside the writer cost more than
// writing it. PostgreSQL, where several servers write, has no mirror.
//
// Only the writer goroutine touches it, so it needs no lock. An entry is
// filled when an attempt is created, or from the database on its first
// save after a restart, and dropped when the attempt is finished, when a
// write about it fails, and when the mirror is full (idle attempts first).
type liveAttempts struct {
	max int
	m   map[string]*liveAttempt
}

// liveAttempt is one attempt in progress (only those are mirrored).
type liveAttempt struct {
	userID     string
	feedback   string
	deadline   *time.Time
	lastActive time.Time
	items      []liveItem // in position order
}

// liveItem is one item's state; Response, Credit and AnsweredAt are only
// ever replaced, never changed in place, so they may be shared with an
// ItemState handed to a caller.
type liveItem struct {
	position   int
	question   *quiz.Question
	scored     bool
	response   quiz.Response
	flagged    bool
	unsure     bool
	credit     *float64
	timeSpent  time.Duration
	answeredAt *time.Time
}

func newLiveAttempts(max int) *liveAttempts {
	return &liveAttempts{max: max, m: make(map[string]*liveAttempt)}
}

// idleAfter is how long an attempt may go without a save before a full
// mirror lets it go first: its candidate has most likely left, and their
// next save, if any, reads the database.
const idleAfter = 15 * time.Minute

// put mirrors a whole attempt, making room if the mirror is full.
func (l *liveAttempts) put(a *quiz.Attempt, now time.Time) {
	if a.Status != quiz.InProgress {
		delete(l.m, a.ID)
		return
	}
	if _, ok := l.m[a.ID]; !ok && len(l.m) >= l.max {
		l.makeRoom(now)
	}
	la := &liveAttempt{userID: a.UserID, feedback: a.Feedback, deadline: utc(a.Deadline),
		lastActive: a.LastActive.UTC(), items: make([]liveItem, len(a.Items))}
	for i, it := range a.Items {
		la.items[i] = liveItem{position: it.Position, question: it.Question, scored: it.Scored,
			response: it.Response, flagged: it.Flagged, unsure: it.Unsure, credit: it.Credit,
			timeSpent: it.TimeSpent, answeredAt: it.AnsweredAt}
	}
	l.m[a.ID] = la
}

// makeRoom drops every attempt idle for idleAfter, and if none is, a
// sixteenth of the mirror at random (map order is random), so that the
// next puts do not scan again.
func (l *liveAttempts) makeRoom(now time.Time) {
	cutoff := now.Add(-idleAfter)
	for id, la := range l.m {
		if la.lastActive.Before(cutoff) {
			delete(l.m, id)
		}
	}
	if len(l.m) < l.max {
		return
	}
	keep := l.max - max(1, l.max/16)
	for id := range l.m {
		if len(l.m) <= keep {
			return
		}
		delete(l.m, id)
	}
}

// forget drops an attempt, so its next save reads the database.
func (l *liveAttempts) forget(id string) { delete(l.m, id) }

// item returns a copy of an item's state, or nil if the attempt has no such
// position; found reports whether the attempt is mirrored at all.
func (l *liveAttempts) item(id string, position int) (st *quiz.ItemState, found bool) {
	la, found := l.m[id]
	if !found {
		return nil, false
	}
	it := la.at(position)
	if it == nil {
		return nil, true
	}
	return &quiz.ItemState{UserID: la.userID, Status: quiz.InProgress, Feedback: la.feedback, Deadline: la.deadline,
		LastActive: la.lastActive, Question: it.question, Scored: it.scored, Response: it.response,
		Flagged: it.flagged, Unsure: it.unsure, Credit: it.credit, TimeSpent: it.timeSpent,
		AnsweredAt: it.answeredAt}, true
}

// set records an item's new state after it was written.
func (l *liveAttempts) set(id string, position int, st *quiz.ItemState) {
	la := l.m[id]
	if la == nil {
		return
	}
	it := la.at(position)
	if it == nil {
		return
	}
	la.lastActive = st.LastActive
	it.response, it.flagged, it.unsure, it.credit = st.Response, st.Flagged, st.Unsure, st.Credit
	it.timeSpent, it.answeredAt = st.TimeSpent, st.AnsweredAt
}

func (la *liveAttempt) at(position int) *liveItem {
	if i := position - 1; i >= 0 && i < len(la.items) && la.items[i].position == position {
		return &la.items[i]
	}
	for i := range la.items {
		if la.items[i].position == position {
			return &la.items[i]
		}
	}
	return nil
}

// failedWrite reports whether a write's error may have left the mirror
// ahead of the database: anything but a refusal the write itself gave
// before it changed anything (a domain error) does.
func failedWrite(err error) bool {
	var qe *quiz.Error
	return err != nil && !errors.As(err, &qe)
}
