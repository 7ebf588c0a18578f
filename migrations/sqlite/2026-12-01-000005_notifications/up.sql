-- In-app notifications: one row per thing a member should hear about (an answer or comment on
-- their post, their answer accepted, a mention, a reply where they watch, or anything a later
-- feature sends through notify()). `subject_key` names what it is about, so the same event never
-- notifies a member twice (unique per member), whoever retries. `read_at` is set when the member
-- has seen it; the bell counts the rows without it.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    thread_id BIGINT REFERENCES threads(id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts(id) ON DELETE CASCADE,
    subject_key TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE UNIQUE INDEX notifications_once ON notifications (user_id, subject_key);
-- The bell (unread rows of a member) and the page (a member's rows, newest first).
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
CREATE INDEX notifications_recent ON notifications (user_id, id);

-- Each member's number of unread notifications, kept by the code that writes and reads them
-- (+1 for each new one, −n when n are marked read, in the same transaction): every page's
-- bell reads one row instead of counting a member's unread rows.
CREATE TABLE notification_counts (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unread BIGINT NOT NULL DEFAULT 0
);
