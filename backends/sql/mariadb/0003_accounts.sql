-- 0003: accounts, their sessions, login throttling and the audit log.
-- MariaDB dialect of backends/sqlite/0003_accounts.sql.

CREATE TABLE IF NOT EXISTS users (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	login VARCHAR(64) NOT NULL,
	display_name VARCHAR(200) NOT NULL,
	email VARCHAR(254) NOT NULL,
	role VARCHAR(16) NOT NULL
		CHECK (role IN ('admin', 'vendor', 'finance', 'customer')),
	organisation VARCHAR(200) NOT NULL,
	customer_id BIGINT,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	password_hash VARCHAR(255) NOT NULL,
	created_at VARCHAR(20) NOT NULL,
	updated_at VARCHAR(20) NOT NULL,
	CONSTRAINT users_customer_role CHECK ((role = 'customer') = (customer_id IS NOT NULL)),
	UNIQUE KEY users_login (login),
	CONSTRAINT users_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS user_sites (
	user_id BIGINT NOT NULL,
	site_id BIGINT NOT NULL,
	PRIMARY KEY (user_id, site_id),
	CONSTRAINT user_sites_user FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT user_sites_site FOREIGN KEY (site_id) REFERENCES sites (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS sessions (
	id_hash CHAR(64) NOT NULL PRIMARY KEY,
	user_id BIGINT NOT NULL,
	csrf CHAR(43) NOT NULL,
	created_at BIGINT NOT NULL,
	seen_at BIGINT NOT NULL,
	address VARCHAR(64) NOT NULL,
	KEY sessions_user (user_id),
	CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS login_failures (
	kind VARCHAR(8) NOT NULL CHECK (kind IN ('login', 'address')),
	k VARCHAR(128) NOT NULL,
	window_start BIGINT NOT NULL,
	failures INTEGER NOT NULL,
	PRIMARY KEY (kind, k)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS audit_log (
	id BIGINT NOT NULL PRIMARY KEY,
	at VARCHAR(24) NOT NULL,
	user_id BIGINT,
	login VARCHAR(64) NOT NULL,
	address VARCHAR(64) NOT NULL,
	entity VARCHAR(32) NOT NULL,
	entity_id VARCHAR(64) NOT NULL,
	action VARCHAR(32) NOT NULL,
	before_value MEDIUMTEXT,
	after_value MEDIUMTEXT,
	prev_hash CHAR(64) NOT NULL,
	hash CHAR(64) NOT NULL,
	KEY audit_entity (entity, entity_id),
	KEY audit_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
