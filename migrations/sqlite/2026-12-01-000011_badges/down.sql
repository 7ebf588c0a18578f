DROP TABLE badge_awards;
