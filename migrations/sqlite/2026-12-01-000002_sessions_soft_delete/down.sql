DROP INDEX comments_author;
ALTER TABLE threads DROP COLUMN deleted_by;
ALTER TABLE threads DROP COLUMN deleted_at;
ALTER TABLE posts DROP COLUMN deleted_by;
ALTER TABLE posts DROP COLUMN deleted_at;
DROP TABLE sessions;
