-- The Q&A core: accounts, categories, tags, threads, posts, comments, votes,
-- the reputation ledger, revisions and the outbox of derived work.
CREATE TABLE users (
    id INTEGER PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    username_lower TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'member',
    reputation BIGINT NOT NULL DEFAULT 1,
    trust_level INTEGER NOT NULL DEFAULT 0,
    bio TEXT NOT NULL DEFAULT '',
    token_version INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'questions',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE threads (
    id INTEGER PRIMARY KEY NOT NULL,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    accepted_post_id BIGINT REFERENCES posts(id) ON DELETE SET NULL,
    score BIGINT NOT NULL DEFAULT 0,
    answer_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    bumped_at TIMESTAMP NOT NULL,
    solved_at TIMESTAMP
);
CREATE INDEX threads_bumped ON threads (bumped_at, id);
CREATE INDEX threads_category_bumped ON threads (category_id, bumped_at);
CREATE INDEX threads_author ON threads (author_id);
-- The unanswered and solved tabs walk these instead of sorting every thread.
CREATE INDEX threads_unanswered ON threads (created_at, id) WHERE answer_count = 0;
CREATE INDEX threads_solved ON threads (solved_at, id) WHERE accepted_post_id IS NOT NULL;

CREATE TABLE thread_tags (
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags(id),
    PRIMARY KEY (thread_id, tag_id)
);
CREATE INDEX thread_tags_tag ON thread_tags (tag_id, thread_id);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users(id),
    is_question BOOLEAN NOT NULL DEFAULT FALSE,
    body_raw TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    cook_version INTEGER NOT NULL,
    score BIGINT NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP
);
CREATE INDEX posts_thread ON posts (thread_id, id);
CREATE INDEX posts_author ON posts (author_id, created_at);
CREATE UNIQUE INDEX posts_one_question ON posts (thread_id) WHERE is_question;

CREATE TABLE comments (
    id INTEGER PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users(id),
    body_raw TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX comments_post ON comments (post_id, id);

CREATE TABLE votes (
    id INTEGER PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    value INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (post_id, user_id)
);

CREATE TABLE reputation_events (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    nominal BIGINT NOT NULL,
    delta BIGINT NOT NULL,
    post_id BIGINT REFERENCES posts(id) ON DELETE SET NULL,
    actor_id BIGINT REFERENCES users(id),
    reverses_id BIGINT REFERENCES reputation_events(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reputation_events_user ON reputation_events (user_id, created_at);
CREATE INDEX reputation_events_post ON reputation_events (post_id, actor_id);

CREATE TABLE post_revisions (
    id INTEGER PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    editor_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT,
    body_raw TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (post_id, revision)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY NOT NULL,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    available_at TIMESTAMP NOT NULL,
    processed_at TIMESTAMP
);
CREATE INDEX outbox_pending ON outbox (topic, processed_at, id);
