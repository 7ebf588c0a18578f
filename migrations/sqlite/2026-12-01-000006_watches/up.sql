-- What a member chose for a thread, a category or a tag: watch, normal or mute (no row: they
-- never chose, so taking part in a thread may make them watch it). Watchers of a thread hear of new answers, watchers of a category or tag of new threads;
-- a mute on the thread, its category or one of its tags silences every notification about the
-- thread for that member (mute always wins).
CREATE TABLE watches (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, target, target_id)
);
-- Who watches a thread, a category or a tag.
CREATE INDEX watches_target ON watches (target, target_id, level);
