DROP TABLE champion_standing;
DROP TABLE champion_categories;
DROP TABLE champions;
DROP TABLE champion_nominations;
