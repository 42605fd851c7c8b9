-- Leeches (cards forgotten at least 8 times, fsrs.LeechLapses) are listed on
-- every progress read, worst first. Without an index the query read and
-- sorted every card the learner has: 3.8 ms of a 5 ms progress read for a
-- learner with 10,000 cards. The predicate's 8 must match the query's.
CREATE INDEX user_questions_leeches ON user_questions (user_id, lapses DESC, qid) WHERE lapses >= 8;
