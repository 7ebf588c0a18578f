-- Every moderator and staff action: who, what, on what, why, when. Append-only; the
-- moderation pages and GET /api/v1/moderation/audit read it with filters and export it as CSV.
-- target_kind is post, thread, user, nomination, champion, ...; details holds the action's
-- own facts (a sanction's kind and days, the thread a post moved to) as short text.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_recent ON audit_log (created_at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, id);
