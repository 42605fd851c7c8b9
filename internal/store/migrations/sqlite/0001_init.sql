-- Accounts and sessions. Usernames are unique without regard to case.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('learner', 'instructor', 'admin')),
    created_at    TIMESTAMP NOT NULL
);

-- Sessions are looked up by the SHA-256 of the bearer token, so a copy of
-- the database does not hand out working tokens.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- A question set, shipped or uploaded. Its id stays the same across
-- versions; version is the newest one, the only one new attempts draw from.
CREATE TABLE question_sets (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL CHECK (source IN ('shipped', 'upload', 'generated')),
    owner_id    TEXT REFERENCES users (id),
    version     INTEGER NOT NULL,
    retired     BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE set_versions (
    set_id       TEXT NOT NULL REFERENCES question_sets (id),
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    format       TEXT NOT NULL,
    questions    INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (set_id, version)
);

-- One row per question version. Rows are never updated: attempts point at
-- the exact wording they were given.
CREATE TABLE questions (
    id             INTEGER PRIMARY KEY,
    set_id         TEXT NOT NULL,
    set_version    INTEGER NOT NULL,
    qid            TEXT NOT NULL,
    topic          TEXT NOT NULL,
    domain         INTEGER NOT NULL,
    subtopic       TEXT NOT NULL DEFAULT '',
    difficulty     TEXT NOT NULL,
    cognitive      TEXT NOT NULL,
    type           TEXT NOT NULL,
    scenario_id    TEXT NOT NULL DEFAULT '',
    scenario       TEXT NOT NULL DEFAULT '',
    stem           TEXT NOT NULL,
    options        TEXT NOT NULL,
    answer         TEXT NOT NULL,
    value          REAL NOT NULL DEFAULT 0,
    tolerance      REAL NOT NULL DEFAULT 0,
    partial_credit BOOLEAN NOT NULL DEFAULT FALSE,
    rationale      TEXT NOT NULL DEFAULT '',
    refs           TEXT NOT NULL DEFAULT '[]',
    review         TEXT NOT NULL DEFAULT '{}',
    FOREIGN KEY (set_id, set_version) REFERENCES set_versions (set_id, version),
    UNIQUE (set_id, set_version, qid)
);

CREATE TABLE attempts (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    mode          TEXT NOT NULL,
    feedback      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('in_progress', 'submitted', 'expired')),
    started_at    TIMESTAMP NOT NULL,
    deadline      TIMESTAMP,
    finished_at   TIMESTAMP,
    time_limit_s  INTEGER NOT NULL DEFAULT 0,
    seed          INTEGER NOT NULL,
    last_active   TIMESTAMP NOT NULL,
    score_correct REAL,
    score_total   INTEGER,
    percent       REAL,
    scaled        INTEGER,
    passed        BOOLEAN
);
CREATE INDEX attempts_user ON attempts (user_id, started_at);
CREATE INDEX attempts_open ON attempts (deadline) WHERE status = 'in_progress';

-- An item of an attempt. credit is NULL until the item is scored; a scored
-- item is an answer in the learner's history.
CREATE TABLE attempt_items (
    attempt_id    TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    question_id   INTEGER NOT NULL REFERENCES questions (id),
    option_order  TEXT NOT NULL DEFAULT '',
    scored        BOOLEAN NOT NULL,
    response      TEXT,
    flagged       BOOLEAN NOT NULL DEFAULT FALSE,
    credit        REAL,
    time_spent_ms INTEGER NOT NULL DEFAULT 0,
    answered_at   TIMESTAMP,
    PRIMARY KEY (attempt_id, position)
);
CREATE INDEX attempt_items_question ON attempt_items (question_id);

-- The learner's standing on each question they have been scored on,
-- maintained as answers are scored so progress never scans history.
CREATE TABLE user_questions (
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    set_id       TEXT NOT NULL,
    qid          TEXT NOT NULL,
    topic        TEXT NOT NULL,
    domain       INTEGER NOT NULL,
    answered     INTEGER NOT NULL,
    correct      INTEGER NOT NULL,
    last_correct BOOLEAN NOT NULL,
    last_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, set_id, qid)
);
