-- A champion's flair is part of the thread content read caches keep until the data generation
-- moves, so granting, ending or changing a championship moves it too.
CREATE TRIGGER data_generation_champion_standing_insert AFTER INSERT ON champion_standing BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_champion_standing_update AFTER UPDATE ON champion_standing BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER data_generation_champion_standing_delete AFTER DELETE ON champion_standing BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END;
