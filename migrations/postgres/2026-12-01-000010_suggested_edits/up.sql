-- An edit of someone else's post by a member below the edit-others privilege: it waits for the
-- post's author, a member holding the privilege, or a moderator to approve it (it then becomes
-- a revision by its suggester) or reject it. At most one pending per post; base_revision is
-- the revision it was written against, so an approval never overwrites a later edit.
CREATE TABLE suggested_edits (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    suggester_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    base_revision INTEGER NOT NULL,
    title TEXT,
    body_raw TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    reviewer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reviewed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX suggested_edits_pending ON suggested_edits (post_id) WHERE state = 'pending';
CREATE INDEX suggested_edits_state ON suggested_edits (state, id);
