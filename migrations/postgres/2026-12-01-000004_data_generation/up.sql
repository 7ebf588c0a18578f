-- The SQLite migration of this name adds a data generation counter bumped by triggers, which
-- lets a single-node server reuse what it read until anything changes. On PostgreSQL, where
-- several nodes write concurrently, one counter row would serialise every write transaction,
-- so pages are read from the database each time and nothing is added here.
SELECT 1;
