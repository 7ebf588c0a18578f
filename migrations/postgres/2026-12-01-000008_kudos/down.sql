ALTER TABLE posts DROP COLUMN kudos_count;
DROP TABLE kudos;
