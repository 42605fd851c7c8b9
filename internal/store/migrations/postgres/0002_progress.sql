-- Spaced repetition: each learner's FSRS card for each question they have
-- been scored on lives on the row that already tracks that question.
ALTER TABLE user_questions ADD COLUMN stability DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE user_questions ADD COLUMN difficulty DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE user_questions ADD COLUMN reps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_questions ADD COLUMN lapses INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_questions ADD COLUMN last_review TIMESTAMPTZ;
ALTER TABLE user_questions ADD COLUMN due TIMESTAMPTZ;
CREATE INDEX user_questions_due ON user_questions (user_id, due) WHERE reps > 0;

-- Running, recency-weighted tallies per learner and topic or domain,
-- updated as answers are scored, so progress reads a handful of rows
-- however long the history.
CREATE TABLE user_mastery (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('topic', 'domain')),
    key       TEXT NOT NULL,
    answered  INTEGER NOT NULL,
    correct   INTEGER NOT NULL,
    w_total   DOUBLE PRECISION NOT NULL,
    w_correct DOUBLE PRECISION NOT NULL,
    time_ms   BIGINT NOT NULL,
    timed     INTEGER NOT NULL,
    last_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, kind, key)
);

-- Answers per learner, day (UTC) and topic: the accuracy trend and the
-- daily review budget.
CREATE TABLE user_days (
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day      TEXT NOT NULL,
    topic    TEXT NOT NULL,
    answered INTEGER NOT NULL,
    correct  INTEGER NOT NULL,
    PRIMARY KEY (user_id, day, topic)
);

-- A learner's exam date and daily question budget, for scheduling reviews.
CREATE TABLE user_plans (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    exam_date    TEXT NOT NULL,
    daily_budget INTEGER NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
