-- 0005: login throttling by login name and client address together.
-- A failed login for a name used to count for that name from every
-- address, so a stranger could lock any account by guessing at it.  A
-- 'login' row now counts the failures of one name from one address
-- (address), and window_start is the time of its latest failure: after
-- [auth] max_failures of them that name waits from that address, the
-- wait doubling with each further failure.  An 'address' row counts the
-- failures of one address across names in a fixed window, with address
-- left empty.  The counts are short-lived state, so the old table is
-- replaced rather than converted: an upgrade forgives current failures.

DROP TABLE IF EXISTS login_failures;

CREATE TABLE login_failures (
	kind VARCHAR(8) NOT NULL CHECK (kind IN ('login', 'address')),
	k VARCHAR(128) NOT NULL,
	address VARCHAR(64) NOT NULL DEFAULT '',
	window_start INTEGER NOT NULL,
	failures INTEGER NOT NULL,
	PRIMARY KEY (kind, k, address)
);
