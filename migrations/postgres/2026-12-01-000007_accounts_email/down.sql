DROP TABLE held_posts;
DROP TABLE email_digests;
DROP TABLE notification_prefs;
DROP TABLE member_settings;
ALTER TABLE users DROP COLUMN email_undeliverable_at;
ALTER TABLE users DROP COLUMN email_verified_at;
