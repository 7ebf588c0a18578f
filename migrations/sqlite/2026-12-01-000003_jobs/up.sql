-- Typed background jobs on the outbox: a stable delivery id per row (receivers drop repeats by
-- it), a lease for once-only topics (claimed_by / claimed_until; an expired lease is claimable
-- again), a dead state after the last attempt, and the pruning watermark per followed topic.
-- SQLite cannot add a NOT NULL column without a default, and its plain INTEGER PRIMARY KEY reuses
-- the highest id once pruning deleted it (a follower's cursor would then skip new rows), so the
-- table is rebuilt with AUTOINCREMENT. Rows written before get a random delivery id.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    available_at TIMESTAMP NOT NULL,
    processed_at TIMESTAMP,
    delivery_id TEXT NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    dead_at TIMESTAMP
);
INSERT INTO outbox_new (id, topic, payload, attempts, last_error, created_at, available_at,
                        processed_at, delivery_id)
SELECT id, topic, payload, attempts, last_error, created_at, available_at, processed_at,
       lower(hex(randomblob(16)))
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
-- Followers read (topic, id > cursor); claimers read pending rows of a topic in id order.
CREATE INDEX outbox_follow ON outbox (topic, id);
CREATE UNIQUE INDEX outbox_delivery ON outbox (delivery_id);
CREATE INDEX outbox_claim ON outbox (topic, processed_at, dead_at, available_at, id);
-- Pruning deletes finished rows by age.
CREATE INDEX outbox_done ON outbox (processed_at);

CREATE TABLE outbox_pruned (
    topic TEXT PRIMARY KEY NOT NULL,
    through_id BIGINT NOT NULL,
    pruned_at TIMESTAMP NOT NULL
);
