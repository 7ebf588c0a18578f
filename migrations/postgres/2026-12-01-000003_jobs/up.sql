-- Typed background jobs on the outbox: a stable delivery id per row (receivers drop repeats by
-- it), a lease for once-only topics (claimed_by / claimed_until; an expired lease is claimable
-- again), a dead state after the last attempt, and the pruning watermark per followed topic.
-- Rows written before get a random delivery id.
ALTER TABLE outbox ADD COLUMN delivery_id TEXT;
UPDATE outbox SET delivery_id = gen_random_uuid()::text;
ALTER TABLE outbox ALTER COLUMN delivery_id SET NOT NULL;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMP;
ALTER TABLE outbox ADD COLUMN dead_at TIMESTAMP;
-- Followers read (topic, id > cursor); claimers read pending rows of a topic in id order.
DROP INDEX outbox_pending;
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
