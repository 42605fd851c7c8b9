-- The home of generated statistics questions: each variant drawn into an
-- attempt is stored here as a question version, so attempts, results and
-- progress treat it like any other question. Its source keeps it out of
-- the exam index and the instructors' set list. The id is
-- quiz.GeneratedSetID.
INSERT INTO question_sets (id, name, source, version, retired, description, created_at, updated_at)
VALUES ('0b9e6c2a-3f1d-4c5e-9a7b-6d8e2f1a4c30', 'Generated statistics practice', 'generated', 1, FALSE,
        'Statistics questions generated from formula templates.', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
INSERT INTO set_versions (set_id, version, content_hash, format, questions, created_at)
VALUES ('0b9e6c2a-3f1d-4c5e-9a7b-6d8e2f1a4c30', 1, 'generated', 'generated', 0, CURRENT_TIMESTAMP);
