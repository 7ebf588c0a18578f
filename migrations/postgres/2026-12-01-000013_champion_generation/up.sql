-- PostgreSQL keeps no data generation (see the SQLite migration of the same name); nothing to do.
SELECT 1;
