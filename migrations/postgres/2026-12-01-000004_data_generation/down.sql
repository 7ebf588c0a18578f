-- Nothing was added (see up.sql).
SELECT 1;
