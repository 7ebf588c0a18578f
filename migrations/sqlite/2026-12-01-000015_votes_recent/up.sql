-- The serial-voting check reads the votes of the last window (a day by default) once a window;
-- without this it scanned every vote ever cast.
CREATE INDEX votes_recent ON votes (created_at);
