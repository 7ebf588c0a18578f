-- What a member has done on the site beyond what the ledger records, for trust levels: days
-- they visited and posts they read. Written off the request path: each node gathers visits
-- and reads in memory and adds them here in batches (forum_core::activity). Answers, accepted
-- answers and agreed flags are counted from their own tables when a level is computed.
CREATE TABLE member_activity (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    days_visited BIGINT NOT NULL DEFAULT 0,
    last_visited_at TIMESTAMP,
    posts_read BIGINT NOT NULL DEFAULT 0,
    flags_agreed BIGINT NOT NULL DEFAULT 0
);
-- How far into each thread a member has read (its posts in page order), so reading a thread
-- again adds only the posts that are new to them.
CREATE TABLE thread_reads (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    posts_seen BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
-- The requirements of trust levels 1-3 (TL4 is granted by staff), written by the server at
-- start from its `trust.*` settings so every writer on every node computes levels alike.
-- A member holds a level when they meet its requirements and those of every level below.
CREATE TABLE trust_requirements (
    level INTEGER PRIMARY KEY NOT NULL,
    reputation BIGINT NOT NULL,
    days_visited BIGINT NOT NULL,
    posts_read BIGINT NOT NULL,
    answers BIGINT NOT NULL,
    accepted_answers BIGINT NOT NULL,
    flags_agreed BIGINT NOT NULL
);
INSERT INTO trust_requirements VALUES (1, 10, 0, 0, 0, 0, 0);
INSERT INTO trust_requirements VALUES (2, 100, 5, 30, 3, 1, 0);
INSERT INTO trust_requirements VALUES (3, 1000, 20, 200, 20, 5, 0);
