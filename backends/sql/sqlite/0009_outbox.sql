-- 0009: the transactional outbox of the legacy exchange (issue 10).
-- Every message to another system (the Vendor Order System, the
-- Finance Company's lease system, later mail) is a row written in the
-- unit of work of the business change that caused it, so a change that
-- rolls back sends nothing and a committed one is never lost.  The
-- dispatcher (omsd's job process) delivers the rows; docs/
-- integration-guide.md, "Outbound messages", describes them.
--
-- message_id: ours, unique, the receiver deduplicates on it.
-- system: the legacy system (a section of oms.conf): 'vendor',
--   'finance', 'mail', ...
-- kind: the canonical message (PlaceOrder, BookLease, ...).
-- seq_key, seq: per-asset order.  seq_key names what the messages of
--   one system must stay in order for: the tag of the leased asset (an
--   add-on's parent), or ORDERREF/LINE for a new asset without a tag
--   yet; seq counts 1, 2, ... within (system, seq_key).  The dispatcher
--   sends seq n only once n - 1 is delivered.
-- state: pending (to send at next_attempt_at), sending (claimed),
--   unknown (timed out after the request went out: ask the peer),
--   delivered, dead (after the last attempt; last_error says why).
-- body: the canonical XML (docs/exchange/*.xsd).
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	message_id VARCHAR(64) NOT NULL UNIQUE,
	system VARCHAR(32) NOT NULL,
	kind VARCHAR(32) NOT NULL,
	seq_key VARCHAR(100) NOT NULL,
	seq INTEGER NOT NULL CHECK (seq >= 1),
	asset_id INTEGER REFERENCES assets (id),
	asset_tag VARCHAR(40),
	order_id INTEGER REFERENCES orders (id),
	order_ref VARCHAR(32),
	state VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (state IN
	    ('pending', 'sending', 'unknown', 'delivered', 'dead')),
	attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at VARCHAR(24) NOT NULL,
	last_error VARCHAR(1000),
	body TEXT NOT NULL,
	created_at VARCHAR(24) NOT NULL,
	updated_at VARCHAR(24) NOT NULL,
	UNIQUE (system, seq_key, seq)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_asset ON outbox (asset_id);
