DROP TABLE trust_requirements;
DROP TABLE thread_reads;
DROP TABLE member_activity;
