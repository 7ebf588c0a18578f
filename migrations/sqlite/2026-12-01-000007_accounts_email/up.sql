-- The account lifecycle and the forum's email.
-- users: when the address was confirmed (NULL: not yet; accounts made before this migration
-- count as confirmed); when a mail server refused the address for good (no more mail until the
-- address changes).
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;
ALTER TABLE users ADD COLUMN email_undeliverable_at TIMESTAMP;
UPDATE users SET email_verified_at = created_at;

-- What a member set on their settings page beyond the account itself: a display name and a
-- time zone (dates in email, when digests go out). No row: no display name, UTC.
CREATE TABLE member_settings (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'UTC'
);

-- How a member wants to hear of each kind of notification by email: immediately, in a daily
-- or weekly digest, or never. No row: the kind's default.
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    frequency TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Up to when each member's daily and weekly digests have covered; the scheduler moves it in
-- the transaction that queues the digest, so a digest is queued once per period.
CREATE TABLE email_digests (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    covered_until TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, period)
);

-- Posts that wait for their author to confirm their address (accounts.require_verified_email):
-- what the member wrote, kept until the confirmation publishes it through the normal services.
-- `failed` says why publishing it did not work (the thread was deleted meanwhile, ...), so the
-- text is still shown to its author rather than lost.
CREATE TABLE held_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    thread_id BIGINT,
    post_id BIGINT,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    failed TEXT
);
CREATE INDEX held_posts_user ON held_posts (user_id, id);
