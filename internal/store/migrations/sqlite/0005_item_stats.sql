-- Item analysis kept as answers are scored, so a report reads a few rows
-- per item however many answers there are. Only each learner's first
-- finished attempt at a set version counts, as in Moodle.

-- The first attempt each learner finished that held questions of a set
-- version.
CREATE TABLE first_attempts (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    set_id      TEXT NOT NULL,
    set_version INTEGER NOT NULL,
    attempt_id  TEXT NOT NULL,
    PRIMARY KEY (user_id, set_id, set_version)
);

-- Per item: n responses, and the sums of credit x, rest score y (the
-- attempt's score on the set's other items), their squares and product;
-- cn/cx/cxx over attempts that held every item of the set (for alpha).
CREATE TABLE item_sums (
    set_id      TEXT NOT NULL,
    set_version INTEGER NOT NULL,
    qid         TEXT NOT NULL,
    n           INTEGER NOT NULL,
    sx          REAL NOT NULL,
    sxx         REAL NOT NULL,
    sy          REAL NOT NULL,
    syy         REAL NOT NULL,
    sxy         REAL NOT NULL,
    cn          INTEGER NOT NULL,
    cx          REAL NOT NULL,
    cxx         REAL NOT NULL,
    PRIMARY KEY (set_id, set_version, qid)
);

-- Per item, counts by value: kind 'x' (credit), 'y' (rest score) -- the
-- discriminative efficiency needs both distributions -- and 'o' (option
-- chosen, or 'blank').
CREATE TABLE item_counts (
    set_id      TEXT NOT NULL,
    set_version INTEGER NOT NULL,
    qid         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (set_id, set_version, qid, kind, value)
);

-- Per set version, total scores of the first attempts that held every
-- item.
CREATE TABLE set_sums (
    set_id      TEXT NOT NULL,
    set_version INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    st          REAL NOT NULL,
    stt         REAL NOT NULL,
    learners    INTEGER NOT NULL,
    PRIMARY KEY (set_id, set_version)
);
