-- 0011: integration accounts (issue 10, the inbound /soap service).
-- MariaDB dialect of backends/sql/sqlite/0011_integration.sql, which
-- says why: role 'integration' joins the roles users.role allows (a
-- column CHECK is part of the column's definition here, so MODIFY
-- replaces it), and integration_scopes holds each such account's
-- system and operations.

ALTER TABLE users MODIFY role VARCHAR(16) NOT NULL
	CHECK (role IN ('admin', 'vendor', 'finance', 'customer',
	    'integration'));

CREATE TABLE IF NOT EXISTS integration_scopes (
	user_id BIGINT NOT NULL PRIMARY KEY,
	system VARCHAR(16) NOT NULL CHECK (system IN ('vendor', 'finance')),
	operations VARCHAR(200) NOT NULL,
	updated_at VARCHAR(24) NOT NULL,
	CONSTRAINT integration_scopes_user FOREIGN KEY (user_id)
	    REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
