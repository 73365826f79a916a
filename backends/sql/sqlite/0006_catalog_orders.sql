-- 0006: the catalog with effective-dated prices, asset history, MAC
-- orders and their workflow, and the domain events completion writes
-- (docs/storage.md, "The catalog and orders"; ../BILLING.md's rules).
--
-- Products: asset type 'addon' joins the three, each product says how
-- it is charged ('flat' a month per asset, 'per_port' a month per
-- port), its usage unit ('' for none) and its port limits.  The single
-- monthly_cents column becomes the first row of product_prices, valid
-- from 2000-01-01: a price change is a new row from a date, nothing is
-- rewritten.  SQLite cannot change a CHECK in place, so the table is
-- rebuilt by the twelve steps of SQLite's lang_altertable.html: the
-- line below has the runner (src/store/migrate.c) turn foreign keys off
-- around this migration and check every key before it commits.
-- oms: foreign keys off
--
-- Assets: a unique, stable tag (the import key and the key of legacy
-- messages; today's assets get A followed by their id on eight digits),
-- and the parent of an add-on.  asset_states holds the effective-dated
-- states: [valid_from, valid_to), open when valid_to is NULL, ordered by
-- seq; a state may be empty (valid_from = valid_to) when two changes
-- fell on one day, and no two non-empty states of an asset overlap
-- (src/domain/history.c enforces it).  Today's assets get one state from
-- installation (to removal), and a removed asset a second, open state
-- with status 'removed'.

CREATE TABLE products_0006 (
	id INTEGER PRIMARY KEY,
	code VARCHAR(32) NOT NULL UNIQUE,
	name VARCHAR(200) NOT NULL,
	asset_type VARCHAR(16) NOT NULL
		CHECK (asset_type IN ('line', 'set', 'mailbox', 'addon')),
	charge VARCHAR(16) NOT NULL DEFAULT 'flat'
		CHECK (charge IN ('flat', 'per_port')),
	usage_unit VARCHAR(16) NOT NULL DEFAULT '',
	min_ports INTEGER NOT NULL DEFAULT 0 CHECK (min_ports >= 0),
	max_ports INTEGER NOT NULL DEFAULT 1000,
	CHECK (max_ports >= min_ports)
);

INSERT INTO products_0006 (id, code, name, asset_type, charge, usage_unit,
    min_ports, max_ports)
SELECT id, code, name, asset_type, 'flat', '', 0, 1000 FROM products;

CREATE TABLE product_prices (
	id INTEGER PRIMARY KEY,
	product_id INTEGER NOT NULL REFERENCES products (id),
	valid_from CHAR(10) NOT NULL,
	monthly_cents INTEGER NOT NULL CHECK (monthly_cents >= 0),
	UNIQUE (product_id, valid_from)
);

INSERT INTO product_prices (product_id, valid_from, monthly_cents)
SELECT id, '2000-01-01', monthly_cents FROM products;

DROP TABLE products;

ALTER TABLE products_0006 RENAME TO products;

CREATE TABLE usage_prices (
	id INTEGER PRIMARY KEY,
	product_id INTEGER NOT NULL REFERENCES products (id),
	valid_from CHAR(10) NOT NULL,
	unit VARCHAR(16) NOT NULL,
	included INTEGER NOT NULL CHECK (included >= 0),
	UNIQUE (product_id, valid_from)
);

CREATE TABLE usage_tiers (
	usage_price_id INTEGER NOT NULL REFERENCES usage_prices (id),
	from_units INTEGER NOT NULL CHECK (from_units >= 0),
	rate_micros INTEGER NOT NULL CHECK (rate_micros >= 0),
	PRIMARY KEY (usage_price_id, from_units)
);

-- product_id NULL: the fee for any product (one a date and action,
-- which src/domain/catalog.c checks: NULLs are distinct in UNIQUE).
CREATE TABLE fees (
	id INTEGER PRIMARY KEY,
	action VARCHAR(16) NOT NULL
		CHECK (action IN ('add', 'move', 'change', 'disconnect', 'addon')),
	product_id INTEGER REFERENCES products (id),
	valid_from CHAR(10) NOT NULL,
	amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
	UNIQUE (action, product_id, valid_from)
);

CREATE TABLE contract_prices (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	product_id INTEGER NOT NULL REFERENCES products (id),
	valid_from CHAR(10) NOT NULL,
	valid_to CHAR(10),
	monthly_cents INTEGER NOT NULL CHECK (monthly_cents >= 0),
	UNIQUE (customer_id, product_id, valid_from),
	CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX contract_prices_product ON contract_prices (product_id);

CREATE TABLE tax_rates (
	id INTEGER PRIMARY KEY,
	jurisdiction VARCHAR(16) NOT NULL,
	tax VARCHAR(16) NOT NULL,
	valid_from CHAR(10) NOT NULL,
	rate_ppm INTEGER NOT NULL CHECK (rate_ppm >= 0),
	UNIQUE (jurisdiction, tax, valid_from)
);

ALTER TABLE customers ADD COLUMN terms_days INTEGER NOT NULL DEFAULT 30
	CHECK (terms_days >= 0);
ALTER TABLE customers ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0
	CHECK (approval_required IN (0, 1));
ALTER TABLE users ADD COLUMN approver INTEGER NOT NULL DEFAULT 0
	CHECK (approver IN (0, 1));

ALTER TABLE assets ADD COLUMN tag VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN parent_id INTEGER REFERENCES assets (id);
UPDATE assets SET tag = printf('A%08d', id);
CREATE UNIQUE INDEX assets_tag ON assets (tag);
CREATE INDEX assets_parent ON assets (parent_id);

CREATE TABLE orders (
	id INTEGER PRIMARY KEY,
	ref VARCHAR(32) NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	site_id INTEGER REFERENCES sites (id),
	requester_id INTEGER REFERENCES users (id),
	requester VARCHAR(64) NOT NULL,
	requested_on CHAR(10) NOT NULL,
	state VARCHAR(20) NOT NULL CHECK (state IN ('draft', 'submitted',
	    'awaiting_approval', 'approved', 'scheduled', 'completed',
	    'rejected', 'cancelled', 'held')),
	held_from VARCHAR(20),
	version INTEGER NOT NULL DEFAULT 1,
	notes TEXT NOT NULL DEFAULT '',
	scheduled_on CHAR(10),
	completed_on CHAR(10),
	created_at VARCHAR(20) NOT NULL,
	updated_at VARCHAR(20) NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, state);
CREATE INDEX orders_state ON orders (state);
CREATE INDEX orders_site ON orders (site_id);

-- A line's asset is the asset it acts on (move, change, disconnect) or
-- the one its completion created (add, addon); asset_tag is the tag an
-- add or add-on asks for (NULL: one is given at completion).  NULL in
-- site, cost centre, product, ports or an identifier: unchanged.
CREATE TABLE order_lines (
	id INTEGER PRIMARY KEY,
	order_id INTEGER NOT NULL REFERENCES orders (id),
	line_no INTEGER NOT NULL CHECK (line_no >= 1),
	action VARCHAR(16) NOT NULL
		CHECK (action IN ('add', 'move', 'change', 'disconnect', 'addon')),
	asset_id INTEGER REFERENCES assets (id),
	parent_id INTEGER REFERENCES assets (id),
	asset_tag VARCHAR(40),
	site_id INTEGER REFERENCES sites (id),
	cost_centre_id INTEGER REFERENCES cost_centres (id),
	product_id INTEGER REFERENCES products (id),
	ports INTEGER CHECK (ports IS NULL OR ports >= 0),
	phone_number VARCHAR(32),
	extension VARCHAR(16),
	mailbox VARCHAR(16),
	serial VARCHAR(64),
	fee_cents INTEGER NOT NULL DEFAULT 0,
	fee_priced INTEGER NOT NULL DEFAULT 0 CHECK (fee_priced IN (0, 1)),
	fee_override_cents INTEGER CHECK (fee_override_cents IS NULL OR
	    fee_override_cents >= 0),
	override_reason VARCHAR(200),
	mrc_before_cents INTEGER NOT NULL DEFAULT 0,
	mrc_after_cents INTEGER NOT NULL DEFAULT 0,
	UNIQUE (order_id, line_no),
	CHECK (fee_override_cents IS NULL OR override_reason IS NOT NULL)
);
CREATE INDEX order_lines_asset ON order_lines (asset_id);

CREATE TABLE order_transitions (
	id INTEGER PRIMARY KEY,
	order_id INTEGER NOT NULL REFERENCES orders (id),
	at VARCHAR(24) NOT NULL,
	user_id INTEGER REFERENCES users (id),
	login VARCHAR(64) NOT NULL,
	from_state VARCHAR(20),
	to_state VARCHAR(20) NOT NULL,
	comment TEXT
);
CREATE INDEX order_transitions_order ON order_transitions (order_id);

CREATE TABLE order_comments (
	id INTEGER PRIMARY KEY,
	order_id INTEGER NOT NULL REFERENCES orders (id),
	at VARCHAR(24) NOT NULL,
	user_id INTEGER REFERENCES users (id),
	login VARCHAR(64) NOT NULL,
	body TEXT NOT NULL
);
CREATE INDEX order_comments_order ON order_comments (order_id);

CREATE TABLE asset_states (
	id INTEGER PRIMARY KEY,
	asset_id INTEGER NOT NULL REFERENCES assets (id),
	seq INTEGER NOT NULL CHECK (seq >= 1),
	valid_from CHAR(10) NOT NULL,
	valid_to CHAR(10),
	site_id INTEGER NOT NULL REFERENCES sites (id),
	cost_centre_id INTEGER NOT NULL REFERENCES cost_centres (id),
	product_id INTEGER NOT NULL REFERENCES products (id),
	ports INTEGER NOT NULL CHECK (ports >= 0),
	status VARCHAR(16) NOT NULL
		CHECK (status IN ('pending', 'active', 'suspended', 'removed')),
	phone_number VARCHAR(32),
	extension VARCHAR(16),
	mailbox VARCHAR(16),
	serial VARCHAR(64),
	order_line_id INTEGER REFERENCES order_lines (id),
	UNIQUE (asset_id, seq),
	CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX asset_states_site ON asset_states (site_id, valid_from);
CREATE INDEX asset_states_line ON asset_states (order_line_id);

INSERT INTO asset_states (asset_id, seq, valid_from, valid_to, site_id,
    cost_centre_id, product_id, ports, status, phone_number, extension,
    mailbox, serial)
SELECT id, 1, installed_on, removed_on, site_id, cost_centre_id,
    product_id, ports, CASE WHEN status = 'removed' THEN 'active'
    ELSE status END, phone_number, extension, mailbox, serial
FROM assets;

INSERT INTO asset_states (asset_id, seq, valid_from, valid_to, site_id,
    cost_centre_id, product_id, ports, status, phone_number, extension,
    mailbox, serial)
SELECT id, 2, removed_on, NULL, site_id, cost_centre_id, product_id,
    ports, 'removed', phone_number, extension, mailbox, serial
FROM assets WHERE removed_on IS NOT NULL;

-- What completion did, for the legacy exchange to turn into messages
-- (nothing reads it yet): one row an effect, written in the unit of
-- work of the completion, with a snapshot of the asset as canonical
-- XML.
CREATE TABLE domain_events (
	id INTEGER PRIMARY KEY,
	at VARCHAR(24) NOT NULL,
	kind VARCHAR(32) NOT NULL CHECK (kind IN ('asset_installed',
	    'addon_added', 'asset_moved', 'asset_changed', 'asset_removed')),
	asset_id INTEGER NOT NULL REFERENCES assets (id),
	order_id INTEGER REFERENCES orders (id),
	order_line_id INTEGER REFERENCES order_lines (id),
	effective_on CHAR(10) NOT NULL,
	payload TEXT NOT NULL
);
CREATE INDEX domain_events_asset ON domain_events (asset_id);
