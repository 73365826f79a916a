-- 0010: the legacy exchange and distribution (issue 10): what the
-- dispatcher needs to share the outbox between hosts, what the other
-- systems tell OMS (vendor order status, booked leases), the inbound
-- SOAP service's replay memory, and where each customer's documents go.
-- docs/integration-guide.md describes the messages; DESIGN.md, "Legacy
-- exchange", the rules.

-- The outbox, continued.
-- claimed_by, claim_until: the dispatcher that took a row to send it
--   (state 'sending') and until when; a claim past its time is taken
--   back (the sender died), and the row is then 'unknown': it may have
--   gone out, so the peer is asked before anything is sent again.
-- delivered_at: when the peer took it (UTC, ISO 8601 with
--   milliseconds), for the commit-to-delivery latency.
-- reply: the peer's answer mapped to the canonical Ack, or NULL.
-- invoice_id: the invoice a document message carries (system 'mail'
--   or a file drop), or NULL.
ALTER TABLE outbox ADD COLUMN claimed_by VARCHAR(64);
ALTER TABLE outbox ADD COLUMN claim_until VARCHAR(24);
ALTER TABLE outbox ADD COLUMN delivered_at VARCHAR(24);
ALTER TABLE outbox ADD COLUMN reply TEXT;
ALTER TABLE outbox ADD COLUMN invoice_id INTEGER REFERENCES invoices (id);
CREATE INDEX outbox_invoice ON outbox (invoice_id);
CREATE INDEX outbox_system_state ON outbox (system, state);

-- What the Vendor Order System said of each order line sent to it: the
-- vendor's own reference from the PlaceOrder/ChangeOrder/DisconnectOrder
-- reply, then OrderStatus updates (acknowledged, scheduled, installed
-- with the serial and number).  One row a line.
CREATE TABLE vendor_orders (
	order_line_id INTEGER PRIMARY KEY REFERENCES order_lines (id),
	order_id INTEGER NOT NULL REFERENCES orders (id),
	asset_id INTEGER REFERENCES assets (id),
	vendor_ref VARCHAR(64),
	status VARCHAR(16) NOT NULL CHECK (status IN ('placed',
	    'acknowledged', 'scheduled', 'installed', 'rejected')),
	scheduled_on VARCHAR(10),
	installed_on VARCHAR(10),
	serial VARCHAR(64),
	phone_number VARCHAR(32),
	note VARCHAR(1000),
	message_id VARCHAR(64),
	updated_at VARCHAR(24) NOT NULL
);
CREATE INDEX vendor_orders_asset ON vendor_orders (asset_id);

-- The lease the Finance Company booked for an asset (LeaseBooked, or
-- the BookLease reply): its number, term and schedule.  status
-- 'returned' once the ReturnAsset went through.  monthly_cents: the
-- lease's monthly amount in minor units, compared with the billing by
-- the reconciliation.  schedule: the payment schedule as the lease
-- system sent it (canonical XML), or NULL.
CREATE TABLE asset_leases (
	asset_id INTEGER PRIMARY KEY REFERENCES assets (id),
	lease_number VARCHAR(64) NOT NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'booked' CHECK (status IN
	    ('booked', 'returned')),
	term_months INTEGER CHECK (term_months >= 0),
	starts_on VARCHAR(10),
	ends_on VARCHAR(10),
	monthly_cents INTEGER,
	schedule TEXT,
	message_id VARCHAR(64),
	booked_at VARCHAR(24) NOT NULL,
	updated_at VARCHAR(24) NOT NULL
);
CREATE INDEX asset_leases_number ON asset_leases (lease_number);

-- Inbound /soap requests already answered, by the caller's message id:
-- a replay (same account, id and body) gets the stored answer again;
-- the same id with another body gets a Fault.  body_sha256: hex of the
-- request's SOAP Body as received.
CREATE TABLE inbound_messages (
	account_id INTEGER NOT NULL REFERENCES users (id),
	message_id VARCHAR(64) NOT NULL,
	operation VARCHAR(32) NOT NULL,
	body_sha256 CHAR(64) NOT NULL,
	http_status INTEGER NOT NULL,
	response BLOB NOT NULL,
	created_at VARCHAR(24) NOT NULL,
	PRIMARY KEY (account_id, message_id)
);

-- Where a customer's Summary Invoice and Billing Report go after a
-- billing run: method 'mail' (to its billing contacts, the default
-- when a customer has no row here), 'drop' (an XML file drop, through
-- the exchange system named by drop_system), or 'none' (fetched from
-- the pages only).
CREATE TABLE document_delivery (
	customer_id INTEGER PRIMARY KEY REFERENCES customers (id),
	method VARCHAR(8) NOT NULL CHECK (method IN ('mail', 'drop', 'none')),
	drop_system VARCHAR(32),
	updated_at VARCHAR(24) NOT NULL,
	CHECK ((method = 'drop') = (drop_system IS NOT NULL))
);

-- A customer's billing contacts: the addresses its documents are
-- mailed to.
CREATE TABLE billing_contacts (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	email VARCHAR(254) NOT NULL,
	name VARCHAR(100),
	created_at VARCHAR(24) NOT NULL,
	UNIQUE (customer_id, email)
);
