-- A counter that moves on every committed change to what pages show, so a reader can keep what
-- it read (a thread page) and reuse it until the counter moves: triggers bump it inside the
-- writing transaction, whatever wrote (the server, the CLI, an import), so the counter and the
-- data it stands for commit together. SQLite has one writer at a time, so the single row costs
-- no concurrency. Sessions, the outbox and jobs do not move it: they change no page content.
CREATE TABLE data_generation (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO data_generation (id, n) VALUES (1, 0);

CREATE TRIGGER data_generation_users_insert AFTER INSERT ON users BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_users_update AFTER UPDATE ON users BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_users_delete AFTER DELETE ON users BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_categories_insert AFTER INSERT ON categories BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_categories_update AFTER UPDATE ON categories BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_categories_delete AFTER DELETE ON categories BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_tags_insert AFTER INSERT ON tags BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_tags_update AFTER UPDATE ON tags BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_tags_delete AFTER DELETE ON tags BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_threads_insert AFTER INSERT ON threads BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_threads_update AFTER UPDATE ON threads BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_threads_delete AFTER DELETE ON threads BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_thread_tags_insert AFTER INSERT ON thread_tags BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_thread_tags_update AFTER UPDATE ON thread_tags BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_thread_tags_delete AFTER DELETE ON thread_tags BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_posts_insert AFTER INSERT ON posts BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_posts_update AFTER UPDATE ON posts BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_posts_delete AFTER DELETE ON posts BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_comments_insert AFTER INSERT ON comments BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_comments_update AFTER UPDATE ON comments BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_comments_delete AFTER DELETE ON comments BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_votes_insert AFTER INSERT ON votes BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_votes_update AFTER UPDATE ON votes BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_votes_delete AFTER DELETE ON votes BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_reputation_events_insert AFTER INSERT ON reputation_events BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_reputation_events_update AFTER UPDATE ON reputation_events BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_reputation_events_delete AFTER DELETE ON reputation_events BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_post_revisions_insert AFTER INSERT ON post_revisions BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_post_revisions_update AFTER UPDATE ON post_revisions BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_post_revisions_delete AFTER DELETE ON post_revisions BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
