-- No query looks attempt items up by question, and question versions are
-- never deleted, so the index on attempt_items.question_id served nothing;
-- yet every exam start paid for it: its 150 entries land on 150 scattered
-- pages, which made up about four fifths of the cost of writing a mock
-- exam's items.
DROP INDEX attempt_items_question;
