-- Badges awarded, in the transaction of the event that earned them. Each badge is held once
-- (subject_id 0), once per post (nice, good and great answers: the post's id) or once per tag
-- (tag badges: the tag's id); the unique key makes a repeated award a no-op. Badges are kept
-- when a score later drops.
CREATE TABLE badge_awards (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    badge TEXT NOT NULL,
    subject_id BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, badge, subject_id)
);
CREATE INDEX badge_awards_badge ON badge_awards (badge, created_at);
