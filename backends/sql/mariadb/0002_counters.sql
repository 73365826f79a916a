-- 0002: gapless number series (invoice numbers, order numbers): one row
-- a series, holding the next number to give out.  A unit of work locks
-- the row (SELECT ... FOR UPDATE) until it commits or rolls back.
CREATE TABLE IF NOT EXISTS oms_counters (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	next_value BIGINT NOT NULL CHECK (next_value >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
