-- 0002: gapless number series (invoice numbers, order numbers): one row
-- a series, holding the next number to give out.
CREATE TABLE oms_counters (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	next_value INTEGER NOT NULL CHECK (next_value >= 1)
);
