-- 0006: the catalog with effective-dated prices, asset history, MAC
-- orders and their workflow, and domain events.  MariaDB dialect of
-- backends/sql/sqlite/0006_catalog_orders.sql, which says why; here the
-- products table is altered in place (MariaDB can change a column's
-- CHECK), and the new tables compare text byte for byte (utf8mb4_bin),
-- as SQLite does.

ALTER TABLE products
	MODIFY asset_type VARCHAR(16) NOT NULL
		CHECK (asset_type IN ('line', 'set', 'mailbox', 'addon')),
	ADD COLUMN charge VARCHAR(16) NOT NULL DEFAULT 'flat'
		CHECK (charge IN ('flat', 'per_port')),
	ADD COLUMN usage_unit VARCHAR(16) NOT NULL DEFAULT '',
	ADD COLUMN min_ports INTEGER NOT NULL DEFAULT 0 CHECK (min_ports >= 0),
	ADD COLUMN max_ports INTEGER NOT NULL DEFAULT 1000,
	ADD CONSTRAINT products_ports CHECK (max_ports >= min_ports);

CREATE TABLE IF NOT EXISTS product_prices (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	product_id BIGINT NOT NULL,
	valid_from CHAR(10) NOT NULL,
	monthly_cents BIGINT NOT NULL CHECK (monthly_cents >= 0),
	UNIQUE KEY product_prices_key (product_id, valid_from),
	CONSTRAINT product_prices_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO product_prices (product_id, valid_from, monthly_cents)
SELECT id, '2000-01-01', monthly_cents FROM products;

ALTER TABLE products DROP COLUMN monthly_cents;

CREATE TABLE IF NOT EXISTS usage_prices (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	product_id BIGINT NOT NULL,
	valid_from CHAR(10) NOT NULL,
	unit VARCHAR(16) NOT NULL,
	included BIGINT NOT NULL CHECK (included >= 0),
	UNIQUE KEY usage_prices_key (product_id, valid_from),
	CONSTRAINT usage_prices_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS usage_tiers (
	usage_price_id BIGINT NOT NULL,
	from_units BIGINT NOT NULL CHECK (from_units >= 0),
	rate_micros BIGINT NOT NULL CHECK (rate_micros >= 0),
	PRIMARY KEY (usage_price_id, from_units),
	CONSTRAINT usage_tiers_price FOREIGN KEY (usage_price_id) REFERENCES usage_prices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS fees (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	action VARCHAR(16) NOT NULL
		CHECK (action IN ('add', 'move', 'change', 'disconnect', 'addon')),
	product_id BIGINT,
	valid_from CHAR(10) NOT NULL,
	amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
	UNIQUE KEY fees_key (action, product_id, valid_from),
	CONSTRAINT fees_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS contract_prices (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	customer_id BIGINT NOT NULL,
	product_id BIGINT NOT NULL,
	valid_from CHAR(10) NOT NULL,
	valid_to CHAR(10),
	monthly_cents BIGINT NOT NULL CHECK (monthly_cents >= 0),
	UNIQUE KEY contract_prices_key (customer_id, product_id, valid_from),
	KEY contract_prices_product (product_id),
	CONSTRAINT contract_prices_dates CHECK (valid_to IS NULL OR valid_to > valid_from),
	CONSTRAINT contract_prices_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
	CONSTRAINT contract_prices_prod FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS tax_rates (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	jurisdiction VARCHAR(16) NOT NULL,
	tax VARCHAR(16) NOT NULL,
	valid_from CHAR(10) NOT NULL,
	rate_ppm BIGINT NOT NULL CHECK (rate_ppm >= 0),
	UNIQUE KEY tax_rates_key (jurisdiction, tax, valid_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE customers
	ADD COLUMN terms_days INTEGER NOT NULL DEFAULT 30 CHECK (terms_days >= 0),
	ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0
		CHECK (approval_required IN (0, 1));
ALTER TABLE users
	ADD COLUMN approver INTEGER NOT NULL DEFAULT 0 CHECK (approver IN (0, 1));

ALTER TABLE assets
	ADD COLUMN tag VARCHAR(40) NOT NULL DEFAULT '',
	ADD COLUMN parent_id BIGINT,
	ADD CONSTRAINT assets_parent_fk FOREIGN KEY (parent_id) REFERENCES assets (id);
UPDATE assets SET tag = CONCAT('A', LPAD(id, 8, '0'));
CREATE UNIQUE INDEX assets_tag ON assets (tag);

CREATE TABLE IF NOT EXISTS orders (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	ref VARCHAR(32) NOT NULL,
	customer_id BIGINT NOT NULL,
	site_id BIGINT,
	requester_id BIGINT,
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
	updated_at VARCHAR(20) NOT NULL,
	UNIQUE KEY orders_ref (ref),
	KEY orders_customer (customer_id, state),
	KEY orders_state (state),
	CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id),
	CONSTRAINT orders_site_fk FOREIGN KEY (site_id) REFERENCES sites (id),
	CONSTRAINT orders_requester_fk FOREIGN KEY (requester_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS order_lines (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id BIGINT NOT NULL,
	line_no INTEGER NOT NULL CHECK (line_no >= 1),
	action VARCHAR(16) NOT NULL
		CHECK (action IN ('add', 'move', 'change', 'disconnect', 'addon')),
	asset_id BIGINT,
	parent_id BIGINT,
	asset_tag VARCHAR(40),
	site_id BIGINT,
	cost_centre_id BIGINT,
	product_id BIGINT,
	ports INTEGER CHECK (ports IS NULL OR ports >= 0),
	phone_number VARCHAR(32),
	extension VARCHAR(16),
	mailbox VARCHAR(16),
	serial VARCHAR(64),
	fee_cents BIGINT NOT NULL DEFAULT 0,
	fee_priced INTEGER NOT NULL DEFAULT 0 CHECK (fee_priced IN (0, 1)),
	fee_override_cents BIGINT CHECK (fee_override_cents IS NULL OR
	    fee_override_cents >= 0),
	override_reason VARCHAR(200),
	mrc_before_cents BIGINT NOT NULL DEFAULT 0,
	mrc_after_cents BIGINT NOT NULL DEFAULT 0,
	UNIQUE KEY order_lines_key (order_id, line_no),
	KEY order_lines_asset (asset_id),
	CONSTRAINT order_lines_override CHECK (fee_override_cents IS NULL OR
	    override_reason IS NOT NULL),
	CONSTRAINT order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id),
	CONSTRAINT order_lines_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id),
	CONSTRAINT order_lines_parent_fk FOREIGN KEY (parent_id) REFERENCES assets (id),
	CONSTRAINT order_lines_site_fk FOREIGN KEY (site_id) REFERENCES sites (id),
	CONSTRAINT order_lines_cc_fk FOREIGN KEY (cost_centre_id) REFERENCES cost_centres (id),
	CONSTRAINT order_lines_product_fk FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS order_transitions (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id BIGINT NOT NULL,
	at VARCHAR(24) NOT NULL,
	user_id BIGINT,
	login VARCHAR(64) NOT NULL,
	from_state VARCHAR(20),
	to_state VARCHAR(20) NOT NULL,
	comment TEXT,
	KEY order_transitions_order (order_id),
	CONSTRAINT order_transitions_order_fk FOREIGN KEY (order_id) REFERENCES orders (id),
	CONSTRAINT order_transitions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS order_comments (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id BIGINT NOT NULL,
	at VARCHAR(24) NOT NULL,
	user_id BIGINT,
	login VARCHAR(64) NOT NULL,
	body TEXT NOT NULL,
	KEY order_comments_order (order_id),
	CONSTRAINT order_comments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id),
	CONSTRAINT order_comments_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS asset_states (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	asset_id BIGINT NOT NULL,
	seq INTEGER NOT NULL CHECK (seq >= 1),
	valid_from CHAR(10) NOT NULL,
	valid_to CHAR(10),
	site_id BIGINT NOT NULL,
	cost_centre_id BIGINT NOT NULL,
	product_id BIGINT NOT NULL,
	ports INTEGER NOT NULL CHECK (ports >= 0),
	status VARCHAR(16) NOT NULL
		CHECK (status IN ('pending', 'active', 'suspended', 'removed')),
	phone_number VARCHAR(32),
	extension VARCHAR(16),
	mailbox VARCHAR(16),
	serial VARCHAR(64),
	order_line_id BIGINT,
	UNIQUE KEY asset_states_key (asset_id, seq),
	KEY asset_states_site (site_id, valid_from),
	KEY asset_states_line (order_line_id),
	CONSTRAINT asset_states_dates CHECK (valid_to IS NULL OR valid_to >= valid_from),
	CONSTRAINT asset_states_asset FOREIGN KEY (asset_id) REFERENCES assets (id),
	CONSTRAINT asset_states_site_fk FOREIGN KEY (site_id) REFERENCES sites (id),
	CONSTRAINT asset_states_cc_fk FOREIGN KEY (cost_centre_id) REFERENCES cost_centres (id),
	CONSTRAINT asset_states_product_fk FOREIGN KEY (product_id) REFERENCES products (id),
	CONSTRAINT asset_states_line_fk FOREIGN KEY (order_line_id) REFERENCES order_lines (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

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

CREATE TABLE IF NOT EXISTS domain_events (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	at VARCHAR(24) NOT NULL,
	kind VARCHAR(32) NOT NULL CHECK (kind IN ('asset_installed',
	    'addon_added', 'asset_moved', 'asset_changed', 'asset_removed')),
	asset_id BIGINT NOT NULL,
	order_id BIGINT,
	order_line_id BIGINT,
	effective_on CHAR(10) NOT NULL,
	payload TEXT NOT NULL,
	KEY domain_events_asset (asset_id),
	CONSTRAINT domain_events_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id),
	CONSTRAINT domain_events_order_fk FOREIGN KEY (order_id) REFERENCES orders (id),
	CONSTRAINT domain_events_line_fk FOREIGN KEY (order_line_id) REFERENCES order_lines (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
