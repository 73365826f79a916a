-- 0011: integration accounts (issue 10, the inbound /soap service).
--
-- A legacy system (the Vendor Order System, the Finance Company's lease
-- system) calls /soap under an account of its own: a users row with
-- role 'integration', authenticated on every request (WS-Security
-- UsernameToken or HTTP basic, the same argon2id hashes as people's
-- passwords), never given a session.  Such a row is a user so that the
-- audit log, inbound_messages (0010) and the admin accounts page treat
-- it as any account.  Its scope lives beside it in integration_scopes:
-- the system it speaks for and the operations it may call
-- (src/domain/policy.c decides, docs/integration-guide.md lists them).
--
-- SQLite cannot change the CHECK of users.role in place, so users is
-- rebuilt by the twelve steps of SQLite's lang_altertable.html, as
-- 0006 rebuilt products: the runner turns foreign keys off around
-- this migration and checks every key before it commits.
-- oms: foreign keys off

CREATE TABLE users_0011 (
	id INTEGER PRIMARY KEY,
	login VARCHAR(64) NOT NULL UNIQUE,
	display_name VARCHAR(200) NOT NULL,
	email VARCHAR(254) NOT NULL,
	role VARCHAR(16) NOT NULL
		CHECK (role IN ('admin', 'vendor', 'finance', 'customer',
		    'integration')),
	organisation VARCHAR(200) NOT NULL,
	customer_id INTEGER REFERENCES customers (id),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	password_hash VARCHAR(255) NOT NULL,
	created_at VARCHAR(20) NOT NULL,
	updated_at VARCHAR(20) NOT NULL,
	approver INTEGER NOT NULL DEFAULT 0 CHECK (approver IN (0, 1)),
	CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);

INSERT INTO users_0011 (id, login, display_name, email, role,
    organisation, customer_id, disabled, password_hash, created_at,
    updated_at, approver)
SELECT id, login, display_name, email, role, organisation, customer_id,
    disabled, password_hash, created_at, updated_at, approver FROM users;

DROP TABLE users;

ALTER TABLE users_0011 RENAME TO users;

-- system: 'vendor' or 'finance'.  operations: the operations of that
-- system the account may call, names separated by commas (for
-- example 'OrderStatus,QueryAssets'), or '*' for all of them.
CREATE TABLE integration_scopes (
	user_id INTEGER PRIMARY KEY REFERENCES users (id),
	system VARCHAR(16) NOT NULL CHECK (system IN ('vendor', 'finance')),
	operations VARCHAR(200) NOT NULL,
	updated_at VARCHAR(24) NOT NULL
);
