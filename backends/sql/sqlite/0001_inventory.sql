-- 0001: the inventory: customers, their sites and cost centres, the
-- product catalog, and the assets installed at sites.
-- Dates are 'YYYY-MM-DD' text; money is integer cents.

CREATE TABLE customers (
	id INTEGER PRIMARY KEY,
	code VARCHAR(32) NOT NULL UNIQUE,
	name VARCHAR(200) NOT NULL,
	address VARCHAR(200) NOT NULL,
	city VARCHAR(100) NOT NULL,
	region VARCHAR(100) NOT NULL,
	postcode VARCHAR(20) NOT NULL,
	country CHAR(2) NOT NULL,
	currency CHAR(3) NOT NULL DEFAULT 'USD',
	created_at VARCHAR(20) NOT NULL
);

CREATE TABLE sites (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	code VARCHAR(32) NOT NULL,
	name VARCHAR(200) NOT NULL,
	address VARCHAR(200) NOT NULL,
	city VARCHAR(100) NOT NULL,
	region VARCHAR(100) NOT NULL,
	postcode VARCHAR(20) NOT NULL,
	country CHAR(2) NOT NULL,
	UNIQUE (customer_id, code)
);

CREATE TABLE cost_centres (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	code VARCHAR(32) NOT NULL,
	name VARCHAR(200) NOT NULL,
	UNIQUE (customer_id, code)
);

CREATE TABLE products (
	id INTEGER PRIMARY KEY,
	code VARCHAR(32) NOT NULL UNIQUE,
	name VARCHAR(200) NOT NULL,
	asset_type VARCHAR(16) NOT NULL
		CHECK (asset_type IN ('line', 'set', 'mailbox')),
	monthly_cents INTEGER NOT NULL DEFAULT 0 CHECK (monthly_cents >= 0)
);

CREATE TABLE assets (
	id INTEGER PRIMARY KEY,
	site_id INTEGER NOT NULL REFERENCES sites (id),
	cost_centre_id INTEGER NOT NULL REFERENCES cost_centres (id),
	product_id INTEGER NOT NULL REFERENCES products (id),
	status VARCHAR(16) NOT NULL
		CHECK (status IN ('pending', 'active', 'suspended', 'removed')),
	ports INTEGER NOT NULL DEFAULT 1 CHECK (ports >= 0),
	phone_number VARCHAR(32),
	extension VARCHAR(16),
	mailbox VARCHAR(16),
	serial VARCHAR(64),
	installed_on CHAR(10) NOT NULL,
	removed_on CHAR(10),
	CHECK (removed_on IS NULL OR removed_on > installed_on)
);

CREATE INDEX assets_site_status ON assets (site_id, status);
-- The default order of the site asset query walks this index.
CREATE INDEX assets_site_number ON assets (site_id, phone_number);
CREATE INDEX assets_cost_centre ON assets (cost_centre_id);
CREATE INDEX assets_product ON assets (product_id);
CREATE INDEX sites_customer ON sites (customer_id);
CREATE INDEX cost_centres_customer ON cost_centres (customer_id);
