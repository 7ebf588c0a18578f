-- Server-side sessions (sign-out revokes the row; a member's token_version is the generation
-- that "sign out everywhere", a password change and a suspension bump), and soft deletion of
-- posts and threads (rows stay for staff and for the ledger's reversals).
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

ALTER TABLE posts ADD COLUMN deleted_at TIMESTAMP;
ALTER TABLE posts ADD COLUMN deleted_by BIGINT REFERENCES users(id);
ALTER TABLE threads ADD COLUMN deleted_at TIMESTAMP;
ALTER TABLE threads ADD COLUMN deleted_by BIGINT REFERENCES users(id);

-- Comments count towards a member's posting pace.
CREATE INDEX comments_author ON comments (author_id, created_at);
