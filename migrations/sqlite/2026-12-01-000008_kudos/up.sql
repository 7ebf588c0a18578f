-- Kudos: a member's thank-you to the author of a post (not a vote: it says "this helped me",
-- not "this is correct"). One per giver and post; each is a +2 reputation event for the author,
-- reversed when withdrawn. posts.kudos_count is kept by the service in the same transaction.
CREATE TABLE kudos (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    giver_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    receiver_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (post_id, giver_id)
);
-- The daily allowance counts a giver's recent kudos; profiles count a receiver's.
CREATE INDEX kudos_giver ON kudos (giver_id, created_at);
CREATE INDEX kudos_receiver ON kudos (receiver_id, created_at);
ALTER TABLE posts ADD COLUMN kudos_count BIGINT NOT NULL DEFAULT 0;
