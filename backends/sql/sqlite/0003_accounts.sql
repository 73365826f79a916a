-- 0003: accounts, their sessions, login throttling and the audit log.
-- Roles: admin (the operator), vendor, finance, customer.  A customer
-- user belongs to one customer and may be limited to some of its sites
-- (user_sites; none listed means all of them).

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	login VARCHAR(64) NOT NULL UNIQUE,
	display_name VARCHAR(200) NOT NULL,
	email VARCHAR(254) NOT NULL,
	role VARCHAR(16) NOT NULL
		CHECK (role IN ('admin', 'vendor', 'finance', 'customer')),
	organisation VARCHAR(200) NOT NULL,
	customer_id INTEGER REFERENCES customers (id),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	password_hash VARCHAR(255) NOT NULL,
	created_at VARCHAR(20) NOT NULL,
	updated_at VARCHAR(20) NOT NULL,
	CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);

CREATE TABLE user_sites (
	user_id INTEGER NOT NULL REFERENCES users (id),
	site_id INTEGER NOT NULL REFERENCES sites (id),
	PRIMARY KEY (user_id, site_id)
);

-- Sessions are stored by the SHA-256 of their id: a copy of this table
-- gives no one a way in.
CREATE TABLE sessions (
	id_hash CHAR(64) NOT NULL PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id),
	csrf CHAR(43) NOT NULL,
	created_at INTEGER NOT NULL,
	seen_at INTEGER NOT NULL,
	address VARCHAR(64) NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins in the current window, by account and by address.
CREATE TABLE login_failures (
	kind VARCHAR(8) NOT NULL CHECK (kind IN ('login', 'address')),
	k VARCHAR(128) NOT NULL,
	window_start INTEGER NOT NULL,
	failures INTEGER NOT NULL,
	PRIMARY KEY (kind, k)
);

-- Append-only and hash-chained: each record carries the hash of the
-- one before; ids come from the gapless series "audit".
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at VARCHAR(24) NOT NULL,
	user_id INTEGER,
	login VARCHAR(64) NOT NULL,
	address VARCHAR(64) NOT NULL,
	entity VARCHAR(32) NOT NULL,
	entity_id VARCHAR(64) NOT NULL,
	action VARCHAR(32) NOT NULL,
	before_value TEXT,
	after_value TEXT,
	prev_hash CHAR(64) NOT NULL,
	hash CHAR(64) NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_user ON audit_log (user_id);
