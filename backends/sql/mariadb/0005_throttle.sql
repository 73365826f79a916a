-- 0005: login throttling by login name and client address together.
-- MariaDB dialect of backends/sql/sqlite/0005_throttle.sql, which says
-- why.

DROP TABLE IF EXISTS login_failures;

CREATE TABLE IF NOT EXISTS login_failures (
	kind VARCHAR(8) NOT NULL CHECK (kind IN ('login', 'address')),
	k VARCHAR(128) NOT NULL,
	address VARCHAR(64) NOT NULL DEFAULT '',
	window_start BIGINT NOT NULL,
	failures INTEGER NOT NULL,
	PRIMARY KEY (kind, k, address)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
