DROP INDEX votes_recent;
