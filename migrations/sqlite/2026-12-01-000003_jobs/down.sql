DROP TABLE outbox_pruned;
CREATE TABLE outbox_old (
    id INTEGER PRIMARY KEY NOT NULL,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    available_at TIMESTAMP NOT NULL,
    processed_at TIMESTAMP
);
INSERT INTO outbox_old (id, topic, payload, attempts, last_error, created_at, available_at,
                        processed_at)
SELECT id, topic, payload, attempts, last_error, created_at, available_at, processed_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (topic, processed_at, id);
