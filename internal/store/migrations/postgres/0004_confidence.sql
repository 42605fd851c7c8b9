-- A learner may mark an answer as a guess ("unsure"); a right but unsure
-- answer is rated Hard instead of Good for spaced repetition.
ALTER TABLE attempt_items ADD COLUMN unsure BOOLEAN NOT NULL DEFAULT FALSE;
