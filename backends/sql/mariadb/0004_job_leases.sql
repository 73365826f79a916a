-- 0004: database-wide job leases.
-- MariaDB dialect of backends/sql/sqlite/0004_job_leases.sql.
CREATE TABLE IF NOT EXISTS job_leases (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	holder VARCHAR(200) NOT NULL,
	epoch BIGINT NOT NULL CHECK (epoch >= 1),
	expires_at BIGINT NOT NULL,
	taken_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
